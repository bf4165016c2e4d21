"""The explorer's search in a real browser (Debian's Chromium through Playwright), over a repository
of generated projects: what it finds, counts, orders and downloads is checked against the data file
itself, read here without the builder's help."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import require_chromium, serving
from test_browser import wait_for, watch_for_breakage
from test_explorer import EXPLORER, configure

require_chromium()

WORDS = ["drone", "drones", "dronefleet", "flood", "floods", "border", "cyber", "résilience", "Öffentliche", "crime",
         "civil", "society", "network", "sensor", "privacy", "health", "water", "urban", "forest", "constructor"]
HOSTILE = '<img src=x onerror="document.title=1">'
COUNTRIES = ["DE", "FR", "EL", "UK", "IT", "PL", "SE"]
KINDS = ["HES", "REC", "PRC", "PUB", "OTH"]
TOPICS = {"SU-DRS01-2018": ["disasters"], "SU-DS02-2020": ["cyber"], "SEC-2011.4.1-1": ["disasters"], "SU-GM01": []}


def generated_projects(count: int = 140):
    """Projects of every programme, some without a start or an amount, one with a hostile title:
    all generated (acronyms GEN<n>), none real."""
    from builder.cordis import CordisProject, Participation

    rng = random.Random(7)
    projects = {}
    for n in range(count):
        key = str(900000 + n)
        programme = rng.choice(["FP7", "H2020", "HE"])
        year = rng.randint(2008, 2024)
        members = tuple(Participation(
            str(960000000 + rng.randrange(300)), "RED CROSS SECTION" if rng.random() < 0.05 else f"ORGANISATION {m}",
            "", rng.choice(COUNTRIES), "", "coordinator" if m == 0 else "participant", rng.choice(KINDS),
            None if rng.random() < 0.2 else float(rng.randrange(10_000, 900_000)), None, m + 1)
            for m in range(rng.randint(1, 6)))
        projects[key] = CordisProject(
            id=key, acronym=f"GEN{n}", title=HOSTILE if n == 3 else f"Generated {' '.join(rng.sample(WORDS, 2))} {n}",
            objective=" ".join(rng.choices(WORDS, k=12)), status=rng.choice(["CLOSED", "SIGNED", ""]),
            programme=programme, topics=(rng.choice(list(TOPICS)),), call=f"CALL-{rng.randrange(4)}",
            funding_scheme=rng.choice(["RIA", "CSA", "IA"]), legal_basis="",
            start=None if n % 23 == 0 else f"{year}-{rng.randint(1, 12):02d}-01", end=None, total_cost=None,
            ec_contribution=None if n % 17 == 0 else float(rng.randrange(100_000, 9_000_000)), doi=None,
            participants=members)
    return projects


@pytest.fixture(scope="module")
def explorer_site(tmp_path_factory):
    from conftest import FixtureProject

    from builder.repository import write_repository

    fixture = FixtureProject(tmp_path_factory.mktemp("explorer-browser") / "project")
    configure(fixture, EXPLORER.replace("        area_overrides: data/areas.yml\n", ""))  # the rules alone
    write_repository(fixture.root / "data/cordis-projects.json", generated_projects())
    with pytest.MonkeyPatch.context() as patch:
        # Keys split at a hundred characters and buckets of a few dozen, as a programme's many words
        # make them at 32,000 and 16,000: the script finds a word, and a word's beginning, across
        # keys of every length in buckets its hash must choose as the build's did.
        patch.setattr("builder.explorer_index.LEAF_CHARS", 100)
        patch.setattr("builder.explorer_index.BUCKET_CHARS", 50)
        assert fixture.run("build", "--no-pdf") == 0
    with serving(fixture.site) as address:
        yield fixture, address


@pytest.fixture(scope="module")
def data(explorer_site) -> list[dict]:
    """The data file's projects, newest start first, then by id (the order the explorer lists them)."""
    fixture, _ = explorer_site
    written = json.loads((fixture.root / "data/cordis-projects.json").read_text("utf-8"))
    fields = written["participation"]
    projects = [{**row, "participants": [dict(zip(fields, p, strict=True)) for p in row["participants"]]}
                for row in written["projects"]]
    return sorted(projects, key=lambda p: (p["start"] or "", int(p["id"])), reverse=True)


