"""Events: workshops, conferences, webinars and info days, upcoming or past."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..catalogues import N_
from ..fields import DateOrDateTime, NonEmptyText, StakeholderKey, WebUrl, known_timezone
from .base import Holder, ItemWithSummary

EVENT_KINDS = ("workshop", "conference", "webinar", "info-day", "other")
EVENT_KIND_LABELS = {"workshop": N_("Workshop"), "conference": N_("Conference"), "webinar": N_("Webinar"),
                     "info-day": N_("Info day"), "other": N_("Other")}


class Location(BaseModel):
    """Where an event takes place; give what is known."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    venue: NonEmptyText | None = Field(None, description="Building or organisation hosting the event.")
    city: NonEmptyText | None = Field(None, description="City.")
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="Country as an ISO 3166 code, e.g. DE.")


class Participants(BaseModel):
    """How many took part, where it was recorded: in all, and per stakeholder group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: int | None = Field(None, ge=0, description="Everyone who took part.")
    by_group: dict[StakeholderKey, Annotated[int, Field(ge=0)]] = Field(
        {}, description="Participants per stakeholder group (keys from config), where counted.")

    @model_validator(mode="after")
    def _groups_within_total(self) -> "Participants":
        counted = sum(self.by_group.values())
        if self.total is not None and counted > self.total:
            raise PydanticCustomError("participants", "the groups add up to {counted}, more than the total {total}",
                                      {"counted": counted, "total": self.total, "field": "total"})
        return self

    @property
    def recorded_total(self) -> int | None:
        """The total, or what the groups add up to when only they were counted."""
        return self.total if self.total is not None else (sum(self.by_group.values()) if self.by_group else None)


class Session(BaseModel):
    """One session of an event's programme, its times in the event's time zone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    start: DateOrDateTime = Field(description="Start, a date and time in the event's time zone: 2015-09-14T09:30.")
    end: DateOrDateTime | None = Field(None, description="End, a date and time, not before start.")
    title: NonEmptyText = Field(description="What the session is.")
    speakers: list[NonEmptyText] = Field([], description="Who speaks, one per line.")
    room: NonEmptyText | None = Field(None, description="Room or stream, when the event has several.")

    @field_validator("start", "end")
    @classmethod
    def _with_time(cls, value: dt.date | dt.datetime | None) -> dt.datetime | None:
        if value is not None and not isinstance(value, dt.datetime):
            raise PydanticCustomError("session_time", "'{value}' has no time of day (write 2015-09-14T09:30)",
                                      {"value": value.isoformat()})
        if value is not None and value.tzinfo is not None:
            # One clock for the whole programme: the event's, so a schedule cannot mix zones.
            raise PydanticCustomError("session_offset", "'{value}' gives an offset: session times are in the "
                                      "event's time zone (leave the offset out)", {"value": value.isoformat()})
        return value

    @model_validator(mode="after")
    def _end_after_start(self) -> "Session":
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("end_before_start", "end {end} is before start {start} (end must not be earlier)",
                                      {"end": self.end.isoformat(), "start": self.start.isoformat(), "field": "end"})
        return self


