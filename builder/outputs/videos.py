"""What the pages need to show videos: for a file on the site, its address, captions and poster, and the
transcript read from its captions (WebVTT, with webvtt-py); for a hosted video, the privacy-enhanced
player it loads once the visitor clicks, and the one origin the page's security policy lets a frame
come from. Video pages get their own video; each action plan page for a stakeholder group gets the
videos for that group; the gallery gets every video, for its posters.
"""

from __future__ import annotations

from dataclasses import dataclass

import webvtt

from ..layout import site_path
from ..links import Link, local_target
from ..problems import ContentErrors, Problem
from ..project import Project
from ..read import Record
from ..types import Video
from ..types.video import Embed
from .base import Made, Output, OutputContext, register_output


@dataclass(frozen=True)
class Player:
    """One video as a page shows it."""

    title: str
    summary: str
    page: str  # the video's own page, by source path
    file: str | None  # site paths of what the site hosts itself
    captions: str | None
    poster: str | None
    embed: Embed | None
    hosted: str | None  # the video's page on its platform: where the play link leads without scripts
    transcript: list[str]  # paragraphs, from the captions
    language: str


@dataclass(frozen=True)
class PageVideos:
    """The videos on one page, and the origins its policy lets frames load from: none on a page that
    only lists them (the gallery shows their posters, not their players)."""

    players: list[Player]
    plays: bool = True

    @property
    def frame_origins(self) -> list[str]:
        return sorted({player.embed.origin for player in self.players if player.embed}) if self.plays else []

    def of(self, page: str) -> Player | None:
        """The video whose own page is `page`."""
        return next((player for player in self.players if player.page == page), None)


@register_output
class Videos(Output):
    name = "videos"
    stage = "files"

    def run(self, context: OutputContext) -> Made:
        project = context.project
        videos = [*project.collection.of_type(Video),
                  *(record for record in project.collection.translations if isinstance(record.item, Video))]
        players = {record.path: _player(project, record) for record in videos}
        pages: dict[str, PageVideos] = {path: PageVideos([player]) for path, player in players.items()}
        for page in project.virtual_pages:
            if page.item and page.item.scope == "stakeholder":
                mine = [players[record.path] for record in project.collection.of_type(Video)
                        if page.item.key in record.item.audiences()]
                if mine:
                    pages[page.path] = PageVideos(mine)
        if players:
            pages[f"{Video.folder}/index.md"] = PageVideos(list(players.values()), plays=False)
        return Made(pages=pages, summary=len(players))


def _player(project: Project, record: Record) -> Player:
    item: Video = record.item
    published = {name: _site_path(record, getattr(item, name)) for name in Video.file_fields}
    transcript = _transcript(project, record) if item.captions else []
    return Player(item.title, item.summary, record.path, published["file"], published["captions"],
                  published["poster"], item.embed, item.hosted, transcript, item.language or project.config.project.language)


def _site_path(record: Record, value: str | None) -> str | None:
    if not value:
        return None
    target = local_target(Link(value, 1, True), record.path)
    return site_path(target) if target else None


def _transcript(project: Project, record: Record) -> list[str]:
    """The captions' text, one paragraph per cue with the speaker's voice tags left out."""
    target = local_target(Link(record.item.captions, 1, True), record.path)
    try:
        captions = webvtt.read(str(project.root / target))
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError, UnicodeDecodeError) as error:
        raise ContentErrors([Problem(record.path, record.line_of("captions"), "video", "captions",
                                     f"'{record.item.captions}' is not a WebVTT file ({error})")]) from None
    return [" ".join(caption.text.split()) for caption in captions if caption.text.strip()]
