"""Guides: practical how-to texts for one or more stakeholder groups."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..catalogues import N_
from ..fields import StakeholderKey
from .base import Publication


class Guide(Publication):
    """A practical guide addressed to an audience."""

    type_name: ClassVar[str] = "guide"
    type_label: ClassVar[str] = N_("Guide")
    folder: ClassVar[str] = "content/guides"
    listing_title: ClassVar[str] = N_("Guides")

    audience: list[StakeholderKey] = Field([], description="Stakeholder groups the guide is written for (keys from config).")

    def audiences(self) -> list[str]:
        return list(dict.fromkeys([*self.audience, *self.stakeholders]))
