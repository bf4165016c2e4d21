"""Translations: a page's versions in the site's other languages, `d5-4.de.md` beside `d5-4.md`.

A translation is its original in other words. It shares the original's identity and facts (id,
number, groups, stages, topics, evidence, dates, level) and words anew only what its type lets it
(`translatable`: the title, the summary) and its body; whatever else it states must agree with the
original, so that a fact is kept in one place and no language version drifts from the others.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from .config import SiteConfig
from .explain import explain_errors
from .problems import Problem
from .read import Record, RecordCache, TranslationText, size_problems
from .types import ValidationContext


@dataclass
class Joined:
    """Translations joined to their originals: those published, those held back with a draft (theirs
    or their original's), and the problems that stop the others."""

    published: list[Record] = field(default_factory=list)
    held_back: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def join_translations(texts: list[TranslationText], records: list[Record], drafts: list[Record],
                      unreadable: set[str], config: SiteConfig, include_drafts: bool,
                      cache: RecordCache | None = None) -> Joined:
    """Every translation validated with its original's fields; `unreadable` pages' translations wait
    for their original to be readable, without a problem of their own. A `cache` keeps the joins of
    translations whose text and original are those of its last load."""
    originals = {record.path: record for record in [*records, *drafts]}
    held_back = {record.path for record in drafts}
    joined = Joined()
    for text in texts:
        if problem := _misplaced(text, config, originals, unreadable):
            joined.problems.append(problem)
            continue
        if text.original in unreadable:
            continue
        original = originals[text.original]
        join = functools.partial(translate, original, text, config)
        record, problems = cache.joined(text, original, join) if cache else join()
        joined.problems += problems
        if record is None:
            continue
        hidden = text.original in held_back or (record.item.draft and not include_drafts)
        (joined.held_back if hidden else joined.published).append(record)
    joined.problems += _translators_of_originals(originals.values())
    return joined


def _misplaced(text: TranslationText, config: SiteConfig, originals: dict[str, Record],
               unreadable: set[str]) -> Problem | None:
    """Why a translation cannot be one of the site's: its language, or no original to translate."""
    languages = config.site_languages
    if text.language == config.default_language:
        return _problem(text, f"is named as the '{text.language}' version of {text.original}, but '{text.language}' is "
                              f"the site's default language: {text.original} is that version (merge the two)")
    if text.language not in languages:
        return _problem(text, f"is named as a translation into '{text.language}', which is not one of the site's "
                              f"languages ({', '.join(languages)}): add it to languages: in mkdocs.yml, or rename the "
                              f"file (a name ending in .{text.language}.md marks a translation)")
    if text.original not in originals and text.original not in unreadable:
        return _problem(text, f"translates {text.original}, which does not exist (a translation is named after its "
                              f"original, with the language before .md)")
    return None


def translate(original: Record, text: TranslationText, config: SiteConfig) -> tuple[Record | None, list[Problem]]:
    """The translation as a record: its original's item with the translated fields, its own body."""
    content_type = type(original.item)
    front_matter = text.text.front_matter
    stated = front_matter.data
    problems = [problem for key, value in stated.items()
                if (problem := _disagreement(original, text, key, value, config))]
    own = {key: value for key, value in stated.items() if key in content_type.translatable or key not in
           content_type.model_fields}  # an unknown field is for validation to name
    try:
        item = content_type.model_validate({**original.front_matter.data, **own, "language": text.language},
                                           context=ValidationContext(config))
    except ValidationError as error:
        return None, problems + explain_errors(error, text.path, content_type.type_name, front_matter,
                                               list(content_type.model_fields))
    record = Record(text.source, item, text.text.body, text.text.body_line, front_matter, original=original.path)
    return (None, problems) if problems else (record, size_problems(record, len(text.text.body.encode())))


def _disagreement(original: Record, text: TranslationText, key: str, value: object,
                  config: SiteConfig) -> Problem | None:
    """A field the translation states otherwise than its original, which only the original may state."""
    item = original.item
    kind = item.type_name
    if key == "language":
        if value == text.language:
            return None
        return Problem(text.path, text.text.front_matter.line_of((key,)), kind, key,
                       f"'{value}' disagrees with the file's name, which makes it the '{text.language}' version "
                       f"(leave language out)")
    if key in item.translatable or key not in type(item).model_fields or original.front_matter.data.get(key) == value \
            or _means_the_same(original, key, value, config):
        return None
    where = f"{original.path}, line {original.line_of(key)}" if key in original.front_matter.data else original.path
    return Problem(text.path, text.text.front_matter.line_of((key,)), kind, key,
                   f"differs from its original's ({where}): a translation shares every field but "
                   f"{', '.join(item.translatable)} with the page it translates (change it there, or leave it out)")


def _means_the_same(original: Record, key: str, value: object, config: SiteConfig) -> bool:
    """Whether a value written otherwise (`1` and `"1"`, `[cso]` and `cso` where one becomes a list)
    is the original's once validated."""
    content_type = type(original.item)
    try:
        stated = content_type.model_validate({**original.front_matter.data, key: value},
                                             context=ValidationContext(config))
    except ValidationError:
        return False
    return getattr(stated, key) == getattr(original.item, key)


def _translators_of_originals(records: Iterable[Record]) -> list[Problem]:
    """An original that names a translator: the field is a translation's."""
    return [Problem(record.path, record.line_of("translator"), record.item.type_name, "translator",
                    "only a translation names its translator (this page is no translation: its name has no "
                    "language before .md)") for record in records if record.item.translator]


def _problem(text: TranslationText, message: str) -> Problem:
    """A problem of a translation as a whole: its name, its language, its original."""
    return Problem(text.path, 1, "translation", None, message)
