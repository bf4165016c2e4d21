"""What web pages and print documents share in their templates: the filters and globals that put
items into words in the project's language (dates, labels, languages, countries, event times), and
the generator's own words from its catalogues (builder/catalogues.py)."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import json
import re
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
from markupsafe import Markup, escape

from .catalogues import translations
from .config import SiteConfig
from .markup import sanitize
from .problems import ContentErrors, Problem
from .types import DISSEMINATION_LEVELS, EVENT_KIND_LABELS, Event

SHARED_TEMPLATES = "templates/shared"  # in the package: pieces web and print templates both use
I18N = "jinja2.ext.i18n"  # {% trans %} blocks, and _() with named placeholders (newstyle gettext)


def template_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """Autoescaping on, so that front matter never reaches a page unescaped; an undefined name is
    an error, never an empty string. A template is read once a build (every build makes its own
    environment): Jinja would otherwise look at its file again each time a page includes it, tens
    of thousands of times in a site of a thousand items."""
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, auto_reload=False, extensions=[I18N])
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} paragraph is one line to translate
    return env


def install_translations(env: jinja2.Environment, words: gettext.NullTranslations,
                         escaped: bool = True) -> jinja2.Environment:
    """`_`, `gettext` and `ngettext` for `env`'s templates, in the language of `words`. Newstyle:
    `_("Page %(page)s of %(pages)s", page=n, pages=m)` fills named placeholders. For HTML (`escaped`)
    the message is escaped, and so is each value (Jinja alone would take a translation for markup):
    a catalogue holds text, and a translator's `<` or `&` is shown as written."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension(I18N)
    env.policies["ext.i18n.trimmed"] = True  # before any template is read: a {% trans %} paragraph is one line
    shown = escape if escaped else str
    env.install_gettext_callables(lambda message: shown(words.gettext(message)),
                                  lambda singular, plural, count: shown(words.ngettext(singular, plural, count)),
                                  newstyle=True)
    return env


def install_language(env: jinja2.Environment, language: str) -> jinja2.Environment:
    """The generator's words in `language` for an environment made elsewhere (MkDocs' own, which
    renders the theme's overrides)."""
    return install_translations(env, translations(language))


