"""Generated pages: listings per content type, pages per stakeholder group and topic, the
accessibility statement and the page of feeds and calendars to subscribe to. They are virtual: they exist only in the build, never in the sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from .action_plan import ActionPlan, PlanPart, plan_parts
from .catalogues import N_, translations
from .collection import Collection
from .config import SiteConfig
from .layout import CONTENT_ROOT, language_version, page_url
from .repository import Repository
from .types import CONTENT_TYPES, Item, newest_first

SUBSCRIBE_PAGE = f"{CONTENT_ROOT}/subscribe.md"  # the feeds and calendars put themselves on it
FIGURES_PAGE = f"{CONTENT_ROOT}/results-in-numbers.md"  # the report's figures, when the project opts in
EXPLORER_PAGE = f"{CONTENT_ROOT}/projects.md"  # the related projects, when a CORDIS import made some
TAXONOMY_PAGES = {"stakeholders": N_("Stakeholder groups"), "topics": N_("Topics")}


@dataclass(frozen=True)
class VirtualPage:
    """A page the generator writes: its source-style path, title, template and data."""

    path: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    wide: bool = False  # needs the whole width (the action plan matrix): no side navigation
    item: PlanPart | None = None  # the item it stands for, when it gets a PDF and a catalogue entry
    language: str | None = None  # the site language whose pages it is among; None: the default's


def plan_virtual_pages(config: SiteConfig, collection: Collection, now: dt.datetime,
                       repository: Repository | None = None) -> list[VirtualPage]:
    """Every generated page of the site, in each of its languages: the default's at their place,
    the others' as their translations would be (`deliverables/index.de.md`)."""
    pages = _pages_in(config, collection, now, repository)
    for language in config.site_languages[1:]:
        pages += [_moved_to(page, language)
                  for page in _pages_in(config.in_language(language), collection.in_language(language), now, None)]
    return pages


def _moved_to(page: VirtualPage, language: str) -> VirtualPage:
    """A page of the default language's set as the `language` version of it (the item it stands for too)."""
    path = language_version(page.path, language)
    item = replace(page.item, path=path, language=language) if page.item else None
    return replace(page, path=path, language=language, item=item)


def _pages_in(config: SiteConfig, collection: Collection, now: dt.datetime,
              repository: Repository | None) -> list[VirtualPage]:
    """The generated pages of one language, from the registry, the taxonomies and the config (as
    that language words them) over the items in that language's versions. The explorer of related
    projects is the default language's alone (`repository`)."""
    _ = translations(config.project.language).gettext
    pages = [_listing(content_type, collection, now, _(content_type.listing_title))
             for content_type in CONTENT_TYPES.values() if content_type.listing_title]
    for taxonomy, title in TAXONOMY_PAGES.items():
        terms = config.taxonomy(taxonomy)
        base = f"{CONTENT_ROOT}/{taxonomy}"
        pages.append(VirtualPage(f"{base}/index.md", _(title), "terms.html",
                                 {"taxonomy": taxonomy, "terms": terms,
                                  "counts": {key: len(collection.tagged(taxonomy, key)) for key in terms}}))
        for key, term in terms.items():
            pages.append(VirtualPage(f"{base}/{key}.md", term.label, "term.html",
                                     {"term": term, "records": newest_first(collection.tagged(taxonomy, key))}))
    pages.append(VirtualPage(f"{CONTENT_ROOT}/accessibility.md", _("Accessibility statement"), "accessibility.html"))
    pages.append(VirtualPage(f"{CONTENT_ROOT}/search.md", _("Search"), "search.html", wide=True))
    pages.append(VirtualPage(SUBSCRIBE_PAGE, _("Subscribe"), "subscribe.html"))
    if config.results_in_numbers:
        pages.append(VirtualPage(FIGURES_PAGE, _("Results in numbers"), "results_in_numbers.html"))
    if repository is not None:
        pages.append(VirtualPage(EXPLORER_PAGE, _("Related projects"), "explorer.html", wide=True))
    plan = ActionPlan.from_collection(collection, config)
    pages += [VirtualPage(part.path, part.title, part.template,
                          {"plan": plan, **({"key": part.key, "term": part.term} if part.key else {})},
                          wide=part.scope == "full", item=part)
              for part in plan_parts(plan, config, _)]
    return pages


def _listing(content_type: type[Item], collection: Collection, now: dt.datetime, title: str) -> VirtualPage:
    return VirtualPage(f"{content_type.folder}/index.md", title, f"listing_{content_type.type_name}.html",
                       content_type.listing(collection.of_type(content_type), now))


def virtual_urls(pages: list[VirtualPage], use_directory_urls: bool, languages: tuple[str, ...]) -> dict[str, str]:
    """Source-style path to URL, for link and duplicate checks."""
    return {page.path: page_url(page.path, use_directory_urls, languages) for page in pages}
