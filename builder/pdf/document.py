"""Print documents: an item's Markdown rendered for paper through the Jinja templates in theme/print/.

Everything here runs in the main process and is fast; only WeasyPrint runs in the workers.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markdown.extensions.toc import TocExtension
from markupsafe import Markup

from ..links import Link, find_links, local_target
from ..project import Project
from ..read import Record
from ..render import Renderer
from .naming import pdf_file_name
from .render import PdfJob

PRINT_SUBFOLDER = "print"
PRINT_FOLDER = f"theme/{PRINT_SUBFOLDER}"
PRINT_INPUTS = ("theme/print", "theme/assets/eu-emblem.svg")
_LINK = re.compile(r'<a href="([^"#][^"]*\.md(?:#[^"]*)?)"([^>]*)>(.*?)</a>', re.S)


@dataclass(frozen=True)
class PrintDocument:
    """The print HTML of one item and the name its PDF will carry."""

    record: Record
    file_name: str
    job: PdfJob


class PrintRenderer:
    """Builds print documents for one project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.site = Renderer(project)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(project.root / PRINT_FOLDER),
                                      autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                      undefined=jinja2.StrictUndefined)
        self.env.filters.update(self.site.env.filters)
        self.env.globals.update(self.site.env.globals)
        self.shared_digest = _digest_files(project.root, PRINT_INPUTS)

    def document(self, record: Record) -> PrintDocument:
        """The print document of a record that wants a PDF."""
        body, toc = self._body(record)
        item = record.item
        root = self.project.root
        template = self.env.select_template([f"{item.type_name}.html", "page.html"])
        html = template.render(
            record=record, item=item, body=Markup(body), toc=toc, collection=self.project.collection,
            language=item.language or self.project.config.project.language,
            keywords=self._keywords(record),
            assets=(root / "theme").as_uri() + "/",
            funding=self.project.config.funding_text)
        key = self._key(record, html)
        base_url = (root / record.path).parent.as_uri() + "/"
        job = PdfJob(record.path, key, html, base_url, (root,))
        return PrintDocument(record, pdf_file_name(self.project.config.project.acronym, item, record.path), job)

    def _body(self, record: Record) -> tuple[str, list[dict[str, Any]]]:
        md = _print_markdown(self.project.config.markdown_extensions)
        html = md.convert(record.body)
        return _rewrite_page_links(html, record, self.project), md.toc_tokens

    def _keywords(self, record: Record) -> str:
        config = self.project.config
        labels = [config.topics[key].label for key in record.item.topics]
        labels += [config.stakeholders[key].label for key in record.item.audiences()]
        return ", ".join(labels)

    def _key(self, record: Record, html: str) -> str:
        digest = hashlib.sha256()
        for part in (version("disseminate"), version("weasyprint"), self.shared_digest, html):
            digest.update(part.encode("utf-8") + b"\0")
        for image in _local_images(record):
            path = self.project.root / image
            digest.update(path.read_bytes() if path.is_file() else b"missing")
        return digest.hexdigest()[:32]


def _print_markdown(configured: list[str | dict[str, Any]]) -> markdown.Markdown:
    """A Markdown converter with the site's extensions, permalinks off (paper has no anchors to copy)."""
    names: list[Any] = []
    options: dict[str, dict[str, Any]] = {}
    for entry in configured:
        name, settings = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name != "toc":
            names.append(name)
            options[name] = settings or {}
    return markdown.Markdown(extensions=[*names, TocExtension(permalink=False)], extension_configs=options)


def _local_images(record: Record) -> list[str]:
    links: list[Link] = find_links(record.body, record.body_line)
    return sorted({target for link in links if link.is_image and (target := local_target(link, record.path))})


def _rewrite_page_links(html: str, record: Record, project: Project) -> str:
    """Links to other pages point at the published site, or become plain text when its URL is unknown."""
    site_url = (project.config.site_url or "").rstrip("/")

    def replace(match: re.Match[str]) -> str:
        href, attributes, text = match.groups()
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(record.path), path))
        if not site_url:
            return text
        url = f"{site_url}/{project.url_of(target)}" + (f"#{fragment}" if fragment else "")
        return f'<a href="{url}"{attributes}>{text}</a>'
    return _LINK.sub(replace, html)


def _digest_files(root: Path, inputs: tuple[str, ...]) -> str:
    """One digest of every file under the given paths: templates, CSS, fonts, the emblem."""
    digest = hashlib.sha256()
    for entry in inputs:
        base = root / entry
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
