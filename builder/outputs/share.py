"""Sharing without tracking: OpenGraph and Twitter card tags in the head of every page, and a share
image per item, so that a link pasted into a social network, a chat or a newsletter shows its title,
summary and picture. Nothing is loaded from another host, and there are no share buttons: the
reader's own application does the sharing.

Each item with a card (not a plain page) gets `share/<page path>.png`; every other page shows the
project's `share/default.png`. OpenGraph wants absolute addresses, so the images (and `og:url`,
`og:image`) exist only when `site_url` is set: without it the images could be reached by no tag, and
what is published is what a page uses. Every image carries the EU emblem and the funding line; the
summary records, per page, the image it shows and, per image, where the emblem was drawn.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import PIL

from ..catalogues import translations
from ..discover import links_among
from ..layout import CACHE_ROOT
from ..problems import ContentErrors
from ..project import Project
from ..read import Record
from ..share_image import DRAWING_VERSION, SIZE, Card, Fonts, render_card
from ..stored import FileStore
from .base import Made, Output, OutputContext, register_output

SHARE_FOLDER = "share"
DEFAULT_NAME = "default"
CACHE_FOLDER = f"{CACHE_ROOT}/share"
# The print fonts: TrueType, which Pillow reads (the web's are WOFF2), as the theme's layers resolve them.
FONT_FILES = {"regular": "print/fonts/noto-sans-400-normal.ttf", "bold": "print/fonts/noto-sans-700-normal.ttf"}

Tag = tuple[str, str, str]  # (attribute, its value, content): ("property", "og:title", "A report")


@dataclass(frozen=True)
class ShareImage:
    """One image as the compliance check and the head tags need it."""

    path: str  # site path
    alt: str
    emblem: tuple[int, int, int, int]  # where the emblem was drawn: left, top, width, height
    funding: str  # the funding line drawn beside it


@dataclass
class ShareReport:
    """Which page shows which image, and what each image shows."""

    pages: dict[str, str] = field(default_factory=dict)  # source path -> site path of its image
    images: dict[str, ShareImage] = field(default_factory=dict)  # site path -> the image
    rendered: list[str] = field(default_factory=list)
    reused: int = 0


@register_output
class Share(Output):
    name = "share"
    stage = "files"
    writes = (f"{SHARE_FOLDER}/",)

    def run(self, context: OutputContext) -> Made:
        project = context.project
        report = ShareReport()
        files: dict[str, bytes | Any] = {}
        if project.config.site_url:
            files = _images(project, report)
            context.log.info("Share images: %d drawn, %d unchanged", len(report.rendered), report.reused)
        def image_of(path: str) -> Any:  # a translation shows its original's image
            record = project.record(path)
            return report.images.get(report.pages.get(record.original if record and record.original else path, ""))
        pages = {path: share_tags(project, path, image_of(path)) for path in _page_paths(project)}
        return Made(files=files, pages=pages, summary=report)


def _page_paths(project: Project) -> list[str]:
    return [*(record.path for record in project.collection.every_published_page()),
            *(page.path for page in project.virtual_pages)]


def _images(project: Project, report: ShareReport) -> dict[str, Any]:
    """Draw (or take from the cache) every item's image and the default; fill `report`."""
    if refused := links_among([project.root / CACHE_FOLDER], project.root):  # the cache is written: never through a link
        raise ContentErrors(refused)
    fonts = Fonts(**{kind: project.theme.files(name)[name] for kind, name in FONT_FILES.items()})
    fixed = _digest(DRAWING_VERSION, PIL.__version__, fonts.regular.read_bytes(), fonts.bold.read_bytes())
    store = FileStore(project.root / CACHE_FOLDER, ".png")
    items = {record.path: image_path(project, record.path) for record in project.collection.published()
             if not record.item.plain_page}
    default = _free_default(set(items.values()))
    wanted = {site_path: (_card(project, project.record(path)), _alt(project, project.record(path)))
              for path, site_path in items.items()}
    wanted[default] = (_card(project, None), _alt(project, None))
    files = {}
    for site_path, (card, alt) in wanted.items():
        key = _digest(fixed, json.dumps(asdict(card), sort_keys=True))
        stored = store.get(key)
        if stored is None or "emblem" not in stored.facts:
            drawn = render_card(card, fonts)
            stored = store.put(key, drawn.png, {"emblem": list(drawn.emblem), "funding": card.funding})
            report.rendered.append(site_path)
        else:
            report.reused += 1
        files[site_path] = stored.path
        report.images[site_path] = ShareImage(site_path, alt, tuple(stored.facts["emblem"]), stored.facts["funding"])
    report.pages = {path: items.get(path, default) for path in _page_paths(project)}
    return files


