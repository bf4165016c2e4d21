"""Turn pydantic's validation errors into one-line problems that staff can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .fields import nearest
from .frontmatter import LinedData, describe_value, dotted_path
from .problems import Problem

_EXPECTED = {
    "string_type": "expected text",
    "list_type": "expected a list, e.g. [a, b]",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "dict_type": "expected a group of fields",
    "model_type": "expected a group of fields, e.g. {city: Berlin, country: DE}",
    "model_attributes_type": "expected a group of fields",
}


def explain_errors(error: ValidationError, path: str, kind: str, source: LinedData,
                   known_fields: list[str] | None) -> list[Problem]:
    """One Problem per pydantic error, located at the line of the offending key."""
    problems = []
    for detail in error.errors(include_url=False):
        # Checks across fields raise from the model; they name the field to blame in their context.
        location = tuple(detail["loc"]) or tuple(filter(None, [(detail.get("ctx") or {}).get("field")]))
        line = source.start_line if detail["type"] == "missing" else source.line_of(location)
        field = dotted_path(location) or None
        problems.append(Problem(path, line, kind, field, _message(detail, location, known_fields)))
    return problems


def _message(detail: dict[str, Any], location: tuple, known_fields: list[str] | None) -> str:
    kind, given = detail["type"], detail.get("input")
    context = detail.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return _unknown_field(str(location[-1]), known_fields)
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}, not {describe_value(given)}"
    if kind == "literal_error":
        return f"'{given}' is not allowed (one of: {_strip_quotes(context.get('expected', ''))})"
    if kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt"))
        return f"{given} is too small (at least {limit})"
    if kind == "less_than_equal":
        return f"{given} is too large (at most {context.get('le')})"
    if kind == "too_short":
        return f"is empty (give at least {context.get('min_length', 1)})"
    if kind == "string_too_short":
        return "is empty (write a value or leave the field out)"
    if kind == "string_pattern_mismatch":
        return f"'{given}' does not have the expected form (pattern {context.get('pattern')})"
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    return detail["msg"]


def _unknown_field(name: str, known_fields: list[str] | None) -> str:
    if not known_fields:
        return "is not a known setting"
    guess = nearest(name, known_fields)
    if guess:
        return f"unknown field (did you mean '{guess}'?)"
    return f"unknown field (fields: {', '.join(known_fields)})"


def _strip_quotes(expected: str) -> str:
    return expected.replace("'", "").replace(" or ", ", ")
