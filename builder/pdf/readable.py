"""What a PDF may read: a type of its own, so that the fetcher (which imports WeasyPrint) and the
engine (which loads WeasyPrint only in the workers) share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Readable:
    """What a PDF may use: the `entries` of the theme (its print folder, the emblem) in each of its
    `layers` (the project's folder first, then the package's), and the published `files`."""

    layers: tuple[Path, ...]
    entries: tuple[str, ...]
    files: frozenset[Path]

    def locate(self, path: Path) -> Path:
        """A theme file asked for in the project's layer, from the first layer that has it: the print
        HTML names the project's theme folder, which holds only what the project overrides."""
        first = self.layers[0]
        if path.is_relative_to(first) and not path.exists():
            relative = path.relative_to(first)
            return next((layer / relative for layer in self.layers[1:] if (layer / relative).exists()), path)
        return path

    def allows(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(layer / entry) for layer in self.layers
                                         for entry in self.entries)
