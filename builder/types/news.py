"""News items: dated announcements, newest first."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..catalogues import N_
from ..fields import IsoDate
from .base import ItemWithSummary


class News(ItemWithSummary):
    """A news item; its date orders the news list."""

    type_name: ClassVar[str] = "news"
    type_label: ClassVar[str] = N_("News")
    folder: ClassVar[str] = "content/news"
    listing_title: ClassVar[str] = N_("News")

    date: IsoDate = Field(description="Publication date, YYYY-MM-DD.")
