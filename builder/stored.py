"""Files kept between builds under a key (the hash of everything that shapes them), so that an
unchanged input is never made again: the PDFs, the share images.

A stored file is used only if it is still the file that was stored: its size and SHA-256 are
recorded beside it, with what its maker wants to remember of it, and checked on every use, so a
truncated, garbled or swapped file is made again rather than published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StoredFile:
    """A file in the store, and the facts recorded with it."""

    path: Path
    bytes: int
    facts: dict[str, Any]


class FileStore:
    """`<key><suffix>` beside `<key>.json` ({bytes, sha256, facts}) in one folder."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder = folder
        self.suffix = suffix
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> StoredFile | None:
        """The stored file for `key`, or None when there is none or it is not the file that was stored."""
        path, meta = self.folder / f"{key}{self.suffix}", self.folder / f"{key}.json"
        try:
            record = json.loads(meta.read_text("utf-8"))
            size, digest, facts = int(record["bytes"]), str(record["sha256"]), dict(record.get("facts") or {})
            data = path.read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            return None
        return StoredFile(path, size, facts)

    def put(self, key: str, data: bytes, facts: dict[str, Any]) -> StoredFile:
        """Store atomically, the file before its record: a reader never trusts half a file."""
        path, meta = self.folder / f"{key}{self.suffix}", self.folder / f"{key}.json"
        record = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "facts": facts}
        for target, content in ((path, data), (meta, json.dumps(record, sort_keys=True).encode())):
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
        return StoredFile(path, len(data), facts)
