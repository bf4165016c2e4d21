"""What a PDF may read: a type of its own, so that the fetcher (which imports WeasyPrint) and the
engine (which loads WeasyPrint only in the workers) share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Readable:
    """What a PDF may use: everything under `folders` (templates, stylesheet, fonts), and `files`."""

    folders: tuple[Path, ...]
    files: frozenset[Path]

    def allows(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)
