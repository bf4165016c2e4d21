"""Policy briefs: short, numbered texts that turn findings into advice for decision makers."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field

from ..catalogues import N_
from .base import Holder, Publication


class PolicyBrief(Publication):
    """A numbered policy brief, usually drawing on deliverables."""

    type_name: ClassVar[str] = "policy_brief"
    type_label: ClassVar[str] = N_("Policy brief")
    folder: ClassVar[str] = "policy_briefs"
    url_base: ClassVar[str] = "policy-briefs"
    listing_title: ClassVar[str] = N_("Policy briefs")
    unique_key: ClassVar[str] = "number"
    references: ClassVar[dict[str, str]] = {"related": "deliverable"}

    number: int = Field(ge=1, description="Brief number, a unique positive whole number.")
    related: list[str] = Field([], description="Ids of the deliverables the brief draws on, e.g. [D5.1, D5.4].")

    @property
    def identifier(self) -> str:
        return f"PB{self.number}"

    @classmethod
    def listing(cls, holders: list[Holder], now: dt.datetime) -> dict[str, Any]:
        """In number order."""
        return {"records": sorted(holders, key=lambda h: h.item.number)}
