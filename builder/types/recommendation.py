"""Recommendations of the action plan: one file each, addressed to stakeholder groups and tied to
the stages of the research cycle where they apply."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..catalogues import N_
from ..fields import NonEmptyText, StakeholderKey
from .base import Item


class Recommendation(Item):
    """One recommendation; no stage means it applies across the whole cycle."""

    type_name: ClassVar[str] = "recommendation"
    type_label: ClassVar[str] = N_("Recommendation")
    plural_label: ClassVar[str] = N_("Recommendations")
    folder: ClassVar[str] = "content/action-plan"
    unique_key: ClassVar[str] = "id"
    references: ClassVar[dict[str, str]] = {"evidence": "deliverable"}

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                    description="Stable identifier, lower case with hyphens, e.g. ncp-2; unique.")
    stakeholders: list[StakeholderKey] = Field(min_length=1, description="Stakeholder groups it is addressed to "
                                                                          "(one or more keys from config).")
    addressee: NonEmptyText | None = Field(None, description="A finer label for whom it addresses, e.g. REA.")
    evidence: list[str] = Field([], description="Ids of the deliverables it rests on.")
    order: int = Field(0, ge=0, description="Position within its stakeholder group.")
