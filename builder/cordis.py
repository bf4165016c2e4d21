"""CORDIS's open-data exports of EU research projects, read strictly: projects and the
organisations taking part in them, from the CSV or JSON files of the FP7, H2020 and Horizon Europe
bulk downloads (an archive, a folder holding its files, or the files themselves).

Columns are found by name (`data/cordis.yml` lists them, with the sources of the layout), every
value is read as text and checked, and each bad row is a problem naming its file, line and field,
all in one run. A project row split by a stray ";" in its objective (a known fault of the
exports) is mended when the columns after it then read right, and said so in a warning.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .problems import Problem

LAYOUT = yaml.safe_load((Path(__file__).parent / "data" / "cordis.yml").read_text("utf-8"))
PROGRAMMES: dict[str, str] = LAYOUT["programmes"]
_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_MONEY = re.compile(r"^-?\d+([.,]\d+)?$")
# A programme's export holds tens of thousands of projects of a kilobyte or two each (the benchmark's
# 35,000 make a 32 MB project.csv and a 56 MB organization.csv): a member that unpacks beyond this is
# no export, and is not read.
MEMBER_LIMIT = 2 * 1024 ** 3
csv.field_size_limit(16 * 1024 * 1024)  # an objective is long; a field of 16 MB is not a project's


class Participation(NamedTuple):
    """An organisation's place in a project (a named tuple: a programme has hundreds of thousands,
    made three times faster than frozen dataclasses)."""

    organisation: str  # CORDIS's organisationID
    name: str
    short_name: str
    country: str  # as CORDIS writes it: EL for Greece, UK for the United Kingdom
    city: str
    role: str
    activity_type: str
    ec_contribution: float | None
    sme: bool | None
    order: int


@dataclass(frozen=True)
class CordisProject:
    id: str
    acronym: str
    title: str
    objective: str
    status: str
    programme: str  # the key of programmes.yml: FP7, H2020, HE
    topics: tuple[str, ...]
    call: str
    funding_scheme: str
    legal_basis: str
    start: str | None  # YYYY-MM-DD; YYYY-MM in a record written from a source that gives months only
    end: str | None
    total_cost: float | None
    ec_contribution: float | None
    doi: str | None
    participants: tuple[Participation, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """As the data file keeps it: each participation a list in the order of Participation's
        fields (named once, in the file's `participation` header, not on each of its rows)."""
        return {**{name: getattr(self, name) for name in self.__dataclass_fields__},
                "topics": list(self.topics), "participants": [list(p) for p in self.participants]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CordisProject:
        participants = tuple(map(Participation._make, data.get("participants", [])))
        return cls(**{**data, "topics": tuple(data["topics"]), "participants": participants})


@dataclass
class Export:
    """What a set of export files holds: the projects by id, and what was wrong with them."""

    projects: dict[str, CordisProject] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files read, as named in the problems


@dataclass(frozen=True)
class _Source:
    name: str  # as problems name it: the file, or archive:member
    kind: str  # project or organization
    text: str


def read_exports(paths: list[Path]) -> Export:
    """Every project of the exports at `paths`, with its participants."""
    export = Export()
    sources = [source for path in paths for source in _sources(path, export)]
    organisations: list[tuple[str, int, dict[str, str]]] = []
    for source in sorted(sources, key=lambda source: source.kind != "project"):
        export.files.append(source.name)
        for line, row in _rows(source, export.problems):
            if source.kind == "project":
                project = _project(source.name, line, row, export.problems)
                if project is not None and project.id in export.projects:
                    export.problems.append(Problem(source.name, line, "project", "id",
                                                   f"'{project.id}' is listed twice"))
                elif project is not None:
                    export.projects[project.id] = project
            else:
                organisations.append((source.name, line, row))
    if not any(source.kind == "project" for source in sources):
        export.problems.append(Problem(str(paths[0]) if paths else "-", 1, "import", None,
                                       "no project.csv or project.json among the files given"))
    _attach(export, organisations)
    return export


def _sources(path: Path, export: Export) -> Iterator[_Source]:
    """The project and organisation files in an archive, a folder, or a file itself."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if _kind(child.name):
                yield _Source(str(child), _kind(child.name), _text(child.read_bytes()))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda info: info.filename):
                if not _kind(info.filename):
                    continue
                if info.file_size > MEMBER_LIMIT:  # read no further than that: the archive says its size
                    export.problems.append(Problem(f"{path}:{info.filename}", 1, "import", None,
                                                   f"{info.file_size:,} bytes unpacked, more than any CORDIS "
                                                   f"export's {MEMBER_LIMIT:,}: not read"))
                    continue
                yield _Source(f"{path}:{info.filename}", _kind(info.filename), _text(archive.read(info)))
    elif path.is_file() and _kind(path.name):
        yield _Source(str(path), _kind(path.name), _text(path.read_bytes()))
    else:
        what = "no such file" if not path.exists() else "not a CORDIS export (project or organization, .csv or " \
                                                        ".json, or an archive of them)"
        export.problems.append(Problem(str(path), 1, "import", None, what))


def _kind(name: str) -> str:
    stem, _, suffix = name.rsplit("/", 1)[-1].lower().partition(".")
    return stem if stem in ("project", "organization") and suffix in ("csv", "json") else ""


def _text(data: bytes) -> str:
    # Some releases hold bytes that are not UTF-8; they are shown as U+FFFD, never guessed at.
    return data.decode("utf-8-sig", errors="replace")


def _rows(source: _Source, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row by column name), every value as text; a file without a column the import
    needs gives one problem and no rows."""
    rows = _json_rows(source, problems) if source.name.lower().endswith(".json") else _csv_rows(source, problems)
    spec = LAYOUT["files"][source.kind]
    first = next(rows, None)
    if first is None:
        return
    if missing := [column for column in spec["required"] if column not in first[1]]:
        line = first[0] if source.name.lower().endswith(".json") else 1  # a CSV names its columns on line 1
        problems.append(Problem(source.name, line, source.kind, None,
                                f"no column {', '.join(repr(c) for c in missing)}: not a CORDIS {source.kind} export"))
        return
    yield first
    yield from rows


def _csv_rows(source: _Source, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(source.text, newline=""), delimiter=";", quotechar='"')
    header: list[str] | None = None
    line = 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                header = values
                continue
            if not any(values):
                continue
            row = _fitted(header, values, source, start, problems)
            if row is not None:
                yield start, row
    except csv.Error as error:
        problems.append(Problem(source.name, line, source.kind, None, f"not readable as CSV: {error}"))


def _fitted(header: list[str], values: list[str], source: _Source, line: int,
            problems: list[Problem]) -> dict[str, str] | None:
    """A row by column name; one with more fields than the header is mended when the surplus sits
    in its objective, as a stray ";" puts it there, and the columns after it then read right."""
    surplus = len(values) - len(header)
    if surplus and "objective" in header and surplus > 0:
        at = header.index("objective")
        mended = [*values[:at], ";".join(values[at:at + surplus + 1]), *values[at + surplus + 1:]]
        row = dict(zip(header, mended, strict=True))
        if _tail_reads_right(row):
            problems.append(Problem(source.name, line, source.kind, "objective", f"held {surplus} unquoted ';': "
                                    "read as part of the objective", warning=True))
            return row
    if surplus:
        problems.append(Problem(source.name, line, source.kind, None,
                                f"has {len(values)} fields where the header names {len(header)}"))
        return None
    return dict(zip(header, values, strict=True))


def _tail_reads_right(row: dict[str, str]) -> bool:
    """Whether the columns that follow an objective hold what they should."""
    updated = row.get("contentUpdateDate", "")
    return (not updated or re.match(r"^\d{4}-\d{2}-\d{2}", updated) is not None) and \
        (not row.get("rcn") or row["rcn"].isdigit())


def _json_rows(source: _Source, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """The objects of a JSON array, each with the line it starts on, every value as text."""
    decoder = json.JSONDecoder()
    text = source.text
    position = _skip_space(text, 0)
    if text[position:position + 1] != "[":
        problems.append(Problem(source.name, 1, source.kind, None, "not a JSON array of rows"))
        return
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "]":
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            problems.append(Problem(source.name, error.lineno, source.kind, None, f"not valid JSON: {error.msg}"))
            return
        if isinstance(value, dict):
            yield line, {str(key): _as_text(item) for key, item in value.items()}
        else:
            problems.append(Problem(source.name, line, source.kind, None, "a row that is not an object"))
        position = _skip_space(text, position)
        if text[position:position + 1] == ",":
            position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


class _Row:
    """One row's values, checked one field at a time; each fault becomes a problem of its line."""

    def __init__(self, name: str, line: int, kind: str, row: dict[str, str], problems: list[Problem]) -> None:
        self.name, self.line, self.kind, self.row, self.problems = name, line, kind, row, problems
        self.ok = True

    def fault(self, column: str, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(self.name, self.line, self.kind, column, message, warning=warning))
        self.ok = self.ok and warning

    def text(self, column: str, required: bool = False) -> str:
        value = " ".join(self.row.get(column, "").split()) if column != "objective" else \
            self.row.get(column, "").strip()
        if required and not value:
            self.fault(column, "is empty")
        return value

    def identifier(self, column: str) -> str:
        value = self.text(column)
        if not value.isdigit():
            self.fault(column, f"'{value}' is not a CORDIS id (digits)" if value else "is empty")
        return value

    def day(self, column: str) -> str | None:
        value = self.text(column)
        if value and not _DAY.match(value):
            self.fault(column, f"'{value}' is not a date written YYYY-MM-DD")
        return value or None

    def money(self, column: str) -> float | None:
        value = self.text(column)
        if not value:
            return None
        if not _MONEY.match(value):
            self.fault(column, f"'{value}' is not an amount in euros")
            return None
        return float(value.replace(",", "."))

    def choice(self, column: str, known: list[str]) -> str:
        value = self.text(column)
        if value not in known:
            self.fault(column, f"'{value}' is not one the layout knows ({', '.join(known)})", warning=True)
        return value


def _project(name: str, line: int, data: dict[str, str], problems: list[Problem]) -> CordisProject | None:
    row = _Row(name, line, "project", data, problems)
    written = row.text("frameworkProgramme", required=True)
    if written and written not in PROGRAMMES:
        row.fault("frameworkProgramme", f"'{written}' is not a programme the import knows ({', '.join(PROGRAMMES)})")
    start, end = row.day("startDate"), row.day("endDate")
    if start and end and end < start and row.ok:
        row.fault("endDate", f"{end} is before the start, {start}")
    topics = tuple(topic for topic in re.split(r"[;,]", row.text("topics")) if topic.strip())
    project = CordisProject(
        id=row.identifier("id"), acronym=row.text("acronym", required=True), title=row.text("title", required=True),
        objective=row.text("objective"), status=row.choice("status", LAYOUT["statuses"]),
        programme=PROGRAMMES.get(written, ""), topics=tuple(topic.strip() for topic in topics),
        call=row.text("masterCall"), funding_scheme=row.text("fundingScheme"), legal_basis=row.text("legalBasis"),
        start=start, end=end, total_cost=row.money("totalCost"), ec_contribution=row.money("ecMaxContribution"),
        doi=row.text("grantDoi") or None)
    return project if row.ok else None


def _attach(export: Export, organisations: list[tuple[str, int, dict[str, str]]]) -> None:
    """Each organisation row to its project, in CORDIS's order; a row of a project the exports do
    not hold is left out (an organisation file may cover more projects than a project file)."""
    by_project: dict[str, list[Participation]] = {}
    for name, line, data in organisations:
        row = _Row(name, line, "organization", data, export.problems)
        project = row.identifier("projectID")
        order = row.text("order")
        participation = Participation(
            organisation=row.identifier("organisationID"), name=row.text("name", required=True),
            short_name=row.text("shortName"), country=_country(row.text("country")), city=row.text("city"),
            role=row.choice("role", LAYOUT["roles"]), activity_type=_activity(row),
            ec_contribution=row.money("ecContribution") if row.text("ecContribution") else row.money("netEcContribution"),
            sme={"true": True, "false": False}.get(row.text("SME").lower()),
            order=int(order) if order.isdigit() else 0)
        if row.ok and project in export.projects:
            by_project.setdefault(project, []).append(participation)
    for project_id, participants in by_project.items():
        ordered = tuple(sorted(participants, key=lambda p: (p.order or 1_000_000, p.organisation)))
        export.projects[project_id] = replace(export.projects[project_id], participants=ordered)


def _country(value: str) -> str:
    # A few rows give one code twice ("ES;ES"); the first is the organisation's.
    return value.split(";")[0].strip().upper()


def _activity(row: _Row) -> str:
    value = row.text("activityType")
    if value and value not in LAYOUT["activity_types"]:
        row.fault("activityType", f"'{value}' is not one the layout knows ({', '.join(LAYOUT['activity_types'])})",
                  warning=True)
    return value
