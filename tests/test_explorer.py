"""The explorer of related projects, built from the CORDIS fixtures: a page per project with its
consortium, the home's facets and figures counted as the data file says, the listing without
JavaScript, the downloads, and the pages kept out of the site search; every value escaped, and the
funding statement on every page."""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "cordis"
EXPLORER = """\
      explorer:
        page_size: 10
        areas:
          disasters: {label: Crisis management and resilience against disasters}
          cyber: {label: Cybersecurity}
        area_rules:
          - {area: disasters, codes: [SU-DRS, "SEC-2011.4*"]}
          - {area: cyber, codes: [SU-DS]}
        area_overrides: data/areas.yml
        civil_society: {names: [red cross]}
"""


def configure(fixture, text: str = EXPLORER) -> None:
    settings = fixture.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("  - disseminate:\n", "  - disseminate:\n" + text))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import FixtureProject

    fixture = FixtureProject(tmp_path_factory.mktemp("explorer") / "project")
    configure(fixture)
    settings = fixture.root / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("  font: false\n", "  font: false\n  palette: {scheme: slate, primary: teal}\n"))
    fixture.write("data/areas.yml", "'900003': [cyber]\n")
    fixture.write("content/news/floods.md", "---\ntitle: Our work with FLOODFIX\ndate: 2025-01-10\nsummary: s\n"
                                            "projects: [900002]\n---\nText.\n")
    assert fixture.run("import", "cordis", *(str(FIXTURES / name) for name in ("fp7", "h2020", "horizon"))) == 0
    assert fixture.run("build", "--no-pdf") == 0
    return fixture


def data_of(fixture) -> dict[str, dict]:
    data = json.loads((fixture.root / "data/cordis-projects.json").read_text())
    fields = data["participation"]
    return {row["id"]: {**row, "participants": [dict(zip(fields, p, strict=True)) for p in row["participants"]]}
            for row in data["projects"]}


def page(fixture, path: str) -> BeautifulSoup:
    return BeautifulSoup((fixture.site / path).read_text("utf-8"), "html.parser")


def test_every_project_has_a_page_with_its_consortium(built):
    for key, project in data_of(built).items():
        soup = page(built, f"projects/{key}.html")
        assert soup.h1.get_text(" ", strip=True) == f"{project['acronym']} {project['title']}"
        rows = soup.select("table.ds-explorer-consortium tbody tr")
        assert [row.td.get_text(strip=True).split(",")[0] for row in rows] == [p["name"] for p in project["participants"]]
        assert soup.find("a", string="The project on CORDIS")["href"] == f"https://cordis.europa.eu/project/id/{key}"
    floodfix = page(built, "projects/900002.html")
    cells = [[cell.get_text(strip=True) for cell in row.select("td")]
             for row in floodfix.select("table.ds-explorer-consortium tbody tr")]
    assert cells[0][1:] == ["Greece", "coordinator", "Research organisation", "€2,000,000.00"]  # EL is Greece


def test_each_page_carries_the_funding_statement_and_loads_nothing_from_elsewhere(built):
    soup = page(built, "projects/800001.html")
    assert "Horizon 2020 research and innovation programme under grant agreement No 123456" in soup.footer.get_text()
    assert soup.footer.img["src"] == "../assets/eu-emblem.svg"
    assert "default-src 'none'" in soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    loaded = [tag.get("src") or tag.get("href") for tag in soup.find_all(["link", "img", "script"])]
    assert loaded and all(not address.startswith(("http:", "https:", "//")) for address in loaded)
    assert all((built.site / "projects" / address).resolve().is_file() for address in loaded)
    home = page(built, "projects/index.html").body
    assert soup.html["lang"] == "en" and soup.body["data-md-color-scheme"] == "slate"
    assert {k: v for k, v in soup.body.attrs.items() if k.startswith("data-md-color")} == \
        {k: v for k, v in home.attrs.items() if k.startswith("data-md-color")}  # the site's colours


