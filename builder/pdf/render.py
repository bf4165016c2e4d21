"""The renderer: WeasyPrint turning prepared print documents into PDFs, in pool workers or inline."""

from __future__ import annotations

import gc
import logging
import multiprocessing.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint narrates every step at INFO; workers inherit this setting when the pool forks.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class PrintStyle:
    """The print stylesheet's text and address, applied by the engine rather than linked from the HTML,
    so that each process parses it once."""

    url: str
    text: str


@dataclass(frozen=True)
class PdfJob:
    """Everything a worker needs, picklable: the print HTML and where its files may come from."""

    source_path: str
    key: str
    html: str
    base_url: str
    allowed: tuple[Path, ...]
    style: PrintStyle


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


class PrintEngine:
    """WeasyPrint's state shared by the documents one process renders during one build.

    Loading the @font-face fonts and parsing the print stylesheet took about a seventh of every render
    when each document did it afresh. The font configuration copies the fonts into a temporary
    folder that WeasyPrint deletes when the configuration is collected: `close` makes that happen.
    """

    def __init__(self) -> None:
        # Imported here: a build whose PDFs are all cached never loads WeasyPrint at all.
        from weasyprint.text.fonts import FontConfiguration

        self._fonts: Any = FontConfiguration()
        self._sheets: dict[tuple[PrintStyle, tuple[Path, ...]], Any] = {}

    def render(self, job: PdfJob) -> Rendered:
        """Render one PDF; never raise, so one bad item cannot take the pool down."""
        import weasyprint

        from .fetcher import ProjectFetcher

        collector = _Collect()
        loggers = [logging.getLogger("weasyprint"), logging.getLogger("disseminate.pdf")]
        for logger in loggers:
            logger.addHandler(collector)
        try:
            fetcher = ProjectFetcher(*job.allowed)
            document = weasyprint.HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
                stylesheets=[self._stylesheet(job, fetcher)], font_config=self._fonts)
            data = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
            return Rendered(job.source_path, job.key, data, len(document.pages), None, tuple(collector.messages))
        except Exception as error:  # noqa: BLE001 - any failure of one document is reported, not raised
            return Rendered(job.source_path, job.key, None, 0, f"{type(error).__name__}: {error}",
                            tuple(collector.messages))
        finally:
            for logger in loggers:
                logger.removeHandler(collector)

    def close(self) -> None:
        """Drop the stylesheets and fonts, and with them WeasyPrint's temporary font folder."""
        self._sheets.clear()
        self._fonts = None
        gc.collect()

    def _stylesheet(self, job: PdfJob, fetcher: Any) -> Any:
        import weasyprint

        key = (job.style, job.allowed)
        if key not in self._sheets:
            self._sheets[key] = weasyprint.CSS(string=job.style.text, base_url=job.style.url,
                                               url_fetcher=fetcher, font_config=self._fonts)
        return self._sheets[key]


# A pool worker's engine, made by `start_worker` and closed when the worker process exits.
_worker_engine: PrintEngine | None = None


def start_worker() -> None:
    """Pool initializer: one engine per worker process, cleaned up on the worker's way out."""
    global _worker_engine
    _worker_engine = PrintEngine()
    # Pool workers end through multiprocessing's exit path, which runs these finalizers but no atexit.
    multiprocessing.util.Finalize(None, _worker_engine.close, exitpriority=10)


def render_in_worker(job: PdfJob) -> Rendered:
    assert _worker_engine is not None, "start_worker() runs first in every pool worker"
    return _worker_engine.render(job)
