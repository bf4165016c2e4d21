"""Find the links and images in a Markdown body, with their lines, using a real Markdown parser."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Link:
    """A link or image target written in a body, at a 1-based line of the file."""

    target: str
    line: int
    is_image: bool


def find_links(body: str, body_line: int) -> list[Link]:
    """Every link and image target in `body`; code spans and blocks are ignored by the parser."""
    links = []
    for block in _PARSER.parse(body):
        if block.type != "inline" or not block.map:
            continue
        line = body_line + block.map[0]
        for token in block.children or []:
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "link_open":
                links.append(Link(str(token.attrGet("href") or ""), line, False))
            elif token.type == "image":
                links.append(Link(str(token.attrGet("src") or ""), line, True))
    return links


def local_target(link: Link, from_path: str) -> str | None:
    """The project path a relative link points to, or None for web, mail and in-page links."""
    parts = urlsplit(link.target)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), unquote(parts.path)))


def is_remote(target: str) -> bool:
    """Whether a link target names another host (`https://...`, `//host/...`)."""
    parts = urlsplit(target)
    return bool(parts.netloc) or parts.scheme in ("http", "https", "ftp")
