"""Print documents: an item's Markdown rendered for paper through the Jinja templates in theme/print/.

Everything here runs in the main process and is fast; only WeasyPrint runs in the workers.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markdown
from markupsafe import Markup

from ..action_plan import ActionPlan, PlanPart
from ..catalogues import N_
from ..charts import bar_chart
from ..collection import Collection
from ..config import SiteConfig
from ..convert import convert, site_markdown
from ..explorer import EXPLORER_URL, AreaReport, Names, areas_with_projects
from ..layout import site_path
from ..links import Link, local_target
from ..markup import sanitize
from ..project import Project
from ..read import Record
from ..templating import SHARED_TEMPLATES, Wording, render_template, template_environment
from ..themes import PRINT_ENTRIES, PRINT_SUBFOLDER, ThemeLayers
from .engine import PdfJob
from .naming import area_file_name, pdf_file_name, plan_file_name, translated_plan_file_name
from .readable import Readable


@dataclass(frozen=True)
class PrintDocument:
    """The print HTML of one PDF and what the site says about it.

    `path` is the source of the page the PDF belongs to: an item's file, or a generated page's
    source-style path (the action plan's pages).
    """

    path: str
    kind: str
    file_name: str
    language: str
    version: str | None
    job: PdfJob


@dataclass(frozen=True)
class PrintItem:
    """What the print frame (base.html) reads of a document that is no item of the content: a
    report, an area's state of play."""

    title: str
    summary: str
    type_name: str
    authors: tuple[str, ...] = ()
    sort_date: None = None


class PrintDocuments:
    """Builds print documents for one project."""

    def __init__(self, project: Project, language: str | None = None) -> None:
        """`language`: the documents' words (the project's unless given)."""
        self.project = project
        self.wording = Wording(project.config, project.built_at.date(), language)
        self.env = print_environment(project, self.wording)
        # Each of the site's languages' words and templates, made when first needed.
        self._languages = {} if language else {self.wording.language: (self.wording, self.env)}
        self._templates = set(self.env.loader.list_templates())
        # What shapes every PDF alike: the builder and WeasyPrint versions, templates, CSS, fonts, emblem.
        self.shared_digest = _digest_theme(project.theme, version("disseminate"), version("weasyprint"))
        self._bodies: dict[str, Markup] = {}
        self._published = {asset.path for asset in project.assets}

    def document(self, record: Record) -> PrintDocument:
        """The print document of a record that wants a PDF, in the words of the site's language it
        is part of (a translation's)."""
        body, toc = self._body(record)
        item = record.item
        root = self.project.root
        site_language = self.project.site_language(record.path)
        config = self.project.config.in_language(site_language)
        html = render_template(
            self._in(site_language)[1], print_template(self._templates, item.type_name), root, record.path,
            record=record, item=item, body=Markup(body), toc=toc, collection=self._collection(site_language),
            language=item.language or site_language,
            keywords=_keywords(record, config),
            assets=self.theme_from(posixpath.dirname(record.path)),
            funding=config.funding_text)
        key = self._key(html, _local_images(record))
        base_url = (root / record.path).parent.as_uri() + "/"
        job = PdfJob(record.path, key, html, base_url)
        return PrintDocument(record.path, item.type_name,
                             pdf_file_name(config.project.acronym, item, record.path, self._suffix(site_language)),
                             item.language or site_language, getattr(item, "version", None), job)

    def plan_document(self, part: PlanPart, plan: ActionPlan) -> PrintDocument:
        """The PDF of one action plan page: the whole plan, one group's part or one stage's part."""
        bodies = {r.item.id: self._recommendation_body(r) for r in plan.records}
        language = part.language or self.project.config.default_language
        config = self.project.config.in_language(language)
        wording, env = self._in(language)
        html = render_template(
            env, "action_plan.html", self.project.root, part.path,
            item=part, plan=plan, mode=part.scope, key=part.key, bodies=bodies, language=language,
            keywords=", ".join(term.label for term in plan.stakeholders.values()),
            introduction=Markup(sanitize(markdown.markdown(config.action_plan.introduction))),
            assets=self.theme_from(""), funding=config.funding_text,
            collection=self._collection(language))
        file_name = (translated_plan_file_name(config.project.acronym, part.ident, language)
                     if self._suffix(language) else
                     plan_file_name(config.project.acronym, part.title, wording.gettext(config.action_plan.title)))
        job = PdfJob(part.path, self._key(html, []), html, self.project.root.as_uri() + "/")
        return PrintDocument(part.path, part.type_name, file_name, language, None, job)

    def _in(self, language: str) -> tuple[Wording, jinja2.Environment]:
        """The words and templates of the documents of one of the site's languages."""
        if language not in self._languages:
            wording = Wording(self.project.config.in_language(language), self.project.built_at.date())
            self._languages[language] = (wording, print_environment(self.project, wording))
        return self._languages[language]

    def _collection(self, language: str) -> Collection:
        """The items as the site's pages in `language` show them (for links from a PDF to others)."""
        return self.project.collection_in(language)

    def _suffix(self, language: str) -> str | None:
        """What sets a translation's PDF name apart from its original's: the language, but for the default."""
        return None if language == self.project.config.default_language else language

    def area_document(self, area: AreaReport, names: Names) -> PrintDocument:
        """The state of play of one thematic area of the related projects."""
        config = self.project.config
        path = f"{AREA_DOCUMENTS}{area.key}"
        words = self.wording
        item = PrintItem(words.gettext("Projects in %(area)s: the state of play") % {"area": area.label},
                         area.description or words.ngettext(
                             "%(num)s EU-funded project of CORDIS's record in this area: who works on what, where, "
                             "and with how much EU money.",
                             "%(num)s EU-funded projects of CORDIS's record in this area: who works on what, where, "
                             "and with how much EU money.", area.count) % {"num": area.count},
                         "explorer_area")
        site_url = (config.site_url or "").rstrip("/")
        html = render_template(
            self.env, "explorer_area.html", self.project.root, path, item=item, area=area, names=names,
            charts=[bar_chart(figure.title, figure.heading, [(label, count) for label, count, _ in figure.rows])
                    for figure in area.figures],
            coordinator_of=lambda project: next((p for p in project.participants if p.role == "coordinator"), None),
            explorer_url=f"{site_url}/{EXPLORER_URL}" if site_url else None,
            toc=[{**entry, "name": words.gettext(entry["name"])} for entry in _AREA_CONTENTS],
            language=words.language, keywords=area.label, body=Markup(""), assets=self.theme_from(""),
            funding=config.funding_text)
        job = PdfJob(path, self._key(html, []), html, self.project.root.as_uri() + "/")
        return PrintDocument(path, "explorer_area", area_file_name(config.project.acronym, area.label),
                             words.language, None, job)

    def theme_from(self, folder: str) -> str:
        """The project's theme folder relative to a document's folder (the fetcher takes what it
        lacks from the package's): nothing in the print HTML, and so nothing in the cache key,
        depends on where the project lives."""
        theme = os.path.relpath(self.project.theme.project, self.project.root).replace(os.sep, "/")
        return posixpath.relpath(theme, folder or ".") + "/"

    def _recommendation_body(self, record: Record) -> Markup:
        """A recommendation's body, converted once for all the action plan's PDFs it appears in."""
        if record.path not in self._bodies:
            self._bodies[record.path] = Markup(self._body(record)[0])
        return self._bodies[record.path]

    def _body(self, record: Record) -> tuple[str, list[dict[str, Any]]]:
        md = site_markdown(self.project.config.markdown_extensions)  # no permalinks: paper has no anchors to copy
        converted = convert(md, record.body, record.path, record.item.type_name)
        # On paper even a trusted folder's markup is sanitised (a form means nothing there), and every
        # link is made to lead to the published site, never to a file of the machine the PDF is made on.
        return sanitize(converted, links=lambda href: self._print_address(href, record)), md.toc_tokens

    def _print_address(self, href: str, record: Record) -> str | None:
        """Where a link in a PDF leads: the same place elsewhere, the published page or file, or
        nowhere (its text stays) when the site's address is unknown or the target is not published."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:  # another site, mail, or a place in this text
            return href
        site_url = (self.project.config.site_url or "").rstrip("/")
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path.startswith("/"):
            return f"{site_url}{parts.path}{fragment}" if site_url else None
        target = local_target(Link(parts.path, 0, False), record.path)
        return _published_url(target, self.project, self._published, site_url, fragment)

    def _key(self, html: str, images: list[str]) -> str:
        digest = hashlib.sha256()
        for part in (self.shared_digest, html):
            digest.update(part.encode("utf-8") + b"\0")
        for image in images:
            path = self.project.root / image
            digest.update(path.read_bytes() if path.is_file() else b"missing")
        return digest.hexdigest()[:32]


AREA_DOCUMENTS = "projects/areas/"  # where an area's state of play stands among the documents (no file)
_AREA_CONTENTS = [{"level": 2, "id": "figures", "name": N_("In figures"), "children": []},
                  {"level": 2, "id": "organisations", "name": N_("Who takes part"), "children": []},
                  {"level": 2, "id": "projects", "name": N_("The projects"), "children": []}]


def print_environment(project: Project, wording: Wording | None = None) -> jinja2.Environment:
    """Print templates come from the theme's layers, shared pieces (the revision history) from the
    package: never a web template, which would expect what only a web page has. In the wording's
    language (the project's unless given)."""
    loader = jinja2.ChoiceLoader([*(jinja2.FileSystemLoader(layer / PRINT_SUBFOLDER) for layer in project.theme.layers),
                                  jinja2.PackageLoader("builder", SHARED_TEMPLATES)])
    return (wording or Wording(project.config, project.built_at.date())).install(template_environment(loader))


def _keywords(record: Record, config: SiteConfig) -> str:
    """The PDF's keywords: the item's topics and groups, as the document's language words them."""
    labels = [config.topics[key].label for key in record.item.topics]
    labels += [config.stakeholders[key].label for key in record.item.audiences()]
    return ", ".join(labels)


def first_document_of_each_template(project: Project, templates: set[str]) -> dict[str, str]:
    """Print template -> the first page (an item's source, or a generated page's path) whose PDF it makes."""
    firsts: dict[str, str] = {}
    for record in project.collection.every_published_page():
        if record.item.wants_pdf:
            firsts.setdefault(print_template(templates, record.item.type_name), record.path)
    for page in project.virtual_pages:
        if page.item and page.item.wants_pdf:
            firsts.setdefault("action_plan.html", page.path)
    if project.repository is not None and (areas := areas_with_projects(project.repository)):
        # The area with the fewest projects: its document is the quickest to make for a check.
        sizes = Counter(area for entry in project.repository.entries for area in entry.areas)
        firsts.setdefault("explorer_area.html", f"{AREA_DOCUMENTS}{min(areas, key=sizes.__getitem__)}")
    return firsts


def print_template(templates: set[str], type_name: str) -> str:
    """The print template of a type among the `templates` there are: its own, else the plain page's."""
    own = f"{type_name}.html"
    return own if own in templates else "page.html"


def readable_files(project: Project) -> Readable:
    """What the PDFs of `project` may use: the theme's print inputs, and the files the site publishes."""
    return Readable(project.theme.layers, PRINT_ENTRIES, frozenset(asset.absolute.resolve() for asset in project.assets))


def _local_images(record: Record) -> list[str]:
    return sorted({target for link in record.markup.links if link.is_image and (target := local_target(link, record.path))})


def _published_url(target: str | None, project: Project, published: set[str], site_url: str, fragment: str) -> str | None:
    if not (site_url and target):
        return None
    record = project.record(target)
    if (record and record.item.is_public) or project.virtual_page(target):
        return f"{site_url}/{project.url_of(target)}{fragment}"
    return f"{site_url}/{site_path(target)}" if target in published else None


def _digest_theme(theme: ThemeLayers, *versions: str) -> str:
    """One digest of the given versions and of every print input as the theme's layers resolve it."""
    digest = hashlib.sha256("\0".join(versions).encode())
    for entry in PRINT_ENTRIES:
        for name, path in theme.files(entry).items():
            digest.update(f"theme/{name}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
