"""`catalogue.json`: every published item as open, machine-readable metadata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .action_plan import ActionPlan, action_plan_pages
from .pdf.stage import PdfInfo
from .project import Project
from .read import Record

CATALOGUE_FILE = "catalogue.json"


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
             if record.item.type_name != "page"]
    items += _action_plan_entries(project, pdfs)
    return {"generated": project.built_at.isoformat().replace("+00:00", "Z"), "items": items}


def _action_plan_entries(project: Project, pdfs: dict[str, PdfInfo]) -> list[dict[str, Any]]:
    """The action plan as a whole, per stakeholder group and per stage: its pages and PDFs."""
    config = project.config
    plan = ActionPlan.from_collection(project.collection, config)
    entries = []
    for path, title, template, data in action_plan_pages(plan, config):
        key = data.get("key")
        stakeholders = [key] if template == "action_plan_stakeholder.html" else [] if key else list(plan.stakeholders)
        stages = [key] if template == "action_plan_stage.html" else [] if key else list(plan.stages)
        pdf = pdfs.get(path)
        entries.append({
            "type": "action-plan", "title": title,
            "id": "action-plan" if not key else f"action-plan-{'for' if stakeholders == [key] else 'stage'}-{key}",
            "url": project.url_of(path), "date": None, "stakeholders": stakeholders, "stages": stages,
            "topics": [], "language": config.project.language, "summary": None,
            "pdf": {"url": pdf.url, "pages": pdf.pages, "bytes": pdf.bytes} if pdf else None,
        })
    return entries


def write_catalogue(project: Project, site_dir: Path, pdfs: dict[str, PdfInfo] | None = None) -> Path:
    """Write the catalogue into the built site."""
    path = site_dir / CATALOGUE_FILE
    path.write_text(json.dumps(build_catalogue(project, pdfs), ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path
