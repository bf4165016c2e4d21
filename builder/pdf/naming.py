"""Meaningful, stable PDF file names: `SecurePART_D5.4_Foresight-report-of-CSO_v1.0.pdf`."""

from __future__ import annotations

import posixpath
import re
import unicodedata

from ..layout import language_suffix
from ..types import Item

_WORDS_IN_NAME = 6


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", plain)


def pdf_file_name(acronym: str, item: Item, source_path: str, language: str | None = None) -> str:
    """Project, identifier, the title's first words, the version and a translation's `language`,
    joined by underscores.

    Titles in non-Latin scripts have no ASCII words; the source file's name stands in for them.
    """
    words = _ascii_words(item.title)[:_WORDS_IN_NAME]
    original = language_suffix(source_path)
    stem = posixpath.splitext(posixpath.basename(original[0] if original else source_path))[0]
    if stem in ("index", "README"):
        stem = posixpath.basename(posixpath.dirname(source_path))
    label = "-".join(words) if words else "-".join(_ascii_words(stem)) or "document"
    identifier = item.identifier or item.type_label.replace(" ", "-")
    version = ".".join(_ascii_words(getattr(item, "version", None) or ""))  # "1.0", never a '/' or a quote
    parts = ["-".join(_ascii_words(acronym)), identifier, label] + ([f"v{version}"] if version else [])
    return "_".join(parts + ([language] if language else [])) + ".pdf"


def plan_file_name(acronym: str, title: str, plan_title: str) -> str:
    """Project and every word of the part's title, the plan's own title read as "Action plan" so
    that the files sort together whatever the project calls its plan."""
    words = _ascii_words(title.replace(plan_title, "Action plan"))
    return f"{'-'.join(_ascii_words(acronym))}_{'-'.join(words)}.pdf"


def translated_plan_file_name(acronym: str, ident: str, language: str) -> str:
    """A part of the action plan in another of the site's languages: named by its identifier
    (action-plan-for-cso), which every language shares and no script leaves without letters."""
    return f"{'-'.join(_ascii_words(acronym))}_{'-'.join(_ascii_words(ident)).capitalize()}_{language}.pdf"


def area_file_name(acronym: str, label: str) -> str:
    """Project and the words of "Projects in <area>": the areas' PDFs sort together."""
    return f"{'-'.join(_ascii_words(acronym))}_Projects-in-{'-'.join(_ascii_words(label))}.pdf"
