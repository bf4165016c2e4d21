"""The programme's visibility rules held against what is made: a theme override that loses the EU
emblem or the funding statement fails the build (and the published site stays as it was), a print
template without the disclaimer fails `check`, feeds and calendar entries carry the statement, and a
publication with a DOI but no licence or open copy is warned about."""

from __future__ import annotations

import icalendar
from lxml import etree

DOI_REPORT = """---
title: A report with a DOI
id: D2.1
summary: What we found.
dissemination: PU
date: 2025-03-04
doi: 10.5281/zenodo.123456
{extra}---
Text.
"""
STATEMENT = ("This project has received funding from the European Union's Horizon 2020 research and innovation "
             "programme under grant agreement No 123456.")


def test_the_fixture_and_its_outputs_carry_what_the_rules_ask(fixture_project, capsys):
    fixture_project.write("content/events/day.md", "---\ntitle: Info day\nsummary: A day.\nstart: 2026-02-01\n---\n")
    assert fixture_project.run("check") == 0
    assert fixture_project.run("build", "--no-pdf") == 0
    feed = etree.parse(str(fixture_project.site / "feeds/publications.atom"))
    subtitle = feed.find("{http://www.w3.org/2005/Atom}subtitle").text
    assert subtitle == f"A fixture project. {STATEMENT}"
    rss = etree.parse(str(fixture_project.site / "feeds/publications.rss"))
    assert STATEMENT in rss.find("channel/description").text
    for name in ("events.ics", "events/day.ics"):
        [event] = icalendar.Calendar.from_ical((fixture_project.site / "calendar" / name).read_bytes()).walk("VEVENT")
        assert str(event["description"]) == f"A day.\n\n{STATEMENT}"


def test_a_footer_without_the_emblem_fails_the_build_and_leaves_the_site(fixture_project, capsys):
    assert fixture_project.run("build", "--no-pdf") == 0
    before = (fixture_project.site / "index.html").read_bytes()
    fixture_project.write("theme/partials/copyright.html",
                          '<div class="md-copyright"><p>{{ disseminate.funding.statement }}</p></div>\n')
    assert fixture_project.run("build", "--no-pdf") == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "lacks" in line]
    assert lines and all("lacks the EU emblem, which the H2020 rules require in pages" in line for line in lines)
    assert "content/index.md:1: visibility: its page / (from page.html and the theme's footer) lacks" in err
    assert "Traceback" not in err
    assert (fixture_project.site / "index.html").read_bytes() == before


def test_an_emblem_hidden_from_view_does_not_count(fixture_project, capsys):
    fixture_project.write("theme/partials/copyright.html",
                          '<div class="md-copyright" hidden><img src="{{ \'assets/eu-emblem.svg\' | url }}" alt="">'
                          "<p>{{ disseminate.funding.statement }}</p></div>\n")
    assert fixture_project.run("build", "--no-pdf") == 1
    assert "lacks the EU emblem and the funding statement" in capsys.readouterr().err


def test_a_print_template_without_the_disclaimer_fails_check(fixture_project, capsys):
    from builder.themes import PACKAGE_THEME

    # The package's print macros, overridden by the project's copy without the disclaimer.
    original = (PACKAGE_THEME / "print/_macros.html").read_text("utf-8")
    assert "{{ funding.disclaimer }}" in original
    fixture_project.write("theme/print/_macros.html", original.replace("{{ funding.disclaimer }}", ""))
    assert fixture_project.run("check") == 1
    err = capsys.readouterr().err
    assert "print/deliverable.html:1: visibility: the PDF of deliverables/d1-1.md lacks the disclaimer, which the " \
           "H2020 rules require in publications" in err


def test_a_doi_without_licence_or_open_copy_is_warned_about(fixture_project, capsys):
    fixture_project.write("deliverables/d2-1.md", DOI_REPORT.format(extra="pdf: false\n"))
    assert fixture_project.run("check") == 0
    err = capsys.readouterr().err
    assert "deliverables/d2-1.md:7: warning: deliverable 'licence': has a DOI but no licence" in err
    assert "deliverables/d2-1.md:7: warning: deliverable 'open_access': has a DOI but no open-access copy" in err
    fixture_project.write("deliverables/d2-1.md", DOI_REPORT.format(
        extra="pdf: false\nlicence: CC-BY-4.0\nopen_access: https://zenodo.org/records/123456\n"))
    assert fixture_project.run("check") == 0
    assert "has a DOI" not in capsys.readouterr().err


def test_a_feed_or_calendar_entry_without_the_statement_is_named(fixture_project):
    from builder.project import load_project
    from builder.visibility import made_problems

    fixture_project.write("content/events/day.md", "---\ntitle: Info day\nsummary: A day.\nstart: 2026-02-01\n---\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    project = load_project(fixture_project.root)
    made = {path: (fixture_project.site / path).read_bytes()
            for path in ("feeds/publications.atom", "feeds/publications.rss", "calendar/events/day.ics")}
    assert made_problems(project, made) == []
    cut = {path: content.replace(STATEMENT.encode(), b"Funded.") for path, content in made.items()}
    calendar = icalendar.Calendar.from_ical(made["calendar/events/day.ics"])  # its lines are folded: edit it parsed
    for event in calendar.walk("VEVENT"):
        event["description"] = icalendar.vText(str(event["description"]).replace(STATEMENT, "Funded."))
    cut["calendar/events/day.ics"] = calendar.to_ical()
    assert [str(problem) for problem in made_problems(project, cut)] == [
        f"{path}:1: visibility: {what} lacks the funding statement, which the H2020 rules require in {place} "
        "(H2020 Model Grant Agreement, ...)"
        for path, what, place in [("calendar/events/day.ics", "the calendar entry 'Info day'", "calendars"),
                                  ("feeds/publications.atom", "the feed feeds/publications.atom", "feeds"),
                                  ("feeds/publications.rss", "the feed feeds/publications.rss", "feeds")]]
