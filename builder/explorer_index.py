"""The explorer's index: the files its script reads to search, narrow, sort and download the
projects in the visitor's browser (builder/theme/assets/explorer.js).

One index of a programme's 35,000 projects would weigh megabytes, so it comes as small files that
a query fetches as it needs them: the first query of a visit reads tens of kilobytes, not the
whole (bench/README.md). Every project is a number, its place in the repository's order (newest
start first), written in base 64 with `width` characters (three for up to 262,144 projects).
The files, under projects/data/:

  index.json               what the script reads first: how many projects, the facets, the
                           stopwords, the sizes below
  facet-<key>.json         one facet: its values, how many projects have each, and the values of
                           each project; read once a visitor opens that facet or narrows by it
  words-<bucket>.json      the words of the acronyms, titles and objectives, each with the
                           projects whose text has it; a word is in the bucket its key hashes
                           to, its key being its first three letters (or more, see keys_of), so
                           that a search for "drone" or "drones" reads one bucket
  rows-<n>.json            the listing's lines of the 8 projects from project 8n
  csv-<n>.json, json-<n>.json
                           the rows of the 128 projects from project 128n as projects.csv and
                           projects.json write them, for a download of what a visitor selected
  order-contribution.json  the projects by EU contribution, largest first, those without it last

and, beside them, the whole downloads, projects/projects.csv and projects/projects.json.

Each file's name stays while its content changes; the home asks for index.json with the digest
of the repository in its address, and the script asks for every other file with the same, so a
browser never mixes two builds' files.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import csv_safe, explorer
from .cordis import LAYOUT
from .csv_safe import csv_records
from .explorer import (
    DOWNLOAD_COLUMNS,
    EXPLORER_URL,
    ORDERED_FACETS,
    Facet,
    Names,
    digest_of,
    download_rows,
    facet_specs,
)
from .repository import Entry, Repository

DATA_URL = f"{EXPLORER_URL}data/"
ROWS_PER_FILE = 8  # a page of results scattered over the repository reads a file per 8 projects at most
DOWNLOAD_ROWS_PER_FILE = 128
PREFIX = 3  # letters of a word that choose its bucket: a query word this long or longer matches by its start
BUCKET_CHARS = 16_000  # about what a bucket should weigh: fewer buckets, fewer files; more, smaller reads
LEAF_CHARS = 32_000  # the most the words of one key may weigh before the key is split
LONGEST_KEY = 12
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
STOPWORDS: frozenset[str] = frozenset(LAYOUT["search_stopwords"].split())
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a text as the index keeps them, and as the script reads a query: accents
    dropped, lower case, letters and digits only (explorer.js's `wordsOf` does the same)."""
    if not text.isascii():  # most of CORDIS's is: nothing to drop, and a tenth of the time
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if unicodedata.category(char) != "Mn")
    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def bucket_of(key: str, buckets: int) -> int:
    """The bucket of a key: FNV-1a of its UTF-8 (explorer.js's `bucketOf`)."""
    digest = 0x811C9DC5
    for byte in key.encode("utf-8"):
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return digest % buckets


def width_for(count: int) -> int:
    """The characters a project's number takes among `count` projects."""
    width = 1
    while len(ALPHABET) ** width < count:
        width += 1
    return width


def numbers(count: int, width: int) -> list[str]:
    """Every number below `count` written in `width` characters: written once, looked up often."""
    written = []
    for number in range(count):
        digits = []
        for _ in range(width):
            number, digit = divmod(number, len(ALPHABET))
            digits.append(ALPHABET[digit])
        written.append("".join(reversed(digits)))
    return written


