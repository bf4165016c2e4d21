"""What web pages and print documents share in their templates: the filters and globals that put
items into words in the project's language (dates, labels, languages, countries, event times)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import markdown
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency
from markupsafe import Markup

from .config import SiteConfig
from .markup import sanitize
from .problems import ContentErrors, Problem
from .types import DISSEMINATION_LEVELS, Event

SHARED_TEMPLATES = "templates/shared"  # in the package: pieces web and print templates both use


def template_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """Autoescaping on, so that front matter never reaches a page unescaped; an undefined name is
    an error, never an empty string. A template is read once a build (every build makes its own
    environment): Jinja would otherwise look at its file again each time a page includes it, tens
    of thousands of times in a site of a thousand items."""
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined, auto_reload=False)


class Wording:
    """Filters and globals for one project's templates, web and print alike."""

    def __init__(self, config: SiteConfig, built_on: dt.date) -> None:
        self.config = config
        self.built_on = built_on
        self.locale = locale_of(config.date_locale)
        self.euros = euro_writer(self.locale)

    def install(self, env: jinja2.Environment) -> jinja2.Environment:
        env.filters.update(date=self.format_date, labels=self.labels, language_name=self.language_name,
                           markdown=lambda text: Markup(sanitize(markdown.markdown(text))), country=self.country,
                           clock=self.clock, day=self._day, euros=self.euros)
        env.globals.update(config=self.config, levels=DISSEMINATION_LEVELS, event_when=self.event_when,
                           built_on=self.built_on)
        return env

    def format_date(self, value: dt.date | None, style: str = "long") -> str:
        return format_date(value, style, locale=self.locale) if value else ""

    def labels(self, keys: list[str], taxonomy: str) -> list[str]:
        return [self.config.taxonomy(taxonomy)[key].label for key in keys]

    def language_name(self, tag: str) -> str:
        return locale_of(tag).get_display_name(self.locale) or tag

    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    def event_when(self, event: Event) -> list[str]:
        """Human dates of an event with weekdays, times and the time zone they are in."""
        if event.start is None:
            return ["Date not recorded"]
        zone = event.timezone
        start, end = event.start, event.end or event.start
        lines = [self._day(start) if _day_of(start) == _day_of(end)
                 else f"{self._day(start)} – {self._day(end)}"]
        if isinstance(start, dt.datetime):
            moment = event.start_moment
            lines.append(f"{format_time(start, 'short', locale=self.locale)}"
                         + (f" – {format_time(end, 'short', locale=self.locale)}" if isinstance(end, dt.datetime) else ""))
            lines.append(f"Time zone: {zone} ({moment.astimezone(zoneinfo.ZoneInfo(zone)).tzname()})")
        else:
            lines.append(f"Time zone: {zone}")
        return lines

    def clock(self, value: dt.datetime) -> str:
        """A time of day as the site's locale writes it."""
        return format_time(value, "short", locale=self.locale)

    def _day(self, value: dt.date | dt.datetime) -> str:
        return format_date(_day_of(value), "full", locale=self.locale)


def euro_writer(locale: Locale) -> Callable[[float | None], str]:
    """How the locale writes an amount in euros ("€1,234,567.50"), "not given" for none. Babel
    says how (see `_euro_parts`); applying it here is a tenth of Babel's 16 µs a call, which counts
    over the explorer's hundreds of thousands of amounts."""
    prefix, group, decimal, suffix = _euro_parts(locale)

    def euros(value: float | None) -> str:
        if value is None:
            return "not given"
        digits = f"{abs(value):,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", group)
        return f"{'-' if value < 0 else ''}{prefix}{digits}{suffix}"
    return euros


def _euro_parts(locale: Locale) -> tuple[str, str, str, str]:
    """How the locale writes an amount in euros, read off Babel's own writing of 1234567.5: what
    comes before the digits, the grouping and decimal signs, and what comes after."""
    sample = format_currency(1234567.5, "EUR", locale=locale)
    first, last = sample.index("1"), sample.rindex("50") + 2
    digits = sample[first:last]  # 1,234,567.50 or 1.234.567,50 or 1 234 567,50
    return sample[:first], digits[1], digits[-3], sample[last:]


def _day_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def locale_of(tag: str) -> Locale:
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def json_for_script(data: dict[str, Any]) -> str:
    """JSON to embed in a <script> element: "</script>" in a value must not end the element, so "<"
    is written \\u003c, which JSON allows."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def render_template(env: jinja2.Environment, name: str, root: Path, source: str, /, **context: Any) -> str:
    """Render one template for the page (or document) whose source path is `source`; raise ContentErrors
    naming the template file and line of any fault in it (a syntax error, an undefined name, a
    missing template), or naming the source when its template is missing. Never a traceback."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise ContentErrors([Problem(shown_template_path(error.filename, root), error.lineno or 1, "template", None,
                                     error.message or "syntax error")]) from None
    except jinja2.TemplateNotFound as error:
        where = _innermost_template(error.__traceback__)
        shown, line = (shown_template_path(where[0], root), where[1]) if where else (source, 1)
        raise ContentErrors([Problem(shown, line, "template", None,
                                     f"template '{error.name}' not found (add it to the theme, or restore it)")]) from None
    except Exception as error:  # raised while rendering: blame the template line that was running
        where = _innermost_template(error.__traceback__)
        if where is None:
            raise
        message = str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
        raise ContentErrors([Problem(shown_template_path(where[0], root), where[1], "template", None, message)]) from None


def _innermost_template(trace: TracebackType | None) -> tuple[str, int] | None:
    """The last template frame of a traceback: Jinja gives template code its file and line."""
    found = None
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def shown_template_path(filename: str | None, root: Path) -> str:
    """A template's file as a problem names it: from the project root when it lies there."""
    if not filename:
        return "theme"
    path = Path(filename)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else filename
