"""The demo, built once, checked the way a reader and a re-user would: HTML and catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from builder import load_project


@pytest.fixture(scope="module")
def catalogue(demo_site: Path) -> dict:
    return json.loads((demo_site / "catalogue.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo_project():
    return load_project(REPO)


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def count(catalogue: dict, kind: str) -> int:
    return sum(1 for item in catalogue["items"] if item["type"] == kind)


def test_catalogue_holds_every_published_item(catalogue, demo_project):
    public_deliverables = [r for r in demo_project.collection.records
                           if r.item.type_name == "deliverable" and r.item.is_public]
    assert count(catalogue, "deliverable") == len(public_deliverables) >= 22
    assert count(catalogue, "policy_brief") >= 6
    assert count(catalogue, "guide") == 2
    assert count(catalogue, "event") >= 4
    assert count(catalogue, "news") >= 1
    entry = next(item for item in catalogue["items"] if item["id"] == "D5.4")
    assert entry["url"] == "deliverables/d5-4/"
    assert set(entry) == {"type", "id", "title", "url", "date", "stakeholders", "stages", "topics", "translations",
                          "language", "summary", "pdf"}
    assert entry["language"] == "en"
    assert entry["pdf"]["url"].startswith("pdf/SecurePART_D5.4_") and entry["pdf"]["pages"] >= 2


def test_every_catalogue_item_has_its_page(demo_site, catalogue):
    for item in catalogue["items"]:
        page = soup(demo_site, item["url"])
        assert page.h1.get_text(strip=True) == item["title"], item["url"]


@pytest.mark.parametrize("url", ["deliverables", "policy-briefs", "guides", "events", "news", "stakeholders",
                                 "stakeholders/ncp", "topics", "topics/foresight", "accessibility", "about",
                                 "consortium", "materials"])
def test_listing_term_and_plain_pages_exist(demo_site, url):
    assert soup(demo_site, url).h1 is not None


def test_deliverables_are_grouped_by_work_package_in_number_order(demo_site):
    page = soup(demo_site, "deliverables")
    headings = [h2.get_text() for h2 in page.select("article h2")]
    assert headings[0] == "WP1: Analyse current CSO involvement in FP7"
    first_group = page.select("article section")[0]
    ids = [span.get_text() for span in first_group.select(".ds-entry__id")]
    assert ids == sorted(ids, key=lambda ident: int(ident.split(".")[1]))
    assert "D1.10" in ids and ids.index("D1.10") > ids.index("D1.9")


def test_events_are_split_by_build_time(demo_site):
    page = soup(demo_site, "events")
    sections = [h2.get("id") for h2 in page.select("article h2")]
    assert sections[:2] == ["upcoming", "past"]
    past_titles = [a.get_text() for a in page.select("#past + ul a")]
    assert "SecurePART workshop in Berlin" in past_titles
    undated = [a.get_text() for a in page.select("#undated + ul a")]
    assert undated and all("Berlin" not in title for title in undated)


def test_stakeholder_page_lists_everything_tagged(demo_site, catalogue):
    tagged = {item["url"] for item in catalogue["items"]
              if "ncp" in item["stakeholders"] and item["type"] != "action-plan"}
    links = {a["href"] for a in soup(demo_site, "stakeholders/ncp").select(".ds-entry__title a")}
    assert {f"../../{url}" for url in tagged} == links


def test_deliverable_card_shows_its_metadata(demo_site):
    card = soup(demo_site, "deliverables/d6-7").select_one(".ds-card")
    rows = {row.dt.get_text(): row.dd.get_text(" ", strip=True) for row in card.select(".ds-card__row")}
    assert rows["Deliverable"] == "D6.7"
    assert rows["Work package"] == "WP6: Dissemination"
    assert rows["Date"] == "27 April 2016"
    assert rows["Dissemination level"] == "PU: Public"
    assert rows["Version"] == "0.2"


def test_event_card_shows_weekday_and_time_zone(demo_site, catalogue):
    berlin = next(item for item in catalogue["items"] if item["type"] == "event" and item["date"] == "2015-09-14")
    card = soup(demo_site, berlin["url"]).select_one(".ds-card").get_text(" ", strip=True)
    assert "Monday, 14 September 2015 – Tuesday, 15 September 2015" in card
    assert "Time zone: Europe/Berlin" in card


def test_funding_statement_and_emblem_on_every_page(demo_site):
    statement = "Seventh Framework Programme (FP7/2007-2013) under grant agreement n° 608039"
    # Every page of the site; the editor at /admin/ is a tool for staff, not a page of the site.
    pages = [page for page in demo_site.rglob("*.html") if page.relative_to(demo_site).parts[0] != "admin"]
    assert len(pages) > 60
    for page in pages:
        html = page.read_text("utf-8")
        assert statement in html and "eu-emblem.svg" in html, page


def test_disclaimer_on_every_item_page(demo_site, catalogue):
    for item in catalogue["items"]:
        assert soup(demo_site, item["url"]).select_one(".ds-disclaimer"), item["url"]


def test_home_page_says_it_is_a_demonstration_and_lists_latest(demo_site):
    home = BeautifulSoup((demo_site / "index.html").read_text("utf-8"), "html.parser")
    assert "demonstration" in home.article.get_text().lower()
    assert len(home.select(".ds-latest .ds-entry")) == 6


def test_nav_lists_sections_not_items(demo_site):
    nav = soup(demo_site, "about").select_one("nav.md-nav--primary")
    assert not nav.find("a", href=re.compile(r"deliverables/d\d"))


def test_nothing_is_loaded_from_another_host(demo_site):
    for page in demo_site.rglob("*.html"):
        for tag in BeautifulSoup(page.read_text("utf-8"), "html.parser").find_all(["script", "img", "link", "iframe"]):
            target = tag.get("src") or (tag.get("href") if tag.name == "link" else None)
            assert not target or not re.match(r"(https?:)?//", target), (page, str(tag)[:120])
        assert "fonts.googleapis" not in page.read_text("utf-8")
    for sheet in demo_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", sheet.read_text("utf-8")), sheet