def test_the_home_counts_what_the_data_file_holds(built):
    data = data_of(built)
    soup = page(built, "projects/index.html")
    shown = {details.summary.get_text().rsplit(" (", 1)[0]: {item.get_text().rsplit(": ", 1)[0]: int(item.get_text().rsplit(": ", 1)[1])
                                                              for item in details.select("li")}
             for details in soup.select("details.ds-explorer-facet")}
    assert shown["Programme"] == {"FP7": 3, "Horizon 2020": 2, "Horizon Europe": 2}
    countries = Counter(p["country"] for project in data.values() for p in {x["country"]: x for x in project["participants"]}.values())
    assert shown["Participant country"]["Greece"] == countries["EL"] == 2
    assert shown["Participant country"]["United Kingdom"] == countries["UK"]
    # Rules put FLOODFIX (SEC-2011.4.2-1) and RESILFIX (SU-DRS01) in disasters, CYBERFIX (SU-DS04) in cyber;
    # the overrides file puts GENEFIX in cyber too.
    assert shown["Thematic area"] == {"Crisis management and resilience against disasters": 2, "Cybersecurity": 2}
    # The names rule finds the Red Cross branch; OTH, the default type, finds the network of associations.
    assert shown["Civil society"] == {"A civil society organisation takes part": 3, "No civil society organisation": 4}
    table = next(t for t in soup.select("table.ds-figures") if t.caption.get_text().startswith("Projects per start year"))
    rows = {row.th.get_text(): [cell.get_text() for cell in row.select("td")] for row in table.select("tbody tr")}
    assert rows["2012"] == ["1", "€2,800,000.00"]
    assert [svg["role"] for svg in soup.select("figure.ds-chart svg")] == ["img"] * 6


def test_the_downloads_hold_every_project(built):
    data = data_of(built)
    rows = list(csv.DictReader(io.StringIO((built.site / "projects/projects.csv").read_text("utf-8"))))
    assert sorted(row["id"] for row in rows) == sorted(data)
    resilfix = next(row for row in rows if row["id"] == "800001")
    assert (resilfix["coordinator"], resilfix["countries"], resilfix["civil_society"], resilfix["areas"]) == (
        "RED CROSS LOCAL BRANCH", "CA EL PT", "True", "disasters")
    assert json.loads((built.site / "projects/projects.json").read_text("utf-8")) == [
        {**row, "total_cost": _number(row["total_cost"]), "ec_contribution": _number(row["ec_contribution"]),
         "participants": int(row["participants"]), "civil_society": row["civil_society"] == "True"} for row in rows]


def _number(text: str) -> float | None:
    return float(text) if text else None


