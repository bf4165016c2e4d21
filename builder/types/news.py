"""News items: dated announcements, newest first."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..fields import IsoDate
from .base import ItemWithSummary


class News(ItemWithSummary):
    """A news item; its date orders the news list."""

    type_name: ClassVar[str] = "news"
    type_label: ClassVar[str] = "News"
    folder: ClassVar[str] = "content/news"
    listing_title: ClassVar[str] = "News"

    date: IsoDate = Field(description="Publication date, YYYY-MM-DD.")
