"""Find the project's sources: Markdown pages and the files they use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .layout import source_roots


@dataclass(frozen=True)
class SourceFile:
    """A file under a source root, addressed by its path from the project root."""

    path: str
    absolute: Path

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


def discover_sources(root: Path) -> list[SourceFile]:
    """Every non-hidden file under the source roots, in a stable order."""
    found = []
    for top in source_roots():
        base = root / top
        if not base.is_dir():
            continue
        for absolute in sorted(base.rglob("*")):
            relative = absolute.relative_to(root)
            if absolute.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.append(SourceFile(relative.as_posix(), absolute))
    return found
