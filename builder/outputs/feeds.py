"""Feeds (Atom and RSS 2.0, written with feedgen): the news, the new publications (deliverables,
policy briefs, guides) and, for each stakeholder group, what is for that group, so that a National
Contact Point can follow only what is for NCPs. Pages that list what a feed holds announce it
(`<link rel="alternate">`).

Entries are published items only, newest first by their content date; an entry's id is its page's
address (a `tag:` URI when the site's address is not set), and every date comes from the content,
never the clock, so that two builds of the same content give the same feeds.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from ..catalogues import translations
from ..layout import CONTENT_ROOT
from ..pages import SUBSCRIBE_PAGE
from ..project import Project
from ..read import Record
from ..types import Deliverable, Guide, News, PolicyBrief, newest_first
from .base import Made, Output, OutputContext, register_output

FEEDS_FOLDER = "feeds"
FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
PUBLICATIONS = (Deliverable, PolicyBrief, Guide)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # the date of a feed whose content gives none


@dataclass(frozen=True)
class Feed:
    """One feed as pages announce it: its title and, by format, its path in the site."""

    title: str
    paths: dict[str, str]  # "atom" / "rss" -> site path

    def links(self) -> list[tuple[str, str, str]]:
        """(title, media type, path) for each format."""
        return [(f"{self.title} ({kind.upper() if kind == 'rss' else 'Atom'})", FORMATS[kind], path)
                for kind, path in self.paths.items()]


@register_output
class Feeds(Output):
    name = "feeds"
    stage = "files"
    writes = (f"{FEEDS_FOLDER}/",)

    def run(self, context: OutputContext) -> Made:
        project = context.project
        published = [record for record in project.collection.published() if not record.item.plain_page]
        home = f"{CONTENT_ROOT}/index.md"
        _ = translations(project.config.project.language).gettext  # the feeds' titles, in the site's language
        wanted = [("news", _("News"), [r for r in published if type(r.item) is News],
                   [f"{CONTENT_ROOT}/news/index.md", home]),
                  ("publications", _("New publications"), [r for r in published if type(r.item) in PUBLICATIONS],
                   [*(f"{content_type.folder}/index.md" for content_type in PUBLICATIONS), home])]
        for key, term in project.config.stakeholders.items():
            wanted.append((f"for/{key}", _("For %(group)s") % {"group": term.label},
                           [r for r in published if key in r.item.audiences()],
                           [f"{CONTENT_ROOT}/stakeholders/{key}.md"]))
        files: dict[str, bytes] = {}
        pages: dict[str, list[Feed]] = {}
        for name, title, records, announced_on in wanted:
            if not records:
                continue
            feed = Feed(f"{project.config.project.acronym}: {title}",
                        {kind: f"{FEEDS_FOLDER}/{name}.{kind}" for kind in FORMATS})
            generator = _generator(project, feed, newest_first(records))
            files[feed.paths["atom"]] = generator.atom_str(pretty=True)
            files[feed.paths["rss"]] = generator.rss_str(pretty=True)
            for page in [*announced_on, SUBSCRIBE_PAGE]:
                pages.setdefault(page, []).append(feed)
        return Made(files=files, pages=pages, summary=sorted(files))


def _generator(project: Project, feed: Feed, records: list[Record]) -> FeedGenerator:
    generator = FeedGenerator()
    site = (project.config.site_url or "").rstrip("/")
    generator.id(f"{site}/{feed.paths['atom']}" if site else _tag(project, feed.paths["atom"]))
    generator.title(feed.title)
    generator.subtitle(_subtitle(project))
    generator.link(href=_href(site, "", feed.paths["atom"]), rel="alternate")
    if site:
        generator.link(href=f"{site}/{feed.paths['atom']}", rel="self")
    generator.language(project.config.project.language)
    moment = _moment(project, None)
    generator.updated(moment)
    generator.lastBuildDate(moment)
    generator.generator("Disseminate")
    for record in reversed(records):  # feedgen puts each new entry first
        _entry(generator, project, record, site, feed.paths["atom"])
    return generator


def _subtitle(project: Project) -> str:
    """The project's title and, where the programme's visibility rules ask for it, its funding."""
    config = project.config
    funding = config.funding_text
    wanted = config.funding_marks("feeds")
    return " ".join([config.project.title + ".", *(getattr(funding, mark) for mark in ("statement", "disclaimer")
                                                   if mark in wanted)])


def _entry(generator: FeedGenerator, project: Project, record: Record, site: str, feed_path: str) -> None:
    item = record.item
    url = project.url_of(record.path)
    entry = generator.add_entry()
    entry.id(f"{site}/{url}" if site else _tag(project, url))
    entry.title(f"{item.identifier}: {item.title}" if isinstance(item, (Deliverable, PolicyBrief)) else item.title)
    entry.link(href=_href(site, url, feed_path))
    entry.summary(item.summary or item.title)
    entry.updated(_moment(project, item.sort_date))
    if item.sort_date:
        entry.published(_moment(project, item.sort_date))
    for author in item.authors:
        entry.author({"name": author})
    entry.category([{"term": item.type_name,
                     "label": translations(project.config.project.language).gettext(item.type_label)}])


def _moment(project: Project, day: dt.date | None) -> dt.datetime:
    """An item's date as feeds need it, at midnight UTC; without one, when the content dates from."""
    if day is None:
        return project.content_moment or EPOCH
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _href(site: str, url: str, feed_path: str) -> str:
    """A page's address as a feed links it: absolute with the site's address, else relative to the
    feed's own place (a reader resolves a feed's links against the feed)."""
    if site:
        return f"{site}/{url}"
    relative = posixpath.relpath(f"/{url}", f"/{posixpath.dirname(feed_path)}")
    return relative + "/" if (not url or url.endswith("/")) and not relative.endswith("/") else relative


def _tag(project: Project, path: str) -> str:
    """A `tag:` URI (RFC 4151) for a site without an address: stable, and never a fetchable link."""
    return f"tag:{project.id_host},2000:{path}"

