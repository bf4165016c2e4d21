"""`disseminate deposit`: each public publication without a DOI made ready for Zenodo (its metadata,
derived from the front matter, and its PDF) in `deposit/<name>/`; with a token, deposited as a
draft whose reserved DOI is written back into the item's front matter. `--archive` makes the
end-of-project record: the built site, PDFs included, as one reproducible zip with its metadata.

Nothing leaves the machine without a token. With one, depositions stay drafts for someone to review
on Zenodo unless `publish` is asked for: a published record cannot be deleted.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import BUILD_MARK, CONFIG_FILE, SiteConfig
from .fields import LICENCES
from .frontmatter import split_source, with_front_matter_line
from .pdf import build_pdfs
from .problems import ContentErrors, Problem
from .project import Project, load_project
from .publish import current_umask
from .read import Record
from .scratch import remove_tree
from .types import Deliverable, Publication
from .zenodo import PRODUCTION, SANDBOX, Deposition, DepositMetadata, Zenodo, ZenodoError

DEPOSIT_FOLDER = "deposit"  # beside the sources and the site, never inside either
ARCHIVE_FOLDER = "archive"
METADATA_FILE = "metadata.json"
RECORD_FILE = "deposition.json"  # what Zenodo answered: the draft's number, DOI and page
# Overrides the Zenodo server chosen by `deposit.sandbox`: for tests and for mirrors only.
URL_VARIABLE = "DISSEMINATE_ZENODO_URL"
LANGUAGES: dict[str, str] = yaml.safe_load((Path(__file__).parent / "data" / "languages.yml").read_text("utf-8"))
# Zenodo's publication type for each publishing type; any other publication is a report.
PUBLICATION_TYPES = {Deliverable.type_name: "deliverable"}
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # goes into a file name
_ARCHIVE_MODE = 0o644  # every file in the archive, whatever the site folder's modes are


@dataclass
class Outcome:
    """What a run did, line by line, and whether anything failed."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)


@dataclass(frozen=True)
class Prepared:
    """One deposition made ready: the item, its metadata, and the folder holding both and the file."""

    record: Record | None  # None for the archive
    metadata: DepositMetadata
    folder: Path
    file: Path

    @property
    def label(self) -> str:
        return self.record.path if self.record else self.file.name


def zenodo_address(config: SiteConfig, environ: Mapping[str, str]) -> str:
    """The server deposits go to: the sandbox unless `deposit.sandbox: false`, or the override."""
    return environ.get(URL_VARIABLE) or (SANDBOX if config.deposit.sandbox else PRODUCTION)


# -- Publications ------------------------------------------------------------------------------------

def deposit_publications(config_file: Path, paths: list[str], environ: Mapping[str, str], publish: bool = False,
                         jobs: int | None = None) -> Outcome:
    """Prepare (and, with a token, deposit) every public publication without a DOI, or those at
    `paths`; raise ContentErrors for content that cannot be deposited, before anything is written."""
    project = load_project(config_file)
    records = _chosen(project, paths)
    outcome = Outcome()
    if not records:
        outcome.lines.append("Nothing to deposit: every public publication has a DOI.")
        return outcome
    metadata = _metadata_of(project, records)
    report = build_pdfs(project, jobs=jobs, only={record.path for record in records})
    folder = _deposit_folder(project.root)
    prepared = []
    for record in records:
        pdf = report.pdfs[record.path]
        target = _replace_folder(folder / _folder_name(record), metadata[record.path], pdf.cache_path, pdf.file_name)
        prepared.append(Prepared(record, metadata[record.path], target, target / pdf.file_name))
        outcome.lines.append(f"{record.path}: prepared {_relative(target, project.root)}/")
    token = environ.get(project.config.deposit.token_variable, "").strip()
    if not token:
        outcome.lines.append(f"{len(prepared)} deposition{'s' if len(prepared) != 1 else ''} prepared in "
                             f"{DEPOSIT_FOLDER}/; nothing was sent (set {project.config.deposit.token_variable} to "
                             f"deposit them on {_host(zenodo_address(project.config, environ))}).")
        return outcome
    _send(prepared, Zenodo(zenodo_address(project.config, environ), token), publish, outcome)
    return outcome