class Wording:
    """Filters and globals for one project's templates, web and print alike, in one language: the
    project's unless another is given."""

    def __init__(self, config: SiteConfig, built_on: dt.date, language: str | None = None) -> None:
        self.config = config
        self.built_on = built_on
        self.language = language or config.project.language
        self.words = translations(self.language)
        # The project's locale (en_GB, say) writes its own language's dates; another language its own.
        self.locale = locale_of(config.date_locale if self.language == config.project.language else self.language)
        self.euros = euro_writer(self.locale, self.gettext("not given"))

    def install(self, env: jinja2.Environment) -> jinja2.Environment:
        install_translations(env, self.words)
        env.filters.update(date=self.format_date, labels=self.labels, language_name=self.language_name,
                           markdown=lambda text: Markup(sanitize(markdown.markdown(text))), country=self.country,
                           clock=self.clock, day=self._day, euros=self.euros, other_language=self.other_language,
                           lang_attribute=self.lang_attribute)
        env.globals.update(config=self.config, levels=DISSEMINATION_LEVELS, event_kinds=EVENT_KIND_LABELS,
                           event_when=self.event_when, built_on=self.built_on, page_numbers=self.page_numbers,
                           script_words=self.script_words)
        return env

    def gettext(self, message: str) -> str:
        """`message` in this wording's language, for Python callers (text, not markup)."""
        return self.words.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a message that `count` calls for, in this wording's language."""
        return self.words.ngettext(singular, plural, count)

    def script_words(self, script: str) -> dict[str, Any]:
        """The words a page's script shows (`filters`, `search` or `explorer`), in this wording's
        language, for the page to hand it as JSON: a script cannot call gettext. A message that
        counts is given in each of the language's plural categories, from which the script picks
        with Intl.PluralRules; placeholders are %(name)s, as in the catalogues."""
        _, forms = self.gettext, self._plural_forms
        words: dict[str, Any] = {"filters": lambda: {
            "showing": _("Showing %(shown)s of %(total)s."),
        }, "search": lambda: {
            "nothing": _("Nothing found."),
            "results": forms(lambda n: self.ngettext("%(count)s result.", "%(count)s results.", n)),
            "first": forms(lambda n: self.ngettext("%(count)s result, showing the first %(shown)s.",
                                                   "%(count)s results, showing the first %(shown)s.", n)),
            "failed": _("The search did not work. Please try again."),
            "unknown": _("Nothing found: this site has no %(values)s."),
            "idle": _("Type a word or tick a filter."),
            "searching": _("Searching…"),
            "ticked": forms(lambda n: self.ngettext("(%(count)s ticked)", "(%(count)s ticked)", n)),
        }, "explorer": lambda: {
            "searching": _("Searching…"),
            "all": forms(lambda n: self.ngettext("%(count)s project.", "%(count)s projects.", n)),
            "allPaged": forms(lambda n: self.ngettext("%(count)s project, page %(page)s of %(pages)s.",
                                                      "%(count)s projects, page %(page)s of %(pages)s.", n)),
            "matching": forms(lambda n: self.ngettext("%(count)s of %(total)s projects matches.",
                                                      "%(count)s of %(total)s projects match.", n)),
            "matchingPaged": forms(lambda n: self.ngettext(
                "%(count)s of %(total)s projects matches, page %(page)s of %(pages)s.",
                "%(count)s of %(total)s projects match, page %(page)s of %(pages)s.", n)),
            "previous": _("Previous page"),
            "next": _("Next page"),
            "showAll": _("Show all %(count)s"),
            "none": _("None among the projects found"),
            "failed": _("The search could not load its index (%(error)s); every project is listed below."),
        }}
        return {"language": self.language.replace("_", "-"), **words[script]()}

    def _plural_forms(self, form_of: Callable[[int], str]) -> dict[str, str]:
        """A counted message's text for each plural category of the language (CLDR's: one, few,
        many, other...), from a number that falls in it."""
        return {category: form_of(count) for category, count in plural_samples(self.language).items()}

    def page_numbers(self) -> Markup:
        """The `content` of a print page's number: CSS cannot translate, so the words come from here."""
        return counter_content(self.gettext("Page %(page)s of %(pages)s"), {"page": "page", "pages": "pages"})

    def other_language(self, item: Any) -> str | None:
        """An item's language where it is not the one this wording speaks (an item shown without a
        version in it): what its passages are marked with."""
        spoken = item.language or self.config.default_language
        return spoken if spoken != self.language else None

    def lang_attribute(self, item: Any, link: bool = False) -> Markup:
        """The attributes that say an item is in another language: `lang`, and `hreflang` on a link to it."""
        spoken = self.other_language(item)
        return Markup(' lang="{0}"' + (' hreflang="{0}"' if link else "")).format(spoken) if spoken else Markup("")

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
            return [self.gettext("Date not recorded")]
        zone = event.timezone
        start, end = event.start, event.end or event.start
        lines = [self._day(start) if _day_of(start) == _day_of(end)
                 else f"{self._day(start)} – {self._day(end)}"]
        if isinstance(start, dt.datetime):
            moment = event.start_moment
            lines.append(f"{format_time(start, 'short', locale=self.locale)}"
                         + (f" – {format_time(end, 'short', locale=self.locale)}" if isinstance(end, dt.datetime) else ""))
            lines.append(self.gettext("Time zone: %(zone)s (%(abbreviation)s)")
                         % {"zone": zone, "abbreviation": moment.astimezone(zoneinfo.ZoneInfo(zone)).tzname()})
        else:
            lines.append(self.gettext("Time zone: %(zone)s") % {"zone": zone})
        return lines

    def clock(self, value: dt.datetime) -> str:
        """A time of day as the site's locale writes it."""
        return format_time(value, "short", locale=self.locale)

    def _day(self, value: dt.date | dt.datetime) -> str:
        return format_date(_day_of(value), "full", locale=self.locale)


@functools.lru_cache(maxsize=None)
def plural_samples(language: str) -> dict[str, int]:
    """A whole number for each plural category of `language`, the smallest that falls in it."""
    rule = locale_of(language.replace("-", "_")).plural_form
    samples: dict[str, int] = {}
    for count in range(200):
        samples.setdefault(rule(count), count)
    return samples


def euro_writer(locale: Locale, not_given: str = "not given") -> Callable[[float | None], str]:
    """How the locale writes an amount in euros ("€1,234,567.50"), `not_given` for none. Babel
    says how (see `_euro_parts`); applying it here is a tenth of Babel's 16 µs a call, which counts
    over the explorer's hundreds of thousands of amounts."""
    prefix, group, decimal, suffix = _euro_parts(locale)

    def euros(value: float | None) -> str:
        if value is None:
            return not_given
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


def css_string(text: str) -> str:
    """`text` as a CSS string: quotes, backslashes and line breaks written as CSS escapes, and so
    are < and >, so that no text can end the <style> element it stands in."""
    return '"' + "".join(f"\\{ord(char):x} " if char in '"\\<>\n\r\f' else char for char in text) + '"'


def counter_content(message: str, counters: dict[str, str]) -> Markup:
    """A CSS `content` value from a message whose placeholders stand for CSS counters, in the order
    the translation puts them: "Page %(page)s of %(pages)s" -> "Page " counter(page) " of " counter(pages)."""
    values = []
    for index, part in enumerate(re.split(r"%\((\w+)\)s", message)):  # text, name, text, name, ..., text
        if index % 2:
            values.append(f"counter({counters[part]})")
        elif part:
            values.append(css_string(part.replace("%%", "%")))
    return Markup(" ".join(values))


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
