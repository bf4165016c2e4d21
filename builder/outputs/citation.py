"""Citation metadata in the head of every publication's page (deliverables, policy briefs, guides):
Highwire Press `citation_*` tags, which Google Scholar and reference managers read, and Dublin Core,
with the grant in the form OpenAIRE harvests (`info:eu-repo/grantAgreement/...`, from the programme
data). Each tag comes from a front matter field; a fact the item does not give is left out."""

from __future__ import annotations

from ..pdf import PdfReport
from ..project import Project
from ..read import Record
from .base import Made, Output, OutputContext, register_output

Tags = list[tuple[str, str]]  # (meta name, content), in order


@register_output
class Citation(Output):
    name = "citation"
    stage = "files"
    needs = ("pdf",)  # a publication's PDF is part of its citation

    def run(self, context: OutputContext) -> Made:
        project = context.project
        report: PdfReport | None = context.results.summary("pdf")
        pdfs = report.pdfs if report else {}
        pages = {record.path: citation_tags(project, record, pdfs.get(record.path))
                 for record in project.collection.published() if type(record.item).prints}
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
    if doi := getattr(item, "doi", None):
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
    tags.append(("DC.relation", config.grant_identifier))
    return tags
