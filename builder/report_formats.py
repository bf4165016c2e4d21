"""A dissemination report written out: as Markdown, to read, paste into the periodic report or
convert; and as CSV, one file per table, in a plain layout documented in the README (the Commission
publishes no column layout for these tables that the report could follow)."""

from __future__ import annotations

import csv
import io
from typing import Any

from .dissemination import DIMENSIONS, NOT_RECORDED, Report

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
        lines += [f"### By {title.lower()}", "", *_table([title, "In the period", "In all"],
                                                       [[count.label, count.in_period, count.total]
                                                        for count in report.counts[dimension]]), ""]
    for name, rows in report.tables.items():
        lines += [f"## {TABLE_TITLES[name]}", ""]
        if not rows:
            lines += ["None in the period.", ""]
            continue
        columns = _columns(report, name)
        lines += [*_table([_column_title(report, column) for column in columns],
                          [[row[column] for column in columns] for row in rows]), ""]
    return "\n".join(lines)


def csv_tables(report: Report) -> dict[str, str]:
    """File name -> CSV text: `counts.csv` (dimension, key, label, in the period, in all) and one
    file per table, its columns named as in the README."""
    files = {"counts.csv": _csv(["dimension", "key", "label", "in_period", "total"],
                                [[dimension, count.key, count.label, count.in_period, count.total]
                                 for dimension, counts in report.counts.items() for count in counts])}
    for name, rows in report.tables.items():
        columns = _columns(report, name)
        files[f"{name}.csv"] = _csv(columns, [[row[column] for column in columns] for row in rows])
    return files


def _columns(report: Report, name: str) -> list[str]:
    rows = report.tables[name]
    if rows:
        return list(rows[0])
    return []


def _column_title(report: Report, column: str) -> str:
    if column.startswith("participants_"):
        return f"Participants: {column.removeprefix('participants_')}"
    return COLUMN_TITLES.get(column, column)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table; a cell's pipes and line breaks cannot break its row."""
    def cell(value: Any) -> str:
        text = NOT_RECORDED if value is None else str(value)
        return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return [f"| {' | '.join(map(cell, header))} |", f"|{'---|' * len(header)}",
            *(f"| {' | '.join(map(cell, row))} |" for row in rows)]


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    """CSV (RFC 4180); a cell a spreadsheet would run as a formula starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_inert(value) for value in row] for row in rows])
    return out.getvalue()


def _inert(value: Any) -> Any:
    # OWASP's advice against CSV injection: =, +, -, @, tab and carriage return open a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
