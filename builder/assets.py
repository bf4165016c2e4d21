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
import functools
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .convert import convert, site_markdown
from .discover import SourceFile, links_among
from .drawings import check_drawing
from .layout import MKDOCS_OUTPUTS
from .links import html_links, local_target
from .problems import Problem
from .read import Record

# The kinds of file the site publishes as they are: figures, documents, data, media, fonts. Any other
# kind (a web page, a script, an XML file with a stylesheet, a file with no suffix that a server sends
# without a type and a browser guesses is HTML) could run as a page of the site: only trusted folders
# may publish it. SVG drawings are read and checked first.
PUBLISHED_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".tif", ".tiff",
    ".pdf", ".txt", ".csv", ".tsv", ".json", ".geojson", ".bib", ".ris", ".ics", ".vtt", ".srt",
    ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".epub",
    ".zip", ".gz", ".tgz", ".7z", ".mp3", ".m4a", ".ogg", ".oga", ".wav", ".flac", ".mp4", ".webm", ".ogv",
    ".woff", ".woff2", ".ttf", ".otf",
})


@dataclass
class AssetSelection:
    """The files to publish, those held back with the item they belong to, and problems."""

    published: list[SourceFile] = field(default_factory=list)
    withheld: dict[str, str] = field(default_factory=dict)  # path -> what holds it back
    refused: set[str] = field(default_factory=set)  # used, but not publishable: its own problem says why
    problems: list[Problem] = field(default_factory=list)


def select_assets(files: list[SourceFile], published: list[Record], unpublished: dict[str, Record],
                  asset_folders: list[str], trusts_html: Callable[[str], bool],
                  markdown_extensions: list) -> AssetSelection:
    """Sort the non-page files; `unpublished` maps each held-back record's path to it."""
    selection = AssetSelection()
    used = _targets(published)
    selection.withheld = _withheld(files, unpublished, asset_folders, used, markdown_extensions)
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


def layout_conflicts(published: dict[str, str], generated: set[str], theme: set[str],
                     reserved: tuple[str, ...] = MKDOCS_OUTPUTS) -> list[Problem]:
    """Published files (site path -> source path) that would take the place of a theme file, of an
    output of the build (a stylesheet, a script, the search index), or of a folder the site needs
    (or need a folder where a file must be): refused, never silently overwritten."""
    # A page at a generated page's address is the collection's to report (a duplicate URL).
    taken = theme | {output for output in reserved if not output.endswith("/")}
    files = taken | generated | set(published)
    folders = {parent for path in files for parent in _parents(path)} | {output.rstrip("/") for output in reserved
                                                                          if output.endswith("/")}
    return [Problem(source, 1, "file", None, f"would be published as {site_path}, which belongs to the site itself "
                                             "(rename it or move it to another folder)")
            for site_path, source in sorted(published.items())
            if site_path in taken or site_path in folders or site_path.startswith(reserved)
            or any(parent in files for parent in _parents(site_path))]


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]


def theme_problems(theme: Path, root: Path, secret: set[tuple[int, int]]) -> list[Problem]:
    """The project's theme is read whole (Jinja follows its templates, WeasyPrint its print files):
    no link in it may lead anywhere, and no file in it may be another name of a file never published."""
    paths: list[Path] = []
    for current, folders, files in os.walk(theme):
        paths += [Path(current, name) for name in [*folders, *files]]
    problems = links_among(paths, root)
    problems += [Problem(path.relative_to(root).as_posix(), 1, "file", None, "is another name (a hard link) for a "
                         "file that is never published; put a copy of what the theme should show here")
                 for path in paths if not path.is_symlink() and _another_name_of(path, secret)]
    return problems


def installed_theme() -> Path | None:
    """The folder of Material's own templates and assets, without importing it."""
    spec = importlib.util.find_spec("material")
    return Path(spec.origin).parent / "templates" if spec and spec.origin else None


@functools.lru_cache(maxsize=None)  # asked for every page; the installed theme does not change
def material_language(language: str) -> str:
    """The language Material's own labels (search, table of contents) are shown in for a site
    language: the language itself when Material has its words, else English."""
    theme = installed_theme()
    return language if theme and (theme / "partials" / "languages" / f"{language}.html").is_file() else "en"


