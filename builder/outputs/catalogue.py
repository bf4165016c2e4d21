"""`catalogue.json`: every published item as open, machine-readable metadata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..action_plan import PlanPart
from ..layout import CATALOGUE_FILE
from ..pdf.stage import PdfInfo, PdfReport
from ..project import Project
from ..types import Item
from .base import Made, Output, OutputContext, register_output


def catalogue_entry(project: Project, path: str, item: Item | PlanPart, pdf: PdfInfo | None = None) -> dict[str, Any]:
    """One item as the catalogue describes it: a record's, or a generated page's that stands for one."""
    when = item.sort_date
    return {
        "type": item.type_name,
        "id": item.identifier,
        "title": item.title,
        "url": project.url_of(path),
        "date": when.isoformat() if when else None,
        "stakeholders": item.audiences(),
        "stages": list(item.stages),
        "topics": list(item.topics),
        "language": item.language or project.site_language(path),
        # The same item in the site's other languages, and this one's original among them.
        "translations": [{"language": language, "url": project.url_of(version)}
                         for language, version in project.versions(path).items() if version != path],
        "summary": item.summary,
        "pdf": {"url": pdf.url, "pages": pdf.pages, "bytes": pdf.bytes} if pdf else None,
    }


def build_catalogue(project: Project, pdfs: dict[str, PdfInfo] | None = None) -> dict[str, Any]:
    """The catalogue document: published items (plain pages excluded) in source order, then their
    translations, then the generated pages that stand for an item (the action plan and its parts)."""
    pdfs = pdfs or {}
    items = [catalogue_entry(project, record.path, record.item, pdfs.get(record.path))
             for record in project.collection.every_published_page() if not record.item.plain_page]
    items += [catalogue_entry(project, page.path, page.item, pdfs.get(page.path))
              for page in project.virtual_pages if page.item]
    config = project.config
    # The grant both ways aggregators read it: OpenAIRE Guidelines v3 and v4 (DataCite).
    funding = {"grantAgreement": config.grant_identifier, "fundingReference": config.funding_reference}
    if doi := config.project_doi:
        funding["projectDoi"] = doi
    return {"generated": content_date(project), "funding": funding, "items": items}


def content_date(project: Project) -> str | None:
    """When the catalogue's content dates from: SOURCE_DATE_EPOCH when set, else the newest date the
    published content gives. Never the clock, so that two builds of the same content are identical."""
    moment = project.content_moment
    return moment.isoformat().replace("+00:00", "Z") if moment else None


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
