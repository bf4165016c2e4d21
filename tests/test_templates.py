"""Template faults are problems with a file and a line, in `check` where they can be seen before
rendering, and in the build where they cannot: never a traceback. Web and print alike."""

from __future__ import annotations

import pytest

from builder.themes import PACKAGE_THEME

GUIDE = "---\ntitle: A guide\nsummary: How to take part.\n---\nText.\n"


def outcome(project, capsys, *args: str) -> tuple[int, list[str]]:
    code = project.run(*args)
    said = capsys.readouterr().err
    assert "Traceback" not in said and "internal error" not in said, said
    return code, [line for line in said.splitlines() if not line.startswith(("INFO", "PDF "))]


@pytest.mark.parametrize("command", [["check"], ["build", "--no-pdf"]])
def test_a_web_template_that_does_not_parse(fixture_project, capsys, command):
    fixture_project.write("theme/disseminate/item.html", "<div>\n{% for %}\n</div>\n")
    code, said = outcome(fixture_project, capsys, *command)
    assert code == 1
    assert "theme/disseminate/item.html:2: template: Expected an expression, got 'end of statement block'" in said


@pytest.mark.parametrize("command", [["check"], ["build", "--no-pdf"]])
def test_a_web_template_naming_a_missing_one(fixture_project, capsys, command):
    fixture_project.write("theme/disseminate/page.html", '<main>\n{% import "_gone.html" as gone %}\n</main>\n')
    code, said = outcome(fixture_project, capsys, *command)
    assert code == 1
    assert said[0].startswith("theme/disseminate/page.html:2: template: needs the template _gone.html, which neither "
                              "theme/disseminate/ nor Disseminate's own templates have"), said


def test_an_undefined_name_in_a_web_template(fixture_project, capsys):
    fixture_project.write("theme/disseminate/page.html", "<main>\n{{ body }}\n<p>{{ latest_newz | length }}</p>\n</main>\n")
    assert outcome(fixture_project, capsys, "check")[0] == 0  # only rendering can tell
    code, said = outcome(fixture_project, capsys, "build", "--no-pdf")
    assert code == 1
    assert "theme/disseminate/page.html:3: template: 'latest_newz' is undefined" in said


def test_a_print_template_that_does_not_parse(fixture_project, capsys):
    source = PACKAGE_THEME / "print/deliverable.html"
    fixture_project.write("theme/print/deliverable.html", source.read_text() + "{% if %}\n")
    line = source.read_text().count("\n") + 1  # the line added
    code, said = outcome(fixture_project, capsys, "check")
    assert code == 1
    assert f"theme/print/deliverable.html:{line}: template: Expected an expression, got 'end of statement block'" in said


def test_an_undefined_name_in_a_print_template_names_its_line_for_every_pdf(fixture_project, capsys):
    fixture_project.write("content/guides/g.md", GUIDE)
    fixture_project.write("content/guides/h.md", GUIDE.replace("A guide", "Another guide"))
    source = PACKAGE_THEME / "print/guide.html"
    text = source.read_text().replace("{% block front %}", "{% block front %}{{ cover_colour.upper() }}", 1)
    fixture_project.write("theme/print/guide.html", text)
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "cover_colour" in row)
    code, said = outcome(fixture_project, capsys, "build")
    assert code == 1
    assert said.count(f"theme/print/guide.html:{line}: template: 'cover_colour' is undefined") == 1, said
    code, said = outcome(fixture_project, capsys, "pdf", str(fixture_project.root / "content/guides/g.md"))
    assert (code, said[0]) == (1, f"theme/print/guide.html:{line}: template: 'cover_colour' is undefined")


def test_print_never_sees_a_web_template(fixture_project, capsys):
    """Print templates and web templates are separate namespaces: a print template naming a web
    one (which expects what only a web page has) is told it does not exist, by `check`."""
    fixture_project.write("content/guides/g.md", GUIDE)
    fixture_project.write("theme/print/guide.html", '{% extends "item.html" %}\n')
    code, said = outcome(fixture_project, capsys, "check")
    assert code == 1
    assert said[0] == ("theme/print/guide.html:1: template: needs the template item.html, which neither theme/print/ "
                       "nor Disseminate's own templates have (add it there)")
    code, said = outcome(fixture_project, capsys, "pdf", str(fixture_project.root / "content/guides/g.md"))
    assert (code, said[0]) == (1, "theme/print/guide.html:1: template: template 'item.html' not found (add it to the "
                                  "theme, or restore it)")
