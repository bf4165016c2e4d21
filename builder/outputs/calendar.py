"""Calendars (RFC 5545, written with icalendar): an `.ics` per dated event, one of all events and one
per stakeholder group to subscribe to; and each event page's schema.org `Event` description.

A UID is the event page's address at the project's host, the same in every build. Times are in the
event's own time zone, described by a VTIMEZONE; an event given by dates is an all-day event, however
many days it spans. DTSTAMP is when the content dates from, never the clock, so two builds of the same
content give the same files.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import icalendar

from ..catalogues import translations
from ..layout import CONTENT_ROOT
from ..pages import SUBSCRIBE_PAGE
from ..project import Project
from ..read import Record
from ..templating import json_for_script
from ..types import Event
from ..types.event import Session
from .base import Made, Output, OutputContext, register_output

CALENDAR_FOLDER = "calendar"
EVENTS_LISTING = f"{CONTENT_ROOT}/events/index.md"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # DTSTAMP of content that gives no date at all


@dataclass(frozen=True)
class Subscription:
    """A calendar to subscribe to: its label, its path in the site and, when the site's address is
    known, its `webcal:` form."""

    label: str
    path: str
    webcal: str | None


@dataclass(frozen=True)
class EventLinks:
    """What an event page shows of the calendar: its `.ics` and its schema.org description."""

    ics: str | None
    json_ld: str


@register_output
class Calendars(Output):
    name = "calendar"
    stage = "files"
    writes = (f"{CALENDAR_FOLDER}/",)

    def run(self, context: OutputContext) -> Made:
        project = context.project
        events = [record for record in project.collection.of_type(Event) if record.item.start is not None
                  and record.item.is_public]
        files: dict[str, bytes] = {}
        pages: dict[str, Any] = {}
        for record in project.collection.of_type(Event):
            ics = _event_path(project, record) if record in events else None
            if ics:
                files[ics] = _calendar(project, [record], record.item.title, with_sessions=True).to_ical()
            pages[record.path] = EventLinks(ics, event_json_ld(project, record))
        _ = translations(project.config.project.language).gettext  # the calendars' names, in the site's language
        subscriptions = [self._subscribe(project, files, _("All events"), f"{CALENDAR_FOLDER}/events.ics", events)]
        for key, term in project.config.stakeholders.items():
            mine = [record for record in events if key in record.item.audiences()]
            if mine:
                subscriptions.append(self._subscribe(project, files, _("Events for %(group)s") % {"group": term.label},
                                                     f"{CALENDAR_FOLDER}/for/{key}.ics", mine))
        if events:
            pages[EVENTS_LISTING] = pages[SUBSCRIBE_PAGE] = subscriptions
        return Made(files=files, pages=pages, summary=len(events))

    def _subscribe(self, project: Project, files: dict[str, bytes], label: str, path: str,
                   records: list[Record]) -> Subscription:
        files[path] = _calendar(project, records, f"{project.config.project.acronym}: {label}").to_ical()
        site = project.config.site_url
        webcal = f"webcal://{urlsplit(site).netloc}{urlsplit(site).path.rstrip('/')}/{path}" if site else None
        return Subscription(label, path, webcal)


def _event_path(project: Project, record: Record) -> str:
    slug = project.url_of(record.path).rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    return f"{CALENDAR_FOLDER}/events/{slug}.ics"


def _calendar(project: Project, records: list[Record], name: str, with_sessions: bool = False) -> icalendar.Calendar:
    """A calendar of the events; an event's own calendar also holds its sessions (a subscription
    to all events would drown in them)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Disseminate//{project.config.project.acronym}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for record in sorted(records, key=lambda record: record.item.start_moment):
        calendar.add_component(_vevent(project, record))
        if with_sessions:
            numbered = sorted(enumerate(record.item.agenda, start=1), key=lambda pair: pair[1].start)
            for number, session in numbered:
                calendar.add_component(_session_vevent(project, record, number, session))
    calendar.add_missing_timezones()
    return calendar


