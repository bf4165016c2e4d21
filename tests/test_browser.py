"""The built demo in a real browser: Playwright driving Debian's Chromium, never a downloaded one."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("Chromium is missing: .ci/run installs it with apt-get install chromium")
    pytest.skip("no Chromium installed (apt-get install chromium) to run the browser tests", allow_module_level=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(demo_site: Path):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(demo_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requested_hosts = set()
    tab.on("request", lambda request: tab.requested_hosts.add(request.url.split("/")[2].split(":")[0]))
    yield tab
    context.close()


def result_titles(page) -> list[str]:
    page.wait_for_selector("form#ds-search[data-state=done]")
    return [link.inner_text() for link in page.query_selector_all(".ds-search__title a")]


def test_search_finds_a_deliverable_by_a_word_of_its_body(page, server):
    page.goto(f"{server}/search/?q=Eurobarometer")
    assert "Map of stakeholders ranking of values and objectives" in result_titles(page)
    assert page.requested_hosts == {"127.0.0.1"}


def test_ncp_facet_narrows_to_items_for_ncps(page, server, demo_site):
    import json

    catalogue = json.loads((demo_site / "catalogue.json").read_text("utf-8"))
    for_ncps = {item["title"] for item in catalogue["items"] if "ncp" in item["stakeholders"]
                and item["type"] != "action-plan"}
    page.goto(f"{server}/search/?q=research")
    everything = len(result_titles(page))
    page.check("input[name=stakeholder][value=ncp]")
    page.wait_for_function("new URLSearchParams(location.search).get('stakeholder') === 'ncp'")
    narrowed = result_titles(page)
    assert narrowed and set(narrowed) <= for_ncps
    assert len(narrowed) <= everything
    assert page.requested_hosts == {"127.0.0.1"}


def test_shared_search_link_presets_facets(page, server):
    page.goto(f"{server}/search/?stakeholder=ncp&stage=III")
    titles = result_titles(page)
    assert "Act as a matchmaker between CSOs, calls and consortia" in titles
    assert page.is_checked("input[name=stage][value=III]")


def counts_shown(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#ds-search-facets input", "boxes => Object.fromEntries(boxes.map(box => "
        "[`${box.name}=${box.value}`, box.labels[0].querySelector('.ds-count').textContent]))")


def count_of(page, value: str) -> int:
    """A facet value's count (`stakeholder=ncp`), once the counts for the search have arrived."""
    page.wait_for_function("document.querySelector('#ds-search-facets .ds-count').textContent !== ''")
    return int(counts_shown(page)[value].strip("()"))


def results_found(page) -> int:
    result_titles(page)
    return int(page.inner_text("#ds-search-status").split()[0])


def test_site_wide_counts_on_the_page_are_the_index_counts(page, server):
    page.goto(f"{server}/search/")
    page.wait_for_selector("form#ds-search[data-state=done]")
    written = page.eval_on_selector_all(
        "#ds-search-facets input", "boxes => boxes.map(box => [box.name, box.dataset.label, "
        "Number(box.labels[0].querySelector('.ds-count').textContent.slice(1, -1))])")
    index = page.evaluate("async () => (await import('/pagefind/pagefind.js')).filters()")
    assert {(facet, label): count for facet, label, count in written if count} == \
        {(facet, label): count for facet, values in index.items() for label, count in values.items()}
    # Groups, stages and topics from the config are offered even before any item carries them.
    assert {(facet, label) for facet, label, count in written if not count}.isdisjoint(
        (facet, label) for facet, values in index.items() for label in values)


def test_counts_in_a_ticked_facet_say_what_ticking_another_value_adds(page, server):
    page.goto(f"{server}/search/?q=research&type=deliverable")
    deliverables = results_found(page)
    recommendations = count_of(page, "type=recommendation")
    assert recommendations > 0 and count_of(page, "type=deliverable") == deliverables
    page.check("input[name=type][value=recommendation]")
    page.wait_for_function("new URLSearchParams(location.search).getAll('type').length === 2")
    assert results_found(page) == deliverables + recommendations


def test_a_link_with_an_unknown_filter_says_so(page, server):
    page.goto(f"{server}/search/?q=research&stage=VII")
    page.wait_for_selector("form#ds-search[data-state=done]")
    assert page.inner_text("#ds-search-status") == "Nothing found: this site has no stage=VII."
    assert page.query_selector_all(".ds-search__result") == []


def test_first_search_fetches_no_filter_index_and_counts_follow_on_demand(page, server):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{server}/search/?q=research")
    result_titles(page)
    assert not [url for url in fetched if "/pagefind/filter/" in url or url.endswith("pagefind-worker.js")]
    assert set(counts_shown(page).values()) == {""}               # no stale site-wide counts for a query
    page.hover("#ds-search-facets legend >> nth=0")
    ncp = count_of(page, "stakeholder=ncp")
    page.check("input[name=stakeholder][value=ncp]")
    page.wait_for_function("new URLSearchParams(location.search).get('stakeholder') === 'ncp'")
    assert results_found(page) == ncp


