"""Calendars, read back with icalendar, against the events' front matter; and the schema.org Event of
each event page, read back as JSON."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import icalendar
import pytest
from bs4 import BeautifulSoup

WORKSHOP = """---
title: Kick-off <b>meeting</b>
summary: The partners meet for the first time.
start: 2026-03-10T09:30
end: 2026-03-10T17:00
timezone: America/New_York
location: {venue: Town hall, city: Boston, country: US}
online: https://meet.example.org/kickoff
organiser: The consortium
stakeholders: [cso]
---
"""
CONFERENCE = """---
title: Final conference
summary: Three days of results.
start: 2026-05-04
end: 2026-05-06
kind: conference
stakeholders: [ncp]
---
"""
SUMMIT = """---
title: Two-day summit
summary: Talks and a workshop.
start: 2026-06-01
end: 2026-06-02
timezone: Asia/Tokyo
location: {city: Tokyo, country: JP}
agenda:
  - {start: 2026-06-02T10:00, end: 2026-06-02T12:00, title: Workshop <i>on</i> data, room: Room B}
  - start: 2026-06-01T09:00
    end: 2026-06-01T09:45
    title: Opening
    speakers: [Ana Ruiz, Jo Lee]
    room: Hall A
---
"""
STATEMENT = ("This project has received funding from the European Union's Horizon 2020 research and innovation "
             "programme under grant agreement No 123456.")
UNDATED = "---\ntitle: Someday\nsummary: Not yet dated.\n---\n"


@pytest.fixture
def built(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          .replace("site_name: Fixture", "site_name: Fixture\nsite_url: https://fix.example.eu/site/"))
    fixture_project.write("content/events/kick-off.md", WORKSHOP)
    fixture_project.write("content/events/final.md", CONFERENCE)
    fixture_project.write("content/events/someday.md", UNDATED)
    fixture_project.write("content/events/summit.md", SUMMIT)
    assert fixture_project.run("build", "--no-pdf") == 0
    return fixture_project


def read(site, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / path).read_bytes())


def test_a_timed_event_is_in_its_own_time_zone_with_a_vtimezone(built):
    calendar = read(built.site, "calendar/events/kick-off.ics")
    [event] = calendar.walk("VEVENT")
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 10, 9, 30, tzinfo=zone)
    assert event.decoded("dtend") == dt.datetime(2026, 3, 10, 17, 0, tzinfo=zone)
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert [component["tzid"] for component in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(event["summary"]) == "Kick-off <b>meeting</b>"  # text, as written
    assert str(event["description"]) == f"The partners meet for the first time.\n\n{STATEMENT}"  # the programme's rules
    assert str(event["location"]) == "Town hall, Boston, US, https://meet.example.org/kickoff"
    assert str(event["url"]) == "https://fix.example.eu/site/events/kick-off/"
    assert str(event["uid"]) == "events/kick-off/@fix.example.eu"


def test_an_event_given_by_dates_is_one_all_day_event_over_its_days(built):
    [event] = read(built.site, "calendar/events/final.ics").walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2026, 5, 4)
    assert event.decoded("dtend") == dt.date(2026, 5, 7)  # the day after the last
    assert [str(category) for category in event["categories"].cats] == ["conference"]


def test_subscribable_calendars_all_and_per_group_and_none_for_an_undated_event(built):
    everything = read(built.site, "calendar/events.ics")
    assert [str(event["summary"]) for event in everything.walk("VEVENT")] == ["Kick-off <b>meeting</b>",
                                                                             "Final conference", "Two-day summit"]
    assert [str(event["summary"]) for event in read(built.site, "calendar/for/ncp.ics").walk("VEVENT")] == [
        "Final conference"]
    assert not (built.site / "calendar/events/someday.ics").exists()
    listing = BeautifulSoup((built.site / "events/index.html").read_text("utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in listing.select(".ds-subscribe a[type='text/calendar']")}
    assert links == {"All events": "webcal://fix.example.eu/site/calendar/events.ics",
                     "Events for Civil society organisations": "webcal://fix.example.eu/site/calendar/for/cso.ics",
                     "Events for National Contact Points": "webcal://fix.example.eu/site/calendar/for/ncp.ics"}


def test_uids_and_files_are_the_same_in_every_build(built):
    before = {path.name: path.read_bytes() for path in (built.site / "calendar").rglob("*.ics")}
    assert built.run("build", "--no-pdf") == 0
    assert {path.name: path.read_bytes() for path in (built.site / "calendar").rglob("*.ics")} == before


def test_each_event_page_links_its_ics_and_describes_itself_in_json_ld(built):
    page = BeautifulSoup((built.site / "events/kick-off/index.html").read_text("utf-8"), "html.parser")
    assert page.find("a", string="Add to calendar")["href"] == "../../calendar/events/kick-off.ics"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Event" and data["name"] == "Kick-off <b>meeting</b>"
    assert (data["startDate"], data["endDate"]) == ("2026-03-10T09:30:00-04:00", "2026-03-10T17:00:00-04:00")
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["organizer"] == {"@type": "Organization", "name": "The consortium"}
    assert "</b>" not in page.find("script", type="application/ld+json").string  # cannot close the element
    undated = BeautifulSoup((built.site / "events/someday/index.html").read_text("utf-8"), "html.parser")
    assert undated.find("a", string="Add to calendar") is None
    assert "startDate" not in json.loads(undated.find("script", type="application/ld+json").string)


def test_the_demos_berlin_workshop_is_two_days_in_berlin(demo_site):
    [event] = read(demo_site, "calendar/events/berlin-workshop-2015.ics").walk("VEVENT")
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (dt.date(2015, 9, 14), dt.date(2015, 9, 16))
    assert str(event["location"]) == "Berlin, DE"


def test_a_programme_goes_into_the_events_ics_as_sessions_tied_to_it(built):
    calendar = read(built.site, "calendar/events/summit.ics")
    event, opening, workshop = calendar.walk("VEVENT")
    zone = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert str(opening["summary"]) == "Opening"
    assert (opening.decoded("dtstart"), opening.decoded("dtend")) == (dt.datetime(2026, 6, 1, 9, 0, tzinfo=zone),
                                                                      dt.datetime(2026, 6, 1, 9, 45, tzinfo=zone))
    assert opening["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert str(opening["description"]) == f"Speakers: Ana Ruiz, Jo Lee\n\n{STATEMENT}"
    assert str(opening["location"]) == "Hall A, Tokyo, JP"
    assert str(workshop["summary"]) == "Workshop <i>on</i> data"
    assert str(opening["related-to"]) == str(workshop["related-to"]) == str(event["uid"])
    assert len({str(component["uid"]) for component in (event, opening, workshop)}) == 3
    # A subscription carries the events, not every session of every programme.
    assert "Opening" not in [str(vevent["summary"]) for vevent in read(built.site, "calendar/events.ics").walk("VEVENT")]


def test_the_event_page_shows_its_programme_by_day_in_its_time_zone(built):
    page = BeautifulSoup((built.site / "events/summit/index.html").read_text("utf-8"), "html.parser")
    section = page.select_one("section.ds-agenda")
    assert "Asia/Tokyo" in section.select_one(".ds-agenda__zone").get_text()
    days = section.select("table.ds-agenda__day")
    assert [day.caption.get_text() for day in days] == ["Monday, June 1, 2026", "Tuesday, June 2, 2026"]
    first = [cell.get_text(" ", strip=True) for cell in days[0].select("tbody tr")[0].find_all(["th", "td"])]
    assert first == ["9:00\u202fAM – 9:45\u202fAM", "Opening", "Ana Ruiz, Jo Lee", "Hall A"]
    assert days[1].select_one("tbody th").get_text() == "Workshop <i>on</i> data"  # text, never markup
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert [session["name"] for session in data["subEvent"]] == ["Workshop <i>on</i> data", "Opening"]
    assert data["subEvent"][1]["performer"] == [{"@type": "Person", "name": "Ana Ruiz"},
                                                 {"@type": "Person", "name": "Jo Lee"}]
    assert data["subEvent"][1]["startDate"] == "2026-06-01T09:00:00+09:00"


@pytest.mark.parametrize(("session", "message"), [
    ("{start: 2026-06-03T09:00, title: Late}", "session 1 starts on 2026-06-03, outside the event (2026-06-01 to "
                                               "2026-06-02)"),
    ("{start: 2026-06-01, title: No time}", "'2026-06-01' has no time of day (write 2015-09-14T09:30)"),
    ("{start: '2026-06-01T09:00+02:00', title: Offset}", "session times are in the event's time zone"),
    ("{start: 2026-06-01T09:00, end: 2026-06-01T08:00, title: Backwards}", "end 2026-06-01T08:00:00 is before start"),
])
def test_a_session_that_does_not_fit_is_one_clear_line(fixture_project, capsys, session, message):
    fixture_project.write("content/events/summit.md", SUMMIT.replace(
        "agenda:\n", f"agenda:\n  - {session}\n"))
    assert fixture_project.run("check") == 1
    [line] = [line for line in capsys.readouterr().err.splitlines() if "summit.md" in line]
    assert line.startswith("content/events/summit.md:") and message in line
