"""Find the project's sources: Markdown pages and the files they use.

Nothing outside the project is ever read: a symbolic link that leads out of it is reported, never
followed, so a partner's `content/passwd -> /etc/passwd` cannot publish the machine's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .layout import source_roots
from .problems import Problem


@dataclass(frozen=True)
class SourceFile:
    """A file under a source root, addressed by its path from the project root."""

    path: str
    absolute: Path

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


def discover_sources(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every non-hidden file under the source roots in a stable order, and the links refused."""
    root = root.resolve()
    found: list[SourceFile] = []
    problems: list[Problem] = []
    for top in source_roots():
        base = root / top
        if base.is_symlink():
            problems += _link_problems(base, root, is_folder=True)
        elif base.is_dir():
            _walk(base, root, found, problems)
    return sorted(found, key=lambda source: source.path), problems


def _walk(base: Path, root: Path, found: list[SourceFile], problems: list[Problem]) -> None:
    for current, folders, files in os.walk(base):  # never descends into linked folders
        here = Path(current)
        for name in sorted(folders):
            if name.startswith(".") or (here / name).is_symlink():
                folders.remove(name)
                if not name.startswith("."):
                    problems += _link_problems(here / name, root, is_folder=True)
        for name in files:
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink() and (refused := _link_problems(path, root, is_folder=False)):
                problems += refused
            elif path.is_file():
                found.append(SourceFile(path.relative_to(root).as_posix(), path))


def _link_problems(link: Path, root: Path, is_folder: bool) -> list[Problem]:
    """Why a symbolic link is not followed: it leaves the project, or it names a folder."""
    relative = link.relative_to(root).as_posix()
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return [Problem(relative, 1, "file", None, "is a symbolic link that leads nowhere (a loop); remove it")]
    if not target.is_relative_to(root):
        return [Problem(relative, 1, "file", None, f"is a symbolic link to {os.readlink(link)}, outside the project; "
                                                    "it is not read (copy what it should hold into the project)")]
    if is_folder:
        return [Problem(relative, 1, "file", None, "is a symbolic link to a folder, which is not followed "
                                                    "(move or copy the folder here instead)", warning=True)]
    return []


def links_out_of(paths: list[Path], root: Path, installed: list[Path]) -> list[Problem]:
    """Problems for the project files among `paths` (theme files, say) that are symbolic links out of
    the project; files of `installed` packages (the Material theme) are the tool's own."""
    root = root.resolve()
    problems = []
    for path in paths:
        if path.is_relative_to(root) and path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root) and not any(target.is_relative_to(p) for p in installed):
                problems += _link_problems(path, root, is_folder=path.is_dir())
    return problems
