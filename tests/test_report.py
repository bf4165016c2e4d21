"""`disseminate report`: every count and table compared with the catalogue of a fixture project,
with items outside the period, a draft and a confidential deliverable among them; Markdown and CSV
read back with their parsers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markdown_it import MarkdownIt

FILES = {
    "deliverables/d2-1.md": "---\ntitle: Early report\nid: D2.1\nsummary: s\ndissemination: PU\ndate: 2024-05-10\n"
                            "stakeholders: [cso]\nstages: [I]\ndoi: 10.5281/zenodo.1\nlicence: CC-BY-4.0\n---\nText.\n",
    "deliverables/d2-2.md": "---\ntitle: Secret plan\nid: D2.2\nsummary: The confidential part.\ndissemination: CO\n"
                            "date: 2025-02-01\nstakeholders: [ncp]\n---\nNEVER-IN-A-REPORT\n",
    "deliverables/d2-3.md": "---\ntitle: Not yet\nid: D2.3\nsummary: s\ndissemination: PU\ndate: 2025-03-01\n"
                            "draft: true\n---\n",
    "policy_briefs/01.md": "---\ntitle: '=HYPERLINK(\"http://x\")'\nnumber: 1\nsummary: s\ndate: 2025-06-30\n"
                           "stakeholders: [cso, ncp]\n---\n",
    "content/events/day.md": "---\ntitle: Info | day\nsummary: s\nstart: 2025-04-02\nkind: info-day\n"
                             "location: {city: Brussels, country: BE}\nstakeholders: [ncp]\n"
                             "participants: {total: 40, by_group: {ncp: 12}}\n---\n",
    "content/events/late.md": "---\ntitle: Later\nsummary: s\nstart: 2026-01-15\nonline: https://meet.example.org/x\n---\n",
    "content/news/hello.md": "---\ntitle: Hello\nsummary: s\ndate: 2025-01-20\n---\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from conftest import FixtureProject
    fixture = FixtureProject(tmp_path_factory.mktemp("report"))
    for path, text in FILES.items():
        fixture.write(path, text)
    assert fixture.run("build", "--no-pdf") == 0
    return fixture


def report_csv(project, capsys, *args: str) -> dict[str, list[dict[str, str]]]:
    out = project.root / "out"
    assert project.run("report", "--format", "csv", "-o", str(out), *args) == 0
    capsys.readouterr()
    return {path.stem: list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
            for path in sorted(out.glob("*.csv"))}


def test_counts_match_the_catalogue_in_the_period_and_in_all(project, capsys):
    tables = report_csv(project, capsys, "--from", "2025-01", "--to", "2025-12")
    catalogue = json.loads((project.site / "catalogue.json").read_text("utf-8"))["items"]
    public = [item for item in catalogue if item["type"] in ("deliverable", "policy_brief", "event", "news")]
    in_2025 = [item for item in public if item["date"] and item["date"].startswith("2025")]
    counts = {(row["dimension"], row["key"]): (int(row["in_period"]), int(row["total"])) for row in tables["counts"]}
    # The confidential deliverable is reported (it was delivered), the draft is not.
    assert counts["type", "deliverable"] == (1, len([i for i in public if i["type"] == "deliverable"]) + 1)
    for kind in ("policy_brief", "event", "news"):
        assert counts["type", kind] == (len([i for i in in_2025 if i["type"] == kind]),
                                        len([i for i in public if i["type"] == kind])), kind
    assert counts["stakeholders", "ncp"] == (3, 3)  # D2.2 (confidential), brief 1, the info day
    assert counts["stakeholders", "cso"] == (1, 2)  # brief 1 in 2025; D2.1 in 2024
    assert counts["stages", "I"] == (0, 1)


def test_the_tables_list_what_the_period_holds_and_never_a_confidential_text(project, capsys):
    tables = report_csv(project, capsys, "--from", "2025-01", "--to", "2025-12")
    assert [(row["kind"], row["id"], row["dissemination"], row["open_access"]) for row in tables["publications"]] == [
        ("Deliverable", "D2.2", "CO", ""), ("Policy brief", "PB1", "PU", "/policy-briefs/01/")]
    assert tables["publications"][1]["title"] == "'=HYPERLINK(\"http://x\")"  # inert in a spreadsheet
    [event] = tables["events"]
    assert (event["date"], event["place"], event["kind"], event["participants"], event["participants_ncp"],
            event["participants_cso"]) == ("2025-04-02", "Brussels, BE", "info-day", "40", "12", "")
    assert [row["title"] for row in tables["news"]] == ["Hello"]
    everything = "".join((project.root / "out" / f"{name}.csv").read_text("utf-8") for name in tables)
    assert "NEVER-IN-A-REPORT" not in everything and "The confidential part." not in everything
    assert "Not yet" not in everything


def test_the_whole_project_and_not_recorded_figures(project, capsys):
    out = project.root / "out"
    assert project.run("report", "--format", "csv", "-o", str(out)) == 0
    assert capsys.readouterr().out.endswith("for all dates\n")  # the fixture's project gives no start or end
    tables = report_csv(project, capsys)
    assert [row["title"] for row in tables["events"]] == ["Info | day", "Later"]
    later = tables["events"][1]
    assert (later["place"], later["participants"], later["organiser"]) == ("online", "not recorded", "not recorded")
    assert tables["publications"][0]["licence"] == "Creative Commons Attribution 4.0 International"


def test_markdown_report_parses_into_the_same_tables(project, capsys):
    assert project.run("report", "--from", "2025-01", "--to", "2025-12") == 0
    text = capsys.readouterr().out
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings[:3] == ["Dissemination and communication activities: FIX", "In numbers", "By content type"]
    assert "Period: 2025-01 to 2025-12." in text
    cells = [token.content for token in tokens if token.type == "inline"]
    assert "Info | day" in cells  # a pipe in a title stays in its cell


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2025-13"], "'2025-13' is not a month"),
    (["--period", "P9"], "no reporting period 'P9' (known: none in mkdocs.yml (reporting_periods:))"),
    (["--from", "2025-06", "--to", "2025-01"], "the period ends before it starts"),
    (["--period", "P1", "--from", "2025-01"], "give --period or --from/--to, not both"),
])
def test_a_period_that_cannot_be_is_one_line(project, capsys, args, message):
    assert project.run("report", *args) == 2
    assert message in capsys.readouterr().err


def test_a_reporting_period_from_config(fixture_project, capsys):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text().replace(
        "  - disseminate:\n", "  - disseminate:\n      reporting_periods:\n        P1: {start: 2025-01, end: 2025-06}\n"))
    fixture_project.write("content/news/hello.md", FILES["content/news/hello.md"])
    assert fixture_project.run("report", "--period", "P1") == 0
    out = capsys.readouterr().out
    assert "Period: P1 (2025-01 to 2025-06)." in out and "| 2025-01-20 | Hello |" in out


def test_participants_beyond_the_total_are_one_clear_line(fixture_project, capsys):
    fixture_project.write("content/events/day.md", "---\ntitle: Day\nsummary: s\nstart: 2025-04-02\n"
                          "participants: {total: 5, by_group: {ncp: 4, cso: 3}}\n---\n")
    assert fixture_project.run("check") == 1
    assert "content/events/day.md:5: event 'participants': the groups add up to 7, more than the total 5" \
        in capsys.readouterr().err


def test_the_pdf_is_tagged_with_cover_charts_tables_and_the_funding(project, capsys):
    from pypdf import PdfReader

    out = project.root / "report.pdf"
    assert project.run("report", "--format", "pdf", "-o", str(out), "--from", "2025-01", "--to", "2025-12") == 0
    reader = PdfReader(out)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog  # tagged
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Dissemination and communication activities" in text.replace("DISSEMINATION AND COMMUNICATION ACTIVITIES",
                                                                        "Dissemination and communication activities")
    assert "Activities per month" in text and "Audiences per stakeholder group" in text
    assert "2025-04" in text  # a month of the chart and of its table
    assert "40, of whom National Contact Points 12" in text
    assert "Horizon 2020 research and innovation programme under grant agreement No 123456" in text
    assert "NEVER-IN-A-REPORT" not in text


def test_the_charts_are_accessible_svg_with_a_bar_per_value(project):
    from lxml import etree

    from builder.dissemination import build_report, period_of
    from builder.project import load_project
    from builder.report_formats import charts

    loaded = load_project(project.root)
    report = build_report(loaded, period_of(loaded.config, "2025-01", "2025-12"))
    per_month, per_group = charts(report)
    assert per_month.bars == [("2025-01", 1), ("2025-02", 1), ("2025-03", 0), ("2025-04", 1), ("2025-05", 0),
                              ("2025-06", 1)]  # news, D2.2, -, the info day, -, brief 1 (the draft not)
    assert per_group.bars == [("Civil society organisations", 1), ("National Contact Points", 3)]
    svg = etree.fromstring(str(per_month.svg))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img" and svg.find("svg:title", ns).text == "Activities per month"
    assert svg.find("svg:desc", ns).text == "2025-01: 1; 2025-02: 1; 2025-03: 0; 2025-04: 1; 2025-05: 0; 2025-06: 1"
    widths = [float(rect.get("width")) for rect in svg.findall("svg:rect", ns)]
    assert len(widths) == 6 and widths[2] == widths[4] == 0 and len(set(widths) - {0}) == 1


def test_the_markdown_names_each_events_participants_in_one_cell(project, capsys):
    assert project.run("report", "--from", "2025-01", "--to", "2025-12") == 0
    assert "| 40, of whom National Contact Points 12 |" in capsys.readouterr().out


def test_the_workbook_holds_every_table_as_the_csv_does_and_no_formula(project, capsys):
    from openpyxl import load_workbook

    tables = report_csv(project, capsys, "--from", "2025-01", "--to", "2025-12")
    out = project.root / "report.xlsx"
    assert project.run("report", "--format", "xlsx", "-o", str(out), "--from", "2025-01", "--to", "2025-12") == 0
    book = load_workbook(out)
    assert book.sheetnames == ["counts", "publications", "events", "videos", "news"]
    for name, rows in tables.items():
        sheet = list(book[name].iter_rows(values_only=True))
        header = next(csv.reader(io.StringIO((project.root / "out" / f"{name}.csv").read_text("utf-8"))))
        assert list(sheet[0]) == header and len(header) > 1  # an empty table keeps its columns too
        assert len(sheet) == len(rows) + 1
    brief = [row for row in book["publications"].iter_rows() if row[1].value == "PB1"][0]
    assert brief[2].value == '=HYPERLINK("http://x")' and brief[2].data_type == "s"  # text, never a formula
    counts = {(row[0], row[1]): (row[3], row[4]) for row in book["counts"].iter_rows(min_row=2, values_only=True)}
    assert counts["stakeholders", "ncp"] == (3, 3)


def test_results_in_numbers_is_a_page_only_when_asked_for_and_agrees_with_the_report(project, capsys):
    from bs4 import BeautifulSoup

    assert not (project.site / "results-in-numbers").exists()
    settings = project.root / "mkdocs.yml"
    original = settings.read_text()
    settings.write_text(original.replace("  - disseminate:\n", "  - disseminate:\n      results_in_numbers: true\n"))
    try:
        assert project.run("build", "--no-pdf") == 0
        page = BeautifulSoup((project.site / "results-in-numbers/index.html").read_text("utf-8"), "html.parser")
        tables = report_csv(project, capsys)
    finally:
        settings.write_text(original)
        assert project.run("build", "--no-pdf") == 0  # the module's other tests see the site they expect
    shown = {table.caption.get_text(): {row.th.get_text(): (row.select("td")[0].get_text(), row.select("td")[1].get_text())
                                        for row in table.select("tbody tr")}
             for table in page.select("table.ds-figures")}
    assert shown["By stakeholder group"] == {row["label"]: (row["in_period"], row["total"])
                                             for row in tables["counts"] if row["dimension"] == "stakeholders"}
    assert [svg["role"] for svg in page.select("figure.ds-chart svg")] == ["img", "img"]
    assert "all dates" in page.get_text()


RECORDED = """      recorded_figures:
        - {figure: Sessions, value: 2945, start: 2025-01-14, end: 2025-06-30, source: Analytics}
        - {figure: Followers, value: "1,200", start: 2025-05, end: 2025-08, source: Social media}
        - {figure: Events held, value: 26, source: Final report}
      reporting_periods:
        P1: {start: 2025-01, end: 2025-06}
