"""Read what a Markdown body points at and what raw HTML it holds, with lines, using a real Markdown
parser: links and images in Markdown syntax, and every tag of its raw HTML with the addresses in its
attributes (`<img src>`, `<a href>`, `srcset`, ...)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark")
# markdown-it drops `javascript:` and most `data:` links as a browser-side safety measure; the site is
# rendered by another Markdown library, so every address must be seen here to be judged.
_PARSER.validateLink = lambda url: True
_PARSER.normalizeLink = lambda url: url  # percent-encoding would hide `jav&#9;ascript:` from the checks
# Its default of 20 would stop counting where the depth check needs to see (read.MAX_NESTING).
_PARSER.options["maxNesting"] = 100

# Attributes whose value is an address, and whether following it loads a resource into the page.
URL_ATTRIBUTES = {"href": False, "src": True, "srcset": True, "poster": True, "data": True, "background": True,
                  "cite": False, "action": False, "formaction": False, "xlink:href": True, "longdesc": False,
                  "ping": False, "manifest": True, "codebase": True, "archive": True, "lowsrc": True, "dynsrc": True}


_HTML = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)

# Elements whose `href` loads something into the page instead of leading elsewhere.
LOADED_BY_HREF = frozenset({"link", "image", "use", "feimage", "script"})

_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))
_TABS_AND_NEWLINES = dict.fromkeys(map(ord, "\t\n\r"))


@dataclass(frozen=True)
class Link:
    """A link or resource address written in a body, at a 1-based line of the file."""

    target: str
    line: int
    is_image: bool  # loads something into the page (an image, a video) rather than leading elsewhere
    field: str | None = None  # the front matter field that names it (a video's file), when not the body


@dataclass(frozen=True)
class RawTag:
    """An opening tag of raw HTML written in a body, with its attributes as the browser reads them."""

    name: str
    attributes: tuple[tuple[str, str], ...]
    line: int


@dataclass
class BodyMarkup:
    """Everything a body points at, every raw HTML tag it contains, and how deep its blocks nest."""

    links: list[Link] = field(default_factory=list)
    tags: list[RawTag] = field(default_factory=list)
    depth: int = 0  # Markdown's nesting plus raw HTML's, or the indentation's: a bound of the page's depth
    unclosed_fences: list[int] = field(default_factory=list)  # lines of code blocks that run to the end


def first_heading(body: str) -> tuple[str, int, int] | None:
    """The text of a body's first top-level heading (`# Title`, or `Title` underlined with `===`),
    with the lines it spans (from, to, 0-based, to excluded), if it opens with one."""
    tokens = _PARSER.parse(body)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            text = "".join(child.content for child in tokens[index + 1].children or []
                           if child.type in ("text", "code_inline")).strip()
            return (text, token.map[0], token.map[1]) if text else None
        if token.type.endswith("_open") and token.level == 0 and token.type != "heading_open":
            return None  # the page opens with text, not with its title
    return None


def read_markup(body: str, body_line: int) -> BodyMarkup:
    """Links, images and raw HTML of `body`; code spans and blocks are ignored by the parser."""
    found = BodyMarkup()
    raw_html: list[str] = []
    lines = body.split("\n")
    for block in _PARSER.parse(body):
        found.depth = max(found.depth, block.level)
        if block.type == "fence" and block.map and not _closes(block.markup, lines[block.map[1] - 1:block.map[1]]):
            found.unclosed_fences.append(body_line + block.map[0])
        if block.type == "html_block" and block.map:
            _read_html(block.content, body_line + block.map[0], found)
            raw_html.append(block.content)
        if block.type != "inline" or not block.map:
            continue
        line = body_line + block.map[0]
        for token in block.children or []:
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "link_open":
                found.links.append(Link(str(token.attrGet("href") or ""), line, False))
            elif token.type == "image":
                found.links.append(Link(str(token.attrGet("src") or ""), line, True))
            elif token.type == "html_inline":
                _read_html(token.content, line, found)
                raw_html.append(token.content)
            found.depth = max(found.depth, block.level + token.level)
    # The Markdown library of the site nests by indentation (admonitions in admonitions) where the
    # parser here may see only code: four spaces a level.
    indentation = max((len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())) // 4 for line in lines if line.strip()) \
        if body.strip() else 0
    found.depth = max(found.depth + _html_depth("".join(raw_html)), indentation)
    return found


def _closes(opening: str, last_line: list[str]) -> bool:
    """Whether a fenced code block's last line is its closing fence (and not the end of the text)."""
    closing = last_line[0].strip() if last_line else ""
    return len(closing) >= len(opening) and set(closing) == {opening[0]}