def _chosen(project: Project, paths: list[str]) -> list[Record]:
    """The publications to deposit: public, not drafts, without a DOI; `paths` narrow them down."""
    candidates = [record for record in project.collection.published()
                  if isinstance(record.item, Publication) and record.item.is_public and not record.item.draft]
    if not paths:
        return [record for record in candidates if not record.item.doi]
    by_path = {record.path: record for record in candidates}
    chosen, problems = [], []
    for given in paths:
        path = _project_path(project.root, given)
        record = by_path.get(path or "")
        if record is None:
            problems.append(Problem(path or given, 1, "deposit", None, "is not a public publication (only public "
                                    "deliverables, policy briefs and guides that are not drafts are deposited)"))
        elif record.item.doi:
            problems.append(Problem(path, record.line_of("doi"), "deposit", "doi",
                                    f"has a DOI already ({record.item.doi}): it was deposited"))
        elif record not in chosen:
            chosen.append(record)
    if problems:
        raise ContentErrors(problems)
    return chosen


def _project_path(root: Path, given: str) -> str | None:
    """A path as given on the command line, from the current folder or else from the project's."""
    for path in (Path(given).absolute(), root / given):
        if path.is_file() and path.resolve().is_relative_to(root):
            return path.resolve().relative_to(root).as_posix()
    return None


def _metadata_of(project: Project, records: list[Record]) -> dict[str, DepositMetadata]:
    """Every record's metadata; ContentErrors naming each fact that is missing (never made up). A
    project without a licence is told so once, not once per publication."""
    found, problems, unlicensed = {}, [], []
    for record in records:
        try:
            found[record.path] = publication_metadata(project, record)
        except ContentErrors as errors:
            unlicensed += [problem.path for problem in errors.problems if problem.field == "licence"]
            problems += [problem for problem in errors.problems if problem.field != "licence"]
    if len(unlicensed) > 1:
        problems.append(Problem(CONFIG_FILE, 1, "config", "licence", f"{len(unlicensed)} publications to deposit "
                                f"name no licence ({', '.join(unlicensed[:3])}{', ...' if len(unlicensed) > 3 else ''})"
                                ", and the project has none: open access needs one (e.g. licence: CC-BY-4.0)"))
    elif unlicensed:
        problems.append(_unlicensed(project.record(unlicensed[0])))
    if problems:
        raise ContentErrors(problems)
    return found


def _unlicensed(record: Record) -> Problem:
    return Problem(record.path, record.line_of("licence"), record.item.type_name, "licence", "an open-access "
                   f"deposit needs a licence: give `licence:` here, or the project's in {CONFIG_FILE} (e.g. CC-BY-4.0)")


def publication_metadata(project: Project, record: Record) -> DepositMetadata:
    """A publication's deposition metadata, each value from its front matter or the project's facts."""
    item, config = record.item, project.config
    kind, problems = item.type_name, []
    if item.date is None:
        problems.append(Problem(record.path, record.line_of("date"), kind, "date", "a deposit needs the date it was "
                                "published: add `date: YYYY-MM-DD`"))
    licence = item.licence or config.licence
    if licence is None:
        problems.append(_unlicensed(record))
    if problems:
        raise ContentErrors(problems)
    url = project.absolute_url(project.url_of(record.path))
    related = [{"identifier": url, "relation": "isAlternateIdentifier"}] if url else []
    if item.open_access:
        related.append({"identifier": item.open_access, "relation": "isIdenticalTo"})
    described = f"{item.type_label} {item.identifier}" if item.identifier else item.type_label
    return DepositMetadata.model_validate({
        "upload_type": "publication",
        "publication_type": PUBLICATION_TYPES.get(kind, "report"),
        "publication_date": item.date,
        "title": item.title,
        "creators": [{"name": name} for name in item.authors] or [{"name": _consortium(config)}],
        "description": f"<p>{html.escape(item.summary)}</p>",
        "license": LICENCES[licence]["zenodo"],
        "notes": f"{described} of the {config.project.acronym} project. {config.funding_text.statement}",
        "version": getattr(item, "version", None),
        "language": _iso_639_3(item.language or config.project.language),
        "keywords": [config.topics[key].label for key in item.topics],
        "related_identifiers": related,
        **_shared_metadata(config),
    })


