"""The generator's own words in other languages: gettext catalogues, one a language, in
`builder/locale/<language>/LC_MESSAGES/disseminate.po`, and the template they are made from,
`builder/locale/disseminate.pot` (`make catalogues` extracts it from the sources and updates them).

Catalogues are read with Babel and compiled in memory the first time a process needs them: no
`.mo` file is kept beside the `.po` to fall out of date. Whatever a catalogue lacks, leaves empty
or marks fuzzy is said in English, the language the sources are written in.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .problems import Problem

LOCALE_FOLDER = Path(__file__).resolve().parent / "locale"
DOMAIN = "disseminate"
TEMPLATE = LOCALE_FOLDER / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"  # the language of the msgids: nothing in it ever falls back


def N_(message: str) -> str:
    """Marks a constant for extraction and leaves it as it is: it is translated where it is shown,
    in the language of the page showing it."""
    return message


def catalogue_path(language: str, folder: Path = LOCALE_FOLDER) -> Path:
    """Where the catalogue of `language` (a tag such as fr, de or pt-BR) is, or would be."""
    return folder / _gettext_name(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def shown_path(path: Path) -> str:
    """A catalogue as a problem names it: from the folder holding the package, when it is in it."""
    package_parent = Path(__file__).resolve().parent.parent
    return path.relative_to(package_parent).as_posix() if path.is_relative_to(package_parent) else str(path)


def catalogue_of(language: str, folder: Path = LOCALE_FOLDER) -> Path | None:
    """The catalogue that speaks `language`: its own (fr_BE), else its base language's (fr)."""
    for candidate in dict.fromkeys([_gettext_name(language), _gettext_name(language).split("_")[0]]):
        path = catalogue_path(candidate, folder)
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The generator's words in `language`, English for any its catalogue lacks or marks fuzzy,
    and all English for a language without a catalogue. Compiled once a process."""
    english = compiled(catalogue_path(SOURCE_LANGUAGE))
    path = catalogue_of(language)
    if path is None or _is_source_language(language):
        return english
    found = compiled(path)
    found.add_fallback(english)
    return found


def words_digest(language: str) -> str:
    """A digest of the catalogues `language` is said from, for the caches of what they word."""
    digest = hashlib.blake2b(digest_size=16)
    for path in (catalogue_of(language), catalogue_path(SOURCE_LANGUAGE)):
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"none")
    return digest.hexdigest()


def untranslated(language: str, folder: Path = LOCALE_FOLDER) -> list[tuple[str, int]]:
    """The template's messages the catalogue of `language` does not translate (absent, empty or
    fuzzy), each with the catalogue line that holds it (1 when it has none)."""
    catalogue = _read(catalogue_of(language, folder))
    lacking = []
    for message in _read(folder / TEMPLATE.name):
        if not message.id:
            continue
        found = catalogue.get(message.id)
        if found is None or not _complete(found) or found.fuzzy:
            lacking.append((_shown_id(message.id), found.lineno if found is not None and found.lineno else 1))
    return lacking


def catalogue_warnings(languages: Iterable[str], folder: Path = LOCALE_FOLDER) -> list[Problem]:
    """A warning for each of the generator's messages that a language of the site has no
    translation of, naming its catalogue; one warning for a language without a catalogue."""
    problems = []
    for language in dict.fromkeys(languages):
        if _is_source_language(language):
            continue
        path = catalogue_of(language, folder)
        if path is None:
            problems.append(Problem(shown_path(catalogue_path(language, folder)), 1, "catalogue", language,
                                    "Disseminate has no catalogue for this language: every word the generator "
                                    "writes itself falls back to English (see README, Languages)", warning=True))
            continue
        problems += [Problem(shown_path(path), line, "catalogue", language,
                             f"no translation of \"{message}\": it falls back to English", warning=True)
                     for message, line in untranslated(language, folder)]
    return problems


def compiled(path: Path) -> gettext.GNUTranslations:
    """The catalogue at `path` compiled in memory, with only its complete, settled translations
    (Babel's write_mo leaves out empty and fuzzy ones, but would keep a plural with some forms
    empty): a message it lacks is given back as it is asked for, unless a fallback is added."""
    catalogue = _read(path)
    for message in list(catalogue):
        if message.id and not _complete(message):
            catalogue.delete(message.id, message.context)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _read(path: Path | None) -> Catalog:
    if path is None or not path.is_file():
        return Catalog(locale=SOURCE_LANGUAGE, domain=DOMAIN)
    with path.open("rb") as source:
        return read_po(source, domain=DOMAIN)


def _complete(message: Message) -> bool:
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(forms) and all(forms)


def _shown_id(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, (list, tuple)) else message_id


def _gettext_name(language: str) -> str:
    """A language tag as gettext names its folders: pt-BR -> pt_BR."""
    return language.strip().replace("-", "_")


def _is_source_language(language: str) -> bool:
    return _gettext_name(language).split("_")[0].lower() == SOURCE_LANGUAGE
