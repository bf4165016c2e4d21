"""Starting a project and its items: `init` writes a project that checks and builds at once, `new`
writes each type's item as a draft that checks, and a plain page may be titled by its heading."""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import pytest

from builder.cli import main
from builder.scaffold import QUESTIONS

FLAGS = ["--acronym", "OPENDATA", "--title", "Open data for better science", "--programme", "H2020",
         "--grant", "101012345", "--start", "2025-01", "--end", "2027-12", "--language", "en",
         "--timezone", "Europe/Lisbon"]


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def started(tmp_path, monkeypatch):
    folder = tmp_path / "opendata"
    with monkeypatch.context() as patched:
        patched.setattr("sys.stdin", io.StringIO())  # not a terminal: nothing is asked
        assert run("init", str(folder), *FLAGS) == 0
    return folder


def test_init_writes_a_project_that_checks_and_builds_with_its_facts(started, capsys):
    assert run("-C", str(started), "check") == 0
    assert run("-C", str(started), "build") == 0
    site = started / "site"
    home = html.unescape((site / "index.html").read_text("utf-8"))
    assert "<title>Open data for better science - OPENDATA</title>" in home
    assert "European Union's Horizon 2020 research and innovation programme under grant agreement No 101012345" in home
    assert 'src="assets/eu-emblem.svg"' in home
    statement = (site / "accessibility/index.html").read_text("utf-8")
    assert "WCAG 2.1 level AA" in statement
    pdfs = sorted(path.name for path in (site / "pdf").glob("*.pdf"))
    assert "OPENDATA_D1.1_Example-deliverable.pdf" in pdfs and "OPENDATA_PB1_Example-policy-brief.pdf" in pdfs
    catalogue = json.loads((site / "catalogue.json").read_text("utf-8"))
    assert {entry["type"] for entry in catalogue["items"]} == {"deliverable", "policy_brief", "guide", "event",
                                                               "news", "recommendation", "action-plan"}
    for path in started.rglob("*.md"):
        if path.name not in ("index.md", "about.md"):
            assert "EXAMPLE" in path.read_text("utf-8"), path  # marked as an example to replace


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    (tmp_path / "notes.txt").write_text("mine")
    assert run("init", str(tmp_path), *FLAGS) == 2
    assert f"disseminate init: {tmp_path} is not empty" in capsys.readouterr().err
    assert run("init", str(tmp_path), *FLAGS, "--force") == 0
    assert (tmp_path / "notes.txt").read_text() == "mine" and (tmp_path / "mkdocs.yml").is_file()
    assert run("init", str(tmp_path), *FLAGS, "--force") == 2  # never over a file
    assert "mkdocs.yml exists already; nothing was written" in capsys.readouterr().err


