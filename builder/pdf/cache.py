"""PDFs cached by the hash of everything that shapes them, so an unchanged item is never re-rendered.

A cached PDF is used only if it is still the file that was stored: its size and SHA-256 are recorded
beside it and checked on every use, so a truncated, garbled or swapped file is rendered again rather
than published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
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
    """`<key>.pdf` beside `<key>.json` ({pages, bytes, sha256}) in the project's cache folder."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> CachedPdf | None:
        """The cached PDF for `key`, or None when there is none or it is not the file that was stored."""
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            facts = json.loads(meta.read_text("utf-8"))
            pages, size, digest = int(facts["pages"]), int(facts["bytes"]), str(facts["sha256"])
            data = pdf.read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            return None
        return CachedPdf(pdf, pages, size)

    def put(self, key: str, data: bytes, pages: int) -> CachedPdf:
        """Store atomically, the PDF before its facts: a reader never trusts half a file."""
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        facts = {"pages": pages, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for target, content in ((pdf, data), (meta, json.dumps(facts).encode())):
            # A name of its own for each writer: a preview and a build may store the same key at once.
            descriptor, partial = tempfile.mkstemp(dir=self.folder, prefix=f".{target.name}.", suffix=".part")
            try:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(content)
                os.replace(partial, target)
            except BaseException:  # a full disk, an interrupt: leave no half file behind
                with contextlib.suppress(OSError):
                    os.unlink(partial)
                raise
        return CachedPdf(pdf, pages, len(data))
