"""A failed build leaves site/ exactly as it was; private and draft content never reaches it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bs4 import BeautifulSoup


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or retired folders beside the site (the lock file stays on purpose)."""
    return sorted(path.name for path in root.glob(".site.*") if path.name != ".site.lock")


def test_failing_content_leaves_site_untouched(fixture_project, capsys):
    assert fixture_project.run("build") == 0
    before = tree_digest(fixture_project.site)
    fixture_project.write("deliverables/d1-2.md", "---\ntitle: Broken\ndate: 2015-09-31\n---\n")
    assert fixture_project.run("build") == 1
    err = capsys.readouterr().err
    assert "deliverables/d1-2.md:3: deliverable 'date': '2015-09-31' is not a real date" in err
    assert "Traceback" not in err
    assert tree_digest(fixture_project.site) == before
    assert leftovers(fixture_project.root) == []


def test_failing_render_leaves_site_untouched(fixture_project, capsys):
    assert fixture_project.run("build") == 0
    before = tree_digest(fixture_project.site)
    capsys.readouterr()
    fixture_project.write("theme/disseminate/item.html", "{% if %}broken template")
    assert fixture_project.run("build") == 1
    said = [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("PDF ", "INFO"))]  # no progress
    assert said[0] == "theme/disseminate/item.html:1: template: Expected an expression, got 'end of statement block'"
    assert tree_digest(fixture_project.site) == before
    assert leftovers(fixture_project.root) == []


def test_successful_build_replaces_site(fixture_project):
    assert fixture_project.run("build") == 0
    fixture_project.write("deliverables/d1-2.md",
                          "---\ntitle: Second\nid: D1.2\nsummary: S.\ndissemination: PU\n---\nNew.\n")
    assert fixture_project.run("build") == 0
    assert (fixture_project.site / "deliverables/d1-2/index.html").is_file()


def test_non_public_deliverable_is_listed_but_its_body_never_published(fixture_project):
    secret = "The confidential finding nobody may read."
    fixture_project.write("deliverables/d1-3/index.md",
                          f"---\ntitle: Restricted study\nid: D1.3\nsummary: Private summary.\ndissemination: CO\n---\n"
                          f"{secret}\n\n![chart](chart.png)\n")
    fixture_project.write("deliverables/d1-3/chart.png", b"\x89PNG private figure")
    assert fixture_project.run("build") == 0
    everything = b"".join(path.read_bytes() for path in fixture_project.site.rglob("*") if path.is_file())
    assert secret.encode() not in everything
    assert b"Private summary" not in everything
    assert b"private figure" not in everything
    assert not (fixture_project.site / "deliverables/d1-3").exists()
    listing = (fixture_project.site / "deliverables/index.html").read_text("utf-8")
    assert "Restricted study" in listing and "Not public" in listing
    catalogue = json.loads((fixture_project.site / "catalogue.json").read_text("utf-8"))
    assert [item["id"] for item in catalogue["items"] if item["type"] == "deliverable"] == ["D1.1"]


def test_drafts_are_checked_but_never_built(fixture_project, capsys):
    fixture_project.write("content/news/draft.md", "---\ntitle: Not yet\nsummary: S.\ndate: 2016-01-01\ndraft: true\n---\n")
    assert fixture_project.run("check") == 0
    assert fixture_project.run("build") == 0
    assert not (fixture_project.site / "news/draft").exists()
    assert "Not yet" not in (fixture_project.site / "news/index.html").read_text("utf-8")


def test_front_matter_is_escaped_everywhere(fixture_project):
    hostile = '<script>alert("x")</script> & "Co"'
    fixture_project.write("content/news/hostile.md",
                          f"---\ntitle: '{hostile}'\nsummary: '{hostile}'\ndate: 2016-01-01\n"
                          "authors: ['<img src=x onerror=alert(1)>']\n---\nText.\n")
    assert fixture_project.run("build") == 0
    for path in fixture_project.site.rglob("*.html"):
        html = path.read_text("utf-8")
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    page = BeautifulSoup((fixture_project.site / "news/hostile/index.html").read_text("utf-8"), "html.parser")
    assert page.h1.get_text() == hostile
    assert page.title.get_text().startswith(hostile)


def test_events_are_upcoming_or_past_relative_to_build_time(fixture_project, monkeypatch):
    fixture_project.write("content/events/early.md", "---\ntitle: Early meeting\nsummary: S.\nstart: 2020-03-02\n---\n")
    fixture_project.write("content/events/later.md", "---\ntitle: Later meeting\nsummary: S.\nstart: 2020-03-04\n"
                                                     "end: 2020-03-05\n---\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583233200")  # 2020-03-03 11:00 UTC
    assert fixture_project.run("build") == 0
    page = BeautifulSoup((fixture_project.site / "events/index.html").read_text("utf-8"), "html.parser")
    assert [a.get_text() for a in page.select("#upcoming + ul a")] == ["Later meeting"]
    assert [a.get_text() for a in page.select("#past + ul a")] == ["Early meeting"]
    catalogue = json.loads((fixture_project.site / "catalogue.json").read_text("utf-8"))
    assert catalogue["generated"] == "2020-03-03T11:00:00Z"
