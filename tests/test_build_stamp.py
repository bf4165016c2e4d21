"""A build with nothing to do says so at once: same inputs, same site, same caches. Any change to
what the site is made from, to the site or to the caches, and the build runs again."""

from __future__ import annotations

from pathlib import Path

import pytest


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def built(fixture_project, capsys):
    fixture_project.write("content/news/a.md", "---\ntitle: First news\ndate: 2025-01-10\nsummary: s\n---\nText.\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    capsys.readouterr()
    return fixture_project


def skipped(capsys) -> bool:
    return "Nothing changed since the last build" in capsys.readouterr().err


def test_a_second_build_with_nothing_changed_stops_and_leaves_the_site(built, capsys):
    before = files_of(built.site)
    assert built.run("build", "--no-pdf") == 0
    assert skipped(capsys)
    assert files_of(built.site) == before
    assert built.run("build", "--no-pdf", "--always") == 0  # asked for all the same
    assert not skipped(capsys)


def test_the_last_builds_warnings_are_shown_again(built, capsys):
    settings = built.root / "mkdocs.yml"
    settings.write_text(settings.read_text() + "nav:\n  - Nowhere: nowhere.md\n")  # MkDocs warns of it
    assert built.run("build", "--no-pdf") == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "nowhere.md" in line]
    assert warnings
    assert built.run("build", "--no-pdf") == 0
    again = capsys.readouterr().err
    assert "Nothing changed since the last build" in again and all(line in again for line in warnings)


@pytest.mark.parametrize("change", ["content", "settings", "site", "cache", "options"])
def test_any_change_builds_again(built, capsys, change):
    if change == "content":
        built.write("content/news/a.md", "---\ntitle: First news, edited\ndate: 2025-01-10\nsummary: s\n---\nText.\n")
    elif change == "settings":
        settings = built.root / "mkdocs.yml"
        settings.write_text(settings.read_text().replace("site_name: Fixture", "site_name: Fixture renamed"))
    elif change == "site":
        (built.site / "news/a/index.html").unlink()
    elif change == "cache":
        (built.root / ".cache" / "planted.txt").write_text("x")
    args = ("build",) if change == "options" else ("build", "--no-pdf")
    assert built.run(*args) == 0
    assert not skipped(capsys)
    if change == "content":
        assert "First news, edited" in (built.site / "news/a/index.html").read_text("utf-8")
    if change == "site":
        assert (built.site / "news/a/index.html").is_file()


def test_the_day_and_the_settings_environment_are_inputs(built, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583233200")  # events upcoming or past depend on the day
    assert built.run("build", "--no-pdf") == 0
    assert not skipped(capsys)
    settings = built.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("site_name: Fixture", "site_name: !ENV [FIXTURE_NAME, Fixture]"))
    assert built.run("build", "--no-pdf") == 0
    capsys.readouterr()
    monkeypatch.setenv("FIXTURE_NAME", "Named from the environment")
    assert built.run("build", "--no-pdf") == 0
    assert not skipped(capsys)
    assert "Named from the environment" in (built.site / "index.html").read_text("utf-8")


def test_after_a_failed_build_the_content_put_right_builds_again(built, capsys):
    page = built.root / "content/news/a.md"
    good = page.read_text()
    page.write_text("---\ntitle: [not, a, title]\n---\n")
    assert built.run("build", "--no-pdf") == 1
    assert "First news" in (built.site / "news/a/index.html").read_text("utf-8")  # the last good site stays
    page.write_text(good.replace("First news", "First news, put right"))
    assert built.run("build", "--no-pdf") == 0
    assert not skipped(capsys)
    assert "First news, put right" in (built.site / "news/a/index.html").read_text("utf-8")


def test_a_build_after_an_upcoming_event_ended_is_made_again(built, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583233200")  # built as on 2020-03-03, when it was upcoming
    built.write("content/events/meeting.md", "---\ntitle: Meeting\nsummary: S.\nstart: 2020-03-04\n---\n")
    assert built.run("build", "--no-pdf") == 0
    capsys.readouterr()
    assert built.run("build", "--no-pdf") == 0  # the same inputs, but the clock has passed its end
    assert not skipped(capsys)


def test_an_event_still_to_come_does_not_stop_the_skip(built, capsys):
    built.write("content/events/meeting.md", "---\ntitle: Meeting\nsummary: S.\nstart: 2099-03-04\n---\n")
    assert built.run("build", "--no-pdf") == 0
    capsys.readouterr()
    assert built.run("build", "--no-pdf") == 0
    assert skipped(capsys)


def test_another_config_file_builds_again(built, capsys):
    (built.root / "preview.yml").write_text((built.root / "mkdocs.yml").read_text())
    assert built.run("build", "--no-pdf") == 0  # the project's files as they will be for the next
    capsys.readouterr()
    assert built.run("-f", "preview.yml", "build", "--no-pdf") == 0
    assert not skipped(capsys)


def test_a_data_file_in_a_hidden_folder_is_an_input(built, capsys):
    from builder.cordis import CordisProject
    from builder.repository import write_repository

    settings = built.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("  - disseminate:\n", "  - disseminate:\n"
                                                     "      explorer: {data: .related/projects.json}\n"))
    project = CordisProject(id="1", acronym="ONE", title="First", objective="", status="CLOSED", programme="FP7",
                            topics=(), call="", funding_scheme="CSA", legal_basis="", start="2014-01-01", end=None,
                            total_cost=None, ec_contribution=None, doi=None)
    write_repository(built.root / ".related/projects.json", {"1": project})
    assert built.run("build", "--no-pdf") == 0
    write_repository(built.root / ".related/projects.json", {"1": project, "2": CordisProject(
        **{**project.__dict__, "id": "2", "acronym": "TWO"})})
    capsys.readouterr()
    assert built.run("build", "--no-pdf") == 0
    assert not skipped(capsys)
    assert (built.site / "projects/2.html").is_file()


@pytest.mark.parametrize("until", ["not a moment", 12, "2020-13-45T00:00:00+00:00"])
def test_a_stamp_edited_by_hand_is_no_promise(built, capsys, until):
    import json

    stamp = built.root / ".cache/last-build.json"
    recorded = json.loads(stamp.read_text("utf-8"))
    stamp.write_text(json.dumps({**recorded, "until": until}), "utf-8")
    assert built.run("build", "--no-pdf") == 0
    assert not skipped(capsys)