def _shared_metadata(config: SiteConfig) -> dict[str, Any]:
    """What every deposition of the project says alike: open access, its communities and its grant."""
    grant = f"{config.zenodo_funder}::{config.project.grant_agreement}"
    return {"access_right": "open", "prereserve_doi": True, "grants": [{"id": grant}],
            "communities": [{"identifier": community} for community in config.deposit.communities]}


def _consortium(config: SiteConfig) -> str:
    return f"{config.project.acronym} consortium"


def _iso_639_3(tag: str) -> str | None:
    return LANGUAGES.get(tag.split("-")[0].lower())


def _folder_name(record: Record) -> str:
    """`D1.1` for a deliverable; the type and its number or file name for other publications."""
    item = record.item
    if isinstance(item, Deliverable):
        return item.id
    stem = Path(record.path).stem if Path(record.path).stem != "index" else Path(record.path).parent.name
    return f"{item.type_name.replace('_', '-')}-{item.identifier or stem}"


# -- Folders ---------------------------------------------------------------------------------------

def _deposit_folder(root: Path) -> Path:
    """deposit/ in the project, made if need be; a link in its place is refused, never followed."""
    folder = root / DEPOSIT_FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ContentErrors([Problem(DEPOSIT_FOLDER, 1, "deposit", None, "is a link or a file; deposit writes into a "
                                     "folder of its own there (remove it)")])
    folder.mkdir(exist_ok=True)
    return folder


def _replace_folder(target: Path, metadata: DepositMetadata, file: Path, name: str) -> Path:
    """`target` holding exactly the metadata and a copy of `file`, put in place whole; an earlier
    preparation's folder (with a file of another name, say) is replaced."""
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _write_json(fresh / METADATA_FILE, metadata.as_json())
        shutil.copyfile(file, fresh / name)
        os.chmod(fresh, 0o777 & ~current_umask())
        if target.is_symlink() or target.exists():
            remove_tree(target)
        os.rename(fresh, target)
    except BaseException:
        remove_tree(fresh)
        raise
    return target


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _host(address: str) -> str:
    return address.split("://", 1)[-1].rstrip("/")


# -- Sending -----------------------------------------------------------------------------------------

def _send(prepared: list[Prepared], client: Zenodo, publish: bool, outcome: Outcome) -> None:
    """Deposit each prepared deposition in turn; stop at a failure every later one would share."""
    try:
        for number, deposition in enumerate(prepared):
            try:
                outcome.lines.append(_send_one(deposition, client, publish))
            except ZenodoError as error:
                outcome.failures.append(f"{deposition.label}: {error}")
                if error.final:
                    outcome.failures += [f"{later.label}: not sent (stopped after the error above)"
                                         for later in prepared[number + 1:]]
                    return
    finally:
        client.close()


def _send_one(prepared: Prepared, client: Zenodo, publish: bool) -> str:
    """Create the deposition, upload its file, publish if asked, then write its DOI back; one line."""
    deposition = client.create(prepared.metadata)
    _note(prepared.folder, deposition, client, published=False)  # whatever happens next, the draft exists
    try:
        client.upload(deposition, prepared.file, prepared.file.name)
        if publish:
            client.publish(deposition)
    except ZenodoError as error:
        raise ZenodoError(f"{error}; draft {deposition.id} ({deposition.html or client.host}) holds the reserved "
                          f"DOI {deposition.doi}: finish or delete it there", error.final) from None
    if publish:
        _note(prepared.folder, deposition, client, published=True)
    if prepared.record is not None:
        _write_doi(prepared.record, deposition)
    state = "published" if publish else f"reserved; draft {deposition.id} awaits review at " \
                                        f"{deposition.html or client.host}"
    return f"{prepared.label}: DOI {deposition.doi} {state}"