def bitmap(projects: list[int], count: int) -> str:
    """A set of projects as one bit each, six to a character, after a "~" that says so: shorter
    than the list of their numbers for a word that more than one project in 6 × width has."""
    cells = [0] * -(-count // 6)
    for project in projects:
        cells[project // 6] |= 1 << (project % 6)
    return "~" + "".join(map(ALPHABET.__getitem__, cells))


def keys_of(stored: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The words under each key, and the keys split. A word's key is its first PREFIX letters
    (or the word, if shorter); a key whose words would weigh more than LEAF_CHARS is split into
    keys a letter longer (the words no longer than it stay under it), and so on: the acronyms of
    a programme generated as GEN1 to GEN35000, or the many words that start with "pro", do not
    make one bucket of hundreds of kilobytes. `split` gives each split key the letters its longer
    keys add, for the script to find a word's key and a prefix's keys."""
    groups: dict[str, list[str]] = {}
    for word in stored:
        groups.setdefault(word[:PREFIX], []).append(word)
    split: dict[str, str] = {}
    pending = list(groups)
    while pending:
        key = pending.pop()
        words = groups[key]
        if len(key) >= LONGEST_KEY or sum(len(word) + len(stored[word]) + 6 for word in words) <= LEAF_CHARS:
            continue
        longer: dict[str, list[str]] = {}
        for word in words:
            if len(word) > len(key):
                longer.setdefault(word[:len(key) + 1], []).append(word)
        if not longer:  # one word alone, as heavy as it is: nothing to split
            continue
        groups[key] = [word for word in words if len(word) == len(key)]
        groups.update(longer)
        pending.extend(longer)
        split[key] = "".join(sorted(child[-1] for child in longer))
    return {key: words for key, words in groups.items() if words}, dict(sorted(split.items()))


@dataclass(frozen=True)
class WordIndex:
    buckets: dict[int, dict[str, str]]  # bucket -> {word: its projects}
    split: dict[str, str]  # a split key -> the letters its longer keys add


class ExplorerIndex:
    """The files of one repository's index. Those that hold every project (the index, facets,
    words and order) are made again when any project changes; a file of rows, only when one of
    its own projects does."""

    def __init__(self, repository: Repository, names: Names, found: list[Facet]) -> None:
        self.repository = repository
        self.names = names
        self.facets = found
        self.count = len(repository)
        self.width = width_for(self.count)
        # What every file depends on besides the projects: the code that writes them (this module,
        # the explorer's facets and downloads, the safe CSV, CORDIS's layout with the stopwords),
        # the explorer's settings, the names and amounts it writes (and the catalogue they are
        # translated from), Babel's country names.
        code = [Path(module.__file__).read_text("utf-8") for module in (sys.modules[__name__], explorer, csv_safe)]
        self.salt = digest_of(*code, json.dumps(LAYOUT, sort_keys=True), repr(repository.settings),
                              repr(sorted(names.areas.items())), repr(sorted(names.programmes.items())),
                              names.euros(1234567.5), names.digest, version("babel"))
        self.version = digest_of(self.salt, *(entry.digest for entry in repository.entries))
        text = sum(len(entry.project.objective) + len(entry.project.title) for entry in repository.entries)
        # So many that a bucket weighs about BUCKET_CHARS, estimated from the length of the text
        # so that the files are known without reading every word (the words of the benchmark's
        # 35,000 objectives weigh 5.7 MB for their 24 MB): a power of two, which changes seldom.
        self.buckets = 1 << (max(1, text // 4 // BUCKET_CHARS) - 1).bit_length()
        self._numbers = functools.cache(lambda: numbers(self.count, self.width))
        self._words = functools.cache(self.word_index)  # read once, only when a file that holds them is made

    @property
    def address(self) -> str:
        """index.json's address, with the version that every other file is asked for with."""
        return f"{DATA_URL}index.json?v={self.version[:12]}"

    def files(self, cache: Path) -> Iterator[tuple[str, str, Callable[[], str]]]:
        """Every file: its path in the site, a digest of what it is made from, and how to make it.
        The whole downloads come last, joined from the files of 128 rows (those made in this build,
        the others read back from `cache`, where each is kept by its digest): a project changed
        makes one such file again, not every row."""
        entries = self.repository.entries
        whole = functools.partial(digest_of, self.version)
        yield f"{DATA_URL}index.json", whole("index"), self.index_text
        for facet in self.facets:
            yield f"{DATA_URL}facet-{facet.key}.json", whole("facet", facet.key), functools.partial(self.facet_text, facet)
        yield f"{DATA_URL}order-contribution.json", whole("order"), self.order_text
        for bucket in range(self.buckets):
            yield (f"{DATA_URL}words-{bucket}.json", whole("words", str(bucket)),
                   lambda bucket=bucket: _json(self._words().buckets.get(bucket, {})))
        for start in range(0, self.count, ROWS_PER_FILE):
            chunk = entries[start:start + ROWS_PER_FILE]
            yield (f"{DATA_URL}rows-{start // ROWS_PER_FILE}.json",
                   digest_of(self.salt, "rows", *(entry.digest for entry in chunk)),
                   lambda chunk=chunk: _json([self.row(entry) for entry in chunk]))
        made: dict[str, str] = {}
        parts: dict[str, list[str]] = {"csv": [], "json": []}  # each kind's files of rows, by digest
        for start in range(0, self.count, DOWNLOAD_ROWS_PER_FILE):
            chunk = entries[start:start + DOWNLOAD_ROWS_PER_FILE]
            number, digests = start // DOWNLOAD_ROWS_PER_FILE, [entry.digest for entry in chunk]
            rows = functools.cache(functools.partial(download_rows, chunk))
            for kind, make in (("csv", lambda rows=rows: csv_records(
                                    [[row[column] for column in DOWNLOAD_COLUMNS] for row in rows()])),
                               ("json", rows)):
                key = digest_of(self.salt, kind, *digests)
                parts[kind].append(key)
                yield f"{DATA_URL}{kind}-{number}.json", key, functools.partial(_kept, made, key, make)

        def text_of(key: str) -> str:
            return made[key] if key in made else (cache / f"{key}.json").read_text("utf-8")
        yield (f"{EXPLORER_URL}projects.csv", whole("csv"), lambda: "".join(
            f"{record}\r\n" for record in csv_records([DOWNLOAD_COLUMNS]) + [
                record for key in parts["csv"] for record in json.loads(text_of(key))]))
        # The files of rows are JSON arrays written alike: the whole is theirs joined, unparsed.
        yield (f"{EXPLORER_URL}projects.json", whole("json"),
               lambda: "[" + ",".join(text_of(key)[1:-1] for key in parts["json"]) + "]")

    def index_text(self) -> str:
        return _json({
            "count": self.count, "width": self.width, "alphabet": ALPHABET, "prefix": PREFIX,
            "buckets": self.buckets, "rowsPerFile": ROWS_PER_FILE, "downloadRowsPerFile": DOWNLOAD_ROWS_PER_FILE,
            "undated": sum(1 for entry in self.repository.entries if not entry.project.start),
            "pageSize": self.repository.settings.page_size, "columns": DOWNLOAD_COLUMNS,
            "stopwords": sorted(STOPWORDS), "split": self._words().split,
            "facets": [{"key": facet.key, "label": facet.label, "multiple": facet.multiple,
                        "byCount": facet.key not in ORDERED_FACETS} for facet in self.facets]})

    def facet_text(self, facet: Facet) -> str:
        """A facet's values, each with how many projects have it, and the values of each project,
        each by its place among them: one a project; or a run, the runs separated by dots; or, for
        a facet of at most six values that a project may have several of, one character a
        project whose bits are its values."""
        spec = next(spec for spec in facet_specs(self.names) if spec.key == facet.key)
        values = [[value.key, value.label, value.count] for value in facet.values]
        if facet.multiple and len(values) <= 6:
            bit = {value.key: 1 << place for place, value in enumerate(facet.values)}
            masks = (ALPHABET[functools.reduce(operator.or_, (bit[value] for value in spec.values_of(entry)), 0)]
                     for entry in self.repository.entries)
            return _json({"values": values, "mask": True, "projects": "".join(masks)})
        width = width_for(len(values))
        place = dict(zip((value.key for value in facet.values), numbers(len(values), width), strict=True))
        runs = ["".join(place[value] for value in spec.values_of(entry)) for entry in self.repository.entries]
        return _json({"values": values, "width": width, "projects": ".".join(runs) if facet.multiple else "".join(runs)})

    def order_text(self) -> str:
        """The projects by EU contribution, largest first, then those that give none."""
        entries = self.repository.entries
        amount = {index: entry.project.ec_contribution for index, entry in enumerate(entries)}
        order = sorted(range(self.count), key=lambda index: (amount[index] is None, -(amount[index] or 0), index))
        written = self._numbers()
        return _json({"projects": "".join(map(written.__getitem__, order))})

    def word_index(self) -> WordIndex:
        """Every word of the repository's texts with its projects, by bucket; and the keys split."""
        projects: dict[str, list[int]] = {}
        for index, entry in enumerate(self.repository.entries):
            project = entry.project
            for word in set(words_of(f"{project.acronym} {project.title} {project.objective}")):
                projects.setdefault(word, []).append(index)
        written = self._numbers()
        listed_at_most = -(-self.count // 6) // self.width  # past this many projects a bitmap is shorter
        stored = {word: bitmap(found, self.count) if len(found) > listed_at_most
                  else "".join(map(written.__getitem__, found)) for word, found in projects.items()}
        groups, split = keys_of(stored)
        buckets: dict[int, dict[str, str]] = {}
        for key, words in sorted(groups.items()):  # in an order of their own, never a set's: builds are identical
            bucket = buckets.setdefault(bucket_of(key, self.buckets), {})
            bucket.update((word, stored[word]) for word in sorted(words))
        return WordIndex(buckets, split)

    def row(self, entry: Entry) -> list[str]:
        """A project's line in the script's listing: its id, acronym, title and summary."""
        project = entry.project
        return [project.id, project.acronym, project.title, self.names.summary(project)]


def _kept(made: dict[str, str], key: str, make: Callable[[], Any]) -> str:
    """A file's text, kept by its digest for the files joined from it."""
    made[key] = _json(make())
    return made[key]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
