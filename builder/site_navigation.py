"""Each language's navigation, for MkDocs: mkdocs.yml's `nav` is the default language's, and every
other language of the site gets the same tree over its own versions of the pages.

A page with a version in the language is that version, titled as the language words it (the nav's
title from `translations`, else the version's own title); a page without one stays in the tree as a
link to the default language's page, so no language's menu loses a place. A section takes its title
from `translations`, else from the generator's catalogue where it has the words. (A MkDocs adapter, like the preview: the core knows nothing of MkDocs' classes.)
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from .catalogues import translations
from .config import LanguageWording
from .project import Project


def language_navigations(nav: Navigation, files: Files, project: Project) -> dict[str, Navigation]:
    """The navigation of each of the site's languages but the default, whose is `nav` itself."""
    return {language: _navigation_in(language, nav, files, project)
            for language in project.config.site_languages[1:]}


def _navigation_in(language: str, nav: Navigation, files: Files, project: Project) -> Navigation:
    titles = project.config.translations.get(language, LanguageWording()).nav
    words = translations(language)

    def converted(item: Any) -> Any:
        title = titles.get(item.title) if item.title else None  # the project's title for it in the language
        if isinstance(item, Section):  # else, for a section, the generator's words for it where it has them
            return Section(title or _translated(words.gettext(item.title), item.title) or item.title,
                           [converted(child) for child in item.children])
        if isinstance(item, Page) and (version := project.version_in(item.file.src_uri, language)):
            page = files.get_file_from_path(version).page
            if title:  # else the page's own title, which MkDocs reads from it as it reads it
                page.title = title
            return page
        if isinstance(item, Page):  # read only later by MkDocs: an entry without a title takes the page's
            return Link(title or item.title or _own_title(project, item.file.src_uri),
                        project.url_of(item.file.src_uri) or "./")
        return Link(title or item.title, item.url)

    items = [converted(item) for item in nav.items]
    pages = list(_pages_of(items))
    _link_parents(items, None)
    for before, page, after in zip([None, *pages[:-1]], pages, [*pages[1:], None], strict=True):
        page.previous_page, page.next_page = before, after
    navigation = Navigation(items, pages)
    home = project.version_in(nav.homepage.file.src_uri, language) if nav.homepage else None
    navigation.homepage = files.get_file_from_path(home).page if home else nav.homepage
    return navigation


def _own_title(project: Project, path: str) -> str:
    record, page = project.record(path), project.virtual_page(path)
    return record.item.title if record else page.title if page else path


def _translated(translated: str, title: str) -> str | None:
    return translated if translated != title else None


def _pages_of(items: list[Any]) -> Any:
    for item in items:
        if isinstance(item, Section):
            yield from _pages_of(item.children)
        elif isinstance(item, Page):
            yield item


def _link_parents(items: list[Any], parent: Section | None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _link_parents(item.children, item)
