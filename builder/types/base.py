"""What every content item has, and the registry the content types enter themselves into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..catalogues import N_
from ..fields import (
    CordisId,
    Doi,
    IsoDate,
    LanguageTag,
    LicenceId,
    NonEmptyText,
    StageKey,
    StakeholderKey,
    TopicKey,
    WebUrl,
)

if TYPE_CHECKING:
    from ..config import SiteConfig

CONTENT_TYPES: dict[str, type["Item"]] = {}


class HasItem(Protocol):
    """Anything that carries an item: a record of the collection, say."""

    @property
    def item(self) -> "Item": ...


Holder = TypeVar("Holder", bound=HasItem)


@dataclass(frozen=True)
class ValidationContext:
    """What field validators may consult: the project's taxonomies and facts."""

    config: "SiteConfig"


class Item(BaseModel):
    """Fields common to every content type."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    type_name: ClassVar[str] = "page"
    type_label: ClassVar[str] = N_("Page")
    folder: ClassVar[str | None] = None
    url_base: ClassVar[str | None] = None
    listing_title: ClassVar[str | None] = None
    # What items of the type are called together (a count, a newsletter's section), when no listing
    # names them: "Recommendations". Marked with N_ and translated where shown, as type_label is.
    plural_label: ClassVar[str | None] = None
    prints: ClassVar[bool] = False
    # A plain page (About, Consortium) is not a result: no card, no catalogue entry, no place among
    # the latest items.
    plain_page: ClassVar[bool] = False
    # The field whose value no two items of the type may share, and by which other items name it.
    unique_key: ClassVar[str | None] = None
    # Fields that name other items by their unique key: field name -> the type named.
    references: ClassVar[dict[str, str]] = {}
    # Fields naming files beside the page (a video, its captions): checked and published as links are.
    file_fields: ClassVar[tuple[str, ...]] = ()
    # What a translation (`d5-4.de.md`) may word anew; every other field is its original's.
    translatable: ClassVar[tuple[str, ...]] = ("title", "summary", "draft", "translator")

    type: str | None = Field(None, description="Content type, when the folder does not say it.")
    title: NonEmptyText = Field(description="Title as shown on the page, in listings and in the catalogue.")
    summary: NonEmptyText | None = Field(None, description="One or two plain sentences for listings, search and metadata.")
    date: IsoDate | None = Field(None, description="Publication date, YYYY-MM-DD; leave out when unknown.")
    authors: list[NonEmptyText] = Field([], description="Authors, one per line, as they should be cited.")
    stakeholders: list[StakeholderKey] = Field([], description="Stakeholder groups the item is for (keys from config).")
    stages: list[StageKey] = Field([], description="Research-cycle stages the item concerns (keys from config).")
    topics: list[TopicKey] = Field([], description="Topics (keys from config).")
    language: LanguageTag | None = Field(None, description="BCP 47 language tag; defaults to the site's language.")
    projects: list[CordisId] = Field([], description="CORDIS ids of related projects it concerns (in the explorer's "
                                                     "data file); each project's page links back to it.")
    draft: bool = Field(False, description="true keeps the item out of the built site (it still shows in serve).")
    translator: NonEmptyText | None = Field(None, description="A translation's translator, when not the consortium: "
                                                              "its page and PDF say who translated it.")
    pdf: bool | None = Field(None, description="true or false to make or skip a print PDF (made by default for "
                                               "deliverables, policy briefs and guides).")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type_name" in cls.__dict__:
            CONTENT_TYPES[cls.type_name] = cls

    @property
    def is_public(self) -> bool:
        """Whether the body may be published at all (a deliverable's level can forbid it)."""
        return True

    @property
    def identifier(self) -> str | None:
        """The item's public identifier, if it has one: its unique key, as written."""
        return str(self.key) if self.unique_key else None

    @property
    def sort_date(self) -> dt.date | None:
        return self.date

    @property
    def changed(self) -> dt.date | None:
        """When the text last changed, as the content says: its publication date (an event's start is
        not a change to its page). The sitemap's last-modified date."""
        return self.date

    @property
    def wants_pdf(self) -> bool:
        """Whether a print PDF is made: the type's default unless the front matter says otherwise."""
        return self.is_public and (self.prints if self.pdf is None else self.pdf)

    def audiences(self) -> list[str]:
        """Every stakeholder key the item is tagged with."""
        return list(self.stakeholders)

    @property
    def key(self) -> Any:
        """The value of the type's unique key, if it has one."""
        return getattr(self, self.unique_key) if self.unique_key else None

    def referenced_keys(self, field_name: str) -> list[Any]:
        return list(getattr(self, field_name, []))

    @classmethod
    def listing(cls, holders: list[Holder], now: dt.datetime) -> dict[str, Any]:
        """What the type's listing page shows, in the order it shows it: newest first by default."""
        return {"records": newest_first(holders)}

    @classmethod
    def listing_changes_at(cls, holders: list[Holder], now: dt.datetime) -> dt.datetime | None:
        """The first moment after `now` when `listing` would show these items otherwise (none:
        a listing that does not depend on the time)."""
        return None


class ItemWithSummary(Item):
    """An item whose summary is required: it stands for the item in listings, search and metadata."""

    summary: NonEmptyText = Field(description="One or two plain sentences for listings, search and metadata.")


class Publication(ItemWithSummary):
    """A result people cite: printed as a PDF, with citation metadata, deposited in repositories."""

    prints: ClassVar[bool] = True

    doi: Doi | None = Field(None, description="DOI, e.g. 10.5281/zenodo.123456 (written by `disseminate deposit`).")
    licence: LicenceId | None = Field(None, description="SPDX licence id, e.g. CC-BY-4.0; defaults to the project's.")
    open_access: WebUrl | None = Field(None, description="Another open-access copy, e.g. its record in a repository.")


def newest_first(holders: list[Holder]) -> list[Holder]:
    """Dated items newest first, then undated ones by title."""
    dated = sorted((h for h in holders if h.item.sort_date), key=lambda h: (h.item.sort_date, h.item.title), reverse=True)
    undated = sorted((h for h in holders if not h.item.sort_date), key=lambda h: h.item.title)
    return dated + undated


class Page(Item):
    """A plain page under content/, such as About or Consortium."""

    type_name: ClassVar[str] = "page"
    type_label: ClassVar[str] = N_("Page")
    plain_page: ClassVar[bool] = True
