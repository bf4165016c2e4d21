"""The repository of related projects: the projects of CORDIS's exports that the project's config
selects, kept in one data file that the build reads, so a build never needs the network.

The file is JSON, one project a line in the order of their ids, each with its keys sorted: the
same projects give the same bytes, and a newer export changes only the lines of what changed. An
import replaces the projects of the programmes its files cover and keeps the others, so FP7's and
Horizon 2020's exports can be imported one after the other into one file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import ProjectSelection
from .cordis import CordisProject

FORMAT = 1


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
    codes = [*project.topics, project.call]
    start = project.start or ""
    return ((not selection.programmes or project.programme in selection.programmes)
            and (not selection.codes or any(code.startswith(tuple(selection.codes)) for code in codes if code))
            and (not selection.start_from or (start and start >= selection.start_from))
            and (not selection.start_until or (start and start[:len(selection.start_until)] <= selection.start_until)))


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
    return f'{{"format":{FORMAT},"projects":[\n' + ",\n".join(lines) + "\n]}\n"


def read_repository(path: Path) -> dict[str, CordisProject]:
    """The projects of the data file; none when there is no file yet."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise RepositoryError(f"{path}: format {data.get('format')!r}, not {FORMAT}: import the export again")
        return {row["id"]: CordisProject.from_data(row) for row in data["projects"]}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RepositoryError(f"{path}: not a repository written by `disseminate import cordis` ({error})") from None


def write_repository(path: Path, projects: dict[str, CordisProject]) -> None:
    """Write the file whole or not at all: a stopped import leaves the previous one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(repository_text(projects))
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