def test_init_without_a_terminal_names_every_missing_or_wrong_value(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert run("init", str(tmp_path / "p"), "--acronym", "X") == 2
    assert capsys.readouterr().err.splitlines() == [
        "disseminate init: --title: required (give it, or run init on a terminal to be asked)",
        "disseminate init: --grant: required (give it, or run init on a terminal to be asked)"]
    assert run("init", str(tmp_path / "p"), *FLAGS[:6], "--grant", "12", "--start", "2025-13") == 2
    said = capsys.readouterr().err
    assert "disseminate init: --grant: '12' does not have the expected form" in said
    assert "disseminate init: --start: expected a month written YYYY-MM" in said
    assert not (tmp_path / "p").exists()


def test_init_asks_on_a_terminal(tmp_path, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    answers = ["TERM", "Asked on a terminal", "", "12", "", "", "", "", "123456"]  # the grant asked twice
    monkeypatch.setattr("sys.stdin", Terminal("\n".join(answers) + "\n"))
    assert run("init", str(tmp_path / "asked")) == 0
    text = (tmp_path / "asked/mkdocs.yml").read_text("utf-8")
    assert 'acronym: "TERM"' in text and "programme: HE" in text and 'grant_agreement: "123456"' in text
    assert "--grant: '12' does not have the expected form" in capsys.readouterr().err
    assert len(QUESTIONS) == 8


NEW = [
    (["deliverable", "D2.3", "Report on data uptake"], "deliverables/d2-3.md"),
    (["brief", "Why open data matters"], "policy_briefs/02-why-open-data-matters.md"),
    (["guide", "How to reuse our data"], "content/guides/how-to-reuse-our-data.md"),
    (["event", "Kick-off meeting", "--start", "2026-03-10T09:30", "--timezone", "Europe/Brussels"],
     "content/events/2026-03-10-kick-off-meeting.md"),
    (["news", "The project starts"], f"content/news/{dt.date.today().isoformat()}-the-project-starts.md"),
    (["recommendation", "Fund data stewards", "--for", "policy", "--stage", "II"], "content/action-plan/policy-2.md"),
    (["page", "about/team", "Our team"], "content/about/team.md"),
]


def test_new_writes_every_type_as_a_draft_that_checks(started, capsys):
    for words, path in NEW:
        assert run("-C", str(started), "new", *words) == 0
        assert capsys.readouterr().out.strip() == path
        text = (started / path).read_text("utf-8")
        assert "draft: true" in text and text.count("---") == 2
    assert "# nature:  # Nature code from config" in (started / "deliverables/d2-3.md").read_text("utf-8")
    assert 'timezone: "Europe/Brussels"' in (started / NEW[3][1]).read_text("utf-8")
    assert run("-C", str(started), "check") == 0
    assert run("-C", str(started), "build", "--no-pdf") == 0
    assert not (started / "site/deliverables/d2-3").exists()  # a draft until someone publishes it


@pytest.mark.parametrize(("words", "said"), [
    (["deliverable", "D1.1", "Again"], "disseminate new: deliverable id D1.1 is already used (choose another)"),
    (["deliverable", "5.4", "No D"], "disseminate new: id: '5.4' is not a deliverable number"),
    (["recommendation", "To nobody", "--for", "nobody"], "disseminate new: stakeholders[0]: 'nobody' is not a known "
                                                         "stakeholder group"),
    (["recommendation", "To no one"], "disseminate new: recommendation needs --for GROUP"),
    (["page", "../../etc/x", "Out"], "disseminate new: '../../etc/x' is not a page path inside content/"),
    (["page", "about", "About again"], "disseminate new: content/about.md exists already"),
    (["event", "Soon", "--start", "2026-02-30"], "disseminate new: start: '2026-02-30' is not a real date"),
    (["news", "Two", "words"], "disseminate new: news takes TITLE"),
])
def test_new_refuses_clashes_and_bad_values_with_one_line(started, capsys, words, said):
    before = sorted(started.rglob("*"))
    assert run("-C", str(started), "new", *words) == 2
    assert capsys.readouterr().err.startswith(said)
    assert sorted(started.rglob("*")) == before


def test_a_plain_page_without_front_matter_is_titled_by_its_heading(fixture_project, capsys):
    fixture_project.write("content/team.md", "# The *team*\n\nWe are [here](index.md).\n")
    fixture_project.write("content/setext.md", "Partners\n========\n\nWho we are.\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    team = (fixture_project.site / "team/index.html").read_text("utf-8")
    assert "<title>The team - Fixture</title>" in team and team.count("<h1") == 1
    assert "<title>Partners - Fixture</title>" in (fixture_project.site / "setext/index.html").read_text("utf-8")


def test_a_plain_page_with_neither_front_matter_nor_heading_gets_one_line(fixture_project, capsys):
    fixture_project.write("content/notes.md", "Some text.\n\n# A heading further down\n")
    assert fixture_project.run("check") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/notes.md:1: page: no title: start the page with a '# Heading' line, or with front matter "
        "('---', 'title: ...', '---')")