def _note(folder: Path, deposition: Deposition, client: Zenodo, published: bool) -> None:
    _write_json(folder / RECORD_FILE, {"id": deposition.id, "doi": deposition.doi, "html": deposition.html,
                                       "server": client.base_url, "published": published})


def _write_doi(record: Record, deposition: Deposition) -> None:
    """`doi: ...` added to the item's front matter, every other byte of the file as it was."""
    path = record.source.absolute
    if not re.fullmatch(r"10\.\d{4,9}/[A-Za-z0-9._/-]+", deposition.doi):  # written as it is: a plain YAML value
        why = "it is not a DOI as the field takes it"
    elif record.source.changed():
        why = "the file changed since it was read"
    else:
        updated = with_front_matter_line(path.read_bytes().decode("utf-8"), f"doi: {deposition.doi}")
        read_back = split_source(updated).front_matter if updated else None
        if read_back is not None and read_back.data == {**record.front_matter.data, "doi": deposition.doi}:
            _replace_file(path, updated.encode("utf-8"))
            return
        why = "its front matter could not take the line"
    raise ZenodoError(f"DOI {deposition.doi} reserved (draft {deposition.id}), but not written back: {why}; add "
                      f"`doi: {deposition.doi}` by hand")


def _replace_file(path: Path, data: bytes) -> None:
    """`path` holding `data`, in one step: a reader sees the old file or the new one, never half."""
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    fresh = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(fresh, path.stat().st_mode & 0o7777)
        os.replace(fresh, path)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise


# -- The archive -----------------------------------------------------------------------------------

def deposit_archive(config: SiteConfig, root: Path, site_dir: Path, environ: Mapping[str, str],
                    version: str | None = None, publish: bool = False) -> Outcome:
    """The built site as one zip with its metadata in deposit/archive/, deposited with a token."""
    catalogue = _built_catalogue(site_dir, _relative_or_name(site_dir, root))
    moment = catalogue.get("generated")
    day = dt.date.fromisoformat(moment[:10]) if isinstance(moment, str) else None
    problems = []
    if day is None:
        problems.append(Problem(_relative_or_name(site_dir, root), 1, "deposit", None, "the built site gives no "
                                "date (no published item is dated): date the items, then build again"))
    if config.licence is None:
        problems.append(Problem(CONFIG_FILE, 1, "config", "licence", "the archive needs the project's licence for "
                                "open access (e.g. licence: CC-BY-4.0)"))
    version = version or (day.isoformat() if day else None)
    if version is not None and not _VERSION.match(version):
        problems.append(Problem("--version", 1, "deposit", "version", f"'{version}' cannot name a file (use "
                                "letters, digits, '.', '-' and '_')"))
    if problems:
        raise ContentErrors(problems)
    acronym = re.sub(r"[^A-Za-z0-9-]+", "-", config.project.acronym)
    name = f"{acronym}-site-{version}"
    folder = _deposit_folder(root) / ARCHIVE_FOLDER
    if folder.is_symlink():
        raise ContentErrors([Problem(f"{DEPOSIT_FOLDER}/{ARCHIVE_FOLDER}", 1, "deposit", None, "is a link, which "
                                     "deposit never follows (remove it)")])
    folder.mkdir(exist_ok=True)
    metadata = archive_metadata(config, catalogue, day, version)
    archive = write_archive(site_dir, folder / f"{name}.zip", name, day)
    _write_json(folder / METADATA_FILE, metadata.as_json())
    outcome = Outcome([f"{_relative(archive, root)}: {archive.stat().st_size} bytes, with {METADATA_FILE}"])
    token = environ.get(config.deposit.token_variable, "").strip()
    if not token:
        outcome.lines.append(f"Nothing was sent (set {config.deposit.token_variable} to deposit it on "
                             f"{_host(zenodo_address(config, environ))}).")
        return outcome
    _send([Prepared(None, metadata, folder, archive)], Zenodo(zenodo_address(config, environ), token), publish,
          outcome)
    return outcome


