"""Render the generator's own HTML: item cards, listings, term pages, the home page's latest items.

Templates live in builder/templates and may be overridden from the project's theme/disseminate/.
Autoescaping is on: front matter never reaches the page unescaped.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import jinja2
import markdown
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from markupsafe import Markup

from .facets import Facet, item_facets, site_facets
from .layout import relative_url
from .markup import sanitize
from .pages import VirtualPage
from .problems import ContentErrors, Problem
from .project import Project
from .read import Record
from .types import DISSEMINATION_LEVELS, Event, newest_first

OVERRIDE_FOLDER = "theme/disseminate"
# The facets a listing page can be narrowed by, with the names its filter bar gives them.
LISTING_FILTERS = {"stakeholder": "For", "stage": "Stage", "topic": "Topic", "year": "Year"}


class Renderer:
    """Turns records and virtual pages into HTML fragments for one project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.pdfs: dict = {}  # source path -> PdfInfo, filled by the PDF stage when it runs
        self.locale = _locale(project.config.date_locale)
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(project.root / OVERRIDE_FOLDER),
                                        jinja2.PackageLoader("builder", "templates")]),
            autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.filters["date"] = self.format_date
        self.env.filters["labels"] = lambda keys, taxonomy: [project.config.taxonomy(taxonomy)[key].label
                                                             for key in keys]
        self.env.filters["language_name"] = self.language_name
        self.env.filters["facets"] = lambda item: item_facets(item, project.config, self.language_name)
        self.env.filters["markdown"] = lambda text: Markup(sanitize(markdown.markdown(text)))
        self.env.filters["country"] = lambda code: self.locale.territories.get(code, code)
        self.env.globals.update(config=project.config, levels=DISSEMINATION_LEVELS,
                                event_when=self.event_when, built_on=project.built_at.date(),
                                site_facets=self.site_facets, LISTING_FILTERS=LISTING_FILTERS)

    def language_name(self, tag: str) -> str:
        return _locale(tag).get_display_name(self.locale) or tag

    def site_facets(self, records: list[Record] | None = None) -> list[Facet]:
        """Facets with counts over the given records (a listing's), or over every published page:
        the search page's facets."""
        chosen = self.project.collection.published() if records is None else records
        return site_facets([record.item for record in chosen], self.project.config, self.language_name)

    def format_date(self, value: dt.date | None, style: str = "long") -> str:
        return format_date(value, style, locale=self.locale) if value else ""

    def body(self, record: Record, html: str) -> Markup:
        """A body's HTML as the site may show it: sanitized, unless its folder is trusted."""
        return Markup(html if self.project.config.trusts_html(record.path) else sanitize(html))

    def item_page(self, record: Record, body_html: str, url: str) -> str:
        """An item's page: title, metadata card, body and the funding disclaimer."""
        return self._render("item.html", url, record=record, body=self.body(record, body_html),
                            related=self.project.collection.targets(record, "related"), pdf=self.pdfs.get(record.path),
                            cited_by=self.project.collection.referring(record, "recommendation"))

    def plain_page(self, record: Record, body_html: str, url: str) -> str:
        """A plain page; the home page also lists the latest items."""
        latest = []
        if url == "" and self.project.config.home.latest:
            items = [r for r in self.project.collection.published() if not r.item.plain_page]
            latest = newest_first(items)[: self.project.config.home.latest]
        return self._render("page.html", url, record=record, body=self.body(record, body_html), latest=latest)

    def virtual_page(self, page: VirtualPage, url: str) -> str:
        return self._render(page.template, url, page=page, pdf=self.pdfs.get(page.path), **page.data)

    def event_when(self, event: Event) -> list[str]:
        """Human dates of an event with weekdays, times and the time zone they are in."""
        if event.start is None:
            return ["Date not recorded"]
        zone = event.timezone
        start, end = event.start, event.end or event.start
        lines = [self._day(start) if _day_of(start) == _day_of(end)
                 else f"{self._day(start)} – {self._day(end)}"]
        if isinstance(start, dt.datetime):
            moment = event.start_moment
            lines.append(f"{format_time(start, 'short', locale=self.locale)}"
                         + (f" – {format_time(end, 'short', locale=self.locale)}" if isinstance(end, dt.datetime) else ""))
            lines.append(f"Time zone: {zone} ({moment.astimezone(zoneinfo.ZoneInfo(zone)).tzname()})")
        else:
            lines.append(f"Time zone: {zone}")
        return lines

    def _day(self, value: dt.date | dt.datetime) -> str:
        return format_date(_day_of(value), "full", locale=self.locale)

    def _render(self, template: str, url: str, **context: Any) -> str:
        collection = self.project.collection

        def link(target: Record | str) -> str:
            return relative_url(collection.url_of(target) if isinstance(target, Record) else target, url)
        try:
            return self.env.get_template(template).render(url=link, collection=collection, **context)
        except jinja2.TemplateSyntaxError as error:
            raise ContentErrors([Problem(self._template_path(error.filename), error.lineno or 1, "template",
                                         None, error.message or "syntax error")]) from None

    def _template_path(self, filename: str | None) -> str:
        if not filename:
            return "theme"
        path = Path(filename)
        return path.relative_to(self.project.root).as_posix() if path.is_relative_to(self.project.root) else filename


def _day_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _locale(tag: str) -> Locale:
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")
