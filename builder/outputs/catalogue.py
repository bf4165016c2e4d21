"""`catalogue.json`: every published item as open, machine-readable metadata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..layout import CATALOGUE_FILE
from ..pdf.stage import PdfInfo, PdfReport
from ..project import Project, source_date_epoch
from ..read import Record
from .base import Made, Output, OutputContext, register_output


def catalogue_entry(project: Project, record: Record, pdf: PdfInfo | None = None) -> dict[str, Any]:
    """One item as the catalogue describes it."""
    item = record.item
    when = item.sort_date
    return {
        "type": item.type_name,
        "id": item.identifier,
        "title": item.title,
        "url": project.url_of(record.path),
        "date": when.isoformat() if when else None,
        "stakeholders": item.audiences(),
        "stages": list(item.stages),
        "topics": list(item.topics),
        "language": item.language or project.config.project.language,
        "summary": item.summary,
        "pdf": {"url": pdf.url, "pages": pdf.pages, "bytes": pdf.bytes} if pdf else None,
    }


def build_catalogue(project: Project, pdfs: dict[str, PdfInfo] | None = None) -> dict[str, Any]:
    """The catalogue document: published items (plain pages excluded) in source order."""
    pdfs = pdfs or {}
    items = [catalogue_entry(project, record, pdfs.get(record.path)) for record in project.collection.published()
             if not record.item.plain_page]
    items += _printed_page_entries(project, pdfs)
    return {"generated": content_date(project), "items": items}


def content_date(project: Project) -> str | None:
    """When the catalogue's content dates from: SOURCE_DATE_EPOCH when set, else the newest date the
    published content gives. Never the clock, so that two builds of the same content are identical."""
    if fixed := source_date_epoch():
        return fixed.isoformat().replace("+00:00", "Z")
    return f"{project.content_date.isoformat()}T00:00:00Z" if project.content_date else None


def _printed_page_entries(project: Project, pdfs: dict[str, PdfInfo]) -> list[dict[str, Any]]:
    """Generated pages with a PDF (the action plan, per group, per stage)."""
    entries = []
    for page in project.virtual_pages:
        if not page.prints:
            continue
        pdf = pdfs.get(page.path)
        entries.append({
            "type": "action-plan", "id": page.ident, "title": page.title, "url": project.url_of(page.path),
            "date": None, "stakeholders": list(page.stakeholders), "stages": list(page.stages), "topics": [],
            "language": project.config.project.language, "summary": None,
            "pdf": {"url": pdf.url, "pages": pdf.pages, "bytes": pdf.bytes} if pdf else None,
        })
    return entries


def write_catalogue(project: Project, site_dir: Path, pdfs: dict[str, PdfInfo] | None = None) -> Path:
    """Write the catalogue into the built site."""
    path = site_dir / CATALOGUE_FILE
    path.write_text(json.dumps(build_catalogue(project, pdfs), ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


@register_output
class Catalogue(Output):
    name = "catalogue"
    stage = "site"
    needs = ("pdf",)
    writes = (CATALOGUE_FILE,)

    def run(self, context: OutputContext) -> Made:
        report: PdfReport | None = context.results.summary("pdf")
        return Made(summary=write_catalogue(context.project, context.site_dir, report.pdfs if report else {}))
