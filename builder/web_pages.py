"""Render the generator's own HTML: item cards, listings, term pages, the home page's latest items.

Templates live in builder/templates and may be overridden from the project's theme, in disseminate/.
Autoescaping is on: front matter never reaches the page unescaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from .catalogues import N_
from .facets import Facet, FacetValue, configured_values, item_facets, site_facets
from .layout import relative_url
from .markup import sanitize
from .pages import VirtualPage
from .project import Project
from .read import Record
from .templating import SHARED_TEMPLATES, Wording, render_template, template_environment
from .themes import WEB_OVERRIDES
from .types import Item, newest_first

if TYPE_CHECKING:
    from .outputs import Results

# The facets a listing page can be narrowed by, with the names its filter bar gives them.
LISTING_FILTERS = {"stakeholder": N_("For"), "stage": N_("Stage"), "topic": N_("Topic"), "year": N_("Year")}


class WebPages:
    """The generator's part of every web page, from records and virtual pages, for one project."""

    def __init__(self, project: Project, results: Results, earlier: WebPages | None = None) -> None:
        """`earlier`: the WebPages of an earlier load of the same settings and templates, whose
        compiled templates and items' facets serve again (the preview, after an edit of pages)."""
        self.project = project
        self.results = results  # what the outputs made, and will make: a page's PDF, say
        self.wording = Wording(project.config, project.built_at.date())
        self.env = self.wording.install(earlier.env if earlier else template_environment(_loader(project)))
        self._configured = configured_values(project.config)
        # An item shows on its page, its listing and each of its terms' pages: its facets are worked
        # out once. By the item's identity, which the entry keeps alive; an edited item is a new one.
        self._facets: dict[int, tuple[Item, dict[str, list[FacetValue]], Markup]] = earlier._facets if earlier else {}
        self.env.filters.update(facets=lambda item: self._facets_of(item)[1],
                                facet_data=lambda item: self._facets_of(item)[2])
        related = {entry.project.id: entry.project for entry in project.repository.entries} if project.repository else {}
        self.env.globals.update(site_facets=self.site_facets, LISTING_FILTERS=LISTING_FILTERS, related_project=related.get)

    def _facets_of(self, item: Item) -> tuple[Item, dict[str, list[FacetValue]], Markup]:
        """An item's facets, and the data- attributes a listing's filter reads (data-stage="I II")."""
        known = self._facets.get(id(item))
        if known is None or known[0] is not item:
            facets = item_facets(item, self.project.config, self.wording, self._configured)
            data = Markup("").join(Markup(' data-{}="{}"').format(facet, " ".join(value.key for value in values))
                                   for facet, values in facets.items() if facet in LISTING_FILTERS)
            known = self._facets[id(item)] = (item, facets, data)
        return known

    def site_facets(self, records: list[Record] | None = None) -> list[Facet]:
        """Facets with counts over the given records (a listing's), or over every published page:
        the search page's facets."""
        chosen = self.project.collection.published() if records is None else records
        return site_facets([record.item for record in chosen], self.project.config, self.wording,
                           lambda item: self._facets_of(item)[1])

    def body(self, record: Record, html: str) -> Markup:
        """A body's HTML as the site may show it: sanitized, unless its folder is trusted."""
        return Markup(html if self.project.config.trusts_html(record.path) else sanitize(html))

    def item_page(self, record: Record, body_html: str, url: str) -> str:
        """An item's page: title, metadata card, body and the funding disclaimer."""
        collection = self.project.collection
        return self._render("item.html", url, record=record, body=self.body(record, body_html),
                            related=collection.targets(record, "related"),
                            cited_by=collection.referring(record, "recommendation"))

    def plain_page(self, record: Record, body_html: str, url: str) -> str:
        """A plain page; the home page also lists the latest items."""
        latest = []
        if url == "" and self.project.config.home.latest:
            items = [r for r in self.project.collection.published() if not r.item.plain_page]
            latest = newest_first(items)[: self.project.config.home.latest]
        return self._render("page.html", url, record=record, body=self.body(record, body_html), latest=latest)

    def virtual_page(self, page: VirtualPage, url: str) -> str:
        return self._render(page.template, url, page=page, **page.data)

    def _render(self, template: str, url: str, **context: Any) -> str:
        """A template with what every page's templates read: links, the collection, its outputs."""
        collection = self.project.collection
        path = context["record"].path if "record" in context else context["page"].path

        def link(target: Record | str) -> str:
            return relative_url(collection.url_of(target) if isinstance(target, Record) else target, url)
        def link_to_source(source_path: str) -> str:  # a page by its source path, generated or written
            return link(self.project.url_of(source_path))
        return render_template(self.env, template, self.project.root, path, url=link, collection=collection,
                               link_to_source=link_to_source, outputs=self.results.for_page(path), **context)



def _loader(project: Project) -> jinja2.BaseLoader:
    """The project's versions of the templates first, then the package's."""
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(project.theme.project / WEB_OVERRIDES),
                                jinja2.PackageLoader("builder", "templates"),
                                jinja2.PackageLoader("builder", SHARED_TEMPLATES)])
