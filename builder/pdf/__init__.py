"""Print PDFs for every publication, rendered by WeasyPrint from the item's own Markdown.

`build_pdfs(project)` is the stage; `PrintEngine` is what renders, in each worker process.
"""

from .stage import PDF_FOLDER, PdfInfo, PdfReport, build_pdfs, plan_documents

__all__ = ["PDF_FOLDER", "PdfInfo", "PdfReport", "build_pdfs", "plan_documents"]
