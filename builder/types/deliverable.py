"""Deliverables: the contractual reports of a project, numbered D<work package>.<n>."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..catalogues import N_
from ..fields import IsoDate, NatureCode, NonEmptyText, PartnerKey
from .base import Holder, Publication

DISSEMINATION_LEVELS = {
    "PU": N_("Public"),
    "PP": N_("Restricted to other programme participants"),
    "RE": N_("Restricted to a group specified by the consortium"),
    "CO": N_("Confidential, only for members of the consortium"),
    "SEN": N_("Sensitive"),
    "CI": N_("Classified"),
    "R-UE/EU-R": N_("EU RESTRICTED"),
    "C-UE/EU-C": N_("EU CONFIDENTIAL"),
    "S-UE/EU-S": N_("EU SECRET"),
}
_DELIVERABLE_ID = re.compile(r"^D(\d+)\.(\d+)$")


class Revision(BaseModel):
    """One row of a deliverable's revision history."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    version: NonEmptyText = Field(description="Version label, e.g. 0.2 or 1.0.")
    date: IsoDate = Field(description="Date of the version, YYYY-MM-DD.")
    changes: str | None = Field(None, description="What changed.")
    by: str | None = Field(None, description="Who made the change.")


class Deliverable(Publication):
    """A deliverable; only public (PU) ones have a page, the others are listed by title."""

    type_name: ClassVar[str] = "deliverable"
    type_label: ClassVar[str] = N_("Deliverable")
    folder: ClassVar[str] = "deliverables"
    url_base: ClassVar[str] = "deliverables"
    listing_title: ClassVar[str] = N_("Deliverables")
    unique_key: ClassVar[str] = "id"

    id: str = Field(description="Deliverable number: D, work package, dot, number, e.g. D5.4; unique.")
    work_package: int | None = Field(None, ge=1, description="Work package number; derived from id when left out.")
    lead: PartnerKey | None = Field(None, description="Lead beneficiary (a partner key from config).")
    nature: NatureCode | None = Field(None, description="Nature code from config, e.g. R for a report.")
    dissemination: Literal[tuple(DISSEMINATION_LEVELS)] = Field(  # type: ignore[valid-type]
        description="Dissemination level; only PU is published.")
    due: int | None = Field(None, ge=1, description="Contractual due month, counted from the project start (12 for M12).")
    version: NonEmptyText | None = Field(None, description="Version of this text, e.g. 1.0.")
    history: list[Revision] = Field([], description="Revision history: a list of {version, date, changes, by}.")
    reviewers: list[NonEmptyText] = Field([], description="Internal reviewers.")

    @model_validator(mode="before")
    @classmethod
    def _check_id(cls, data: dict) -> dict:
        ident = data.get("id") if isinstance(data, dict) else None
        if isinstance(ident, str) and not _DELIVERABLE_ID.match(ident.strip()):
            raise PydanticCustomError("deliverable_id", "'{value}' is not a deliverable number (write D<work package>.<n>, e.g. D5.4)",
                                      {"value": ident, "field": "id"})
        return data

    @model_validator(mode="after")
    def _derive_work_package(self) -> "Deliverable":
        number = int(_DELIVERABLE_ID.match(self.id).group(1))
        if self.work_package is None:
            object.__setattr__(self, "work_package", number)
        elif self.work_package != number:
            raise PydanticCustomError("work_package", "work package {given} does not match id {id} (expected {number})",
                                      {"given": self.work_package, "id": self.id, "number": number,
                                       "field": "work_package"})
        return self

    @property
    def is_public(self) -> bool:
        return self.dissemination == "PU"

    @property
    def changed(self) -> dt.date | None:
        """The latest of its date and its revisions' dates: a revised deliverable changed then."""
        dates = [day for day in (self.date, *(revision.date for revision in self.history)) if day]
        return max(dates) if dates else None

    @property
    def id_numbers(self) -> tuple[int, int]:
        """(work package, n): D1.10 comes after D1.9."""
        package, n = _DELIVERABLE_ID.match(self.id).groups()
        return int(package), int(n)

    @classmethod
    def listing(cls, holders: list[Holder], now: dt.datetime) -> dict[str, Any]:
        """Grouped by work package, in number order within each."""
        groups: dict[int, list[Holder]] = {}
        for holder in holders:
            groups.setdefault(holder.item.work_package, []).append(holder)
        return {"groups": [(package, sorted(groups[package], key=lambda h: h.item.id_numbers)) for package in sorted(groups)]}
