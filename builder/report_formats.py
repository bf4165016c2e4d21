"""A dissemination report written out: as Markdown, to read, paste into the periodic report or
convert; as CSV, one file per table, in a plain layout documented in the README (the Commission
publishes no column layout for these tables that the report could follow); and as a tagged PDF
through the print engine, with the project's cover, the funding statement and its charts, each
followed by its numbers as a table."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .audience import UNKNOWN_COUNTRY
from .catalogues import N_
from .charts import PRINTED, Chart, ChartShape, bar_chart
from .config import RecordedFigure
from .csv_safe import csv_text
from .dissemination import DIMENSIONS, NOT_RECORDED, Report
from .pdf.document import PrintDocuments, PrintItem, readable_files
from .pdf.engine import PdfJob, PrintEngine
from .project import Project
from .templating import render_template

TOP_COUNTRIES = 20  # rows of the countries table before "Other countries"; the CSV and XLSX have them all
# The report is for the Commission's periodic and final reports, which are written in English: it
# is, in every format, whatever the language of the site.
REPORT_LANGUAGE = "en"

COUNTRIES_NOTE = ("Each daily visitor counted once, in the country the GeoIP database gives for their address; "
                  "only the country was kept. Unknown: an address the database does not place.")
TABLE_TITLES = {"publications": "Publications", "events": "Events", "videos": "Videos", "news": "News"}
COLUMN_TITLES = {"kind": "Kind", "id": "Number", "title": "Title", "date": "Date", "end": "Ends",
                 "dissemination": "Dissemination level", "doi": "DOI", "licence": "Licence",
                 "open_access": "Open access", "place": "Place", "online": "Online", "organiser": "Organiser",
                 "audience": "Audience", "participants": "Participants", "address": "Address"}


def markdown(report: Report) -> str:
    """The report as Markdown: who, which period, the counts, then each table."""
    lines = [f"# Dissemination and communication activities: {report.project}", "",
             f"{report.title}. {report.programme}, grant agreement {report.grant_agreement}.", "",
             f"Period: {report.period.label}. Counted from the project's published content; drafts are not "
             "counted, and a deliverable that is not public is listed by its number, title and level only.", ""]
    if report.undated:
        lines += [f"{report.undated} item{'s' if report.undated != 1 else ''} without a date "
                  f"{'are' if report.undated != 1 else 'is'} counted in the totals and in no period.", ""]
    lines += ["## In numbers", ""]
    for dimension, title in DIMENSIONS.items():
        counts = [[count.label, count.in_period, count.total] for count in report.counts[dimension]]
        lines += [f"### By {title.lower()}", "", *markdown_table([title, "In the period", "In all"], counts), ""]
    lines += audience_markdown(report)
    lines += recorded_markdown(report)
    for name, rows in _shown(report).items():
        lines += [f"## {TABLE_TITLES[name]}", ""]
        if not rows:
            lines += ["None in the period.", ""]
            continue
        columns = list(rows[0])
        lines += [*markdown_table([_column_title(column) for column in columns],
                                  [[row[column] for column in columns] for row in rows]), ""]
    return "\n".join(lines)


def audience_markdown(report: Report) -> list[str]:
    lines = ["## Audience on the web", ""]
    audience = report.audience
    if audience is None:
        return [*lines, f"Page views, visitors and downloads: {NOT_RECORDED} (give the web server's access logs "
                        "with --logs).", ""]
    lines += markdown_table(["Figure", "In the period"], [["Page views", audience.page_views],
                                                         ["Daily visitors, summed", audience.daily_visitors],
                                                         ["PDF downloads", sum(audience.pdf_downloads.values())]])
    lines += ["", f"From {audience.lines} log lines; {audience.skipped} not in the combined log format were "
                  f"skipped, and {audience.robots} requests from robots left out. No address was kept.", ""]
    if audience.months:
        per_month = [[month, *figures] for month, figures in sorted(audience.months.items())]
        lines += ["### Per month", "", *markdown_table(["Month", "Page views", "Daily visitors"], per_month), ""]
    if report.downloads:
        lines += ["### Downloads per publication", "",
                  *markdown_table(["Number", "Title", "Downloads"], [list(row) for row in report.downloads]), ""]
    if audience.referrers:
        lines += ["### Sites that sent visitors", "",
                  *markdown_table(["Site", "Visits"], [list(row) for row in audience.referrers.most_common(10)]), ""]
    return [*lines, *_countries_markdown(audience.countries)]


def _countries_markdown(countries: Counter | None) -> list[str]:
    if countries is None:
        return [f"Countries of visitors: {NOT_RECORDED} (give a GeoIP database with --geoip).", ""]
    rows = country_summary(countries)
    table = markdown_table(["Country", "Daily visitors"], rows) if rows else ["No daily visitors in the period."]
    return ["### Countries of daily visitors", "", COUNTRIES_NOTE, "", *table, ""]


def country_summary(countries: Counter) -> list[list[Any]]:
    """The countries of daily visitors as a reader sees them, most first: the top ones by name,
    the rest in one row, the unplaced last."""
    placed = [row for row in _country_rows(countries) if row[0] != UNKNOWN_COUNTRY]
    rows: list[list[Any]] = [[f"{name} ({code})" if name else code, visitors]
                             for code, name, visitors in placed[:TOP_COUNTRIES]]
    if rest := placed[TOP_COUNTRIES:]:
        rows.append([f"Other countries ({len(rest)})", sum(visitors for _, _, visitors in rest)])
    if countries[UNKNOWN_COUNTRY]:
        rows.append(["Unknown", countries[UNKNOWN_COUNTRY]])
    return rows


def _country_rows(countries: Counter) -> list[tuple[str, str, int]]:
    """(code, English name or "", daily visitors), most first, the unplaced last."""
    from babel import Locale  # CLDR's names of countries, already there for the site's dates

    names = Locale("en").territories
    return sorted(((code, names.get(code, "") if code != UNKNOWN_COUNTRY else "", visitors)
                   for code, visitors in countries.items()),
                  key=lambda row: (row[0] == UNKNOWN_COUNTRY, -row[2], row[0]))


def recorded_markdown(report: Report) -> list[str]:
    """The figures recorded outside the content, each with its source, apart from the counted ones."""
    if not report.recorded:
        return []
    return ["## Recorded elsewhere", "", "Figures the project recorded outside this site's content, as given by "
            "their source; they are not added to the counts above.", "",
            *markdown_table(["Figure", "Value", "Covers", "Source"], _recorded_rows(report)), ""]


def _recorded_rows(report: Report) -> list[list[Any]]:
    return [[figure.figure, figure.value, covered(figure), figure.source] for figure in report.recorded]


def covered(figure: RecordedFigure) -> str:
    """The days a recorded figure covers, as written in the config."""
    return f"{figure.start} to {figure.end}" if figure.start else NOT_RECORDED


def _shown(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The tables as a reader sees them: an event's participants in one cell, the groups counted
    named after the total ("40, of whom National Contact Points 12"), where the CSV has a column each."""
    shown = dict(report.tables)
    shown["events"] = [{**{key: value for key, value in row.items() if not key.startswith("participants_")},
                        "participants": _participants(report, row)} for row in report.tables["events"]]
    return shown