def theme_files(folders: list[str]) -> set[str]:
    """Site paths of every file the theme folders hold (the project's overrides and Material's own),
    hidden ones aside: what a published file must not replace, even where MkDocs would let it."""
    found = set()
    for folder in folders:
        for current, subfolders, files in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found.update(os.path.relpath(os.path.join(current, name), folder).replace(os.sep, "/") for name in files)
    return found


def _withheld(files: list[SourceFile], unpublished: dict[str, Record], asset_folders: list[str],
              used_by_published: set[str], markdown_extensions: list) -> dict[str, str]:
    """Files that belong to an unpublished item: in its folder, used by it, or another name (a hard
    link) of one of those or of its page. A file of an `assets` folder that a published page uses
    too is the project's to share (a logo)."""
    # A translation held back as a draft, of an item that is public, neither owns its original's
    # folder nor withholds what a published page uses too: its original publishes those already.
    drafted = {path for path, record in unpublished.items() if record.original and record.item.is_public}
    owners = {record.path.rsplit("/", 1)[0] + "/": _held_back_because(record)
              for record in unpublished.values() if _owns_its_folder(record.path) and record.path not in drafted}
    converter = site_markdown(markdown_extensions)
    used = {target: _held_back_because(record) for record in unpublished.values()
            for target in _targets([record]) | _rendered_targets(record, converter)
            if record.path not in drafted or target not in used_by_published}
    withheld = {}
    for file in files:
        reason = next((why for folder, why in owners.items() if file.path.startswith(folder)), None)
        shared = file.path in used_by_published and any(_inside(file.path, folder) for folder in asset_folders)
        if reason is None and not shared:
            reason = used.get(file.path)
        if reason:
            withheld[file.path] = reason
    secret = secret_inodes(files, withheld, unpublished)
    for file in files:
        if file.path not in withheld and _another_name_of(file, secret):
            withheld[file.path] = "another name (a hard link) for a file that is never published"
    return withheld


def secret_inodes(files: list[SourceFile], withheld: dict[str, str], unpublished: dict[str, Record]) -> set[tuple[int, int]]:
    """The (device, inode) of every file that is never published, pages included."""
    return _inodes([*(file.absolute for file in files if file.path in withheld),
                    *(record.source.absolute for record in unpublished.values())])


def _inodes(paths: list) -> set[tuple[int, int]]:
    found = set()
    for path in paths:
        with contextlib.suppress(OSError):
            status = os.stat(path)
            found.add((status.st_dev, status.st_ino))
    return found


def _another_name_of(file: SourceFile | Path, inodes: set[tuple[int, int]]) -> bool:
    """Whether `file` is a hard link to one of `inodes` (only files with several names can be)."""
    try:
        status = os.stat(file.absolute if isinstance(file, SourceFile) else file)
    except OSError:
        return False
    return status.st_nlink > 1 and (status.st_dev, status.st_ino) in inodes


def _active_problems(file: SourceFile, trusted: bool) -> list[Problem]:
    """Why a file the site would publish must not be: a browser might run it."""
    if trusted:
        return []
    suffix = PurePosixPath(file.path).suffix.lower()
    if suffix not in PUBLISHED_SUFFIXES:
        kind = f"'{suffix}' files" if suffix else "files without a suffix"
        return [Problem(file.path, 1, "file", None, f"{kind} are not published: a browser might run one as a page "
                                                    "of the site (the README lists the kinds that are; or list its "
                                                    "folder under trusted_html in mkdocs.yml)")]
    if suffix == ".svg":
        return [Problem(file.path, finding.line, "file", None, finding.message, warning=not finding.error)
                for finding in check_drawing(file.absolute.read_bytes())]
    return []


def _targets(records: list[Record]) -> set[str]:
    """Project paths that the bodies of `records` link to or show."""
    return {target for record in records for link in record.markup.links
            if (target := local_target(link, record.path))}


def _rendered_targets(record: Record, converter) -> set[str]:
    """Project paths a body links to or shows as the site's Markdown library reads it, which is not
    always as the checks' parser does (a reference defined right after a paragraph's last line)."""
    html = convert(converter, record.body, record.path, record.item.type_name)
    return {target for link in html_links(html) if (target := local_target(link, record.path))}


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
