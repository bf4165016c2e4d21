"""Read one Markdown source strictly: bytes to text, front matter to a typed, validated item."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from .config import SiteConfig
from .discover import SourceFile
from .explain import explain_errors
from .frontmatter import LinedData, split_source
from .problems import Problem
from .types import CONTENT_TYPES, Item, ValidationContext, type_for_folder
from .types.fields import allowed_hint


@dataclass(frozen=True)
class Record:
    """A validated source: its item, body and where each front matter key stands."""

    source: SourceFile
    item: Item
    body: str
    body_line: int
    front_matter: LinedData

    @property
    def path(self) -> str:
        return self.source.path

    def line_of(self, *path: str | int) -> int:
        return self.front_matter.line_of(path)


def read_record(source: SourceFile, config: SiteConfig) -> tuple[Record | None, list[Problem]]:
    """Parse and validate one page; return the record or the problems that stop it."""
    content_type = type_for_folder(source.path)
    kind = content_type.type_name
    text, problem = _decode(source, kind)
    if problem:
        return None, [problem]
    parts = split_source(text)
    if parts.front_matter is None:
        return None, [Problem(source.path, line, kind, None, message) for line, message in parts.problems]
    front_matter = parts.front_matter
    explicit = front_matter.data.get("type")
    if explicit is not None:
        if explicit not in CONTENT_TYPES:
            hint = allowed_hint(str(explicit), list(CONTENT_TYPES))
            return None, [Problem(source.path, front_matter.line_of(("type",)), kind, "type",
                                  f"'{explicit}' is not a content type ({hint})")]
        content_type, kind = CONTENT_TYPES[explicit], explicit
    try:
        item = content_type.model_validate(front_matter.data, context=ValidationContext(config))
    except ValidationError as error:
        return None, explain_errors(error, source.path, kind, front_matter, list(content_type.model_fields))
    return Record(source, item, parts.body, parts.body_line, front_matter), []


def _decode(source: SourceFile, kind: str) -> tuple[str, Problem | None]:
    """UTF-8 text (a BOM is fine), or a problem naming the line of the first bad byte."""
    data = source.absolute.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return "", Problem(source.path, line, kind, None,
                           f"file is not UTF-8 text (byte 0x{data[error.start]:02x}; save it as UTF-8)")
