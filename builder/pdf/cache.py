"""PDFs cached by the hash of everything that shapes them, so an unchanged item is never re-rendered.

The cache is a FileStore: a cached PDF is used only if it is still the file that was stored, so a
truncated, garbled or swapped file is rendered again rather than published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..stored import FileStore

CACHE_FOLDER = ".cache/pdf"


@dataclass(frozen=True)
class CachedPdf:
    """A rendered PDF in the cache, with the facts the site shows about it."""

    path: Path
    pages: int
    bytes: int


class PdfCache:
    """`<key>.pdf` beside `<key>.json`, its size, SHA-256 and page count, in the project's cache folder."""

    def __init__(self, root: Path) -> None:
        self.store = FileStore(root / CACHE_FOLDER, ".pdf")
        self.folder = self.store.folder

    def get(self, key: str) -> CachedPdf | None:
        """The cached PDF for `key`, or None when there is none or it is not the file that was stored."""
        stored = self.store.get(key)
        try:
            return CachedPdf(stored.path, int(stored.facts["pages"]), stored.bytes) if stored else None
        except (KeyError, TypeError, ValueError):  # a record from before pages were kept, or a garbled one
            return None

    def put(self, key: str, data: bytes, pages: int) -> CachedPdf:
        stored = self.store.put(key, data, {"pages": pages})
        return CachedPdf(stored.path, pages, stored.bytes)