def image_path(project: Project, path: str) -> str:
    """`share/<page path>.png`: `deliverables/d5-4/` has `share/deliverables/d5-4.png`."""
    url = project.url_of(path).rstrip("/")
    stem, extension = posixpath.splitext(url)
    return f"{SHARE_FOLDER}/{stem if extension == '.html' else url}.png"


def _free_default(taken: set[str]) -> str:
    """The default image's path, unless an item's page is called `default` too (then another)."""
    candidate, number = f"{SHARE_FOLDER}/{DEFAULT_NAME}.png", 1
    while candidate in taken:
        candidate, number = f"{SHARE_FOLDER}/{DEFAULT_NAME}-{number}.png", number + 1
    return candidate


def _card(project: Project, record: Record | None) -> Card:
    config = project.config
    funding = config.funding_text
    _ = translations(config.project.language).gettext
    programme = _("%(programme)s · grant agreement %(number)s") % {"programme": funding.name,
                                                                   "number": config.project.grant_agreement}
    if record is None:  # the project's own card: its site's name over its title, unless that is the acronym again
        label = config.site_name if config.site_name != config.project.acronym else ""
        return Card(config.project.acronym, label, config.project.title, funding.short, programme)
    return Card(config.project.acronym, type_label(record, _), record.item.title, funding.short, programme)


def type_label(record: Record, gettext: Callable[[str], str]) -> str:
    """What an item is, with its key, in `gettext`'s language: "Deliverable D5.4", "Policy brief 3"."""
    item = record.item
    kind = gettext(item.type_label)
    # TRANSLATORS: an item's kind and number, as a share image shows them: "Deliverable D5.4", "Policy brief 3".
    return gettext("%(kind)s %(key)s") % {"kind": kind, "key": item.key} if item.key is not None else kind


def _alt(project: Project, record: Record | None) -> str:
    """The image's text alternative: what it shows, in reading order."""
    config = project.config
    _ = translations(config.project.language).gettext
    shown = f"{type_label(record, _)}: {record.item.title}" if record else config.project.title
    return _("%(acronym)s. %(shown)s. EU emblem: %(funding)s.") % {
        "acronym": config.project.acronym, "shown": shown, "funding": config.funding_text.short}


def share_tags(project: Project, path: str, image: ShareImage | None) -> list[Tag]:
    """OpenGraph and Twitter card tags of one page. Addresses only with site_url: OpenGraph wants
    them absolute, and a relative one would resolve against whichever site shows the preview."""
    config = project.config
    record = project.record(path)
    virtual = project.virtual_page(path)
    url = project.url_of(path)
    site_name = config.site_name or config.project.acronym
    # The home page's title ("Home") says nothing once the link has left the site: the site's name does.
    title = site_name if not url else record.item.title if record else virtual.title if virtual else site_name
    description = (record.item.summary if record else None) or config.site_description or config.project.title
    is_item = bool(record and not record.item.plain_page)
    tags: list[Tag] = [("property", "og:type", "article" if is_item else "website"),
                       ("property", "og:title", title),
                       ("property", "og:description", description),
                       ("property", "og:site_name", site_name)]
    if locale := _locale(project, record):
        tags.append(("property", "og:locale", locale))
    if address := project.absolute_url(url):
        tags.append(("property", "og:url", address))
    if is_item and record.item.date:
        tags.append(("property", "article:published_time", record.item.date.isoformat()))
    image_address = project.absolute_url(image.path) if image else None
    if image_address:
        tags += [("property", "og:image", image_address), ("property", "og:image:type", "image/png"),
                 ("property", "og:image:width", str(SIZE[0])), ("property", "og:image:height", str(SIZE[1])),
                 ("property", "og:image:alt", image.alt)]
    tags += [("name", "twitter:card", "summary_large_image" if image_address else "summary"),
             ("name", "twitter:title", title), ("name", "twitter:description", description)]
    if image_address:
        tags += [("name", "twitter:image", image_address), ("name", "twitter:image:alt", image.alt)]
    return tags


def _locale(project: Project, record: Record | None) -> str | None:
    """og:locale as OpenGraph writes it, language_TERRITORY (en_GB): the item's language, else the
    site's locale; None when only a bare language is known, which is no OpenGraph locale."""
    config = project.config.project
    language = record.item.language if record and record.item.language else None
    locale = (language or config.locale or config.language).replace("-", "_")
    parts = locale.split("_")
    return locale if len(parts) == 2 and len(parts[1]) == 2 and parts[1].isalpha() else None


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part.encode("utf-8") if isinstance(part, str) else part) + b"\0")
    return digest.hexdigest()[:32]
