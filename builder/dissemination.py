"""The dissemination and communication figures of a period, from the content: counts by type,
stakeholder group, stage and topic (in the period and in all), and the tables of publications,
events, videos and news that the Commission's periodic and final reports ask for.

What is reported is every item the project has made public and every deliverable it delivered,
public or not: a confidential deliverable is listed by its number, title and level, as the reports
list it, never with its text. Drafts are not reported. An item counts in a period by its date; an
item without one counts in the total only, and a figure the content does not give is "not recorded",
never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .audience import Audience
from .catalogues import N_
from .config import RecordedFigure, SiteConfig
from .fields import LICENCES
from .pdf.naming import pdf_file_name
from .project import Project
from .read import Record
from .types import CONTENT_TYPES, Deliverable, Event, Item, News, Video

NOT_RECORDED = "not recorded"
# Each table's columns, in order (an event's also count each stakeholder group's participants).
COLUMNS = {"publications": ["kind", "id", "title", "date", "dissemination", "doi", "licence", "open_access"],
           "events": ["date", "end", "title", "kind", "place", "online", "organiser", "audience", "participants"],
           "videos": ["date", "title", "address", "audience"],
           "news": ["date", "title", "address", "audience"]}
DIMENSIONS = {"type": N_("Content type"), "stakeholders": N_("Stakeholder group"), "stages": N_("Research-cycle stage"),
              "topics": N_("Topic")}
# A count table's caption on the site's "Results in numbers" page, which speaks the site's language.
DIMENSION_CAPTIONS = {"type": N_("By content type"), "stakeholders": N_("By stakeholder group"),
                      "stages": N_("By research-cycle stage"), "topics": N_("By topic")}


@dataclass(frozen=True)
class Period:
    """The months a report covers, both included; `name` is a reporting period's, when it is one."""

    start: dt.date  # the first day of the first month
    end: dt.date  # the last day of the last month
    name: str | None = None
    whole_project: bool = False  # the project's whole duration, asked for by giving no period

    def covers(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= start and end <= self.end

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        return self.described()

    def described(self, gettext: Callable[[str], str] = N_) -> str:
        """The period in words ("2014-05 to 2016-05"), in `gettext`'s language."""
        start = None if self.start == dt.date.min else f"{self.start:%Y-%m}"
        end = None if self.end == dt.date.max else f"{self.end:%Y-%m}"
        if start and end:
            months = gettext("%(start)s to %(end)s") % {"start": start, "end": end}
        elif start or end:
            months = (gettext("from %(month)s") if start else gettext("until %(month)s")) % {"month": start or end}
        else:
            months = gettext("all dates")
        return f"{self.name} ({months})" if self.name else months


@dataclass(frozen=True)
class Count:
    """One line of a count table."""

    key: str
    label: str
    in_period: int
    total: int


@dataclass
class Report:
    """What a dissemination report says, before it is written in any format."""

    project: str  # acronym
    title: str
    grant_agreement: str
    programme: str
    period: Period
    counts: dict[str, list[Count]] = field(default_factory=dict)  # dimension -> its lines
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table name -> rows
    undated: int = 0  # reported items without a date: in the totals, in no period
    groups: dict[str, str] = field(default_factory=dict)  # stakeholder group key -> label
    months: dict[str, int] = field(default_factory=dict)  # YYYY-MM -> items dated in it, for the months with any
    audience: Audience | None = None  # from the web server's logs, when they were given
    recorded: list[RecordedFigure] = field(default_factory=list)  # figures recorded outside the content
    downloads: list[tuple[str, str, int]] = field(default_factory=list)  # (number, title, downloads) per PDF

    def columns(self, table: str) -> list[str]:
        """A table's columns, the same whether or not it has rows."""
        extra = [f"participants_{key}" for key in self.groups] if table == "events" else []
        return [*COLUMNS[table], *extra]


def period_of(config: SiteConfig, start: str | None = None, end: str | None = None,
              name: str | None = None) -> Period:
    """The period asked for: a reporting period by name, months given, or the project's duration
    (from its first to its last month, or from the earliest to the latest date of the content)."""
    if name is not None:
        chosen = config.reporting_periods.get(name)
        if chosen is None:
            known = ", ".join(config.reporting_periods) or "none in mkdocs.yml (reporting_periods:)"
            raise ValueError(f"no reporting period '{name}' (known: {known})")
        return Period(_first_day(chosen.start), _last_day(chosen.end), name)
    first = start or config.project.start
    last = end or config.project.end
    return Period(_first_day(first) if first else dt.date.min, _last_day(last) if last else dt.date.max,
                  whole_project=start is None and end is None)


def reported_records(project: Project) -> list[Record]:
    """Every record a report covers: not the drafts, and not the plain pages (About, say)."""
    return [record for record in project.collection.records if not record.item.plain_page and not record.item.draft]


def build_report(project: Project, period: Period, audience: Audience | None = None) -> Report:
    config = project.config
    records = reported_records(project)
    report = Report(config.project.acronym, config.project.title, config.project.grant_agreement,
                    config.funding_text.name, period, undated=sum(1 for r in records if r.item.sort_date is None),
                    groups={key: term.label for key, term in config.stakeholders.items()})
    report.counts = {dimension: _counts(config, records, period, dimension) for dimension in DIMENSIONS}
    in_period = [record for record in records if period.contains(record.item.sort_date)]
    for record in in_period:
        month = f"{record.item.sort_date:%Y-%m}"
        report.months[month] = report.months.get(month, 0) + 1
    report.tables = {
        "publications": [_publication(project, record) for record in _ordered(in_period) if type(record.item).prints],
        "events": [_event(config, record) for record in _ordered(in_period) if isinstance(record.item, Event)],
        "videos": [_basic(project, record) for record in _ordered(in_period) if isinstance(record.item, Video)],
        "news": [_basic(project, record) for record in _ordered(in_period) if isinstance(record.item, News)],
    }
    report.recorded = [figure for figure in config.recorded_figures if _recorded_in(figure, period)]
    if audience is not None:
        report.audience = audience
        report.downloads = _downloads(project, records, audience)
    return report


def _downloads(project: Project, records: list[Record], audience: Audience) -> list[tuple[str, str, int]]:
    """Downloads per publication, most downloaded first; a file no item makes any more (an old
    version's name) is listed by its file name."""
    acronym = project.config.project.acronym
    names = {pdf_file_name(acronym, record.item, record.path): record.item for record in records
             if record.item.wants_pdf}
    rows = [(names[name].identifier or "", names[name].title, count) if name in names else ("", name, count)
            for name, count in audience.pdf_downloads.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def _recorded_in(figure: RecordedFigure, period: Period) -> bool:
    """A recorded figure belongs to a report whose period holds all the days it covers; one without
    dates (a count "at the end of the project") to the whole project's report only."""
    if figure.start is None or figure.end is None:
        return period.whole_project
    return period.covers(_first_day(figure.start), _last_day(figure.end))


def _counts(config: SiteConfig, records: list[Record], period: Period, dimension: str) -> list[Count]:
    """A count per value of one dimension: every value the taxonomy knows, even at zero."""
    if dimension == "type":
        values = {name: content_type.listing_title or content_type.plural_label or f"{content_type.type_label}s"
                  for name, content_type in CONTENT_TYPES.items() if not content_type.plain_page}
    else:
        values = {key: term.label for key, term in config.taxonomy(dimension).items()}
    lines = []
    for key, label in values.items():
        tagged = [record for record in records if key in _values(record.item, dimension)]
        lines.append(Count(key, label, sum(1 for r in tagged if period.contains(r.item.sort_date)), len(tagged)))
    return lines


def _values(item: Item, dimension: str) -> list[str]:
    if dimension == "type":
        return [item.type_name]
    if dimension == "stakeholders":
        return item.audiences()
    return [str(value) for value in getattr(item, dimension)]


def _ordered(records: list[Record]) -> list[Record]:
    """Oldest first, as a report reads: by date, then by title."""
    return sorted(records, key=lambda record: (record.item.sort_date, record.item.title))


def _publication(project: Project, record: Record) -> dict[str, Any]:
    item = record.item
    public = item.is_public
    licence = item.licence or project.config.licence
    return {
        "kind": item.type_label,
        "id": item.identifier or "",
        "title": item.title,
        "date": _day(item.sort_date),
        "dissemination": item.dissemination if isinstance(item, Deliverable) else "PU",
        "doi": item.doi or "",
        "licence": LICENCES[licence]["name"] if licence else NOT_RECORDED,
        # Where anyone can read it: its page (with its PDF) or another open copy; none when it is not public.
        "open_access": (item.open_access or _address(project, record)) if public else "",
    }


def _event(config: SiteConfig, record: Record) -> dict[str, Any]:
    item: Event = record.item
    place = ", ".join(part for part in ([item.location.venue, item.location.city, item.location.country]
                                        if item.location else []) if part)
    participants = item.participants
    total = participants.recorded_total if participants else None
    groups = participants.by_group if participants else {}
    return {
        "date": _day(item.sort_date),
        "end": _day(item.end.date() if isinstance(item.end, dt.datetime) else item.end) if item.end else "",
        "title": item.title,
        "kind": item.kind,
        "place": place or ("online" if item.online else NOT_RECORDED),
        "online": item.online or "",
        "organiser": item.organiser or NOT_RECORDED,
        "audience": ", ".join(config.stakeholders[key].label for key in item.audiences()),
        "participants": NOT_RECORDED if total is None else total,
        **{f"participants_{key}": groups.get(key, NOT_RECORDED if total is None else "") for key in config.stakeholders},
    }


def _basic(project: Project, record: Record) -> dict[str, Any]:
    item = record.item
    return {"date": _day(item.sort_date), "title": item.title, "address": _address(project, record),
            "audience": ", ".join(project.config.stakeholders[key].label for key in item.audiences())}


def _address(project: Project, record: Record) -> str:
    """The page's full address when the site's is known, else its path in the site."""
    url = project.url_of(record.path)
    return project.absolute_url(url) or f"/{url}"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else NOT_RECORDED


def _first_day(month: str) -> dt.date:
    """The first day of a month (YYYY-MM); a day (YYYY-MM-DD) is itself."""
    if len(month) > 7:
        return dt.date.fromisoformat(month)
    year, number = map(int, month.split("-"))
    return dt.date(year, number, 1)


def _last_day(month: str) -> dt.date:
    """The last day of a month (YYYY-MM); a day (YYYY-MM-DD) is itself."""
    if len(month) > 7:
        return dt.date.fromisoformat(month)
    year, number = map(int, month.split("-"))
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return following - dt.timedelta(days=1)
