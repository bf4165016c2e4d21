"""PDFs cached by the hash of everything that shapes them, so an unchanged item is never re-rendered."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

CACHE_FOLDER = ".cache/pdf"


@dataclass(frozen=True)
class CachedPdf:
    """A rendered PDF in the cache, with the facts the site shows about it."""

    path: Path
    pages: int
    bytes: int


class PdfCache:
    """`<key>.pdf` beside `<key>.json` ({pages, bytes}) in the project's cache folder."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> CachedPdf | None:
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        if not (pdf.is_file() and meta.is_file()):
            return None
        facts = json.loads(meta.read_text("utf-8"))
        return CachedPdf(pdf, facts["pages"], facts["bytes"])

    def put(self, key: str, data: bytes, pages: int) -> CachedPdf:
        """Store atomically: a reader never sees half a file."""
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        for target, content in ((pdf, data), (meta, json.dumps({"pages": pages, "bytes": len(data)}).encode())):
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(content)
            os.replace(partial, target)
        return CachedPdf(pdf, pages, len(data))
