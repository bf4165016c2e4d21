"""The markup partners may put in a body, and how what they write is made safe.

Bodies come from many partners, so the HTML each one becomes, on the web and in print, passes an
allow-list (nh3, the Python binding of the Rust sanitizer ammonia): the tags and attributes of prose
survive; links lead only to web, mail, telephone and local addresses; images and other resources
come only from the site itself. `check` reads the raw HTML of every body against the same policy
and reports, with its line, what would be refused (as an error) or quietly dropped (as a warning).
A project may trust the raw HTML of chosen folders (`trusted_html` in config); addresses are
checked there too, because the site never loads anything from another host.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import nh3

from .links import URL_ATTRIBUTES, BodyMarkup, Link, RawTag, is_remote, url_scheme

# The tags Markdown and its usual extensions write, and those of plain prose.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"}, "img": {"src", "alt", "width", "height", "loading"}, "blockquote": {"cite"},
    "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "time": {"datetime"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "style"}, "col": {"span"}, "colgroup": {"span"},
    "details": {"open"}, "abbr": {"title"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})  # the tables extension aligns columns with it
# Tags whose presence means running code, embedding another page or asking for input: refused outright.
ACTIVE_TAGS = frozenset({
    "script", "noscript", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "link", "meta", "base", "svg", "math", "template", "portal", "dialog",
})
# Material's own elements have ids starting with "__": a body may not shadow them.
RESERVED_ID_PREFIX = "__"


@dataclass(frozen=True)
class Finding:
    """Something in a body's markup that is refused (`error`) or dropped quietly (`warning`)."""

    line: int
    message: str
    error: bool


def sanitize(html: str, links: Callable[[str], str | None] | None = None) -> str:
    """The body HTML with everything outside the allow-list removed. `links`, when given, decides the
    address of every link that is kept: another one, or None to keep only its text (the PDFs)."""
    if links is None:
        return _CLEANER.clean(html)

    def keep(element: str, attribute: str, value: str) -> str | None:
        kept = _keep_attribute(element, attribute, value)
        return links(kept) if kept is not None and element == "a" and attribute == "href" else kept
    return nh3.clean(html, **{**_POLICY, "attribute_filter": keep})


def check_markup(markup: BodyMarkup, trusted: bool = False) -> list[Finding]:
    """What `sanitize` would refuse or drop in the raw HTML and addresses of a Markdown body. Trusted
    bodies keep their markup, but may not load from other hosts nor send visitors away unasked."""
    findings = [finding for link in markup.links if (finding := _judge_address(link))]
    findings += [Finding(line, "a code block opened here is never closed (end it with a line like the one that "
                               "opens it, e.g. ```)", True) for line in markup.unclosed_fences]
    for tag in markup.tags:
        findings += _judge_redirect(tag) if trusted else _judge_tag(tag)
    return findings


def _judge_redirect(tag: RawTag) -> list[Finding]:
    refresh = tag.name == "meta" and any(name == "http-equiv" and value.lower() == "refresh"
                                         for name, value in tag.attributes)
    return [Finding(tag.line, "<meta http-equiv=\"refresh\"> would send visitors elsewhere without a click", True)] \
        if refresh else []



def _judge_address(link: Link) -> Finding | None:
    scheme = url_scheme(link.target)
    if scheme in ("javascript", "vbscript", "livescript"):
        return Finding(link.line, f"'{scheme}:' address is not allowed (it would run code in visitors' browsers)", True)
    if scheme == "data":
        return Finding(link.line, "'data:' address is not allowed (save the content as a file in the project "
                                  "and link to that)", True)
    if link.is_image and is_remote(link.target):
        return Finding(link.line, f"image '{link.target}' is on another host (save it in the project: "
                                  "loading it would tell that host who reads the page)", True)
    if scheme and scheme not in URL_SCHEMES:
        return Finding(link.line, f"'{link.target}' has a scheme that is not allowed (allowed: http://, https://, "
                                  "mailto:, tel:, or a path inside the project)", True)
    return None


def _judge_tag(tag: RawTag) -> list[Finding]:
    if tag.name in ACTIVE_TAGS:
        return [Finding(tag.line, f"raw HTML <{tag.name}> is not allowed (scripts, embedded pages, styles and "
                                  "forms are removed from every body)", True)]
    if tag.name not in ALLOWED_TAGS:
        return [Finding(tag.line, f"raw HTML <{tag.name}> is not supported and is removed (its text is kept)",
                        False)]
    findings = []
    for name, value in tag.attributes:
        findings += _judge_attribute(tag, name, value)
    return findings


def _judge_attribute(tag: RawTag, name: str, value: str) -> list[Finding]:
    if name.startswith("on"):
        return [Finding(tag.line, f"event handler '{name}' on <{tag.name}> is not allowed (scripts are removed "
                                  "from every body)", True)]
    if name == "style" and "url(" in value.lower():
        return [Finding(tag.line, f"style on <{tag.name}> loads a resource, which is not allowed", True)]
    if name not in GLOBAL_ATTRIBUTES and name not in ALLOWED_ATTRIBUTES.get(tag.name, ()):
        return [Finding(tag.line, f"attribute '{name}' on <{tag.name}> is removed", False)]
    if name == "id" and value.startswith(RESERVED_ID_PREFIX):
        return [Finding(tag.line, f"id '{value}' is removed (ids starting with '__' belong to the site itself)", False)]
    if name == "style" and _style_properties(value) - STYLE_PROPERTIES:
        return [Finding(tag.line, f"style on <{tag.name}> is removed except text-align", False)]
    return []


def _style_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part}


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's last word on each attribute it would keep: no remote resources, no address of another
    kind than the allowed ones (nh3 checks only some attributes), no reserved ids."""
    if attribute == "src" and is_remote(value):
        return None
    if attribute in URL_ATTRIBUTES and url_scheme(value) not in ("", *URL_SCHEMES):
        return None
    if attribute == "id" and value.startswith(RESERVED_ID_PREFIX):
        return None
    return value


_POLICY = {
    "tags": set(ALLOWED_TAGS),
    "clean_content_tags": {"script", "style", "noscript", "template"},
    "attributes": {"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
    "url_schemes": set(URL_SCHEMES),
    "filter_style_properties": set(STYLE_PROPERTIES),
    "link_rel": None,
}
_CLEANER = nh3.Cleaner(**_POLICY, attribute_filter=_keep_attribute)
