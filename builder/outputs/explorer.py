"""The explorer of related projects, for a project that imported some from CORDIS: its home (a page
of the site, with the figures, the facets and the first page of the listing), made before the
pages; then every project's page, the later pages of the listing, the index its script searches
and the downloads of every project, written straight into the site once the search index is made
(see builder/explorer.py and builder/explorer_index.py)."""

from __future__ import annotations

import itertools
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from babel.numbers import format_compact_currency

from ..charts import LABELS_ABOVE, Chart, bar_chart
from ..explorer import (
    EXPLORER_URL,
    Facet,
    Figure,
    Frame,
    Names,
    PageJob,
    facets,
    figures,
    listing_url,
    pages,
    project_url,
    site_stylesheets,
    write_pages,
)
from ..explorer_index import ExplorerIndex
from ..layout import CACHE_ROOT, dest_uri
from ..pages import EXPLORER_PAGE
from ..pdf import PdfInfo, PdfReport
from ..pdf.document import AREA_DOCUMENTS
from ..repository import Entry
from ..templating import Wording
from ..web_pages import WebPages
from .base import Made, Output, OutputContext, OutputFailed, register_output


@dataclass(frozen=True)
class ExplorerHome:
    """What the explorer's home shows."""

    count: int
    programmes: list[str]
    charts: list[Chart]
    figures: list[Figure]
    facets: list[Facet]
    first_page: tuple[Entry, ...]
    pages: int
    names: Names
    index: ExplorerIndex  # what the script reads; its files are written with the pages
    area_pdfs: list[tuple[str, PdfInfo]]  # each area's state of play: its label and PDF (none without PDFs)

    def url_of(self, project) -> str:
        return project_url(project)

    def page_url(self, number: int) -> str:
        return listing_url(number)


@register_output
class Explorer(Output):
    name = "explorer"
    stage = "files"
    needs = ("pdf",)  # the areas' states of play, which its home links to

    def wanted(self, project) -> bool:
        return project.repository is not None

    def run(self, context: OutputContext) -> Made:
        project = context.project
        repository = project.repository
        names = Names(project.config, Wording(project.config, project.built_at.date()))
        locale = project.config.date_locale

        def millions(amount: float) -> str:  # a bar's label: "€5.8M", the table beside it says it in full
            return format_compact_currency(amount, "EUR", locale=locale, fraction_digits=1)
        made_figures = figures(repository, names)
        charts = [bar_chart(figure.title, figure.heading, [(label, count) for label, count, _ in figure.rows],
                            LABELS_ABOVE, empty=names.gettext("no items")) for figure in made_figures]
        # A chart of amounts only where some are known: a sum of none is not zero euros.
        charts += [bar_chart(figure.amounts_title, figure.heading,
                             [(label, amount or 0) for label, _, amount in figure.rows], LABELS_ABOVE, shown=millions,
                             empty=names.gettext("no items"))
                   for figure in made_figures if any(amount is not None for _, _, amount in figure.rows)]
        size = repository.settings.page_size
        found = facets(repository, names)
        programmes = next(facet for facet in found if facet.key == "programme")
        home = ExplorerHome(len(repository), [value.label for value in programmes.values], charts, made_figures, found,
                            repository.entries[:size], max(1, -(-len(repository) // size)), names,
                            ExplorerIndex(repository, names, found), _area_pdfs(context))
        context.log.info("Explorer: %d related projects", len(repository))
        return Made(pages={EXPLORER_PAGE: home}, summary=home)


@register_output
class ExplorerPages(Output):
    name = "explorer_pages"
    stage = "site"
    # After the search index: the explorer searches its projects itself, and Pagefind would spend
    # seconds and a gigabyte reading tens of thousands of pages only to leave them out.
    needs = ("explorer", "search")

    def wanted(self, project) -> bool:
        return project.repository is not None

    def run(self, context: OutputContext) -> Made:
        project = context.project
        site_dir = context.site_dir
        config = project.config
        home_path = dest_uri(EXPLORER_PAGE, config.use_directory_urls)
        home = site_dir / home_path
        home_html = home.read_text("utf-8") if home.is_file() else ""
        frame = Frame(config.site_name, site_stylesheets(site_dir), config.funding_text.statement,
                      config.project.language, _body_attributes(home_html), _icon(home_html, posixpath.dirname(home_path)))
        web = WebPages(project, context.results)
        mentions: dict[str, list[tuple[str, str]]] = {}
        for record in project.collection.published():
            for key in record.item.projects:
                mentions.setdefault(key, []).append((record.item.title, project.url_of(record.path)))
        made: ExplorerHome = context.results.summary("explorer")
        cache = project.root / CACHE_ROOT / "explorer"
        jobs = itertools.chain(pages(project.repository, made.names, frame, web.env, project.root, mentions),
                               (PageJob(*file) for file in made.index.files(cache)))
        try:
            written = write_pages(site_dir, jobs, cache)
        except FileExistsError as error:
            taken = Path(error.filename2 or error.filename)
            raise OutputFailed(f"{taken.relative_to(site_dir)} is already in the site: the explorer writes every "
                               f"page under {EXPLORER_URL}") from None
        context.log.info("Explorer: %d pages and files of its index, %d made, the others unchanged", written.pages,
                         written.rendered)
        return Made(summary=written)


def _area_pdfs(context: OutputContext) -> list[tuple[str, PdfInfo]]:
    """Each area's state of play that the PDF output made, with the area's label."""
    report: PdfReport | None = context.results.summary("pdf")
    pdfs = report.pdfs if report else {}
    return [(term.label, pdfs[f"{AREA_DOCUMENTS}{key}"]) for key, term in context.project.config.explorer.areas.items()
            if f"{AREA_DOCUMENTS}{key}" in pdfs]


def _body_attributes(home: str) -> tuple[tuple[str, str], ...]:
    """The colour scheme Material gave the site's own pages, so the explorer's pages wear it too."""
    found = re.search(r"<body([^>]*)>", home)
    return tuple(re.findall(r'\s(data-md-color-[a-z]+)="([a-z-]+)"', found.group(1))) if found else ()


def _icon(home: str, folder: str) -> str | None:
    """The favicon the site's pages name (theme.favicon in mkdocs.yml), as a site-relative path;
    `folder` is the home's, which its address is relative to."""
    found = re.search(r'<link rel="icon" href="([^"#?:]+)"', home)
    return posixpath.normpath(posixpath.join(folder, found.group(1))) if found else None
