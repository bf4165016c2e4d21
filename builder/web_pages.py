"""Render the generator's own HTML: item cards, listings, term pages, the home page's latest items.

Templates live in builder/templates and may be overridden from the project's theme, in disseminate/.
Autoescaping is on: front matter never reaches the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from .catalogues import N_
from .collection import Collection
from .config import SiteConfig
from .facets import Facet, FacetValue, configured_values, item_facets, site_facets
from .layout import relative_url
from .markup import sanitize
from .pages import VirtualPage
from .project import Project, native_name
from .read import Record
from .templating import SHARED_TEMPLATES, Wording, install_language, render_template, template_environment
from .themes import WEB_OVERRIDES
from .types import Item, newest_first

if TYPE_CHECKING:
    from .outputs import Results

# The facets a listing page can be narrowed by, with the names its filter bar gives them.
LISTING_FILTERS = {"stakeholder": N_("For"), "stage": N_("Stage"), "topic": N_("Topic"), "year": N_("Year")}


@dataclass
class _Language:
    """What one of the site's languages renders with: its config's words, its versions of the items,
    its wording and templates, and its items' facets, worked out once. (The facets go by the item's
    identity, which the entry keeps alive; an edited item is a new one.)"""

    config: SiteConfig
    collection: Collection
    wording: Wording
    env: jinja2.Environment
    facets: dict[int, tuple[Item, dict[str, list[FacetValue]], Markup]] = field(default_factory=dict)
    configured: dict[str, list[FacetValue]] = field(default_factory=dict)
    # A default-language page's address -> its version's in this language, for the links templates
    # write by address (`url('stakeholders/cso/')`): a visitor stays in the language where a page has it.
    addresses: dict[str, str] = field(default_factory=dict)


class WebPages:
    """The generator's part of every web page, from records and virtual pages, for one project."""

    def __init__(self, project: Project, results: Results, earlier: WebPages | None = None) -> None:
        """`earlier`: the WebPages of an earlier load of the same settings and templates, whose
        compiled templates and items' facets serve again (the preview, after an edit of pages)."""
        self.project = project
        self.results = results  # what the outputs made, and will make: a page's PDF, say
        self._languages = {language: self._language(language, earlier)
                           for language in project.config.site_languages}
        default = self._languages[project.config.default_language]
        self.wording, self.env = default.wording, default.env

    def _language(self, language: str, earlier: WebPages | None) -> _Language:
        """What pages in `language` render with, their templates and facets taken from `earlier`."""
        config = self.project.config.in_language(language)
        collection = self.project.collection_in(language)
        known = earlier._languages.get(language) if earlier else None
        wording = Wording(config, self.project.built_at.date())
        env = wording.install(known.env if known else template_environment(_loader(self.project)))
        state = _Language(config, collection, wording, env, known.facets if known else {}, configured_values(config),
                          self.project.addresses_in(language))
        env.filters.update(facets=lambda item: self._facets_of(state, item)[1],
                           facet_data=lambda item: self._facets_of(state, item)[2])
        related = {entry.project.id: entry.project for entry in self.project.repository.entries} \
            if self.project.repository else {}
        env.globals.update(site_facets=lambda records=None: self._site_facets(state, records),
                           LISTING_FILTERS=LISTING_FILTERS, related_project=related.get)
        return state

    def _facets_of(self, state: _Language, item: Item) -> tuple[Item, dict[str, list[FacetValue]], Markup]:
        """An item's facets, and the data- attributes a listing's filter reads (data-stage="I II")."""
        known = state.facets.get(id(item))
        if known is None or known[0] is not item:
            facets = item_facets(item, state.config, state.wording, state.configured)
            data = Markup("").join(Markup(' data-{}="{}"').format(facet, " ".join(value.key for value in values))
                                   for facet, values in facets.items() if facet in LISTING_FILTERS)
            known = state.facets[id(item)] = (item, facets, data)
        return known

    def _site_facets(self, state: _Language, records: list[Record] | None) -> list[Facet]:
        """Facets with counts over the given records (a listing's), or over every published page of
        the language: the search page's facets."""
        chosen = state.collection.published() if records is None else records
        return site_facets([record.item for record in chosen], state.config, state.wording,
                           lambda item: self._facets_of(state, item)[1])

    def install_theme_language(self, env: jinja2.Environment, language: str) -> dict[str, Any]:
        """Installs one of the site's languages' words on MkDocs' environment, which renders the
        theme's overrides (the header, the footer); returns what those overrides read in it: the
        project, its funding texts, the address of the language's search page."""
        state = self._languages[language]
        install_language(env, language)
        return {"funding": state.config.funding_text, "project": state.config.project,
                "search": state.addresses.get("search/", "search/")}

    def body(self, record: Record, html: str) -> Markup:
        """A body's HTML as the site may show it: sanitized, unless its folder is trusted."""
        return Markup(html if self.project.config.trusts_html(record.path) else sanitize(html))

    def item_page(self, record: Record, body_html: str, url: str) -> str:
        """An item's page: title, metadata card, body and the funding disclaimer."""
        collection = self._languages[self.project.site_language(record.path)].collection
        return self._render("item.html", url, record=record, body=self.body(record, body_html),
                            related=collection.targets(record, "related"),
                            cited_by=collection.referring(record, "recommendation"))

    def plain_page(self, record: Record, body_html: str, url: str) -> str:
        """A plain page; the home page also lists the latest items."""
        latest = []
        language = self._languages[self.project.site_language(record.path)]
        if self.project.config.home.latest and self.project.is_home(record.path):
            items = [r for r in language.collection.published() if not r.item.plain_page]
            latest = newest_first(items)[: self.project.config.home.latest]
        return self._render("page.html", url, record=record, body=self.body(record, body_html), latest=latest)

    def virtual_page(self, page: VirtualPage, url: str) -> str:
        return self._render(page.template, url, page=page, **page.data)

    def _render(self, template: str, url: str, **context: Any) -> str:
        """A template with what every page's templates read: links, the collection, its outputs,
        in the language of the site the page is part of."""
        path = context["record"].path if "record" in context else context["page"].path
        language = self._languages[self.project.site_language(path)]
        collection = language.collection

        def link(target: Record | str) -> str:
            address = collection.url_of(target) if isinstance(target, Record) else target
            return relative_url(language.addresses.get(address, address), url)
        def link_to_source(source_path: str) -> str:  # a page by its source path, generated or written
            return link(self.project.url_of(self.project.version_in(source_path, language.config.project.language)
                                            or source_path))
        return render_template(language.env, template, self.project.root, path, url=link, collection=collection,
                               link_to_source=link_to_source, outputs=self.results.for_page(path),
                               other_pdfs=self._other_pdfs(path), **context)

    def _other_pdfs(self, path: str) -> list[tuple[str, str, Any]]:
        """The PDFs of a page's versions in the site's other languages: (language, its name, the PDF)."""
        return [(language, native_name(language), pdf) for language, version in self.project.versions(path).items()
                if version != path and (pdf := self.results.for_page(version)["pdf"])]


def _loader(project: Project) -> jinja2.BaseLoader:
    """The project's versions of the templates first, then the package's."""
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(project.theme.project / WEB_OVERRIDES),
                                jinja2.PackageLoader("builder", "templates"),
                                jinja2.PackageLoader("builder", SHARED_TEMPLATES)])
