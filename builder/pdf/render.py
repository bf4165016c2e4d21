"""The worker: one WeasyPrint render of a prepared print document. Runs in a pool process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint narrates every step at INFO; workers inherit this setting when the pool forks.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfJob:
    """Everything a worker needs, picklable: the print HTML and where its files may come from."""

    source_path: str
    key: str
    html: str
    base_url: str
    allowed: tuple[Path, ...]


@dataclass(frozen=True)
class Rendered:
    """A finished PDF, or the reason it failed, plus WeasyPrint's warnings."""

    source_path: str
    key: str
    data: bytes | None
    pages: int
    error: str | None
    warnings: tuple[str, ...]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_job(job: PdfJob) -> Rendered:
    """Render one PDF; never raise, so one bad item cannot take the pool down."""
    # Imported in the worker: a build whose PDFs are all cached never loads WeasyPrint at all.
    import weasyprint

    from .fetcher import ProjectFetcher

    collector = _Collect()
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("disseminate.pdf")]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        document = weasyprint.HTML(string=job.html, base_url=job.base_url,
                                   url_fetcher=ProjectFetcher(*job.allowed)).render()
        data = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
        return Rendered(job.source_path, job.key, data, len(document.pages), None, tuple(collector.messages))
    except Exception as error:  # noqa: BLE001 - any failure of one document is reported, not raised
        return Rendered(job.source_path, job.key, None, 0, f"{type(error).__name__}: {error}",
                        tuple(collector.messages))
    finally:
        for logger in loggers:
            logger.removeHandler(collector)
