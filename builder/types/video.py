"""Videos: a file the project hosts itself, with captions, or a video on YouTube, Vimeo or a PeerTube
instance, which the site shows behind a click: nothing is asked of the host until the visitor plays it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from ..catalogues import N_
from ..fields import NonEmptyText, WebUrl
from .base import ItemWithSummary

VIDEO_SUFFIXES = (".mp4", ".webm")
POSTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
_PEERTUBE_PATH = re.compile(r"^/(?:w|videos/watch|videos/embed)/([A-Za-z0-9-]{6,64})/?$")


@dataclass(frozen=True)
class Embed:
    """How a hosted video is played once the visitor asks for it: the privacy-enhanced player's
    address, and the host it comes from (the one origin the page's policy lets a frame load)."""

    platform: str
    player: str
    origin: str


class Video(ItemWithSummary):
    """A video with its captions or on a video platform, and what it says as a transcript."""

    type_name: ClassVar[str] = "video"
    type_label: ClassVar[str] = N_("Video")
    folder: ClassVar[str] = "content/videos"
    listing_title: ClassVar[str] = N_("Videos")
    # Fields naming files beside the page: checked and published as the page's links are.
    file_fields: ClassVar[tuple[str, ...]] = ("file", "captions", "poster")

    file: NonEmptyText | None = Field(None, description="The video file beside the page (.mp4 or .webm), for a "
                                                        "video the site hosts itself.")
    captions: NonEmptyText | None = Field(None, description="Captions for the file (.vtt, WebVTT); required with "
                                                            "file. The page shows them as the transcript.")
    hosted: WebUrl | None = Field(None, description="The video's address on YouTube, Vimeo or a PeerTube instance, "
                                                    "for a video hosted there.")
    poster: NonEmptyText | None = Field(None, description="Still image shown before playing (.jpg, .png, .webp).")
    duration: str | None = Field(None, pattern=r"^\d{1,2}:\d{2}(:\d{2})?$", description="Length, e.g. 3:25.")

    @model_validator(mode="after")
    def _one_source(self) -> "Video":
        if (self.file is None) == (self.hosted is None):
            raise PydanticCustomError("video_source", "give either file (a video on this site) or hosted (its "
                                      "address on a video platform), not {given}",
                                      {"given": "both" if self.file else "neither", "field": "file"})
        if self.file is not None:
            _suffix(self.file, VIDEO_SUFFIXES, "file")
            if self.captions is None:
                # WCAG 2.1 success criterion 1.2.2: prerecorded video with sound needs captions.
                raise PydanticCustomError("captions_missing", "a video file needs captions (add captions: a .vtt "
                                          "file; WCAG 1.2.2)", {"field": "captions"})
        if self.captions is not None:
            _suffix(self.captions, (".vtt",), "captions")
        if self.poster is not None:
            _suffix(self.poster, POSTER_SUFFIXES, "poster")
        if self.hosted is not None and embed_of(self.hosted) is None:
            raise PydanticCustomError("video_host", "'{value}' is not a video address of YouTube, Vimeo or "
                                      "PeerTube (give the address of the video's own page)",
                                      {"value": self.hosted, "field": "hosted"})
        return self

    @property
    def embed(self) -> Embed | None:
        return embed_of(self.hosted) if self.hosted else None


def _suffix(path: str, allowed: tuple[str, ...], field: str) -> None:
    if PurePosixPath(urlsplit(path).path).suffix.lower() not in allowed:
        raise PydanticCustomError("file_kind", "'{value}' is not a {kinds} file", {"value": path, "field": field,
                                                                                   "kinds": " or ".join(allowed)})


def embed_of(address: str) -> Embed | None:
    """The privacy-enhanced player of a video page's address: YouTube's youtube-nocookie.com, Vimeo's
    player with Do Not Track, a PeerTube instance's own embed."""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        return _youtube(host, parts.path, query)
    if host == "vimeo.com" and (number := parts.path.strip("/").split("/")[-1]).isdigit():
        return Embed("Vimeo", f"https://player.vimeo.com/video/{number}?dnt=1", "https://player.vimeo.com")
    if parts.scheme == "https" and host and (match := _PEERTUBE_PATH.match(parts.path)):
        origin = f"https://{parts.netloc}"
        return Embed("PeerTube", f"{origin}/videos/embed/{match.group(1)}", origin)
    return None


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> Embed | None:
    origin = "https://www.youtube-nocookie.com"
    segments = [segment for segment in path.split("/") if segment]
    if host == "youtu.be" and len(segments) == 1:
        video = segments[0]
    elif segments[:1] == ["watch"] and query.get("v"):
        video = query["v"][0]
    elif segments[:1] in (["embed"], ["shorts"], ["live"]) and len(segments) == 2 and segments[1] != "videoseries":
        video = segments[1]
    elif (list_id := (query.get("list") or [None])[0]) and _YOUTUBE_ID.match(list_id):
        return Embed("YouTube", f"{origin}/embed/videoseries?list={list_id}", origin)
    elif segments[:1] == ["channel"] and len(segments) >= 2 and segments[1].startswith("UC"):
        # A channel plays as the list of its uploads, whose id is the channel's with UU for UC.
        return Embed("YouTube", f"{origin}/embed/videoseries?list=UU{segments[1][2:]}", origin)
    else:
        return None
    return Embed("YouTube", f"{origin}/embed/{video}", origin) if _YOUTUBE_ID.match(video) else None