def _relative_or_name(path: Path, root: Path) -> str:
    return _relative(path, root) if path.is_relative_to(root) else str(path)


def _built_catalogue(site_dir: Path, label: str) -> dict[str, Any]:
    """The build mark of a finished build, as proof the site is whole; ContentErrors without one."""
    mark = site_dir / BUILD_MARK
    try:
        catalogue = json.loads(mark.read_text("utf-8")) if mark.is_file() and not site_dir.is_symlink() else None
    except (OSError, ValueError):
        catalogue = None
    if not isinstance(catalogue, dict):
        raise ContentErrors([Problem(label, 1, "deposit", None, f"no built site here (no {BUILD_MARK}): run "
                                     "`disseminate build` first")])
    return catalogue


def archive_metadata(config: SiteConfig, catalogue: dict[str, Any], day: dt.date, version: str) -> DepositMetadata:
    """The archive's metadata. Its upload type is `other`: it holds the publications but is none of
    them (each is deposited as itself), and a second `publication` would count them twice where
    OpenAIRE and the Commission gather the project's results."""
    items = [entry for entry in catalogue.get("items", []) if isinstance(entry, dict)]
    printed = [entry for entry in items if entry.get("pdf")]
    listed = "".join(f"<li>{html.escape(str(entry.get('id') or entry.get('type', '')))}: "
                     f"{html.escape(str(entry.get('title', '')))}</li>" for entry in printed)
    project = config.project
    description = (f"<p>The website of the {html.escape(project.acronym)} project ({html.escape(project.title)}) as "
                   f"it stood on {day.isoformat()}: {len(items)} published items, with the PDFs of "
                   f"{len(printed)} publications, the catalogue of every item (catalogue.json), calendars, feeds "
                   "and its search index. Open index.html in the folder, or serve the folder with any web server "
                   "(e.g. python3 -m http.server) to browse it with its search.</p>"
                   + (f"<p>Publications:</p><ul>{listed}</ul>" if listed else ""))
    return DepositMetadata.model_validate({
        "upload_type": "other",
        "publication_date": day,
        "title": f"{project.title} ({project.acronym}): project website and publications, archived",
        "creators": [{"name": _consortium(config)}],
        "description": description,
        "license": LICENCES[config.licence]["zenodo"],
        "notes": config.funding_text.statement,
        "version": version,
        "language": _iso_639_3(project.language),
        "related_identifiers": [{"identifier": config.site_url, "relation": "isIdenticalTo"}] if config.site_url
        else [],
        **_shared_metadata(config),
    })


def write_archive(site_dir: Path, target: Path, top: str, day: dt.date) -> Path:
    """The site's files under `top/` in a zip that two runs on the same site make byte for byte the
    same: entries sorted, dated `day`, one file mode, no owner. Links and other non-files are left
    out (a build makes none)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # zip dates begin in 1980
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    fresh = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file, zipfile.ZipFile(file, "w") as archive:
            for path in _site_files(site_dir):
                entry = zipfile.ZipInfo(f"{top}/{path.relative_to(site_dir).as_posix()}", date_time=stamp)
                entry.compress_type, entry.create_system = zipfile.ZIP_DEFLATED, 3  # 3: Unix, for the mode
                entry.external_attr = (0o100000 | _ARCHIVE_MODE) << 16
                archive.writestr(entry, path.read_bytes(), compresslevel=9)
        os.chmod(fresh, 0o666 & ~current_umask())
        os.replace(fresh, target)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    return target


def _site_files(site_dir: Path) -> list[Path]:
    found = []
    for current, folders, files in os.walk(site_dir):
        folders[:] = [name for name in folders if not os.path.islink(os.path.join(current, name))]
        found += [Path(current, name) for name in files if Path(current, name).is_file()
                  and not Path(current, name).is_symlink()]
    return sorted(found, key=lambda path: path.relative_to(site_dir).as_posix())