def test_more_results_continue_the_list_from_the_keyboard(page, server):
    page.goto(f"{server}/search/?q=research")
    first = result_titles(page)
    assert len(first) == 10 and "showing the first 10" in page.inner_text("#ds-search-status")
    page.focus("#ds-search-more")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.ds-search__result').length > 10")
    both = result_titles(page)
    assert both[:10] == first and len(both) == len(set(both)) == 20
    assert page.evaluate("document.activeElement.textContent") == both[10]
    page.goto(f"{server}/search/?q=matchmaker")
    assert len(result_titles(page)) < 10 and not page.is_visible("#ds-search-more")


def test_matrix_cell_opens_its_recommendation(page, server):
    page.goto(f"{server}/action-plan/")
    page.click("td[data-stakeholder=ncp][data-stage=III] a >> nth=0")
    page.wait_for_load_state()
    assert "/action-plan/ncp-2/" in page.url
    assert page.inner_text("h1") == "Act as a matchmaker between CSOs, calls and consortia"


def test_pdf_download_link_answers_with_a_pdf(page, server):
    page.goto(f"{server}/deliverables/d5-4/")
    href = page.get_attribute(".ds-download a", "href")
    response = page.request.get(page.url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_home_page_fits_a_phone_and_loads_nothing_from_elsewhere(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    hosts = set()
    phone.on("request", lambda request: hosts.add(request.url.split("/")[2].split(":")[0]))
    for path in ("/", "/action-plan/", "/search/?q=privacy"):
        phone.goto(server + path)
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert hosts == {"127.0.0.1"}
    # On a phone the facets are folded away, so the first result shows without scrolling.
    phone.goto(f"{server}/search/?q=matchmaker")
    phone.wait_for_selector("form#ds-search[data-state=done]")
    assert not phone.eval_on_selector("#ds-search-facets", "details => details.open")
    assert phone.eval_on_selector(".ds-search__result", "result => result.getBoundingClientRect().top") < 844
    context.close()


def test_listing_filter_hides_the_right_items(page, server, demo_site):
    import json

    catalogue = json.loads((demo_site / "catalogue.json").read_text("utf-8"))
    deliverables = [item for item in catalogue["items"] if item["type"] == "deliverable"]
    page.goto(f"{server}/deliverables/")
    page.select_option("form.ds-filters select[name=stakeholder]", "ncp")
    visible = [title.inner_text() for title in page.query_selector_all("li.ds-entry:not([hidden]) .ds-entry__title a")]
    assert sorted(visible) == sorted(item["title"] for item in deliverables if "ncp" in item["stakeholders"])
    assert page.inner_text(".ds-filters__status") == f"Showing {len(visible)} of {len(deliverables)}."
    page.select_option("form.ds-filters select[name=stakeholder]", "")
    assert len(page.query_selector_all("li.ds-entry:not([hidden])")) == len(deliverables)


def test_listing_without_scripts_shows_everything(browser, server):
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{server}/deliverables/")
    assert not plain.is_visible("form.ds-filters")
    assert len(plain.query_selector_all("li.ds-entry")) == len([e for e in plain.query_selector_all("li.ds-entry")
                                                                   if e.is_visible()]) >= 22
    context.close()


TEMPLATES = ["/", "/deliverables/", "/policy-briefs/", "/guides/", "/events/", "/news/", "/stakeholders/",
             "/stakeholders/ncp/", "/topics/", "/deliverables/d6-7/",
             "/policy-briefs/01-csos-under-represented-in-security-research/", "/guides/why-and-how-to-participate/",
             "/events/berlin-workshop-2015/", "/news/2016-04-27-final-report-summary/", "/about/", "/accessibility/",
             "/action-plan/", "/action-plan/for/ncp/", "/action-plan/stage/III/", "/action-plan/ncp-2/",
             "/search/?q=privacy"]


@pytest.mark.parametrize("path", TEMPLATES)
def test_no_accessibility_violations(page, server, path):
    """axe-core finds nothing on one page of every template: not only nothing serious or critical,
    which is the requirement, but no moderate or minor finding either."""
    from axe_playwright_python.sync_playwright import Axe  # axe-core ships inside the package: no fetch

    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    violations = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
                  for v in Axe().run(page).response["violations"]]
    assert violations == []


def focus_outline(page) -> str:
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")


def test_search_and_matrix_work_from_the_keyboard(page, server):
    page.goto(f"{server}/search/")
    page.wait_for_selector("form[data-ready=true]")
    page.focus("#ds-search-q")
    page.keyboard.type("matchmaker")
    page.keyboard.press("Enter")
    assert "Act as a matchmaker between CSOs, calls and consortia" in result_titles(page)
    page.focus("input[name=type][value=recommendation]")
    page.keyboard.press("Space")
    page.wait_for_function("new URLSearchParams(location.search).get('type') === 'recommendation'")
    page.goto(f"{server}/action-plan/")
    page.focus("td[data-stakeholder=ncp][data-stage=III] a >> nth=0")
    assert focus_outline(page) != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/action-plan/ncp-2/")
