"""The repository of related projects: the projects of CORDIS's exports that the project's config
selects, kept in one data file that the build reads, so a build never needs the network.

The file is JSON, one project a line in the order of their ids, each with its keys sorted and
each participation a list whose fields the first line names once: the same projects give the same
bytes, and a newer export changes only the lines of what changed. An
import replaces the projects of the programmes its files cover and keeps the others, so FP7's and
Horizon 2020's exports can be imported one after the other into one file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from .config import CivilSociety, ExplorerSettings, ProjectSelection
from .cordis import CordisProject, Participation
from .problems import Problem
from .publish import current_umask

_ID = re.compile(r"^\d{1,12}$")
FORMAT = 2  # 1 kept each participation as an object: ten times the keys
# The file's first line: its format, and the fields of a participation, each kept as a list.
HEADER = (f'{{"format":{FORMAT},"participation":{json.dumps(list(Participation._fields), separators=(",", ":"))},'
          '"projects":[\n')


@dataclass(frozen=True)
class Changes:
    """What an import did to the repository, by project id."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    total: int


class RepositoryError(Exception):
    """The data file is not one an import wrote: one line to show."""


def select(projects: dict[str, CordisProject], selection: ProjectSelection) -> dict[str, CordisProject]:
    """The projects the selection lets in: every criterion given met, or listed by id. No criterion
    and no id lets every project in; ids alone let those in only."""
    wanted = set(selection.ids)
    if not selection.criteria:
        return {key: project for key, project in projects.items() if not wanted or key in wanted}
    return {key: project for key, project in projects.items() if key in wanted or _meets(project, selection)}


def _meets(project: CordisProject, selection: ProjectSelection) -> bool:
    codes = [code for code in (*project.topics, project.call) if code]
    start = project.start or ""
    return ((not selection.programmes or project.programme in selection.programmes)
            and (not selection.codes or any(code_matches(code, pattern) for code in codes
                                            for pattern in selection.codes))
            and (not selection.start_from or (bool(start) and start >= selection.start_from))
            and (not selection.start_until or (bool(start) and start[:len(selection.start_until)] <= selection.start_until)))


def code_matches(code: str, pattern: str) -> bool:
    """A topic or call code against a pattern: its beginning (SEC-), or a pattern with * anywhere
    (HORIZON-CL3-*-DRS-*), as a non-programmer writes one."""
    return fnmatchcase(code, pattern) if "*" in pattern else code.startswith(pattern)


def areas_of(project: CordisProject, settings: ExplorerSettings, overrides: dict[str, list[str]],
             by_code: dict[str, set[str]] | None = None) -> tuple[str, ...]:
    """The thematic areas of a project: its override when it has one, else every area a rule gives
    its topic or call codes, in the order of the areas. `by_code` remembers each code's areas
    across projects: a programme has a few thousand codes for tens of thousands of projects."""
    if project.id in overrides:
        return tuple(overrides[project.id])
    known = {} if by_code is None else by_code
    matched: set[str] = set()
    for code in (*project.topics, project.call):
        if code and code not in known:
            known[code] = {rule.area for rule in settings.area_rules
                           if any(code_matches(code, pattern) for pattern in rule.codes)}
        matched |= known.get(code, set())
    return tuple(area for area in settings.areas if area in matched)


def is_civil_society(participation: Participation, rule: CivilSociety) -> bool:
    name = participation.name.casefold()
    return (participation.activity_type in rule.activity_types or participation.organisation in rule.ids
            or any(word.casefold() in name for word in rule.names))


