"""`disseminate forms`: the summary for publication in the parts the programme's reporting asks for,
as plain text with its lengths checked against the documented limit, and the key exploitable results;
read back from Markdown, CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest

SUMMARY = """\
# Our summary

A note to the consortium, not pasted.

## Summary of the context and overall objectives of the project

Civil society *rarely* took part.
Its organisations said why.

## Work

1. A [survey](https://example.org/survey) of **40** organisations.
2. Six case studies:
   - one in Berlin;
   - one in Brussels.

<script>alert(1)</script> stays as text.

## Progress beyond the state of the art and expected potential impact (including the socio-economic impact and the wider societal implications of the project so far)

=HYPERLINK("http://x") is text too.
"""

RESULTS = """\
      key_results:
        - title: A participation guide
          teaser: How a civil society organisation joins a consortium.
          audience: [cso, ncp]
          policy_areas: [Security research, Civil society]
          video: https://example.org/video
          publications: [D1.1]
"""


def with_settings(fixture, text: str) -> None:
    settings = fixture.root / "mkdocs.yml"
    fixture.write("mkdocs.yml", settings.read_text().replace("  - disseminate:\n", "  - disseminate:\n" + text))


def read_csv(folder, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text("utf-8"))))


@pytest.fixture
def written(fixture_project):
    fixture_project.write("reporting/publishable-summary.md", SUMMARY)
    with_settings(fixture_project, RESULTS)
    (fixture_project.root / "mkdocs.yml").write_text(
        "site_url: https://fix.example.eu/\n" + (fixture_project.root / "mkdocs.yml").read_text())
    return fixture_project


def test_each_part_is_the_plain_text_to_paste_and_counted_as_such(written, capsys):
    out = written.root / "forms"
    assert written.run("forms", "--format", "csv", "-o", str(out)) == 0
    assert capsys.readouterr().err == ""  # every part written, none too long
    parts = {row["part"]: row for row in read_csv(out, "summary")}
    assert list(parts) == ["context", "work", "impact", "website"]  # the H2020 layout, in its order
    assert parts["context"]["text"] == "Civil society rarely took part. Its organisations said why."
    assert parts["work"]["text"] == ("1. A survey (https://example.org/survey) of 40 organisations.\n"
                                     "2. Six case studies:\n  - one in Berlin;\n  - one in Brussels.\n\n"
                                     "<script>alert(1)</script> stays as text.")
    assert parts["website"]["text"] == "https://fix.example.eu/"
    for key in ("context", "work", "website"):
        assert int(parts[key]["characters"]) == len(parts[key]["text"])
    # Made inert for a spreadsheet by an apostrophe, which the count (of the text to paste) leaves out.
    assert parts["impact"]["text"] == "'=HYPERLINK(\"http://x\") is text too."
    assert int(parts["impact"]["characters"]) == len(parts["impact"]["text"]) - 1
    assert "A note to the consortium" not in (out / "summary.csv").read_text("utf-8")


def test_a_summary_over_the_documented_length_is_a_warning_naming_the_limit(written, capsys):
    long = SUMMARY.replace("Civil society *rarely* took part.", "word " * 1600)
    written.write("reporting/publishable-summary.md", long)
    assert written.run("forms") == 0
    captured = capsys.readouterr()
    assert "reporting/publishable-summary.md:1: warning: summary: " in captured.err
    assert "characters in all, over the 7,480 the guidance prefers (European Commission, H2020 Online Manual" \
        in captured.err
    assert "## Summary of the context and overall objectives of the project" in captured.out


def test_headings_that_are_no_part_are_every_one_a_line(written, capsys):
    written.write("reporting/publishable-summary.md", SUMMARY + "\n## Budget\n\nx\n\n## work\n\ny\n")
    assert written.run("forms") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("reporting/publishable-summary.md:23: summary: 'Budget' is not a part of the summary "
                             "(the parts: Summary of the context")
    assert err[1] == "reporting/publishable-summary.md:27: summary: 'work' is written twice"


def test_an_empty_part_and_a_missing_site_address_are_warnings(fixture_project, capsys):
    fixture_project.write("reporting/publishable-summary.md", "## Work\n\nDone.\n")
    assert fixture_project.run("forms") == 0
    err = capsys.readouterr().err
    assert "mkdocs.yml:1: warning: summary 'Address (URL) of the project's public website': empty: give the " \
           "site's address (site_url)" in err
    assert "reporting/publishable-summary.md:1: warning: summary 'Summary of the context and overall objectives " \
           "of the project': empty" in err


def test_the_key_results_name_their_audience_and_publications(written, capsys):
    from openpyxl import load_workbook

    out = written.root / "forms.xlsx"
    assert written.run("forms", "--format", "xlsx", "-o", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "key_results"]
    header, row = list(book["key_results"].iter_rows(values_only=True))
    result = dict(zip(header, row, strict=True))
    assert result["audience"] == "Civil society organisations; National Contact Points"
    assert result["publications"] == "D1.1 A report (https://fix.example.eu/deliverables/d1-1/)"
    assert result["video"] == "https://example.org/video"
    impact = [cell for cell in book["summary"]["C"] if str(cell.value).startswith("=HYPERLINK")]
    assert impact and impact[0].data_type == "s"  # text, never a formula
    capsys.readouterr()
    assert written.run("forms") == 0
    assert "| Teaser | How a civil society organisation joins a consortium. |" in capsys.readouterr().out


def test_a_key_result_naming_what_is_not_there_is_a_line_of_mkdocs_yml(written, capsys):
    settings = written.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("publications: [D1.1]", "publications: [D9.9]"))
    assert written.run("forms") == 1
    lines = settings.read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "publications: [D9.9]" in text)
    assert f"mkdocs.yml:{line}: config 'key_results[0].publications': 'D9.9' is not the number of a publication" \
        in capsys.readouterr().err
    settings.write_text(settings.read_text().replace("audience: [cso, ncp]", "audience: [cso, press]"))
    assert written.run("check") == 1
    assert "'press' is not a stakeholder group (known: cso, ncp)" in capsys.readouterr().err


def test_a_programme_without_a_documented_layout_takes_the_projects_own(fixture_project, capsys):
    settings = fixture_project.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("programme: H2020", "programme: HE"))
    assert fixture_project.run("forms") == 2
    assert capsys.readouterr().err == (
        "disseminate: the programme data documents no periodic report summary layout for HE (documented: none); "
        "give its parts in mkdocs.yml, publishable_summary: sections:\n")
    with_settings(fixture_project, "      publishable_summary:\n        sections:\n"
                                   "          - {key: aims, heading: Aims, limit: {characters: 10}}\n")
    fixture_project.write("reporting/publishable-summary.md", "## Aims\n\nTo learn a great deal.\n")
    assert fixture_project.run("forms") == 0
    captured = capsys.readouterr()
    assert "reporting/publishable-summary.md:1: warning: summary 'Aims': 22 characters, over the 10" in captured.err
    assert "To learn a great deal." in captured.out


@pytest.mark.parametrize("path", ["content/summary.md", "../summary.md", "/etc/summary.md", "reporting/summary.txt"])
def test_the_summary_file_stays_in_the_project_and_out_of_the_site(fixture_project, capsys, path):
    with_settings(fixture_project, f"      publishable_summary: {{file: '{path}'}}\n")
    assert fixture_project.run("check") == 1
    assert "config 'publishable_summary.file'" in capsys.readouterr().err


def test_the_demos_final_summary_fits_the_fp7_layout(tmp_path, capsys):
    import shutil

    from conftest import REPO

    from builder.cli import main

    for name in ("content", "deliverables", "policy_briefs", "reporting"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert main(["-C", str(tmp_path), "forms", "--format", "csv", "-o", str(tmp_path / "forms")]) == 0
    parts = read_csv(tmp_path / "forms", "summary")
    assert [row["part"] for row in parts] == ["executive_summary", "context", "results", "impact", "website"]
    assert all(row["text"] for row in parts[:4])
    # The demo is not published at an address of its own: the website part is left to fill in, and said so.
    assert "warning: summary 'Project public website and contact details': empty" in capsys.readouterr().err
