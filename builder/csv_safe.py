"""CSV that a spreadsheet opens as data: RFC 4180, and no cell it would run as a formula."""

from __future__ import annotations

import csv
import io
from typing import Any


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    """CSV (RFC 4180); a cell a spreadsheet would run as a formula starts with an apostrophe."""
    return "".join(f"{record}\r\n" for record in csv_records([header, *rows]))


def csv_records(rows: list[list[Any]]) -> list[str]:
    """Each row as a CSV record, without its line break (a quoted cell may hold line breaks)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # not "": the writer quotes a line break only if it ends lines
    records = []
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([_inert(value) for value in row])
        records.append(out.getvalue().removesuffix("\r\n"))
    return records


def _inert(value: Any) -> Any:
    # OWASP's advice against CSV injection: =, +, -, @, tab and carriage return open a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