def test_the_site_search_leaves_the_project_pages_to_the_explorer(built):
    entry = json.loads((built.site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    bodies = [path for path in built.site.rglob("*.html") if "data-pagefind-body" in path.read_text("utf-8")]
    assert indexed == len(bodies) and not any("projects/9" in str(path) for path in bodies)
    assert len(list((built.site / "projects").glob("*.html"))) == 1 + len(data_of(built))  # the home, a page each


def test_the_listing_reads_without_javascript_page_by_page(fixture_project):
    from builder.cordis import CordisProject
    from builder.repository import write_repository

    configure(fixture_project, "      explorer: {page_size: 10}\n")
    projects = {str(700000 + n): CordisProject(
        id=str(700000 + n), acronym=f"GEN{n}", title=f"Generated project {n}", objective="", status="CLOSED",
        programme="H2020", topics=("SU-DRS01",), call="", funding_scheme="RIA", legal_basis="",
        start=f"20{10 + n % 10}-0{1 + n % 9}-01", end=None, total_cost=None, ec_contribution=1000.0 * n, doi=None)
        for n in range(25)}
    write_repository(fixture_project.root / "data/cordis-projects.json", projects)
    assert fixture_project.run("build", "--no-pdf") == 0
    listed, path = [], "projects/index.html"
    while path:
        soup = page(fixture_project, path)
        listed += [link["href"].rsplit("/", 1)[-1].removesuffix(".html") for link in soup.select("ol.ds-explorer-list a")]
        following = soup.select_one('a[rel="next"]')
        path = f"projects/{following['href']}" if following else ""  # each link leads to a written page
    assert len(listed) == 25 and sorted(listed) == sorted(projects)  # each once
    starts = [projects[key].start for key in listed]
    assert starts == sorted(starts, reverse=True)  # newest start first
    assert page(fixture_project, "projects/page-3.html").select_one('a[rel="prev"]')["href"] == "page-2.html"
    assert page(fixture_project, "projects/page-2.html").select_one('a[rel="prev"]')["href"] == "./"


def test_a_hostile_record_stays_text(fixture_project):
    from builder.cordis import CordisProject, Participation
    from builder.repository import write_repository

    configure(fixture_project, "      explorer: {}\n")
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    project = CordisProject(id="1", acronym=hostile, title=hostile, objective=hostile + "\n" + hostile, status=hostile,
                            programme="FP7", topics=(hostile,), call=hostile, funding_scheme=hostile, legal_basis="",
                            start="2014-01-01", end="2015-01-01", total_cost=1.0, ec_contribution=1.0,
                            doi='10.1/"><script>x</script>',
                            participants=(Participation(hostile, hostile, hostile, hostile, hostile, hostile, hostile,
                                                        None, None, 1),))
    write_repository(fixture_project.root / "data/cordis-projects.json", {"1": project})
    assert fixture_project.run("build", "--no-pdf") == 0
    for path in ("projects/1.html", "projects/index.html"):
        soup = page(fixture_project, path)
        assert not soup.select("img[onerror]") and hostile in soup.get_text()
        assert not any("alert(1)" in script.get_text() for script in soup.find_all("script"))


def test_a_file_in_the_explorers_place_fails_the_build_and_the_site_stays(built, capsys):
    before = (built.site / "index.html").read_bytes()
    settings = built.root / "mkdocs.yml"
    original = settings.read_text()
    settings.write_text(original.replace("  - disseminate:\n", "  - disseminate:\n      assets: [content/projects]\n      trusted_html: [content/projects]\n"))
    built.write("content/projects/900001.html", "<p>In the way</p>\n")  # published as it is, by `assets`
    try:
        assert built.run("build", "--no-pdf") == 1
        assert "projects/900001.html is already in the site: the explorer writes every page under projects/" \
            in capsys.readouterr().err
        assert (built.site / "index.html").read_bytes() == before
    finally:
        settings.write_text(original)
        (built.root / "content/projects/900001.html").unlink()
        (built.root / "content/projects").rmdir()


def test_a_theme_frame_without_the_emblem_fails_the_build(built, capsys):
    frame = (Path(__file__).parent.parent / "builder/templates/explorer_frame.html").read_text("utf-8")
    override = built.write("theme/disseminate/explorer_frame.html",
                           frame.replace('<img class="ds-funding__emblem"', '<img class="x" hidden'))
    try:
        assert built.run("build", "--no-pdf") == 1
        assert "explorer_project.html:1: visibility: its page projects/101000002.html (from explorer_project.html and " \
               "explorer_frame.html) lacks the EU emblem" in capsys.readouterr().err
    finally:
        override.unlink()


@pytest.mark.parametrize(("text", "message"), [
    ("'900001': [space]\n", "data/areas.yml:1: areas '900001': 'space' is not an area (known: disasters, cyber)"),
    ("abc: [cyber]\n", "data/areas.yml:1: areas 'abc': is not a CORDIS project id (digits)"),
    ("'900001': [cyber\n", "data/areas.yml:2: areas: not valid YAML"),
])
def test_an_overrides_file_with_a_fault_is_a_line(built, capsys, text, message):
    original = (built.root / "data/areas.yml").read_text()
    built.write("data/areas.yml", text)
    try:
        assert built.run("check") == 1
        assert message in capsys.readouterr().err
    finally:
        built.write("data/areas.yml", original)


def test_a_rebuild_renders_only_what_changed_and_matches_a_clean_build(fixture_project):
    import shutil

    configure(fixture_project, "      explorer: {}\n")
    assert fixture_project.run("import", "cordis", *(str(FIXTURES / name) for name in ("fp7", "h2020", "horizon"))) == 0
    assert fixture_project.run("build", "--no-pdf") == 0
    cache = fixture_project.root / ".cache/explorer"
    before = {path.name for path in cache.glob("*.html")}
    index_before = {path.name for path in cache.glob("*.json")}
    data = fixture_project.root / "data/cordis-projects.json"
    data.write_text(data.read_text("utf-8").replace("Flood warnings for small towns", "Flood warnings for all towns"))
    assert fixture_project.run("build", "--no-pdf") == 0
    after = {path.name for path in cache.glob("*.html")}
    assert len(before) == len(after) == 7 and len(after - before) == 1  # one page made again, the old one let go
    assert len({path.name for path in cache.glob("*.json")}) == len(index_before)  # the index's old files let go
    assert "Flood warnings for all towns" in (fixture_project.site / "projects/900002.html").read_text("utf-8")
    assert "Flood warnings for all towns" in (fixture_project.site / "projects/projects.csv").read_text("utf-8")
    incremental = files_under(fixture_project.site / "projects")
    shutil.rmtree(cache)
    assert fixture_project.run("build", "--no-pdf") == 0
    assert files_under(fixture_project.site / "projects") == incremental


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_an_item_and_the_projects_it_names_link_to_each_other(built):
    news = page(built, "news/floods/index.html")
    link = news.select_one("#ds-projects-heading").find_next("a")
    assert link.get_text(" ", strip=True) == "FLOODFIX Flood warnings for small towns, a fixture"
    assert (built.site / "news/floods" / link["href"]).resolve() == (built.site / "projects/900002.html").resolve()
    project = page(built, "projects/900002.html")
    back = project.find("h2", string="On this site").find_next("a")
    assert back.get_text() == "Our work with FLOODFIX"
    assert (built.site / "projects" / back["href"] / "index.html").resolve().is_file()
    assert page(built, "projects/900001.html").find("h2", string="On this site") is None


@pytest.mark.parametrize(("data", "message"), [
    (True, "content/news/x.md:5: news 'projects': '123' is not a project of the explorer's data file "
           "(data/cordis-projects.json)"),
    (False, "content/news/x.md:5: news 'projects': '123' is not a project of any data file: none was imported"),
])
def test_naming_a_project_the_data_file_lacks_is_a_line(fixture_project, capsys, data, message):
    if data:
        assert fixture_project.run("import", "cordis", str(FIXTURES / "fp7")) == 0
    fixture_project.write("content/news/x.md", "---\ntitle: X\ndate: 2025-01-10\nsummary: s\nprojects: [123]\n---\n")
    assert fixture_project.run("check") == 1
    assert message in capsys.readouterr().err


def test_amounts_no_project_gives_are_not_given_never_zero(fixture_project):
    from builder.cordis import CordisProject, Participation
    from builder.repository import write_repository

    configure(fixture_project, "      explorer: {}\n")
    project = CordisProject(id="608039", acronym="OWN", title="Our own project", objective="", status="",
                            programme="FP7", topics=("SEC-2013.7.3-1",), call="", funding_scheme="CSA-SA",
                            legal_basis="", start="2014-05", end="2016-05", total_cost=None, ec_contribution=None,
                            doi=None, participants=(Participation("", "A partner", "", "BE", "", "coordinator", "",
                                                                  None, None, 1),))
    write_repository(fixture_project.root / "data/cordis-projects.json", {"608039": project})
    assert fixture_project.run("build", "--no-pdf") == 0
    home = page(fixture_project, "projects/index.html")
    assert [figure.figcaption.get_text() for figure in home.select("figure.ds-chart")] == [
        "Projects per start year", "Projects per thematic area", "Projects per participant country"]
    cells = [row.select("td")[-1].get_text() for row in home.select("table.ds-figures tbody tr")]
    assert cells and set(cells) == {"not given"}
    facts = {row.th.get_text(): row.td.get_text() for row in page(fixture_project, "projects/608039.html").select(
        "table.ds-explorer-facts tr")}
    assert (facts["EU contribution"], facts["Dates"], facts["Status"]) == ("not given", "2014-05 to 2016-05", "not given")


def test_each_area_has_its_state_of_play_in_a_pdf(fixture_project):
    from pypdf import PdfReader

    configure(fixture_project)
    fixture_project.write("data/areas.yml", "'900003': [cyber]\n")
    assert fixture_project.run("import", "cordis", *(str(FIXTURES / name) for name in ("fp7", "h2020", "horizon"))) == 0
    assert fixture_project.run("build") == 0
    projects = data_of(fixture_project)
    home = page(fixture_project, "projects/index.html")
    links = {link.get_text(strip=True): link["href"] for link in home.select(".ds-explorer-areas a")}
    codes = {key: [*project["topics"], project["call"]] for key, project in projects.items()}
    in_areas = {"disasters": {key for key, found in codes.items() if key != "900003" and any(
                    code.startswith("SU-DRS") or fnmatch.fnmatchcase(code, "SEC-2011.4*") for code in found)},
                "cyber": {key for key, found in codes.items() if key == "900003" or any(
                    code.startswith("SU-DS") for code in found)}}  # the rules of EXPLORER, and the override
    assert all(in_areas.values())
    assert list(links) == ["Projects in Crisis management and resilience against disasters: the state of play",
                           "Projects in Cybersecurity: the state of play"]
    for (area, members), href in zip(in_areas.items(), links.values(), strict=True):
        reader = PdfReader(fixture_project.site / "projects" / href)
        text = " ".join(page.extract_text() for page in reader.pages)
        assert reader.metadata.title == next(title for title in links if href == links[title])
        assert f"Projects {len(members)}" in text
        for key, project in projects.items():
            assert (project["acronym"] in text) == (key in members), (area, project["acronym"])
        assert "grant agreement No 123456" in " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet="abé1", min_size=1, max_size=7), st.text(alphabet="AB~", max_size=40),
                       max_size=40))
