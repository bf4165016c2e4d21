"""Feeds, read back with feedparser, against the items' front matter: what each holds, the order,
stable ids, dates from the content, and the pages that announce them."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

NEWS = "---\ntitle: {title}\nsummary: {summary}\ndate: {date}\nstakeholders: [{group}]\n---\nText.\n"
BRIEF = "---\ntitle: A brief\nnumber: 1\nsummary: Advice.\nauthors: [Ana Example]\nstakeholders: [ncp]\n---\nText.\n"


@pytest.fixture
def built(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          .replace("site_name: Fixture", "site_name: Fixture\nsite_url: https://fix.example.eu/"))
    fixture_project.write("content/news/older.md", NEWS.format(title="Older", summary="First.", date="2025-01-10",
                                                                group="cso"))
    fixture_project.write("content/news/newer.md", NEWS.format(title="Newer <b>news</b>", summary="Second & last.",
                                                                date="2025-06-01", group="ncp"))
    fixture_project.write("content/news/draft.md", NEWS.format(title="Draft", summary="Not yet.", date="2025-07-01",
                                                                group="ncp").replace("---\nText", "draft: true\n---\nText"))
    fixture_project.write("policy_briefs/01-brief.md", BRIEF)
    fixture_project.write("deliverables/d1-2.md", "---\ntitle: Secret\nid: D1.2\nsummary: S.\ndissemination: CO\n"
                                                  "stakeholders: [ncp]\n---\nHidden.\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    return fixture_project


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_news_feed_holds_the_published_news_newest_first(built, kind):
    feed = feedparser.parse((built.site / f"feeds/news.{kind}").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Newer <b>news</b>", "Older"]  # the draft is not in it
    assert [entry.link for entry in feed.entries] == ["https://fix.example.eu/news/newer/",
                                                      "https://fix.example.eu/news/older/"]
    assert feed.entries[0].summary == "Second & last."
    assert feed.entries[0].published_parsed[:3] == (2025, 6, 1)
    assert feed.entries[0].id == "https://fix.example.eu/news/newer/"


def test_a_group_follows_only_what_is_for_it_and_never_a_confidential_item(built):
    feed = feedparser.parse((built.site / "feeds/for/ncp.atom").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Newer <b>news</b>", "PB1: A brief"]
    assert feed.entries[1].author == "Ana Example"
    publications = feedparser.parse((built.site / "feeds/publications.atom").read_bytes())
    assert [entry.title for entry in publications.entries] == ["PB1: A brief", "D1.1: A report"]  # undated: by title
    assert "Secret" not in (built.site / "feeds/publications.rss").read_text("utf-8")


def test_feeds_are_the_same_in_every_build(built):
    before = {path.name: path.read_bytes() for path in (built.site / "feeds").rglob("*.*")}
    assert built.run("build", "--no-pdf") == 0
    assert {path.name: path.read_bytes() for path in (built.site / "feeds").rglob("*.*")} == before


def test_pages_announce_the_feeds_of_what_they_list(built):
    def announced(page: str) -> set[str]:
        soup = BeautifulSoup((built.site / page).read_text("utf-8"), "html.parser")
        return {link["href"] for link in soup.find_all("link", rel="alternate")
                if link.get("type") in ("application/atom+xml", "application/rss+xml")}
    assert announced("news/index.html") == {"../feeds/news.atom", "../feeds/news.rss"}
    assert announced("stakeholders/ncp/index.html") == {"../../feeds/for/ncp.atom", "../../feeds/for/ncp.rss"}
    assert announced("index.html") == {"feeds/news.atom", "feeds/news.rss", "feeds/publications.atom",
                                       "feeds/publications.rss"}


def test_without_a_site_address_links_resolve_from_the_feed(fixture_project):
    fixture_project.write("content/news/one.md", NEWS.format(title="One", summary="S.", date="2025-01-10", group="cso"))
    assert fixture_project.run("build", "--no-pdf") == 0
    feed = feedparser.parse((fixture_project.site / "feeds/for/cso.atom").read_bytes())
    assert feed.entries[0].link == "../../news/one/" and feed.entries[0].id.startswith("tag:fix.disseminate.invalid,")


def test_the_subscribe_page_lists_every_feed_and_calendar(fixture_project):
    fixture_project.write("content/news/launch.md", "---\ntitle: Launch\nsummary: We start.\ndate: 2026-01-05\n"
                          "stakeholders: [cso]\n---\n")
    fixture_project.write("content/events/day.md", "---\ntitle: Info day\nsummary: A day.\nstart: 2026-02-01\n---\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    page = BeautifulSoup((fixture_project.site / "subscribe/index.html").read_text("utf-8"), "html.parser")
    feeds = {row.th.get_text(): [a["href"] for a in row.select("a")] for row in page.select("table.ds-subscriptions tbody tr")}
    assert feeds == {"FIX: News": ["../feeds/news.atom", "../feeds/news.rss"],
                     "FIX: New publications": ["../feeds/publications.atom", "../feeds/publications.rss"],
                     "FIX: For Civil society organisations": ["../feeds/for/cso.atom", "../feeds/for/cso.rss"]}
    for hrefs in feeds.values():
        assert all((fixture_project.site / "subscribe" / href).resolve().is_file() for href in hrefs)
    calendars = [a["href"] for a in page.select(".ds-subscriptions__calendars a")]
    assert calendars == ["../calendar/events.ics"]  # no site_url: no webcal form, the download only
    listing = BeautifulSoup((fixture_project.site / "events/index.html").read_text("utf-8"), "html.parser")
    assert listing.find("a", string="every feed and calendar")["href"] == "../subscribe/"
