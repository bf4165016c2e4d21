"""The PDFs as an output: rendered (or taken from the cache) before the pages, which link them."""

from __future__ import annotations

from ..layout import PDF_FOLDER
from ..pdf import PdfReport, build_pdfs
from ..project import Project
from .base import Made, Output, OutputContext, register_output


@register_output
class Pdfs(Output):
    name = "pdf"
    stage = "files"
    writes = (f"{PDF_FOLDER}/",)

    def wanted(self, project: Project) -> bool:
        return project.config.pdf.enabled

    def run(self, context: OutputContext) -> Made:
        log = context.log

        def progress(done: int, total: int, path: str) -> None:
            log.info("PDF %d/%d %s", done, total, path, extra={"progress": (done, total, path)})
        report: PdfReport = build_pdfs(context.project, context.project.config.pdf.jobs, progress)
        for warning in report.warning_lines():
            log.warning(warning)
        log.info("PDFs: %d rendered, %d unchanged", len(report.rendered), report.reused)
        return Made(files={pdf.url: pdf.cache_path for pdf in report.pdfs.values()}, pages=dict(report.pdfs),
                    summary=report)
