"""Policy briefs: short, numbered texts that turn findings into advice for decision makers."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Item
from ..fields import NonEmptyText


class PolicyBrief(Item):
    """A numbered policy brief, usually drawing on deliverables."""

    type_name: ClassVar[str] = "policy_brief"
    type_label: ClassVar[str] = "Policy brief"
    folder: ClassVar[str] = "policy_briefs"
    url_base: ClassVar[str] = "policy-briefs"
    prints: ClassVar[bool] = True
    listing_title: ClassVar[str] = "Policy briefs"

    summary: NonEmptyText = Field(description="One or two plain sentences for listings, search and metadata.")
    number: int = Field(ge=1, description="Brief number, a unique positive whole number.")
    related: list[str] = Field([], description="Ids of the deliverables the brief draws on, e.g. [D5.1, D5.4].")

    @property
    def identifier(self) -> str:
        return f"PB{self.number}"