def plain_words(text: str) -> set[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return set(re.findall(r"[^\W_]+", plain))


def found_by(project: dict, query: str) -> bool:
    """Every word of the query starts a word of the acronym, title or objective."""
    words = plain_words(f"{project['acronym']} {project['title']} {project['objective']}")
    return all(any(word.startswith(asked) for word in words) for asked in plain_words(query))


def countries(project: dict) -> set[str]:
    return {p["country"] for p in project["participants"]}


def areas(project: dict) -> set[str]:
    return {area for topic in project["topics"] for area in TOPICS[topic]}


def civil_society(project: dict) -> bool:
    """The rule of the config above: an organisation of CORDIS's kind "other", or one named so."""
    return any(m["activity_type"] == "OTH" or "red cross" in m["name"].lower() for m in project["participants"])


def shown_count(page) -> int:
    page.wait_for_selector(".ds-explorer-results li, .ds-explorer-status:has-text('0 of')")
    wait_for(page, "!document.querySelector('.ds-explorer-status').textContent.startsWith('Searching')")
    text = page.inner_text(".ds-explorer-status")
    return int(text.split()[0])  # "140 projects, page 1 of 14." or "12 of 140 projects match."


def listed_ids(page) -> list[str]:
    """Every project the results list, following the pager to its last page."""
    ids = []
    while True:
        shown_count(page)
        ids += [link.get_attribute("href").rsplit("/", 1)[-1].removesuffix(".html")
                for link in page.query_selector_all(".ds-explorer-results a")]
        following = page.query_selector(".ds-explorer-app__pager button:has-text('Next page')")
        if not following:
            return ids
        before = page.inner_text(".ds-explorer-status")
        following.click()
        wait_for(page, f"document.querySelector('.ds-explorer-status').textContent !== {json.dumps(before)}")


def facet_counts(page, key: str) -> dict[str, int]:
    details = f"details[data-facet={key}]"
    if not page.get_attribute(details, "open") == "":
        page.click(f"{details} summary")
    page.wait_for_selector(f"{details} li")
    return {box.get_attribute("value"): int(box.evaluate("b => b.closest('label').querySelector('.ds-explorer-count')"
                                                          ".textContent").strip("()"))
            for box in page.query_selector_all(f"{details} input[type=checkbox]")}


def test_a_search_finds_what_the_data_file_holds_in_its_order(page, explorer_site, data):
    _, server = explorer_site
    page.goto(f"{server}/projects/?q=Dron")  # a word's beginning, any case
    expected = [p["id"] for p in data if found_by(p, "dron")]
    assert 10 < len(expected) < len(data)
    assert shown_count(page) == len(expected)
    assert listed_ids(page) == expected
    page.goto(f"{server}/projects/?q=offentliche+water")  # accents dropped, every word needed
    assert shown_count(page) == sum(found_by(p, "offentliche water") for p in data) > 0
    page.goto(f"{server}/projects/?q=RÉSILIENCE%20flood")
    assert listed_ids(page) == [p["id"] for p in data if found_by(p, "resilience flood")]
    for query in ("g", "ge", "gen", "gen1", "gen13", "drones", "dronef", "constructor", "zz"):
        page.goto(f"{server}/projects/?q={query}")
        assert shown_count(page) == sum(found_by(p, query) for p in data if len(query) >= 3
                                        or query in plain_words(f"{p['acronym']} {p['title']} {p['objective']}")), query
    assert page.requested_hosts == {"127.0.0.1"}


def test_facets_count_what_each_value_would_leave_and_narrow(page, explorer_site, data):
    _, server = explorer_site
    page.goto(f"{server}/projects/?q=sensor")
    found = [p for p in data if found_by(p, "sensor")]
    assert facet_counts(page, "country") == {code: n for code, n in Counter(
        code for p in found for code in countries(p)).items()}
    page.check("details[data-facet=country] input[value=EL]")
    wait_for(page, "new URLSearchParams(location.search).getAll('country').join() === 'EL'")
    narrowed = [p for p in found if "EL" in countries(p)]
    assert shown_count(page) == len(narrowed)
    # Another facet counts within the narrowed projects; the ticked facet still counts without itself.
    assert facet_counts(page, "programme") == Counter(p["programme"] for p in narrowed)
    assert facet_counts(page, "country")["FR"] == sum("FR" in countries(p) for p in found)
    page.check("details[data-facet=country] input[value=FR]")  # values of one facet: either
    wait_for(page, "new URLSearchParams(location.search).getAll('country').join() === 'EL,FR'")
    assert listed_ids(page) == [p["id"] for p in found if countries(p) & {"EL", "FR"}]
    assert facet_counts(page, "area") == Counter(a for p in found if countries(p) & {"EL", "FR"} for a in areas(p))


def test_an_address_brings_back_the_whole_query(page, explorer_site, data):
    _, server = explorer_site
    page.goto(f"{server}/projects/?q=water&programme=H2020&programme=FP7&sort=contribution&page=2")
    assert shown_count(page) > 10
    assert page.input_value("#ds-explorer-q") == "water"
    assert page.input_value("#ds-explorer-sort") == "contribution"
    assert page.is_checked("details[data-facet=programme] input[value=FP7]")
    chosen = [p for p in data if found_by(p, "water") and p["programme"] in ("H2020", "FP7")]
    by_amount = sorted(chosen, key=lambda p: (p["ec_contribution"] is None, -(p["ec_contribution"] or 0)))
    on_page = [link.get_attribute("href").rsplit("/", 1)[-1].removesuffix(".html")
               for link in page.query_selector_all(".ds-explorer-results a")]
    assert on_page == [p["id"] for p in by_amount[10:20]]


def test_the_downloads_hold_exactly_the_projects_selected(page, explorer_site, data):
    fixture, server = explorer_site
    page.goto(f"{server}/projects/?sort=oldest&civil_society=no&area=cyber")
    chosen = [p for p in data if "cyber" in areas(p) and not civil_society(p)]
    dated = [p for p in chosen if p["start"]]
    expected = [p["id"] for p in dated[::-1] + [p for p in chosen if not p["start"]]]
    assert shown_count(page) == len(expected)
    with page.expect_download() as download:
        page.click("button[data-download=csv]")
    selected = download.value.path().read_bytes().decode("utf-8")  # read_text would turn \r\n into \n
    whole = (fixture.site / "projects/projects.csv").read_bytes().decode("utf-8")
    rows = {row[0]: row for row in list(csv.reader(io.StringIO(whole)))[1:]}
    assert list(csv.reader(io.StringIO(selected))) == [whole.split("\r\n", 1)[0].split(","),
                                                       *(rows[key] for key in expected)]
    assert selected.endswith("\r\n") and selected.count("\r\n") == len(expected) + 1
    with page.expect_download() as download:
        page.click("button[data-download=json]")
    everything = {row["id"]: row for row in json.loads((fixture.site / "projects/projects.json").read_text("utf-8"))}
    assert json.loads(download.value.path().read_text("utf-8")) == [everything[key] for key in expected]


def test_a_project_page_lists_its_consortium(page, explorer_site, data):
    _, server = explorer_site
    # GEN14 to GEN139: no other acronym starts with theirs, so the search finds the one project.
    project = max((p for p in data if int(p["acronym"][3:]) >= 14), key=lambda p: len(p["participants"]))
    page.goto(f"{server}/projects/?q={project['acronym']}")
    shown_count(page)
    page.click(f".ds-explorer-results a[href$='/{project['id']}.html']")
    page.wait_for_selector("table.ds-explorer-consortium")
    rows = [[cell.inner_text() for cell in row.query_selector_all("td")]
            for row in page.query_selector_all("table.ds-explorer-consortium tbody tr")]
    assert [row[0] for row in rows] == [p["name"] for p in project["participants"]]
    assert [row[2] for row in rows] == [p["role"] for p in project["participants"]]
    assert page.requested_hosts == {"127.0.0.1"}


def test_a_hostile_title_stays_text(page, explorer_site):
    _, server = explorer_site
    page.goto(f"{server}/projects/?q=gen3")
    shown_count(page)
    link = page.query_selector(".ds-explorer-results a[href$='/900003.html']")
    assert link.inner_text() == f"GEN3 {HOSTILE}"
    assert page.query_selector(".ds-explorer-results img") is None and page.title() != "1"


def test_the_explorer_works_under_the_policy_and_axe_finds_nothing(page, explorer_site):
    from axe_playwright_python.sync_playwright import Axe

    _, server = explorer_site
    trouble = watch_for_breakage(page)
    page.goto(f"{server}/projects/?q=flood&country=DE")
    shown_count(page)
    facet_counts(page, "kind")
    page.fill("#ds-explorer-q", "cyber")
    page.keyboard.press("Enter")
    wait_for(page, "new URLSearchParams(location.search).get('q') === 'cyber'")
    shown_count(page)
    violations = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
                  for v in Axe().run(page).response["violations"]]
    assert violations == []
    for path in ("/projects/page-2.html", "/projects/900001.html"):
        page.goto(server + path)
        assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    assert trouble == []
    assert page.requested_hosts == {"127.0.0.1"}


