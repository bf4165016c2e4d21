"""The stamp of the last build that published the site: what it was built from, and what the site
and the caches looked like once it was published. A build from the same inputs into the same
untouched site has nothing to do, and says so instead of doing it all again (a site of a thousand
items takes ten seconds to make the same files).

The inputs are every file of the project folder (but its hidden folders and the site itself),
Disseminate's own files, the versions of everything installed beside it, the options of the
command, the environment variables the settings name, and the day; and the stamp is good only until
the first event the site lists as upcoming ends. A file counts by its size and its times (a rewrite
changes them, a read does not), so no file is read to make the stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import distributions
from pathlib import Path

STAMP = "last-build.json"  # in the project's cache folder
_NEVER_INPUTS = {"__pycache__", "node_modules"}
PACKAGE = Path(__file__).resolve().parent
# The names a YAML `!ENV` tag reads: `!ENV NAME` or `!ENV [NAME, OTHER, default]`.
_ENV_NAMES = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)")


@dataclass(frozen=True)
class BuildStamp:
    """What a build is made from, and where its stamp is kept."""

    inputs: str  # a digest
    site_dir: Path
    cache_dir: Path

    @classmethod
    def of(cls, root: Path, config_file: Path, site_dir: Path, cache_dir: Path, options: Iterable[str],
           elsewhere: Iterable[Path] = ()) -> BuildStamp:
        """The stamp of a build of `root` by `config_file`; `elsewhere` are files or folders the
        build reads that may lie outside the project or in a hidden folder (a theme folder given
        by its full path, the related projects' data file)."""
        chain = _config_chain(config_file)
        digest = hashlib.blake2b(digest_size=20)
        for part in (*_files_of(root, skipped={site_dir.resolve(), cache_dir.resolve(), PACKAGE}), *_files_of(PACKAGE),
                     *(line for path in (*chain, *elsewhere) for line in _facts_of(path)),
                     *_installed(), *options, *_environment(chain), _day(), sys.version):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return cls(digest.hexdigest(), site_dir, cache_dir)

    def unchanged(self) -> list[str] | None:
        """The warnings of the last build when it was made from these inputs and neither the site
        nor the caches changed since; None when the site is to be built."""
        try:
            recorded = json.loads((self.cache_dir / STAMP).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(recorded, dict) or recorded.get("inputs") != self.inputs or not self.site_dir.is_dir():
            return None
        if recorded.get("site") != self._listing(self.site_dir) or recorded.get("cache") != self._listing(self.cache_dir):
            return None
        if not _still_before(recorded.get("until")):  # an event the site lists as upcoming has ended since
            return None
        warnings = recorded.get("warnings")
        return [str(line) for line in warnings] if isinstance(warnings, list) else None

    def record(self, warnings: list[str], until: dt.datetime | None = None) -> None:
        """Keep the stamp of the build just published, good `until` a moment when the site would
        change by itself (an upcoming event ends); a stamp that cannot be written only costs the
        next build its time."""
        stamp = self.cache_dir / STAMP
        try:
            stamp.unlink(missing_ok=True)  # not counted in the cache's own listing below
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"inputs": self.inputs, "site": self._listing(self.site_dir),
                               "cache": self._listing(self.cache_dir), "warnings": warnings,
                               "until": until.isoformat() if until else None})
            scratch = stamp.with_name(f".{STAMP}.{os.getpid()}")
            scratch.write_text(text, "utf-8")
            os.replace(scratch, stamp)
        except OSError:
            return

    def _listing(self, folder: Path) -> str:
        digest = hashlib.blake2b(digest_size=20)
        for part in _files_of(folder, skipped=set(), leave_out={STAMP}):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return digest.hexdigest()


def _files_of(folder: Path, skipped: set[Path] = frozenset(), leave_out: set[str] = frozenset()) -> Iterator[str]:
    """Every file under `folder` as its path, size and times, in a fixed order; hidden files and
    folders, Python's byte code, a Python environment or npm's packages kept in the project, and
    the `skipped` folders left out."""
    if not folder.is_dir():
        return
    for current, folders, files in os.walk(folder):
        here = Path(current)
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in _NEVER_INPUTS
                            and not (here / name / "pyvenv.cfg").is_file()  # a Python environment: its versions count
                            and (here / name).resolve() not in skipped)
        for name in sorted(files):
            if name in leave_out or name.startswith("."):  # hidden: a scratch file, the project's .gitignore
                continue
            try:
                facts = (here / name).stat()  # a link's target: what the build reads
            except OSError:
                continue
            yield f"{(here / name).relative_to(folder).as_posix()} {facts.st_size} {facts.st_mtime_ns} {facts.st_ctime_ns}"


def _still_before(until: object) -> bool:
    """Whether now is before the moment a stamp is good until (none: always); a value that is no
    moment (the stamp is a file anyone may have edited) is no promise."""
    if until is None:
        return True
    try:
        return dt.datetime.now(dt.timezone.utc) < dt.datetime.fromisoformat(str(until))
    except (ValueError, TypeError):
        return False


def _facts_of(path: Path) -> Iterator[str]:
    """A file's size and times, or every file of a folder's, under its full name."""
    if path.is_dir():
        yield from (f"{path.resolve()}/{line}" for line in _files_of(path))
        return
    try:
        facts = path.stat()
    except OSError:
        yield f"{path} absent"
        return
    yield f"{path.resolve()} {facts.st_size} {facts.st_mtime_ns} {facts.st_ctime_ns}"


def _config_chain(config_file: Path) -> list[Path]:
    """The config file and those it inherits from (MkDocs' INHERIT), each relative to the last."""
    chain, current = [], config_file
    while current not in chain and len(chain) < 20:
        chain.append(current)
        try:
            found = re.search(r"^INHERIT:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(#.*)?$", current.read_text("utf-8"), re.MULTILINE)
        except OSError:
            break
        if not found:
            break
        current = (current.parent / found.group(1)).resolve()
    return chain


def _installed() -> Iterator[str]:
    """Every distribution installed beside Disseminate, with its version: MkDocs, Material, Pagefind
    and WeasyPrint shape the site, and an upgrade of any of them is a reason to build again."""
    yield from sorted(f"{dist.metadata['Name']} {dist.version}" for dist in distributions())


def _environment(chain: list[Path]) -> Iterator[str]:
    """The environment variables the settings read with `!ENV`, and SOURCE_DATE_EPOCH."""
    names: set[str] = set()
    for path in chain:
        try:
            text = path.read_text("utf-8")
        except OSError:
            continue
        names |= {name.strip() for found in _ENV_NAMES.findall(text) for name in found.split(",")}
    for name in sorted(names | {"SOURCE_DATE_EPOCH"}):
        yield f"{name}={os.environ.get(name)}"


def _day() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()