class Event(ItemWithSummary):
    """An event with dates in a time zone, a place and/or an online link."""

    type_name: ClassVar[str] = "event"
    type_label: ClassVar[str] = N_("Event")
    folder: ClassVar[str] = "content/events"
    listing_title: ClassVar[str] = N_("Events")
    references: ClassVar[dict[str, str]] = {"related": "deliverable"}

    start: DateOrDateTime | None = Field(None, description="Start: a date, or a date and time (2015-09-14T09:30); leave out when unknown.")
    end: DateOrDateTime | None = Field(None, description="End, not before start.")
    timezone: str | None = Field(None, description="IANA time zone, e.g. Europe/Berlin; defaults to the site's.")
    location: Location | None = Field(None, description="Place: {venue, city, country}.")
    online: WebUrl | None = Field(None, description="Link to join online.")
    kind: Literal[EVENT_KINDS] = Field("other", description="One of workshop, conference, webinar, info-day, other.")  # type: ignore[valid-type]
    organiser: NonEmptyText | None = Field(None, description="Who organises the event.")
    registration: WebUrl | None = Field(None, description="Registration page.")
    related: list[str] = Field([], description="Ids of related deliverables.")
    agenda: list[Session] = Field([], description="Programme: sessions with {start, end, title, speakers, room}.")
    participants: Participants | None = Field(None, description="Who took part, where recorded: {total, by_group: "
                                                                "{cso: 12, ncp: 3}}.")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        return known_timezone(value) if value is not None else None

    @model_validator(mode="after")
    def _default_timezone(self, info: ValidationInfo) -> "Event":
        # One time zone for display and for sorting into upcoming and past: the site's, unless given.
        if self.timezone is None and info.context is not None:
            object.__setattr__(self, "timezone", info.context.config.project.timezone)
        return self

    @model_validator(mode="after")
    def _end_after_start(self, info: ValidationInfo) -> "Event":
        if self.end is not None and self.start is None:
            raise PydanticCustomError("end_without_start", "an end is given but no start (add start)",
                                      {"field": "end"})
        if self.start is not None and self.end is not None and self.end_moment < self.start_moment:
            raise PydanticCustomError("end_before_start", "end {end} is before start {start} (end must not be earlier)",
                                      {"end": self.end.isoformat(), "start": self.start.isoformat(), "field": "end"})
        return self

    @model_validator(mode="after")
    def _sessions_within_event(self) -> "Event":
        if not self.agenda:
            return self
        if self.start is None:
            raise PydanticCustomError("agenda_without_start", "a programme is given but no start (add start)",
                                      {"field": "agenda"})
        first, last = _day(self.start), _day(self.end or self.start)
        for number, session in enumerate(self.agenda):
            if not first <= session.start.date() <= last:
                raise PydanticCustomError(
                    "session_outside_event", "session {number} starts on {day}, outside the event ({first} to {last})",
                    {"number": number + 1, "day": session.start.date().isoformat(), "first": first.isoformat(),
                     "last": last.isoformat(), "field": "agenda"})
        return self

    def sessions_by_day(self) -> list[tuple[dt.date, list[Session]]]:
        """The programme in time order, one entry per day."""
        days: dict[dt.date, list[Session]] = {}
        for session in sorted(self.agenda, key=lambda session: session.start):
            days.setdefault(session.start.date(), []).append(session)
        return list(days.items())

    @property
    def zone(self) -> zoneinfo.ZoneInfo | None:
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else None

    @property
    def start_moment(self) -> dt.datetime:
        return _moment(self.start, self.zone, end_of_day=False)

    @property
    def end_moment(self) -> dt.datetime:
        return _moment(self.end or self.start, self.zone, end_of_day=True)

    @classmethod
    def listing(cls, holders: list[Holder], now: dt.datetime) -> dict[str, Any]:
        """Upcoming ones soonest first, past ones latest first, then those without a date."""
        dated = [h for h in holders if h.item.start is not None]
        upcoming = sorted((h for h in dated if h.item.end_moment >= now), key=lambda h: h.item.start_moment)
        past = sorted((h for h in dated if h.item.end_moment < now), key=lambda h: h.item.start_moment, reverse=True)
        undated = sorted((h for h in holders if h.item.start is None), key=lambda h: h.item.title)
        return {"upcoming": upcoming, "past": past, "undated": undated}

    @classmethod
    def listing_changes_at(cls, holders: list[Holder], now: dt.datetime) -> dt.datetime | None:
        """When the first upcoming event ends, and moves to the past ones."""
        return min((h.item.end_moment for h in holders if h.item.start is not None and h.item.end_moment >= now),
                   default=None)

    @property
    def sort_date(self) -> dt.date | None:
        if self.start is None:
            return None
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _moment(value: dt.date | dt.datetime, zone: dt.tzinfo | None, end_of_day: bool) -> dt.datetime:
    """A comparable aware datetime; a bare date covers the whole day."""
    zone = zone or dt.timezone.utc
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return dt.datetime.combine(value, dt.time.max if end_of_day else dt.time.min, tzinfo=zone)