def _participants(report: Report, row: dict[str, Any]) -> str:
    groups = [f"{label} {row[f'participants_{key}']}" for key, label in report.groups.items()
              if isinstance(row.get(f"participants_{key}"), int)]
    return f"{row['participants']}, of whom {', '.join(groups)}" if groups else str(row["participants"])


def csv_tables(report: Report) -> dict[str, str]:
    """File name -> CSV text: `counts.csv` (dimension, key, label, in the period, in all) and one
    file per table, its columns named as in the README."""
    return {f"{name}.csv": csv_text(header, rows) for name, (header, rows) in _sheets(report).items()}


def workbook(report: Report) -> bytes:
    """The tables of `csv_tables` as one XLSX workbook, a sheet each, in the same columns."""
    return sheets_workbook(_sheets(report))


def sheets_workbook(sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    """Tables as an XLSX workbook (openpyxl), a sheet each. A text is stored as text even when it
    starts with "=", which openpyxl would take for a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheets(report: Report) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each table as its header and rows, as CSV and XLSX write them."""
    sheets = {"counts": (["dimension", "key", "label", "in_period", "total"],
                         [[dimension, count.key, count.label, count.in_period, count.total]
                          for dimension, counts in report.counts.items() for count in counts])}
    for name, rows in report.tables.items():
        columns = report.columns(name)
        sheets[name] = (columns, [[row[column] for column in columns] for row in rows])
    if report.recorded:
        sheets["recorded"] = (["figure", "value", "covers", "source"], _recorded_rows(report))
    if report.audience is not None:
        sheets["audience"] = (["month", "page_views", "daily_visitors"],
                              [[month, *figures] for month, figures in sorted(report.audience.months.items())])
        sheets["downloads"] = (["id", "title", "downloads"], [list(row) for row in report.downloads])
        sheets["referrers"] = (["site", "visits"], [list(row) for row in report.audience.referrers.most_common()])
        if report.audience.countries is not None:
            sheets["countries"] = (["country", "name", "daily_visitors"],
                                   [list(row) for row in _country_rows(report.audience.countries)])
    return sheets


def _column_title(column: str) -> str:
    return COLUMN_TITLES.get(column, column)


def markdown_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table; a cell's pipes and line breaks cannot break its row."""
    def cell(value: Any) -> str:
        text = NOT_RECORDED if value is None else str(value)
        return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return [f"| {' | '.join(map(cell, header))} |", f"|{'---|' * len(header)}",
            *(f"| {' | '.join(map(cell, row))} |" for row in rows)]


def charts(report: Report, shape: ChartShape = PRINTED, gettext: Callable[[str], str] = N_) -> list[Chart]:
    """Activities per month of the period, and the period's items per stakeholder group, titled
    in `gettext`'s language (the report's English unless given)."""
    months = report.months
    per_month = [(month, months.get(month, 0)) for month in _months_between(min(months, default=None),
                                                                            max(months, default=None))]
    groups = [(count.label, count.in_period) for count in report.counts["stakeholders"]]
    empty = gettext("no items")
    return [bar_chart(gettext("Activities per month"), gettext("Month"), per_month, shape, empty=empty),
            bar_chart(gettext("Audiences per stakeholder group"), gettext("Stakeholder group"), groups, shape,
                      empty=empty)]


def pdf(project: Project, report: Report) -> bytes:
    """The report as a tagged PDF (PDF/UA-1, as every PDF of the site), rendered in this process."""
    documents = PrintDocuments(project, REPORT_LANGUAGE)
    document = PrintItem(f"Dissemination report: {report.period.label}",
                         f"What {report.project} published, organised and reached in {report.period.label}, "
                         "counted from the content of its website.", "report")
    page = render_template(documents.env, "report.html", project.root, "report", item=document, report=report,
                           charts=charts(report), dimensions=DIMENSIONS, table_titles=TABLE_TITLES,
                           tables=_shown(report),
                           column_title=_column_title, covered=covered, country_summary=country_summary,
                           countries_note=COUNTRIES_NOTE,
                           language=project.config.project.language, keywords="", body=Markup(""), toc=[],
                           assets=documents.theme_from(""), funding=project.config.funding_text)
    engine = PrintEngine(readable_files(project))
    try:
        rendered = engine.render(PdfJob("report", "report", page, project.root.as_uri() + "/"))
    finally:
        engine.close()
    if rendered.data is None:
        raise RuntimeError(f"the report's PDF could not be rendered: {rendered.error}")
    return rendered.data


def _months_between(first: str | None, last: str | None) -> list[str]:
    if first is None or last is None:
        return []
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
