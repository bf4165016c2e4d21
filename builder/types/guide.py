"""Guides: practical how-to texts for one or more stakeholder groups."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Item
from ..fields import NonEmptyText, StakeholderKey


class Guide(Item):
    """A practical guide addressed to an audience."""

    type_name: ClassVar[str] = "guide"
    type_label: ClassVar[str] = "Guide"
    folder: ClassVar[str] = "content/guides"
    prints: ClassVar[bool] = True
    listing_title: ClassVar[str] = "Guides"

    summary: NonEmptyText = Field(description="One or two plain sentences for listings, search and metadata.")
    audience: list[StakeholderKey] = Field([], description="Stakeholder groups the guide is written for (keys from config).")

    def audiences(self) -> list[str]:
        return list(dict.fromkeys([*self.audience, *self.stakeholders]))