def test_heavy_word_keys_split_and_every_word_stays_findable(stored):
    """Each word under one key that begins it; a key split only where its words weigh too much, and
    every longer key it lists is there; a word found again by walking the split keys, as the
    script does (builder/theme/assets/explorer.js's keysFor)."""
    from builder import explorer_index

    limit, explorer_index.LEAF_CHARS = explorer_index.LEAF_CHARS, 30
    try:
        groups, split = explorer_index.keys_of(stored)
    finally:
        explorer_index.LEAF_CHARS = limit
    placed = [(key, word) for key, words in groups.items() for word in words]
    assert sorted(word for _, word in placed) == sorted(stored)
    assert all(word.startswith(key) and len(key) <= max(len(word), 1) for key, word in placed)
    for key, letters in split.items():
        assert letters and all(f"{key}{letter}" in groups or f"{key}{letter}" in split for letter in letters)
    for key, word in placed:
        length = min(explorer_index.PREFIX, len(word))
        while word[:length] in split and len(word) > length:
            length += 1
        assert word[:length] == key


def test_the_index_is_the_same_whatever_the_order_of_pythons_sets(built, tmp_path):
    """Two builds in processes whose string hashes differ (PYTHONHASHSEED) write the same words files."""
    made = []
    for seed in ("1", "2"):
        copy = tmp_path / seed
        shutil.copytree(built.root, copy, ignore=shutil.ignore_patterns("site", ".cache", ".site*"))
        run = subprocess.run([sys.executable, "-m", "builder", "-C", str(copy), "build", "--no-pdf"],
                             env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        made.append({path.name: path.read_bytes() for path in (copy / "site/projects/data").glob("words-*.json")})
    assert made[0] and made[0] == made[1]