"""


def test_recorded_figures_go_to_the_reports_whose_period_holds_them(fixture_project, capsys):
    settings = fixture_project.root / "mkdocs.yml"
    fixture_project.write("mkdocs.yml", settings.read_text().replace("  - disseminate:\n",
                                                                     "  - disseminate:\n" + RECORDED))
    listed = {}
    for name, args in {"P1": ["--period", "P1"], "2025": ["--from", "2025-01", "--to", "2025-12"], "all": []}.items():
        out = fixture_project.root / name
        assert fixture_project.run("report", "--format", "csv", "-o", str(out), *args) == 0
        recorded = out / "recorded.csv"
        listed[name] = [(row["figure"], row["value"], row["covers"], row["source"])
                        for row in csv.DictReader(io.StringIO(recorded.read_text("utf-8")))] if recorded.exists() else []
    sessions = ("Sessions", "2945", "2025-01-14 to 2025-06-30", "Analytics")
    followers = ("Followers", "1,200", "2025-05 to 2025-08", "Social media")
    assert listed["P1"] == [sessions]  # the followers' months run past the period
    assert listed["2025"] == [sessions, followers]  # an undated figure is the whole project's only
    assert listed["all"] == [sessions, followers, ("Events held", "26", "not recorded", "Final report")]
    capsys.readouterr()
    assert fixture_project.run("report") == 0
    text = capsys.readouterr().out
    assert "## Recorded elsewhere" in text and "| Events held | 26 | not recorded | Final report |" in text


@pytest.mark.parametrize(("figure", "message"), [
    ("{figure: A, value: 1, start: 2025-01, source: S}", "give both start and end, or neither"),
    ("{figure: A, value: 1, start: 2025-02-30, end: 2025-03, source: S}", "day is out of range for month"),
    ("{figure: A, value: 1, start: 2025-06, end: 2025-01-31, source: S}", "ends (2025-01-31) before it starts"),
    ("{figure: A, value: 1}", "config 'recorded_figures[0].source': is required but missing"),
])
def test_a_recorded_figure_that_cannot_be_is_one_line(fixture_project, capsys, figure, message):
    settings = fixture_project.root / "mkdocs.yml"
    fixture_project.write("mkdocs.yml", settings.read_text().replace(
        "  - disseminate:\n", f"  - disseminate:\n      recorded_figures:\n        - {figure}\n"))
    assert fixture_project.run("check") == 1
    error = capsys.readouterr().err
    assert "mkdocs.yml:" in error and message in error and "Traceback" not in error


def test_the_demos_report_agrees_with_the_final_report_where_they_overlap(tmp_path, capsys):
    """The sources (the final report summary on CORDIS) give: 23 public results, the Berlin workshop
    of 14-15 September 2015 organised with the BBE, and 2,945 sessions and 1,573 new users from
    14 April 2015 to 30 April 2016. The content gives no event's participants and no access logs."""
    import shutil

    from conftest import REPO

    from builder.cli import main

    for name in ("content", "deliverables", "policy_briefs"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    out = tmp_path / "out"
    assert main(["-C", str(tmp_path), "report", "--format", "csv", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("2014-05 to 2016-05")
    tables = {path.stem: list(csv.DictReader(io.StringIO(path.read_text("utf-8")))) for path in out.glob("*.csv")}
    counts = {(row["dimension"], row["key"]): int(row["total"]) for row in tables["counts"]}
    assert counts["type", "deliverable"] == 23
    berlin = [row for row in tables["events"] if row["title"] == "SecurePART workshop in Berlin"]
    assert [(row["date"], row["end"], row["place"], row["participants"]) for row in berlin] == [
        ("2015-09-14", "2015-09-15", "Berlin, DE", "not recorded")]
    recorded = {row["figure"]: (row["value"], row["covers"]) for row in tables["recorded"]}
    assert recorded["Website sessions"] == ("2945", "2015-04-14 to 2016-04-30")
    assert recorded["New users"] == ("1573", "2015-04-14 to 2016-04-30")
    assert recorded["Public results on the original website"] == ("23", "not recorded")
    assert main(["-C", str(tmp_path), "report"]) == 0
    assert "Page views, visitors and downloads: not recorded" in capsys.readouterr().out