def _vevent(project: Project, record: Record) -> icalendar.Event:
    item: Event = record.item
    vevent = icalendar.Event()
    vevent.add("uid", _uid(project, record))
    vevent.add("dtstamp", project.content_moment or EPOCH)
    vevent.add("summary", item.title)
    vevent.add("description", "\n\n".join([item.summary, *_funding(project)]))
    start, end = item.start, item.end or item.start
    if isinstance(start, dt.datetime):
        zone = zoneinfo.ZoneInfo(item.timezone)
        vevent.add("dtstart", start.replace(tzinfo=zone))
        if isinstance(end, dt.datetime) and end != start:
            vevent.add("dtend", end.replace(tzinfo=zone))
    else:  # all-day: DTEND is the day after the last (RFC 5545, 3.6.1)
        vevent.add("dtstart", start)
        vevent.add("dtend", (end.date() if isinstance(end, dt.datetime) else end) + dt.timedelta(days=1))
    if where := _place(item):
        vevent.add("location", where)
    if page := project.absolute_url(project.url_of(record.path)):
        vevent.add("url", page)
    vevent.add("categories", [item.kind])
    return vevent


def _funding(project: Project) -> list[str]:
    """The funding texts a calendar entry carries by the programme's visibility rules: a calendar
    program shows its events, never the calendar's own description."""
    funding = project.config.funding_text
    return [getattr(funding, mark) for mark in ("statement", "disclaimer") if mark in project.config.funding_marks("calendars")]


def _session_vevent(project: Project, record: Record, number: int, session: Session) -> icalendar.Event:
    """A session as an event of its own, tied to its event by RELATED-TO (RFC 5545, 3.8.4.5). Its UID
    counts sessions in the order written, so it stays while the content does."""
    item: Event = record.item
    zone = zoneinfo.ZoneInfo(item.timezone)
    vevent = icalendar.Event()
    vevent.add("uid", _uid(project, record, f"#session-{number}"))
    vevent.add("dtstamp", project.content_moment or EPOCH)
    vevent.add("summary", session.title)
    vevent.add("dtstart", session.start.replace(tzinfo=zone))
    if session.end and session.end != session.start:
        vevent.add("dtend", session.end.replace(tzinfo=zone))
    speakers = [f"Speakers: {', '.join(session.speakers)}"] if session.speakers else []
    vevent.add("description", "\n\n".join([*speakers, *_funding(project)]))
    if where := ", ".join(filter(None, [session.room, _place(item)])):
        vevent.add("location", where)
    vevent.add("related-to", _uid(project, record))
    if page := project.absolute_url(project.url_of(record.path)):
        vevent.add("url", page)
    return vevent


def _uid(project: Project, record: Record, part: str = "") -> str:
    return f"{project.url_of(record.path) or 'index'}{part}@{project.id_host}"


def event_json_ld(project: Project, record: Record) -> str:
    """schema.org `Event` for the page, as a JSON text safe inside a <script> element."""
    item: Event = record.item
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event", "name": item.title,
                            "description": item.summary, "eventStatus": "https://schema.org/EventScheduled"}
    if item.start is not None:
        data["startDate"] = _iso(item.start, item.timezone)
        data["endDate"] = _iso(item.end or item.start, item.timezone)
    places = []
    if item.location:
        address = {key: value for key, value in (("@type", "PostalAddress"), ("addressLocality", item.location.city),
                                                 ("addressCountry", item.location.country)) if value}
        places.append({"@type": "Place", "name": item.location.venue or item.location.city or "", "address": address})
    if item.online:
        places.append({"@type": "VirtualLocation", "url": item.online})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
        mode = "Mixed" if len(places) == 2 else "Online" if item.online else "Offline"
        data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    if item.agenda:
        data["subEvent"] = [_session_json_ld(session, item.timezone) for session in item.agenda]
    if item.organiser:
        data["organizer"] = {"@type": "Organization", "name": item.organiser}
    if page := project.absolute_url(project.url_of(record.path)):
        data["url"] = page
    return json_for_script(data)


def _session_json_ld(session: Session, timezone: str) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Event", "name": session.title, "startDate": _iso(session.start, timezone)}
    if session.end:
        data["endDate"] = _iso(session.end, timezone)
    if session.speakers:
        data["performer"] = [{"@type": "Person", "name": speaker} for speaker in session.speakers]
    if session.room:
        data["location"] = {"@type": "Place", "name": session.room}
    return data


def _iso(value: dt.date | dt.datetime, timezone: str) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zoneinfo.ZoneInfo(timezone)).isoformat()
    return value.isoformat()


def _place(item: Event) -> str | None:
    parts = [item.location.venue, item.location.city] if item.location else []
    if item.location and item.location.country:
        parts.append(item.location.country)
    if item.online:
        parts.append(item.online)
    return ", ".join(part for part in parts if part) or None

