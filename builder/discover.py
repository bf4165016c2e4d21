"""Find the project's sources: Markdown pages and the files they use.

Only plain files are read. A symbolic link is never followed, wherever it leads: out of the project
it would publish the machine's files (`content/passwd -> /etc/passwd`), inside it a confidential
deliverable's figure under an innocent name. File names must also make web addresses: no colons,
question marks, hashes, backslashes or control characters, and valid UTF-8.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .layout import source_roots
from .problems import Problem

# What a web address cannot carry as part of a path, or would read as something else (`javascript:x`).
_UNUSABLE_IN_NAMES = re.compile(r"[:?#\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SourceFile:
    """A file under a source root, addressed by its path from the project root, with what identified
    it when it was found (device, inode, size, modification time)."""

    path: str
    absolute: Path
    stamp: tuple[int, ...] = ()

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")

    def changed(self) -> bool:
        """Whether the file is no longer the one that was found and checked (replaced, edited, a link)."""
        return _stamp(self.absolute) != self.stamp


def _stamp(path: Path) -> tuple[int, ...]:
    try:
        status = os.lstat(path)
    except OSError:
        return ()
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, stat.S_IFMT(status.st_mode))


def discover_sources(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every non-hidden file under the source roots in a stable order, and the files refused."""
    root = root.resolve()
    found: list[SourceFile] = []
    problems: list[Problem] = []
    for top in source_roots():
        base = root / top
        if base.is_symlink():
            problems.append(_link_problem(base, root))
        elif base.is_dir():
            _walk(base, root, found, problems)
    return sorted(found, key=lambda source: source.path), problems


def _walk(base: Path, root: Path, found: list[SourceFile], problems: list[Problem]) -> None:
    for current, folders, files in os.walk(base):  # os.walk never descends into linked folders
        here = Path(current)
        for name in sorted(folders):
            if name.startswith(".") or (here / name).is_symlink() or _name_problem(here / name, root):
                folders.remove(name)
                if not name.startswith("."):
                    problems.append(_name_problem(here / name, root) or _link_problem(here / name, root))
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                continue
            if refused := _name_problem(path, root) or (_link_problem(path, root) if path.is_symlink() else None):
                problems.append(refused)
            elif path.is_file():
                found.append(SourceFile(path.relative_to(root).as_posix(), path, _stamp(path)))


def _name_problem(path: Path, root: Path) -> Problem | None:
    """Why a file name cannot be published as part of a web address, if it cannot."""
    relative = path.relative_to(root).as_posix()
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        shown = relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return Problem(shown, 1, "file", None, "its name is not valid UTF-8 (rename it)")
    if found := _UNUSABLE_IN_NAMES.search(path.name):
        return Problem(relative, 1, "file", None, f"its name contains {found.group()!r}, which a web address "
                                                  "cannot carry (rename it with letters, digits, '-' and '_')")
    return None


def _link_problem(link: Path, root: Path) -> Problem:
    """Why a symbolic link is not followed."""
    relative = link.relative_to(root).as_posix()
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    try:
        where = "inside" if link.resolve().is_relative_to(root.resolve()) else "outside"
    except (OSError, RuntimeError):  # a loop of links leads nowhere
        where = "inside"
    return Problem(relative, 1, "file", None, f"is a symbolic link to {target}, {where} the project; links are not "
                                              "followed (put the file itself here)")


def links_among(paths: list[Path], root: Path) -> list[Problem]:
    """Problems for the project files among `paths` (the theme's, say) reached through a symbolic link;
    files outside the project (the installed Material theme) are the tool's own."""
    base = Path(os.path.abspath(root))
    problems = []
    for path in paths:
        try:
            relative = Path(os.path.abspath(path)).relative_to(base)
        except ValueError:
            continue
        current = base
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                problems.append(_link_problem(current, base))
                break
    return list(dict.fromkeys(problems))
