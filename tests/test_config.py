"""One configuration: the core reads the settings of the config file MkDocs loaded, as MkDocs
resolved them, and reports a settings error once, with its line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURE_CONFIG

from builder import load_project
from builder.config import LoadedConfig, load_site_config, plugin_settings
from builder.problems import ContentErrors


def mkdocs(project, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """MkDocs' own command line, as a site built without `disseminate` runs it."""
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project.root, capture_output=True, text=True,
                          env=env)


def pdf_names(site) -> list[str]:
    return sorted(path.name for path in (site / "pdf").glob("*.pdf"))


def test_mkdocs_build_with_another_config_file_builds_that_projects_facts(fixture_project):
    fixture_project.write("other.yml", FIXTURE_CONFIG.replace("acronym: FIX", "acronym: OTHER")
                          .replace("site_name: Fixture", "site_name: Other\nsite_dir: other-site"))
    built = mkdocs(fixture_project, "build", "-f", "other.yml")
    assert built.returncode == 0, built.stderr
    assert pdf_names(fixture_project.root / "other-site") == ["OTHER_D1.1_A-report.pdf"]
    assert not fixture_project.site.exists()


def test_the_disseminate_command_takes_another_config_file(fixture_project):
    fixture_project.write("other.yml", FIXTURE_CONFIG.replace("acronym: FIX", "acronym: OTHER"))
    assert fixture_project.run("-f", "other.yml", "check") == 0
    assert fixture_project.run("-f", "other.yml", "build") == 0
    assert pdf_names(fixture_project.site) == ["OTHER_D1.1_A-report.pdf"]


def test_env_tags_in_the_plugin_settings_work_in_check_and_build(fixture_project, monkeypatch, capsys):
    fixture_project.write("mkdocs.yml", FIXTURE_CONFIG.replace("acronym: FIX", "acronym: !ENV [PROJECT_ACRONYM, FIX]")
                          .replace("language: en", "language: !ENV PROJECT_LANGUAGE"))
    monkeypatch.setenv("PROJECT_ACRONYM", "ENVPROJ")
    monkeypatch.setenv("PROJECT_LANGUAGE", "de")
    assert load_project(fixture_project.root).config.project.acronym == "ENVPROJ"
    assert fixture_project.run("build") == 0
    assert pdf_names(fixture_project.site) == ["ENVPROJ_D1.1_A-report.pdf"]
    catalogue = json.loads((fixture_project.site / "catalogue.json").read_text("utf-8"))
    assert {item["language"] for item in catalogue["items"]} == {"de"}
    monkeypatch.delenv("PROJECT_ACRONYM")  # the default given after the variables' names
    assert load_project(fixture_project.root).config.project.acronym == "FIX"


def test_an_unset_env_tag_is_a_missing_value_with_its_line(fixture_project, capsys):
    fixture_project.write("mkdocs.yml", FIXTURE_CONFIG.replace('grant_agreement: "123456"',
                                                               "grant_agreement: !ENV GRANT_NOT_SET_ANYWHERE"))
    assert fixture_project.run("check") == 1
    assert "mkdocs.yml:16: config 'project.grant_agreement': expected text, not nothing" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["disseminate", "build"], ["mkdocs", "build"]])
def test_a_settings_error_is_reported_once_with_its_line(fixture_project, capsys, command):
    fixture_project.write("mkdocs.yml", FIXTURE_CONFIG.replace("Europe/Brussels\n", "Europe/Brussels\n      home: {latest: 100}\n"))
    expected = "mkdocs.yml:19: config 'home.latest': 100 is too large (at most 50)"
    if command[0] == "mkdocs":
        built = mkdocs(fixture_project, "build")
        assert built.returncode != 0
        said = built.stdout + built.stderr
    else:
        assert fixture_project.run("build") == 1
        said = capsys.readouterr().err
    assert said.count("'home.latest'") == 1, said
    assert expected in said
    assert "Traceback" not in said


def test_each_setting_is_declared_once():
    """The plugin's settings are the core's SiteConfig fields, not a second list kept by hand."""
    from builder.plugin import DisseminatePlugin

    declared = [name for name, _ in DisseminatePlugin.config_scheme]
    assert declared == plugin_settings()
    assert {"project", "stakeholders", "pdf", "assets", "trusted_html"} <= set(declared)
    assert not {"site_name", "site_url", "theme_dir"} & set(declared)  # MkDocs' own settings, read from MkDocs


def test_settings_as_mkdocs_resolved_them_win_over_the_file(fixture_project):
    """What MkDocs passes (a `--no-pdf`, an inherited value) is what the core validates; the file
    gives only the lines."""
    loaded = LoadedConfig({"project": {"acronym": "GIVEN", "title": "T", "programme": "HE", "grant_agreement": "1234567"},
                           "stakeholders": {"cso": {"label": "CSOs"}}, "pdf": {"enabled": False}},
                          site_name="Given", docs_dir="content")
    config = load_site_config(fixture_project.root / "mkdocs.yml", loaded)
    assert (config.project.acronym, config.site_name, config.pdf.enabled) == ("GIVEN", "Given", False)
    loaded = LoadedConfig({**loaded.plugin, "home": {"latest": -1}}, docs_dir="content")
    with pytest.raises(ContentErrors) as raised:
        load_site_config(fixture_project.root / "mkdocs.yml", loaded)
    assert [str(problem) for problem in raised.value.problems] == [
        "mkdocs.yml:11: config 'home.latest': -1 is too small (at least 0)"]  # not in the file: the entry's line


@pytest.mark.parametrize(("programme", "codes"), [("FP7", "R, P, D, O"), ("H2020", "R, DEM, DEC, OTHER"),
                                                  ("HE", "R, DEM, DEC, DATA, DMP, ETHICS, SECURITY, OTHER")])
def test_the_programme_chooses_the_nature_codes_and_the_wording(fixture_project, capsys, programme, codes):
    fixture_project.write("mkdocs.yml", FIXTURE_CONFIG.replace("programme: H2020", f"programme: {programme}"))
    fixture_project.write("deliverables/d1-2.md", "---\ntitle: T\nid: D1.2\nsummary: S.\ndissemination: PU\n"
                                                  "nature: XYZ\n---\n")
    assert fixture_project.run("check") == 1
    assert f"deliverables/d1-2.md:6: deliverable 'nature': 'XYZ' is not a known nature code (allowed: {codes})" in capsys.readouterr().err
    config = load_site_config(fixture_project.root)
    assert config.funding_text.statement.endswith("123456.")
