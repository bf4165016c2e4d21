"""The field reference of every content type, generated from the schemas for the README.

Run `python -m builder.reference README.md` (or `make docs`) after changing a schema; a test fails
while the README is out of date.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from .types import CONTENT_TYPES, Item

START, END = "<!-- field-reference:start -->", "<!-- field-reference:end -->"


def _describe_type(annotation: object) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _describe_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe_type(arg) for arg in args if arg is not type(None))
    if origin is list:
        return f"list of {_describe_type(args[0])}"
    if origin is typing.Literal:
        return "one of " + ", ".join(map(str, args))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    names = {str: "text", int: "whole number", bool: "true/false", dt.date: "date", dt.datetime: "date and time"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def field_table(content_type: type[Item], skip: set[str]) -> str:
    """A Markdown table of one type's fields, leaving out those in `skip`."""
    rows = ["| Field | Required | Value | Meaning |", "|---|---|---|---|"]
    for name, info in content_type.model_fields.items():
        if name in skip:
            continue
        required = "yes" if info.is_required() else ""
        rows.append(f"| `{name}` | {required} | {_describe_type(info.annotation)} | {info.description or ''} |")
    return "\n".join(rows)


def field_reference() -> str:
    """The whole reference: common fields, then what each type adds or changes."""
    common = set(Item.model_fields)
    parts = ["### Fields of every content type", "", field_table(Item, set()), ""]
    for content_type in CONTENT_TYPES.values():
        if content_type is Item or content_type.plain_page:
            continue
        changed = {name for name in common
                   if content_type.model_fields[name].is_required() != Item.model_fields[name].is_required()}
        where = f"`{content_type.folder}/`" if content_type.folder else "anywhere with `type:`"
        parts += [f"### {content_type.type_label} (`{content_type.type_name}`, in {where})", "",
                  field_table(content_type, common - changed), ""]
    return "\n".join(parts).rstrip() + "\n"


def update_readme(path: Path) -> bool:
    """Rewrite the reference between the markers; return whether anything changed."""
    text = path.read_text("utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{field_reference()}{END}{tail}"
    if updated != text:
        path.write_text(updated, "utf-8")
    return updated != text


if __name__ == "__main__":
    changed = update_readme(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
    print("README field reference " + ("updated." if changed else "already up to date."))
