"""News items: dated announcements, newest first."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Item
from ..fields import IsoDate, NonEmptyText


class News(Item):
    """A news item; its date orders the news list."""

    type_name: ClassVar[str] = "news"
    type_label: ClassVar[str] = "News"
    folder: ClassVar[str] = "content/news"
    listing_title: ClassVar[str] = "News"

    summary: NonEmptyText = Field(description="One or two plain sentences for listings, search and metadata.")
    date: IsoDate = Field(description="Publication date, YYYY-MM-DD.")
