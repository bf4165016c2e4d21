"""`disseminate import cordis`: CORDIS's open-data exports of each programme's layout (the
hand-written fixtures in tests/fixtures/cordis/), filters from config, a newer export that adds,
changes and removes projects, and bad rows: every problem at once, with its file and line, and
nothing written."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "cordis"
DATA = "data/cordis-projects.json"


def projects_in(fixture) -> dict[str, dict]:
    """The data file's projects, each participation by its field names (the file's header names them)."""
    data = json.loads((fixture.root / DATA).read_text("utf-8"))
    fields = data["participation"]
    return {row["id"]: {**row, "participants": [dict(zip(fields, p, strict=True)) for p in row["participants"]]}
            for row in data["projects"]}


def with_selection(fixture, selection: str) -> None:
    settings_file = fixture.root / "mkdocs.yml"
    settings_file.write_text(settings_file.read_text().replace(
        "  - disseminate:\n", f"  - disseminate:\n      explorer:\n        select: {selection}\n"))


@pytest.mark.parametrize(("layout", "expected"), [
    ("fp7", {"900001": ("CIVFIX", "FP7", "CSA-SA", 900000.0, 3), "900002": ("FLOODFIX", "FP7", "CP-FP", 2800000.0, 2),
             "900003": ("GENEFIX", "FP7", "CP-FP", 1500000.0, 1)}),
    ("h2020", {"800001": ("RESILFIX", "H2020", "RIA", 2999999.75, 3), "800002": ("CYBERFIX", "H2020", "IA", 4000000.0, 1)}),
    ("horizon", {"101000001": ("CITIZFIX", "HE", "HORIZON-CSA", 1500000.0, 2),
                 "101000002": ("BORDERFIX", "HE", "HORIZON-RIA", 4999999.5, 1)}),
])
def test_each_programmes_layout_imports_with_its_consortia(fixture_project, capsys, layout, expected):
    assert fixture_project.run("import", "cordis", str(FIXTURES / layout)) == 0
    assert capsys.readouterr().err == ""
    projects = projects_in(fixture_project)
    assert {key: (row["acronym"], row["programme"], row["funding_scheme"], row["ec_contribution"],
                  len(row["participants"])) for key, row in projects.items()} == expected


def test_the_values_are_read_as_the_format_writes_them(fixture_project):
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7"), str(FIXTURES / "h2020")) == 0
    projects = projects_in(fixture_project)
    civfix, floodfix, resilfix = projects["900001"], projects["900002"], projects["800001"]
    # A quoted objective keeps its line break and its semicolon.
    assert civfix["objective"] == ("How civil society organisations take part in security research.\n"
                                   "A second line; with a semicolon, quoted as the format allows.")
    assert (civfix["topics"], civfix["call"], civfix["start"], civfix["status"]) == (
        ["SEC-2013.7.3-1"], "FP7-SEC-2013-1", "2014-05-01", "CLOSED")
    assert floodfix["total_cost"] == 3500000.5  # "3500000,50", a decimal comma
    assert [(p["name"], p["country"], p["role"]) for p in floodfix["participants"]] == [
        ("HYDRO INSTITUTE", "EL", "coordinator"), ("ALPHA CONSULTING SL", "ES", "participant")]  # "ES;ES" once
    assert [(p["activity_type"], p["ec_contribution"], p["sme"]) for p in resilfix["participants"]] == [
        ("OTH", 1000000.25, False), ("REC", 1999999.5, False), ("HES", 0.0, False)]
    assert resilfix["doi"] == "10.3030/800001"


def test_the_data_file_is_the_same_bytes_whatever_the_order_of_imports(fixture_project, tmp_path):
    data = fixture_project.root / DATA
    for order in ([FIXTURES / "fp7", FIXTURES / "h2020"], [FIXTURES / "h2020", FIXTURES / "fp7"]):
        data.unlink(missing_ok=True)
        for export in order:
            assert fixture_project.run("import", "cordis", str(export)) == 0
        shutil.copy(data, tmp_path / f"{order[0].name}.json")
    assert (tmp_path / "fp7.json").read_bytes() == (tmp_path / "h2020.json").read_bytes()
    lines = (tmp_path / "fp7.json").read_text("utf-8").splitlines()
    assert len(lines) == 2 + 5 and lines[1].startswith('{"acronym":"RESILFIX"')  # a project a line, by id


def test_an_archive_as_downloaded_imports_like_its_files(fixture_project, tmp_path):
    archive = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("project.csv", "organization.csv"):
            out.write(FIXTURES / "h2020" / name, f"csv/{name}")  # older archives hold a csv/ folder
    assert fixture_project.run("import", "cordis", str(archive)) == 0
    assert set(projects_in(fixture_project)) == {"800001", "800002"}


@pytest.mark.parametrize(("selection", "expected"), [
    ("{programmes: [FP7], codes: [SEC-]}", {"900001", "900002"}),
    ("{codes: [SEC-], ids: ['900003']}", {"900001", "900002", "900003"}),  # listed ids come in whatever the rest says
    ("{ids: [900003, 800002]}", {"900003", "800002"}),
    ("{codes: [H2020-SU-DS, HORIZON-CL3-2023]}", {"800002", "101000002"}),  # a call's code counts as a topic's
    ("{start_from: 2019-09, start_until: 2023}", {"800001", "800002", "101000001"}),
    ("{programmes: [HE], start_from: 2024-01-01}", {"101000002"}),
])
def test_the_selection_in_config_chooses_what_enters(fixture_project, selection, expected):
    with_selection(fixture_project, selection)
    assert fixture_project.run("import", "cordis", *(str(FIXTURES / name) for name in ("fp7", "h2020", "horizon"))) == 0
    assert set(projects_in(fixture_project)) == expected


def test_a_newer_export_reports_what_it_added_changed_and_removed(fixture_project, tmp_path, capsys):
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7"), str(FIXTURES / "horizon")) == 0
    newer = tmp_path / "fp7-newer"
    shutil.copytree(FIXTURES / "fp7", newer)
    projects = (newer / "project.csv").read_text("utf-8")
    lines = projects.splitlines(keepends=True)
    genefix = next(line for line in lines if line.startswith('"900003"'))
    projects = projects.replace(genefix, "")  # GENEFIX is gone
    projects = projects.replace("Flood warnings for small towns", "Flood warnings for small and large towns")
    projects += genefix.replace('"900003";"GENEFIX"', '"900004";"NEWFIX"')
    (newer / "project.csv").write_text(projects, "utf-8")
    capsys.readouterr()
    assert fixture_project.run("import", "cordis", str(newer)) == 0
    out = capsys.readouterr().out
    assert f"{DATA}: 5 projects; from 3 in the exports of FP7, 3 selected" in out
    assert "  added: 1: NEWFIX (900004)\n  changed: 1: FLOODFIX (900002)\n  removed: 1: GENEFIX (900003)\n" in out
    imported = projects_in(fixture_project)
    assert {"101000001", "101000002"} <= set(imported)  # Horizon Europe's projects stay: no HE export was given
    assert imported["900002"]["title"] == "Flood warnings for small and large towns, a fixture"


BAD_PROJECTS = (
    '"id";"acronym";"status";"title";"startDate";"endDate";"totalCost";"ecMaxContribution";"topics";'
    '"frameworkProgramme";"masterCall";"fundingScheme";"objective";"contentUpdateDate";"rcn"\n'
    '"900010";"OK";"CLOSED";"Fine";"2014-01-01";"2015-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"Fine.";"";"1"\n'
    '"90001X";"BADID";"CLOSED";"t";"2014-01-01";"2015-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"o";"";"2"\n'
    '"900012";"BADDAY";"CLOSED";"t";"2014-02-30x";"2015-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"o";"";"3"\n'
    '"900013";"BADMONEY";"CLOSED";"t";"2014-01-01";"2015-01-01";"1.000.000";"10";"SEC-1";"FP7";"";"CSA";"o";"";"4"\n'
    '"900014";"FP9";"CLOSED";"t";"2014-01-01";"2015-01-01";"10";"10";"SEC-1";"FP9";"";"CSA";"o";"";"5"\n'
    '"900015";"BACKWARDS";"CLOSED";"t";"2015-01-01";"2014-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"o";"";"6"\n'
    '"900010";"TWICE";"CLOSED";"t";"2014-01-01";"2015-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"o";"";"7"\n'
    '"900016";"SHORT";"CLOSED"\n'
    '"900017";"MENDED";"CLOSED";"t";"2014-01-01";"2015-01-01";"10";"10";"SEC-1";"FP7";"";"CSA";"a";"b";"c";'
    '"2020-01-01 10:00:00";"8"\n'
)


def test_bad_rows_are_each_one_line_and_nothing_is_imported(fixture_project, tmp_path, capsys):
    assert fixture_project.run("import", "cordis", str(FIXTURES / "h2020")) == 0
    before = (fixture_project.root / DATA).read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "project.csv").write_text(BAD_PROJECTS, "utf-8")
    (bad / "organization.csv").write_text('"projectID";"name"\n"900010";"X"\n', "utf-8")
    capsys.readouterr()
    assert fixture_project.run("import", "cordis", str(bad)) == 1
    err = capsys.readouterr().err.splitlines()
    csv_file, orgs = str(bad / "project.csv"), str(bad / "organization.csv")
    assert err == [
        f"{orgs}:1: organization: no column 'organisationID', 'country', 'role', 'activityType': not a CORDIS "
        "organization export",
        f"{csv_file}:3: project 'id': '90001X' is not a CORDIS id (digits)",
        f"{csv_file}:4: project 'startDate': '2014-02-30x' is not a date written YYYY-MM-DD",
        f"{csv_file}:5: project 'totalCost': '1.000.000' is not an amount in euros",
        f"{csv_file}:6: project 'frameworkProgramme': 'FP9' is not a programme the import knows (FP7, H2020, HORIZON)",
        f"{csv_file}:7: project 'endDate': 2014-01-01 is before the start, 2015-01-01",
        f"{csv_file}:8: project 'id': '900010' is listed twice",
        f"{csv_file}:9: project: has 3 fields where the header names 15",
        f"{csv_file}:10: warning: project 'objective': held 2 unquoted ';': read as part of the objective",
        "disseminate: nothing imported: 8 problems",
    ]
    assert (fixture_project.root / DATA).read_bytes() == before  # the previous import stands


@pytest.mark.parametrize(("text", "message"), [
    ("{}", "project.json:1: project: not a JSON array of rows"),
    ('[{"id": 1}, 7]', "project.json:1: project: no column 'acronym'"),
    ("[\n" + json.dumps(json.loads((FIXTURES / "horizon" / "project.json").read_text("utf-8"))[0]) + ',\n{"id": ',
     "project.json:3: project: not valid JSON"),
])
def test_a_json_export_that_is_not_one_is_a_line(fixture_project, tmp_path, capsys, text, message):
    (tmp_path / "project.json").write_text(text, "utf-8")
    assert fixture_project.run("import", "cordis", str(tmp_path / "project.json")) == 1
    assert message in capsys.readouterr().err
    assert not (fixture_project.root / DATA).exists()


def test_files_that_are_no_export_are_refused(fixture_project, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    assert fixture_project.run("import", "cordis", str(tmp_path / "notes.txt"), str(tmp_path / "missing.zip")) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'notes.txt'}:1: import: not a CORDIS export" in err
    assert f"{tmp_path / 'missing.zip'}:1: import: no such file" in err


def test_the_data_file_stays_out_of_the_published_folders(fixture_project, capsys):
    settings_file = fixture_project.root / "mkdocs.yml"
    settings_file.write_text(settings_file.read_text().replace(
        "  - disseminate:\n", "  - disseminate:\n      explorer: {data: content/projects.json}\n"))
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7")) == 1
    assert "config 'explorer.data': 'content/projects.json' is in a folder the site publishes" in capsys.readouterr().err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=st.sampled_from(list('";\n\r,x19-.\\ é\x00')), max_size=300))
def test_no_project_file_whatever_it_holds_stops_the_import_with_a_traceback(tmp_path_factory, body):
    from builder.cordis import read_exports

    folder = tmp_path_factory.mktemp("fuzz")
    header = (FIXTURES / "h2020" / "project.csv").read_text("utf-8").splitlines()[0]
    (folder / "project.csv").write_text(header + "\n" + body, "utf-8")
    export = read_exports([folder])
    for project in export.projects.values():
        assert project.id.isdigit() and project.programme in ("FP7", "H2020", "HE")
    assert all(problem.line >= 1 for problem in export.problems)


def test_the_data_file_is_as_readable_as_any_file_the_project_writes(fixture_project):
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7")) == 0
    assert stat.S_IMODE((fixture_project.root / DATA).stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_a_data_file_of_another_layout_is_written_anew_with_a_warning(fixture_project, capsys):
    fixture_project.write(DATA, '{"format":1,"projects":[\n{"id":"1"}\n]}\n')
    assert fixture_project.run("check") == 1
    assert f"{DATA}:1: explorer: format 1, not 2: import the export again" in capsys.readouterr().err
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7")) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err and "format 1, not 2; written anew" in captured.err
    assert "added: 3" in captured.out and set(projects_in(fixture_project)) == {"900001", "900002", "900003"}


def test_an_archive_member_too_large_to_be_an_export_is_not_read(fixture_project, tmp_path, capsys, monkeypatch):
    from builder import cordis

    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("project.csv", "x" * 5_000_000)  # packs to a few kilobytes
    monkeypatch.setattr(cordis, "MEMBER_LIMIT", 1_000_000)  # the real limit, 2 GiB, scaled down
    assert fixture_project.run("import", "cordis", str(archive)) == 1
    assert f"{archive}:project.csv:1: import: 5,000,000 bytes unpacked, more than any CORDIS export's 1,000,000: " \
           "not read" in capsys.readouterr().err
    assert not (fixture_project.root / DATA).exists()


def test_a_data_file_whose_id_would_leave_the_site_is_refused(fixture_project, capsys):
    assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7")) == 0
    data = fixture_project.root / DATA
    data.write_text(data.read_text("utf-8").replace('"id":"900001"', '"id":"../../../escaped"'), "utf-8")
    assert fixture_project.run("build", "--no-pdf") == 1
    assert "project id '../../../escaped' is not a CORDIS id (digits)" in capsys.readouterr().err
    assert not list(fixture_project.root.parent.rglob("escaped*"))
