"""Which files beside the pages reach the site.

A file is published when a published page uses it (links to it, shows it), or when it lies in a
folder that config names under `assets`. Nothing else reaches the site, whatever folder it is in:
not the files of a confidential deliverable or of a draft (those in its folder, and those it uses),
even if a public page links to them or a hard link gives them another name; nor a partner's stray
working file, which `check` points out. Files that a browser would run (web pages, scripts, SVG
drawings with scripts or remote parts) are refused outside trusted folders, and no published file
may take the place of one of the theme's or of the build's own outputs.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .discover import SourceFile
from .links import local_target
from .markup import check_svg
from .problems import Problem
from .read import Record

# Opened on the site, these would run as the site's own pages, without its Content-Security-Policy.
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt")


@dataclass
class AssetSelection:
    """The files to publish, those held back with the item they belong to, and problems."""

    published: list[SourceFile] = field(default_factory=list)
    withheld: dict[str, str] = field(default_factory=dict)  # path -> what holds it back
    refused: set[str] = field(default_factory=set)  # used, but not publishable: its own problem says why
    problems: list[Problem] = field(default_factory=list)


def select_assets(files: list[SourceFile], published: list[Record], unpublished: dict[str, Record],
                  asset_folders: list[str], trusts_html: Callable[[str], bool]) -> AssetSelection:
    """Sort the non-page files; `unpublished` maps each held-back record's path to it."""
    selection = AssetSelection()
    selection.withheld = _withheld(files, unpublished, asset_folders)
    used = _targets(published)
    mentioned = used | _targets(list(unpublished.values()))
    for file in files:
        if file.path in selection.withheld:
            continue
        if file.path in used or any(_inside(file.path, folder) for folder in asset_folders):
            if refused := _active_problems(file, trusts_html(file.path)):
                selection.refused.add(file.path)
                selection.problems += refused
            else:
                selection.published.append(file)
        elif file.path not in mentioned:
            selection.problems.append(Problem(file.path, 1, "file", None, "no page uses it, so it is not published "
                                              "(link it from a page, or list its folder under assets in mkdocs.yml)",
                                              warning=True))
    return selection


def clashes(published: dict[str, str], taken: set[str], reserved: tuple[str, ...]) -> list[Problem]:
    """Published files (site path -> source path) that would replace a theme file or an output of
    the build (a stylesheet, a script, the search index): refused, not silently overwritten."""
    return [Problem(source, 1, "file", None, f"would be published as {site_path}, which belongs to the site itself "
                                             "(rename it or move it to another folder)")
            for site_path, source in sorted(published.items())
            if site_path in taken or site_path.startswith(reserved)]


def theme_files(folders: list[str]) -> set[str]:
    """Site paths of every file the theme folders hold (the project's overrides and Material's own),
    hidden ones aside: what a published file must not replace, even where MkDocs would let it."""
    found = set()
    for folder in folders:
        for current, subfolders, files in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found.update(os.path.relpath(os.path.join(current, name), folder).replace(os.sep, "/") for name in files)
    return found


def _withheld(files: list[SourceFile], unpublished: dict[str, Record], asset_folders: list[str]) -> dict[str, str]:
    """Files that belong to an unpublished item: in its folder, used by it, or another name (a hard
    link) of one of those or of its page."""
    owners = {record.path.rsplit("/", 1)[0] + "/": _held_back_because(record)
              for record in unpublished.values() if _owns_its_folder(record.path)}
    used = {target: _held_back_because(record) for record in unpublished.values() for target in _targets([record])}
    withheld = {}
    for file in files:
        reason = next((why for folder, why in owners.items() if file.path.startswith(folder)), None)
        if reason is None and not any(_inside(file.path, folder) for folder in asset_folders):
            reason = used.get(file.path)
        if reason:
            withheld[file.path] = reason
    secret = _inodes([*(file.absolute for file in files if file.path in withheld),
                      *(record.source.absolute for record in unpublished.values())])
    for file in files:
        if file.path not in withheld and _another_name_of(file, secret):
            withheld[file.path] = "another name (a hard link) for a file that is never published"
    return withheld


def _inodes(paths: list) -> set[tuple[int, int]]:
    found = set()
    for path in paths:
        with contextlib.suppress(OSError):
            status = os.stat(path)
            found.add((status.st_dev, status.st_ino))
    return found


def _another_name_of(file: SourceFile, inodes: set[tuple[int, int]]) -> bool:
    """Whether `file` is a hard link to one of `inodes` (only files with several names can be)."""
    try:
        status = os.stat(file.absolute)
    except OSError:
        return False
    return status.st_nlink > 1 and (status.st_dev, status.st_ino) in inodes


def _active_problems(file: SourceFile, trusted: bool) -> list[Problem]:
    """Why a file the site would publish must not be: a browser would run it."""
    if trusted:
        return []
    if file.path.lower().endswith(ACTIVE_SUFFIXES):
        return [Problem(file.path, 1, "file", None, "is a web page or a script, which would run on the site without "
                                                    "its protections (write pages in Markdown; or list its folder "
                                                    "under trusted_html in mkdocs.yml)")]
    if file.path.lower().endswith(".svg"):
        text = file.absolute.read_bytes().decode("utf-8", "replace")
        return [Problem(file.path, finding.line, "file", None, finding.message, warning=not finding.error)
                for finding in check_svg(text)]
    return []


def _targets(records: list[Record]) -> set[str]:
    """Project paths that the bodies of `records` link to or show."""
    return {target for record in records for link in record.markup.links
            if (target := local_target(link, record.path))}


def _owns_its_folder(path: str) -> bool:
    """Whether a page is the page of its folder (`deliverables/d1-3/index.md`), below a source root."""
    folder, _, name = path.rpartition("/")
    return name in ("index.md", "README.md") and "/" in folder


def _held_back_because(record: Record) -> str:
    label = record.item.type_label.lower()
    return f"a file of a {label} that is not public" if not record.item.is_public else f"a file of a draft {label}"


def _inside(path: str, folder: str) -> bool:
    folder = folder.strip("/")
    return path == folder or path.startswith(folder + "/")
