"""Citation metadata on every publication's page (deliverables, policy briefs, guides): in the head,
Highwire Press `citation_*` tags, which Google Scholar and reference managers read, and Dublin Core,
with the grant in the form OpenAIRE harvests (`info:eu-repo/grantAgreement/...`, from the programme
data); in the page, schema.org `Report` JSON-LD with its funding (the grant, its funder and the
funder's identifiers). Each value comes from a front matter field or the programme data; a fact the
item does not give is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..fields import LICENCES
from ..pdf import PdfReport
from ..project import Project
from ..read import Record
from ..templating import json_for_script
from .base import Made, Output, OutputContext, register_output

Tags = list[tuple[str, str]]  # (meta name, content), in order


@dataclass(frozen=True)
class CitationMeta:
    """A publication page's metadata: head tags and its schema.org description."""

    tags: Tags
    json_ld: str


@register_output
class Citation(Output):
    name = "citation"
    stage = "files"
    needs = ("pdf",)  # a publication's PDF is part of its citation

    def run(self, context: OutputContext) -> Made:
        project = context.project
        report: PdfReport | None = context.results.summary("pdf")
        pdfs = report.pdfs if report else {}
        pages = {record.path: CitationMeta(citation_tags(project, record, pdfs.get(record.path)),
                                           publication_json_ld(project, record, pdfs.get(record.path)))
                 for record in project.collection.every_published_page() if type(record.item).prints}
        return Made(pages=pages, summary=len(pages))


def citation_tags(project: Project, record: Record, pdf=None) -> Tags:
    item = record.item
    config = project.config
    publisher = f"{config.project.acronym} consortium"
    language = item.language or config.project.language
    tags: Tags = [("citation_title", item.title)]
    tags += [("citation_author", author) for author in item.authors]
    if item.sort_date:
        tags.append(("citation_publication_date", item.sort_date.strftime("%Y/%m/%d")))
    tags += [("citation_language", language), ("citation_publisher", publisher)]
    if item.identifier:
        tags += [("citation_technical_report_number", item.identifier),
                 ("citation_technical_report_institution", publisher)]
    # A translation is not what its original's DOI names: it says the original's only in its JSON-LD.
    if (doi := getattr(item, "doi", None)) and not record.original:
        tags.append(("citation_doi", doi))
    if pdf and (address := project.absolute_url(pdf.url)):  # Scholar wants the PDF's full address
        tags.append(("citation_pdf_url", address))
    tags.append(("DC.title", item.title))
    tags += [("DC.creator", author) for author in item.authors]
    if item.sort_date:
        tags.append(("DC.date", item.sort_date.isoformat()))
    tags += [("DC.language", language), ("DC.publisher", publisher), ("DC.type", "Text")]
    if doi:
        tags.append(("DC.identifier", f"https://doi.org/{doi}"))
    if licence := item.licence or config.licence:
        tags.append(("DC.rights", LICENCES[licence]["url"]))
    tags.append(("DC.relation", config.grant_identifier))
    return tags


def _original_work(project: Project, original: Record) -> dict[str, Any]:
    """The work a translation translates, as schema.org names it: its title, language, page, DOI."""
    item = original.item
    work: dict[str, Any] = {"@type": "Report", "name": item.title,
                            "inLanguage": item.language or project.config.default_language}
    if page := project.absolute_url(project.url_of(original.path)):
        work["url"] = page
    if item.doi:
        work["sameAs"] = f"https://doi.org/{item.doi}"
    return work


def publication_json_ld(project: Project, record: Record, pdf=None) -> str:
    """schema.org `Report` for the page, as a JSON text safe inside a <script> element."""
    item = record.item
    config = project.config
    consortium = {"@type": "Organization", "name": f"{config.project.acronym} consortium"}
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Report", "name": item.title,
                            "headline": item.title, "description": item.summary,
                            "inLanguage": item.language or config.project.language, "publisher": consortium,
                            "author": [{"@type": "Person", "name": author} for author in item.authors] or [consortium],
                            "isAccessibleForFree": True, "funding": _grant(project)}
    if item.identifier:
        data["reportNumber"] = item.identifier
    if item.sort_date:
        data["datePublished"] = item.sort_date.isoformat()
    if page := project.absolute_url(project.url_of(record.path)):
        data["url"] = page
    if record.original:
        data["translationOfWork"] = _original_work(project, project.record(record.original))
        if item.translator:
            data["translator"] = {"@type": "Person", "name": item.translator}
    elif item.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": item.doi}
        data["sameAs"] = f"https://doi.org/{item.doi}"
    if licence := item.licence or config.licence:
        data["license"] = LICENCES[licence]["url"]
    if pdf and (address := project.absolute_url(pdf.url)):
        data["encoding"] = {"@type": "MediaObject", "contentUrl": address, "encodingFormat": "application/pdf"}
    return json_for_script(data)


def _grant(project: Project) -> dict[str, Any]:
    """The grant as schema.org `Grant`, with the funder's Crossref Funder ID and ROR id."""
    config = project.config
    funder = config.funder
    grant: dict[str, Any] = {
        "@type": "MonetaryGrant", "identifier": config.project.grant_agreement,
        "name": f"{config.project.acronym}: {config.project.title}",
        "url": config.funding_reference["awardNumber"]["awardURI"],
        "funder": {"@type": "FundingAgency", "name": funder["name"],
                   "identifier": f"https://doi.org/{funder['crossref_funder_id']}",
                   "sameAs": f"https://ror.org/{funder['ror']}"}}
    if doi := config.project_doi:
        grant["sameAs"] = f"https://doi.org/{doi}"
    return grant