def find_links(body: str, body_line: int) -> list[Link]:
    """Every address in `body`, in Markdown syntax or in raw HTML."""
    return read_markup(body, body_line).links


def local_target(link: Link, from_path: str) -> str | None:
    """The project path a relative link points to, or None for web, mail and in-page links."""
    parts = urlsplit(link.target)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), unquote(parts.path)))


def is_remote(target: str) -> bool:
    """Whether a link target names another host (`https://...`, `//host/...`)."""
    parts = urlsplit(normalise_url(target))
    return bool(parts.netloc) or parts.scheme in ("http", "https", "ftp")


def url_scheme(target: str) -> str:
    """The scheme of an address as a browser reads it (`JaVa&#x09;Script:` is `javascript`), or ''."""
    cleaned = normalise_url(target)
    head, colon, _ = cleaned.partition(":")
    if not colon or "/" in head or "?" in head or "#" in head:
        return ""
    return head.lower()


def normalise_url(target: str) -> str:
    """An address as browsers read it: leading and trailing controls and spaces, and tabs and
    newlines anywhere, ignored."""
    # Browsers also read a backslash as a slash: `/\\evil.example/x.png` is another host.
    return target.strip(_CONTROLS_AND_SPACE).translate(_TABS_AND_NEWLINES).replace("\\", "/")


def read_tags(fragment: str, first_line: int = 1) -> list[RawTag]:
    """The opening tags of a piece of HTML, with their lines and their attributes' values decoded.

    libxml2's parser reads them (Python's own takes quadratic time on some unclosed tags: a page of
    `<a <a <a ...` held `check` for minutes)."""
    return [RawTag(element.tag, tuple((str(name), str(value)) for name, value in element.attrib.items()),
                   first_line + (element.sourceline or 1) - 1)
            for element in _html_elements(fragment)]


def _html_elements(fragment: str) -> list:
    if "<" not in fragment:
        return []
    document = etree.fromstring(f"<html><body>{fragment}</body></html>", _HTML)
    if document is None:
        return []
    body = document.find("body")
    return [element for element in (body.iter() if body is not None else []) if isinstance(element.tag, str)
            and element is not body]


def _html_depth(html: str) -> int:
    """How deep the elements of some HTML nest (libxml2 stops counting at 255)."""
    elements = _html_elements(html)
    return max((sum(1 for _ in element.iterancestors()) - 1 for element in elements), default=0)


def html_links(html: str) -> list[Link]:
    """Every address in a piece of HTML (lines counted from 1 within it)."""
    found = BodyMarkup()
    _read_html(html, 1, found)
    return found.links


def _read_html(fragment: str, first_line: int, found: BodyMarkup) -> None:
    tags = read_tags(fragment, first_line)
    found.tags += tags
    for tag in tags:
        for name, value in tag.attributes:
            if name in URL_ATTRIBUTES:
                loads = URL_ATTRIBUTES[name] or tag.name in LOADED_BY_HREF
                found.links += [Link(address, tag.line, loads) for address in _addresses(name, value)]


def _addresses(attribute: str, value: str) -> list[str]:
    """The addresses in one attribute value (`srcset` lists several, each with a size)."""
    if attribute != "srcset":
        return [value]
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