def test_without_scripts_the_listing_stands_and_the_search_stays_hidden(browser, explorer_site, data):
    _, server = explorer_site
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/projects/")
        assert tab.is_hidden(".ds-explorer-app")
        first = [link.get_attribute("href").removesuffix(".html").rsplit("/", 1)[-1]
                 for link in tab.query_selector_all(".ds-explorer-static ol.ds-explorer-list a")]
        assert first == [p["id"] for p in data[:10]]
    finally:
        context.close()


def test_the_index_is_asked_for_with_this_builds_version(explorer_site):
    fixture, _ = explorer_site
    index = json.loads((fixture.site / "projects/data/index.json").read_text("utf-8"))
    assert index["split"]["gen1"] and index["split"]["dron"] and index["buckets"] >= 16  # as the searches above need
    home = (fixture.site / "projects/index.html").read_text("utf-8")
    address = re.search(r'data-explorer-index="([^"]+)"', home).group(1)
    assert re.fullmatch(r"data/index\.json\?v=[0-9a-f]{12}", address)
    assert Path(fixture.site / "projects" / address.split("?")[0]).is_file()


def test_an_index_file_that_fails_to_load_brings_back_the_listing(page, explorer_site, data):
    _, server = explorer_site
    page.route("**/projects/data/words-*", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(f"{server}/projects/")
    shown_count(page)
    page.fill("#ds-explorer-q", "drone")
    page.keyboard.press("Enter")
    page.locator(".ds-explorer-status", has_text="could not load its index").wait_for()
    assert page.is_visible(".ds-explorer-static ol.ds-explorer-list")
    assert page.query_selector(".ds-explorer-static a").get_attribute("href").endswith(f"{data[0]['id']}.html")


def test_an_address_naming_a_value_the_projects_lack_drops_it(page, explorer_site, data):
    _, server = explorer_site
    page.goto(f"{server}/projects/?programme=FP7&programme=FP5")  # no programme FP5: an old bookmark
    assert shown_count(page) == sum(p["programme"] == "FP7" for p in data)
    wait_for(page, "new URLSearchParams(location.search).getAll('programme').join() === 'FP7'")
    assert page.is_checked("details[data-facet=programme] input[value=FP7]")
