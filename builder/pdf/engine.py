"""The print engine: WeasyPrint turning prepared print documents into PDFs (in the workers of pool.py)."""

from __future__ import annotations

import gc
import logging
import shutil
from dataclasses import dataclass
from typing import Any

from .readable import Readable

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint narrates every step at INFO, and so does fontTools when it subsets fonts in place of a
# missing HarfBuzz: notes that would interleave with the build's own lines. Their warnings still
# count; workers inherit these settings when the pool forks.
for _chatty in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_chatty).setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfJob:
    """Everything a worker needs, picklable: the print HTML and where its files may come from."""

    source_path: str
    key: str
    html: str
    base_url: str


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
    """WeasyPrint's font configuration, shared by the documents one process renders in one build.

    Each new configuration loads the print stylesheet's @font-face fonts afresh, a noticeable part of
    every render (measured in bench/README.md). WeasyPrint copies those fonts into a temporary folder that it deletes
    only when the configuration is collected; `close` makes sure it goes.
    """

    def __init__(self, readable: Readable) -> None:
        # Imported here: a build whose PDFs are all cached never loads WeasyPrint at all.
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import ProjectFetcher

        self._fonts: Any = FontConfiguration()
        self._fetcher = ProjectFetcher(readable)

    def render(self, job: PdfJob) -> Rendered:
        """Render one PDF; never raise, so one bad item cannot take the pool down."""
        import weasyprint

        if self._fonts is None:
            raise RuntimeError("this PrintEngine is closed")
        collector = _Collect()
        loggers = [logging.getLogger("weasyprint"), logging.getLogger("disseminate.pdf")]
        for logger in loggers:
            # Collected here and logged once by the build, not also by whatever handler this process has.
            logger.addHandler(collector)
            logger.propagate = False
        try:
            document = weasyprint.HTML(string=job.html, base_url=job.base_url,
                                       url_fetcher=self._fetcher).render(font_config=self._fonts)
            data = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
            return Rendered(job.source_path, job.key, data, len(document.pages), None, tuple(collector.messages))
        except Exception as error:  # noqa: BLE001 - any failure of one document is reported, not raised
            return Rendered(job.source_path, job.key, None, 0, f"{type(error).__name__}: {error}",
                            tuple(collector.messages))
        finally:
            for logger in loggers:
                logger.removeHandler(collector)
                logger.propagate = True

    def close(self) -> None:
        """Drop the font configuration and delete its temporary folder."""
        # WeasyPrint deletes the folder when the configuration is collected; should anything still
        # hold the configuration, the folder is removed here all the same.
        folder = getattr(self._fonts, "_folder", None)
        self._fonts = None
        gc.collect()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