def read_overrides(root: Path, settings: ExplorerSettings) -> tuple[dict[str, list[str]], list[Problem]]:
    """The file of per-project areas, {project id: [area, ...]}, and what is wrong in it."""
    if settings.area_overrides is None:
        return {}, []
    name = settings.area_overrides
    path = root / name
    if not path.is_file():
        return {}, [Problem(name, 1, "areas", None, "no such file (explorer.area_overrides in mkdocs.yml)")]
    text = path.read_text("utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        return {}, [Problem(name, line, "areas", None, f"not valid YAML: {getattr(error, 'problem', error)}")]
    if not isinstance(data, dict):
        return {}, [Problem(name, 1, "areas", None, "expected project ids, each with a list of areas")]
    overrides, problems = {}, []
    lines = _key_lines(text)
    for key, areas in data.items():
        line = lines.get(str(key), 1)
        listed = areas if isinstance(areas, list) else [areas]
        if not str(key).isdigit():
            problems.append(Problem(name, line, "areas", str(key), "is not a CORDIS project id (digits)"))
        elif unknown := [str(area) for area in listed if area not in settings.areas]:
            problems.append(Problem(name, line, "areas", str(key), f"'{unknown[0]}' is not an area (known: "
                                    f"{', '.join(settings.areas) or 'none'})"))
        else:
            overrides[str(key)] = list(dict.fromkeys(str(area) for area in listed))  # an area named twice counts once
    return overrides, problems


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a small YAML mapping."""
    node = yaml.compose(text)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def merged(old: dict[str, CordisProject], imported: dict[str, CordisProject],
           programmes: set[str]) -> tuple[dict[str, CordisProject], Changes]:
    """The repository after an import of `programmes`: their projects as `imported` has them, the
    other programmes' as they were."""
    new = {key: project for key, project in old.items() if project.programme not in programmes} | imported
    changes = Changes(added=sorted(new.keys() - old.keys(), key=int), removed=sorted(old.keys() - new.keys(), key=int),
                      changed=sorted((key for key in new.keys() & old.keys() if new[key] != old[key]), key=int),
                      total=len(new))
    return new, changes


def repository_text(projects: dict[str, CordisProject]) -> str:
    lines = [json.dumps(projects[key].to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
             for key in sorted(projects, key=int)]
    return HEADER + ",\n".join(lines) + "\n]}\n"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a programme's projects are made: they are
    hundreds of thousands of objects in no cycle, and the collector, woken every few hundred of
    them, would scan the growing heap again and again (two thirds of the time of reading 35,000
    projects: 2.8 s against 0.9 s)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_repository(path: Path) -> dict[str, CordisProject]:
    """The projects of the data file; none when there is no file yet."""
    return read_with_digests(path)[0]


def read_with_digests(path: Path) -> tuple[dict[str, CordisProject], dict[str, str]]:
    """The projects of the data file, and a digest of each: what a page made from it depends on."""
    if not path.is_file():
        return {}, {}
    try:
        rows, digests = _rows(path.read_text("utf-8"))
        if bad := next((row["id"] for row in rows if not (isinstance(row["id"], str) and _ID.match(row["id"]))), None):
            # An id becomes a file name in the site: only digits, as CORDIS writes them, ever reach it.
            raise RepositoryError(f"{path}: project id {bad!r} is not a CORDIS id (digits)")
        projects = {row["id"]: CordisProject.from_data(row) for row in rows}
        return projects, {row["id"]: digest for row, digest in zip(rows, digests, strict=True)}
    except RepositoryError as error:
        raise RepositoryError(f"{path}: {error}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RepositoryError(f"{path}: not a repository written by `disseminate import cordis` ({error})") from None


def _rows(text: str) -> tuple[list[dict], list[str]]:
    """The rows of the file, each with the digest of its line as the import wrote it; a file laid
    out otherwise is read whole, and its rows digested as they read."""
    lines = text.split("\n")
    if len(lines) >= 3 and lines[0] + "\n" == HEADER and lines[-2:] == ["]}", ""]:
        written = [line.removesuffix(",") for line in lines[1:-2]]
        return [json.loads(line) for line in written], [_digest(line) for line in written]
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("participation") != list(
            Participation._fields):
        found = data.get("format") if isinstance(data, dict) else None
        raise RepositoryError(f"format {found!r}, not {FORMAT}: import the export again")
    rows = data["projects"]
    return rows, [_digest(json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))) for row in rows]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def write_repository(path: Path, projects: dict[str, CordisProject]) -> None:
    """Write the file whole or not at all: a stopped import leaves the previous one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(repository_text(projects))
        os.chmod(scratch, 0o666 & ~current_umask())  # mkstemp's 0600 would keep it from the project's other users
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Entry:
    """A project as the explorer shows it: CORDIS's record, its areas, whether a civil society
    organisation takes part, and a digest of all three (a page made from it is made again only
    when that changes)."""

    project: CordisProject
    areas: tuple[str, ...]
    civil_society: bool
    digest: str = ""


@dataclass(frozen=True)
class Repository:
    """Every project of the data file, newest start first (then by id): the order every listing
    and index of the explorer shares."""

    entries: tuple[Entry, ...]
    settings: ExplorerSettings

    def __len__(self) -> int:
        return len(self.entries)


def load_repository(root: Path, settings: ExplorerSettings) -> tuple[Repository | None, list[Problem]]:
    """The repository of the data file (None when there is none), its areas and civil society
    organisations as the settings say."""
    path = root / settings.data
    if not path.is_file():
        return None, []
    try:
        with collector_paused():
            projects, digests = read_with_digests(path)
    except RepositoryError as error:
        return None, [Problem(settings.data, 1, "explorer", None, str(error).removeprefix(f"{path}: "))]
    overrides, problems = read_overrides(root, settings)
    entries = []
    by_code: dict[str, set[str]] = {}
    for key, project in projects.items():
        areas = areas_of(project, settings, overrides, by_code)
        civil = any(is_civil_society(participant, settings.civil_society) for participant in project.participants)
        entries.append(Entry(project, areas, civil, _digest(f"{digests[key]} {' '.join(areas)} {civil}")))
    entries.sort(key=lambda entry: (entry.project.start or "", int(entry.project.id)), reverse=True)
    return Repository(tuple(entries), settings), problems
