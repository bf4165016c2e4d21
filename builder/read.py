"""Read one Markdown source strictly: bytes to text, front matter to a typed, validated item."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property

from pydantic import ValidationError

from .config import SiteConfig
from .discover import SourceFile
from .explain import explain_errors
from .fields import allowed_hint
from .frontmatter import LinedData, SourceText, split_source
from .layout import language_suffix
from .links import BodyMarkup, Link, first_heading, read_markup
from .problems import Problem
from .scratch import die_with_parent
from .types import CONTENT_TYPES, Item, ValidationContext, type_for_folder

MAX_NESTING = 40  # WeasyPrint overflows Python's stack on some 100 levels of nested lists
LARGE_FILE = 1_000_000  # bytes; a 20,000-row table is some 1.4 MB and prints 590 pages


@dataclass(frozen=True)
class Record:
    """A validated source: its item, body and where each front matter key stands."""

    source: SourceFile
    item: Item
    body: str
    body_line: int
    front_matter: LinedData
    original: str | None = None  # a translation's: the path of the page it translates

    @property
    def path(self) -> str:
        return self.source.path

    def line_of(self, *path: str | int) -> int:
        return self.front_matter.line_of(path)

    @cached_property
    def markup(self) -> BodyMarkup:
        """What the body links to and its raw HTML, read once for every check that needs it; files the
        front matter names (a video's) count as what the page shows."""
        found = read_markup(self.body, self.body_line)
        for name in self.item.file_fields:
            if value := getattr(self.item, name):
                found.links.append(Link(value, self.line_of(name), True, field=name))
        return found


@dataclass(frozen=True)
class TranslationText:
    """A translation as read, before it is joined to its original, whose fields it shares and is
    checked against (builder/translations.py)."""

    source: SourceFile
    original: str
    language: str
    text: SourceText

    @property
    def path(self) -> str:
        return self.source.path


Read = tuple[Record | TranslationText | None, list[Problem]]


def read_record(source: SourceFile, config: SiteConfig, data: bytes | None = None) -> Read:
    """Parse and validate one page (its `data`, when already read); return the record, or the
    problems that stop it. A translation is only parsed: it is validated with its original."""
    content_type = type_for_folder(source.path)
    kind = content_type.type_name
    data = source.absolute.read_bytes() if data is None else data
    text, problem = _decode(source, kind, data)
    if problem:
        return None, [problem]
    parts = split_source(text)
    if parts.absent and content_type.plain_page:
        parts = _titled_by_heading(parts)
    if parts.front_matter is None:
        return None, [Problem(source.path, line, kind, None, message) for line, message in parts.problems]
    # On a site in several languages a name such as `x.de.md` marks a translation, to be joined to
    # its original (which says whether its language is one of the site's); on a site in one it is a name.
    if len(config.site_languages) > 1 and (translation := language_suffix(source.path)):
        return TranslationText(source, *translation, parts), []
    front_matter = parts.front_matter
    explicit = front_matter.data.get("type")
    if explicit is not None:
        if not isinstance(explicit, str) or explicit not in CONTENT_TYPES:
            hint = allowed_hint(str(explicit), list(CONTENT_TYPES))
            return None, [Problem(source.path, front_matter.line_of(("type",)), kind, "type",
                                  f"'{explicit}' is not a content type ({hint})")]
        content_type, kind = CONTENT_TYPES[explicit], explicit
    try:
        item = content_type.model_validate(front_matter.data, context=ValidationContext(config))
    except ValidationError as error:
        return None, explain_errors(error, source.path, kind, front_matter, list(content_type.model_fields))
    record = Record(source, item, parts.body, parts.body_line, front_matter)
    return record, size_problems(record, len(data))


# Pages from which the reading is shared among the machine's cores: below, starting the workers
# costs more than it saves (they are forked, with everything imported, in some 20 ms each).
PARALLEL_FROM = 2_000
_CHUNK = 250  # pages a worker reads at a time: few round trips, and the last chunks still spread


def read_records(sources: list[SourceFile], config: SiteConfig, parallel_from: int = PARALLEL_FROM,
                 chunk: int = _CHUNK) -> list[Read]:
    """Every page read, in order: in worker processes, one a core, from `parallel_from` pages on
    (parsing front matter and scanning bodies for links is most of what `check` does), else here.
    The pages' links are read in the worker too, so that the records come back whole."""
    workers = min(len(os.sched_getaffinity(0)), -(-len(sources) // chunk))
    if len(sources) < parallel_from or workers < 2 or threading.active_count() > 1:
        return [read_record(source, config) for source in sources]  # (forking beside threads is unsafe)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        chunks = [sources[start:start + chunk] for start in range(0, len(sources), chunk)]
        return [read for done in pool.map(_read_chunk, chunks, itertools.repeat(config)) for read in done]


def _read_chunk(sources: list[SourceFile], config: SiteConfig) -> list[Read]:
    return [read_record(source, config) for source in sources]


class RecordCache:
    """Pages read before, for a process that reads the same project again and again (the preview):
    a page whose bytes are the ones read last time is not parsed again. The bytes are compared,
    not the file's times, which an edit within the clock's tick leaves alone. For one config only,
    since validation reads it."""

    def __init__(self) -> None:
        self._config: SiteConfig | None = None
        self._read: dict[str, tuple[bytes, Record | TranslationText | None, list[Problem]]] = {}
        self._joined: dict[str, tuple[TranslationText, Record, Record | None, list[Problem]]] = {}

    def read(self, source: SourceFile, config: SiteConfig) -> Read:
        if config != self._config:
            self._config, self._read, self._joined = config, {}, {}
        data = source.absolute.read_bytes()
        earlier = self._read.get(source.path)
        if earlier and earlier[0] == data:
            return earlier[1], list(earlier[2])
        record, problems = read_record(source, config, data)  # its links read too, and kept with it
        self._read[source.path] = (data, record, list(problems))
        return record, problems

    def joined(self, text: TranslationText, original: Record,
               join: Callable[[], tuple[Record | None, list[Problem]]]) -> tuple[Record | None, list[Problem]]:
        """A translation joined to its original (`join`), or the record joined last time from these
        very two: an edit of neither leaves the translation's record as it was."""
        earlier = self._joined.get(text.path)
        if earlier and earlier[0] is text and earlier[1] is original:
            return earlier[2], list(earlier[3])
        record, problems = join()
        self._joined[text.path] = (text, original, record, list(problems))
        return record, problems


def _titled_by_heading(parts: SourceText) -> SourceText:
    """A plain page without front matter, as MkDocs takes it: titled by its first `# Heading`, which
    leaves the body (the page template shows the title), its lines kept blank so that every other
    line keeps its number."""
    heading = first_heading(parts.body)
    if heading is None:
        return replace(parts, problems=[(1, "no title: start the page with a '# Heading' line, or with front "
                                            "matter ('---', 'title: ...', '---')")])
    title, start, end = heading
    lines = parts.body.split("\n")
    body = "\n".join([*lines[:start], *([""] * (end - start)), *lines[end:]])
    return SourceText(LinedData({"title": title}, {("title",): start + 1}, 1), body, 1)


def size_problems(record: Record, size: int) -> list[Problem]:
    """Bodies beyond what the site and the PDFs can take: nested too deep (an error), or very large."""
    kind, problems = record.item.type_name, []
    if record.markup.depth > MAX_NESTING:
        problems.append(Problem(record.path, record.body_line, kind, None,
                                f"the text nests {record.markup.depth} levels deep (lists in lists, quotes in "
                                f"quotes, HTML in HTML); at most {MAX_NESTING} can be shown and printed"))
    if size > LARGE_FILE:
        problems.append(Problem(record.path, 1, kind, None, f"is {size / 1_000_000:.1f} MB of text: its page and "
                                "its PDF will take long to make (split it into several documents?)", warning=True))
    return problems


def _decode(source: SourceFile, kind: str, data: bytes) -> tuple[str, Problem | None]:
    """UTF-8 text (a BOM is fine), or a problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return "", Problem(source.path, line, kind, None,
                           f"file is not UTF-8 text (byte 0x{data[error.start]:02x}; save it as UTF-8)")


_IDENTITY_LINE = re.compile(r"^(id|number):[ \t]*['\"]?([^'\"#\r\n]*?)['\"]?[ \t]*(?:#.*)?$", re.M)


def salvage_identity(source: SourceFile) -> dict[str, str]:
    """The `id` and `number` an unreadable page states, found line by line: other pages may refer
    to it by them, and should not be told it does not exist when only its own fields are wrong."""
    try:
        text = source.absolute.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return {}
    front = text.split("\n---", 1)[0]
    return {key: value for key, value in _IDENTITY_LINE.findall(front) if value}
