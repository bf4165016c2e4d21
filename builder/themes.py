"""The theme in layers: the project's own folder (MkDocs' `theme.custom_dir`) first, then
Disseminate's, shipped in the package; each file is taken from the first layer that has it, for
the web and for print alike. Material's theme lies under both, for the web.

A project overrides only what it changes, file by file: `print/print.css` to restyle its PDFs,
`disseminate/item.html` to change an item page, `assets/eu-emblem.svg`... A project without a theme
folder of its own builds with the package's alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_THEME = Path(__file__).resolve().parent / "theme"
DEFAULT_FOLDER = "theme"  # where a project's own theme would be, when mkdocs.yml names none
PRINT_SUBFOLDER = "print"  # templates, stylesheet and fonts of the PDFs: WeasyPrint's, never published
WEB_OVERRIDES = "disseminate"  # the project's versions of the generator's own templates
EMBLEM = "assets/eu-emblem.svg"
PRINT_ENTRIES = (PRINT_SUBFOLDER, EMBLEM)  # what the PDFs read of the theme


@dataclass(frozen=True)
class ThemeLayers:
    """The project's theme folder (which need not exist), then the package's."""

    project: Path
    package: Path = PACKAGE_THEME

    @property
    def layers(self) -> tuple[Path, ...]:
        return (self.project, self.package)

    def files(self, entry: str) -> dict[str, Path]:
        """Every file under an entry (a folder, or one file), by its path in the theme, as the layers
        resolve it."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):  # the project's last: its files win
            base = layer / entry
            paths = [base] if base.is_file() else sorted(path for path in base.rglob("*") if path.is_file())
            found.update({path.relative_to(layer).as_posix(): path for path in paths})
        return dict(sorted(found.items()))


def theme_layers(root: Path, theme_dir: str | None) -> ThemeLayers:
    """A project's layers: its `theme.custom_dir` (relative to the project, or absolute), else theme/."""
    return ThemeLayers((root / (theme_dir or DEFAULT_FOLDER)).resolve())
