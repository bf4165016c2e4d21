"""Field types shared by the content types: dates, URLs, taxonomy keys, with staff-readable errors."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from babel import localedata
from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_URL_SCHEMES = ("http", "https", "mailto")


def nearest(word: str, choices: list[str]) -> str | None:
    """The closest allowed word to a misspelt one, if any is close."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not found:
        lowered = {choice.lower(): choice for choice in choices}
        return lowered.get(word.lower())
    return found[0]


def allowed_hint(value: str, choices: list[str]) -> str:
    """`did you mean 'x'? allowed: a, b` or just the allowed list."""
    guess = nearest(value, choices)
    listing = ", ".join(choices) if choices else "none configured"
    return f"did you mean '{guess}'? allowed: {listing}" if guess else f"allowed: {listing}"


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", "'{value}' is not a date (write YYYY-MM-DD, e.g. 2015-09-14)",
                                  {"value": value})
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_impossible", "'{value}' is not a real date (check day and month)",
                                  {"value": value}) from None


def _parse_date_or_datetime(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, str) and len(value) > 10:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "datetime_format", "'{value}' is not a date or date and time "
                "(write 2015-09-14 or 2015-09-14T09:30, optionally with +02:00)", {"value": value}) from None
        return _plausible(moment, value)
    return _plausible(_parse_date(value), value)


def _plausible(when: dt.date, written: Any) -> Any:
    """Dates in the first and last year Python knows cannot be moved to another time zone."""
    if not dt.MINYEAR < when.year < dt.MAXYEAR:
        raise PydanticCustomError("date_range", "'{value}' is too far in the past or the future", {"value": written})
    return when


_TIMEZONES = sorted(zoneinfo.available_timezones())


def known_timezone(value: str) -> str:
    """An IANA time zone name, or a staff-readable error with a guess."""
    if value not in _TIMEZONES:
        guess = nearest(value, _TIMEZONES)
        hint = f"did you mean '{guess}'?" if guess else "e.g. Europe/Berlin"
        raise PydanticCustomError("timezone", "'{value}' is not an IANA time zone ({hint})", {"value": value, "hint": hint})
    return value


def _check_url(value: str) -> str:
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in _URL_SCHEMES or (scheme != "mailto" and not value.lower().startswith(scheme + "://")):
        raise PydanticCustomError("url_scheme", "'{value}' is not a web address (allowed: http://, https://, mailto:)",
                                  {"value": value})
    return value


def _check_language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise PydanticCustomError("language", "'{value}' is not a language tag (e.g. en, de, el, pt-BR)",
                                  {"value": value})
    return value


# A language as translations' file names and the site's folders write it (de, el, pt-BR).
SITE_LANGUAGE = r"[a-z]{2,3}(?:-[A-Z][A-Za-z]{1,3})?"


def known_language(tag: str) -> bool:
    """Whether Babel has the words of a language (its dates, its name for other languages)."""
    return localedata.exists(tag.replace("-", "_"))


def _check_site_language(value: str) -> str:
    """A language a site is published in: written as file names and folders write it, and known
    to Babel."""
    if not re.fullmatch(SITE_LANGUAGE, value) or not known_language(value):
        raise PydanticCustomError("language", "'{value}' is not a language a site can be published in (a language "
                                              "tag such as en, de, el, pt-BR)", {"value": value})
    return value


LICENCES: dict[str, dict[str, str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "content_licences.yml").read_text("utf-8"))


def _check_licence(value: str) -> str:
    if value not in LICENCES:
        raise PydanticCustomError("licence", "'{value}' is not a known licence ({hint})",
                                  {"value": value, "hint": allowed_hint(value, list(LICENCES))})
    return value


def _member_of(taxonomy: str, noun: str):
    def check(value: str, info: ValidationInfo) -> str:
        context = info.context
        if context is None:
            return value
        choices = [str(key) for key in context.config.taxonomy(taxonomy)]
        if value not in choices:
            raise PydanticCustomError("unknown_key", "'{value}' is not a known {noun} ({hint})",
                                      {"value": value, "noun": noun, "hint": allowed_hint(value, choices)})
        return value
    return AfterValidator(check)


NonEmptyText = Annotated[str, Field(min_length=1)]
IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]
DateOrDateTime = Annotated[dt.date | dt.datetime, BeforeValidator(_parse_date_or_datetime)]
WebUrl = Annotated[str, AfterValidator(_check_url)]
LanguageTag = Annotated[str, AfterValidator(_check_language)]
SiteLanguage = Annotated[str, AfterValidator(_check_site_language)]
LicenceId = Annotated[str, AfterValidator(_check_licence)]  # an SPDX id from data/content_licences.yml
Doi = Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$")]
# A project's id in CORDIS (digits; YAML reads an unquoted one as a number).
CordisId = Annotated[str, BeforeValidator(lambda value: str(value) if isinstance(value, int) else value),
                     Field(pattern=r"^\d{1,12}$")]
@dataclass(frozen=True)
class Taxonomy:
    """Marks a field whose values are keys of a taxonomy of the config: editors offer its keys."""

    name: str


StakeholderKey = Annotated[str, _member_of("stakeholders", "stakeholder group"), Taxonomy("stakeholders")]
StageKey = Annotated[str, _member_of("stages", "stage"), Taxonomy("stages")]
TopicKey = Annotated[str, _member_of("topics", "topic"), Taxonomy("topics")]
PartnerKey = Annotated[str, _member_of("partners", "partner"), Taxonomy("partners")]
NatureCode = Annotated[str, _member_of("nature", "nature code"), Taxonomy("nature")]
