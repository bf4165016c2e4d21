"""Markdown converted as the site converts it: Python-Markdown with the project's extensions and
MkDocs' built-in ones. The checks read bodies with another parser, faster and with lines; where the
two could disagree in a way that matters (which files a confidential page shows), this one decides.
"""

from __future__ import annotations

from typing import Any

import markdown
from markdown.extensions.toc import TocExtension

from .deadline import PAGE_SECONDS, Deadline, slow_page
from .problems import ContentErrors

MKDOCS_BUILT_IN_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs adds these to every site


def site_markdown(configured: list[str | dict[str, Any]], permalinks: bool = False) -> markdown.Markdown:
    """A converter with the site's extensions; headings get permalinks only where asked."""
    names: list[Any] = []
    options: dict[str, dict[str, Any]] = {}
    for entry in [*MKDOCS_BUILT_IN_EXTENSIONS, *configured]:
        name, settings = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "toc":
            continue
        if name not in options:
            names.append(name)
        options[name] = settings or options.get(name) or {}
    return markdown.Markdown(extensions=[*names, TocExtension(permalink=permalinks)], extension_configs=options)


def convert(converter: markdown.Markdown, text: str, path: str, kind: str) -> str:
    """The HTML of one body, within the time one page may take (ContentErrors if it takes longer)."""
    expired = lambda subject: ContentErrors([slow_page(subject, kind, PAGE_SECONDS)])  # noqa: E731
    with Deadline(PAGE_SECONDS, expired) as deadline:
        deadline.start(path)
        return converter.reset().convert(text)
