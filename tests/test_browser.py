"""The built demo in a real browser: Playwright driving Debian's Chromium, never a downloaded one."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import time
from pathlib import Path

import pytest
from conftest import axe_violations, require_chromium, serving

from builder.themes import PACKAGE_THEME

require_chromium()


@pytest.fixture(scope="module")
def server(demo_site: Path):
    with serving(demo_site) as address:
        yield address


def wait_for(page, expression: str, timeout: float = 30) -> None:
    """Wait until a JavaScript expression is true. Not page.wait_for_function: Playwright runs that
    expression through eval() inside the page, which the site's Content-Security-Policy forbids (no
    'unsafe-eval'); page.evaluate goes through the DevTools protocol, which no page policy governs."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


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
    wait_for(page, "new URLSearchParams(location.search).get('stakeholder') === 'ncp'")
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
    wait_for(page, "document.querySelector('#ds-search-facets .ds-count').textContent !== ''")
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
    wait_for(page, "new URLSearchParams(location.search).getAll('type').length === 2")
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
    wait_for(page, "new URLSearchParams(location.search).get('stakeholder') === 'ncp'")
    assert results_found(page) == ncp


def test_more_results_continue_the_list_from_the_keyboard(page, server):
    page.goto(f"{server}/search/?q=research")
    first = result_titles(page)
    assert len(first) == 10 and "showing the first 10" in page.inner_text("#ds-search-status")
    page.focus("#ds-search-more")
    page.keyboard.press("Enter")
    wait_for(page, "document.querySelectorAll('.ds-search__result').length > 10")
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


def test_add_to_calendar_downloads_a_valid_ics(page, server):
    import icalendar

    page.goto(f"{server}/events/berlin-workshop-2015/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "SecurePART workshop in Berlin"
    assert download.value.suggested_filename == "berlin-workshop-2015.ics"


def test_a_hosted_video_asks_nothing_of_its_platform_before_the_click(page, server):
    played = []
    page.route("https://www.youtube-nocookie.com/**", lambda route: (played.append(route.request.url), route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>player</title>")))
    for path in ("/videos/securepart-on-youtube/", "/action-plan/for/cso/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.requested_hosts == {"127.0.0.1"} and played == [], path
    page.click("a.ds-video__facade")
    frame = page.wait_for_selector("iframe.ds-video__player")
    assert frame.get_attribute("src") == ("https://www.youtube-nocookie.com/embed/videoseries"
                                          "?list=UU1-qLqAONMBJCmHMrf_CUSg&autoplay=1")
    assert frame.get_attribute("title") == "SecurePART on YouTube"
    page.wait_for_function("() => document.querySelector('iframe.ds-video__player').contentDocument !== undefined")
    page.wait_for_timeout(500)
    assert played and all(url.startswith("https://www.youtube-nocookie.com/embed/") for url in played)
    assert not [host for host in page.requested_hosts if "youtube.com" in host]  # only the privacy-enhanced host


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
    # A table column aligned right: the one kind of style attribute a body keeps, allowed by its hash.
    page.goto(f"{server}/news/2016-04-30-website-in-figures/")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset td + td')).textAlign") == "right"

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
             "/search/?q=privacy", "/videos/", "/videos/securepart-on-youtube/", "/subscribe/"]


@pytest.mark.parametrize("path", TEMPLATES)
def test_no_accessibility_violations(page, server, path):
    """axe-core finds nothing on one page of every template: not only nothing serious or critical,
    which is the requirement, but no moderate or minor finding either."""
    assert axe_violations(page, server + path) == []


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
    wait_for(page, "new URLSearchParams(location.search).get('type') === 'recommendation'")
    page.goto(f"{server}/action-plan/")
    page.focus("td[data-stakeholder=ncp][data-stage=III] a >> nth=0")
    assert focus_outline(page) != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/action-plan/ncp-2/")


# --- Content-Security-Policy -------------------------------------------------------------------------

CSP = "Content-Security-Policy"


def csp_directives(meta) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in meta["content"].split(";") if part.strip())}


def style_hash(style: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


def policy_sources(soup) -> set[str]:
    meta = soup.find("meta", attrs={"http-equiv": CSP})
    return {source for sources in csp_directives(meta).values() for source in sources} if meta else set()


def html_problems(site: Path) -> list[str]:
    """What breaks the policy's rules in a built site's pages: the CSP <meta> missing, repeated or not
    first in <head> after the charset; a policy other than the others (the editor's page at /admin/
    has its own, tested on its own; a hosted video's page adds its platform's frames); an inline script."""
    from bs4 import BeautifulSoup

    problems, policies = [], set()
    for path in sorted(site.rglob("*.html")):
        name = str(path.relative_to(site))
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        metas = soup.find_all("meta", attrs={"http-equiv": lambda value: value and value.lower() == CSP.lower()})
        first = soup.head.find_all(True, recursive=False)[:2] if soup.head else []
        if len(metas) != 1 or len(soup.find_all("meta", charset=True)) != 1:
            problems.append(f"{name}: {len(metas)} CSP metas, {len(soup.find_all('meta', charset=True))} charsets")
        elif len(first) < 2 or not first[0].has_attr("charset") or first[1] is not metas[0]:
            problems.append(f"{name}: <head> does not start with the charset, then the CSP")
        elif not name.startswith("admin/"):
            # One policy for every page, but a page with a hosted video lets frames come from that
            # video's platform, and only such a page.
            parts = [part.strip() for part in metas[0]["content"].split(";")]
            origins = sorted({"/".join(a["data-player"].split("/")[:3]) for a in soup.select("a.ds-video__facade")})
            frames = [part for part in parts if part.startswith("frame-src")]
            if frames != ([f"frame-src {' '.join(origins)}"] if origins else []):
                problems.append(f"{name}: {frames} for videos from {origins}")
            policies.add("; ".join(part for part in parts if not part.startswith("frame-src")))
        problems += [f"{name}: inline script {str(script)[:80]}" for script in soup.find_all("script")  # data blocks run not
                     if not script.get("src") and script.get("type") not in ("application/json", "application/ld+json")]
        problems += [f"{name}: {tag.name} {attr}=" for tag in soup.find_all(True) for attr in tag.attrs
                     if attr.startswith("on") or str(tag.get("href", "")).startswith("javascript:")
                     or attr == "style" and style_hash(tag[attr]) not in policy_sources(soup)]
    if len(policies) > 1:
        problems.append(f"pages differ in policy: {policies}")
    return problems


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    """A project with what the demo's sources give no facts for: an event's programme, a video the
    site hosts with its captions and poster, a publication with authors, date and DOI."""
    import io

    from conftest import FixtureProject
    from PIL import Image

    project = FixtureProject(tmp_path_factory.mktemp("outputs"))
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text().replace(
        "  - disseminate:\n", "  - disseminate:\n      results_in_numbers: true\n"))
    project.write("content/events/summit.md", "---\ntitle: Summit\nsummary: Two days.\nstart: 2026-06-01\n"
                  "end: 2026-06-02\ntimezone: Europe/Berlin\nagenda:\n"
                  "  - {start: 2026-06-01T09:00, end: 2026-06-01T10:00, title: Opening, speakers: [Ana Ruiz], room: A}\n"
                  "  - {start: 2026-06-02T14:00, title: Closing}\n---\n")
    project.write("content/videos/intro.md", "---\ntitle: Intro\nsummary: The project in brief.\nfile: intro.mp4\n"
                  "captions: intro.vtt\nposter: intro.png\nstakeholders: [cso]\n---\n")
    project.write("content/videos/intro.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n")
    (project.root / "content/videos/intro.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    poster = io.BytesIO()
    Image.new("RGB", (320, 180), "#335").save(poster, "PNG")
    (project.root / "content/videos/intro.png").write_bytes(poster.getvalue())
    project.write("deliverables/d2-1.md", "---\ntitle: A report\nid: D2.1\nsummary: Findings.\ndissemination: PU\n"
                  "date: 2025-03-04\nauthors: [\"Müller, Hans\"]\ndoi: 10.5281/zenodo.1\nlicence: CC-BY-4.0\n---\nText.\n")
    assert project.run("build", "--no-pdf") == 0
    with serving(project.site) as address:
        yield address


@pytest.mark.parametrize("path", ["/events/summit/", "/videos/intro/", "/videos/", "/deliverables/d2-1/",
                                  "/results-in-numbers/"])
def test_no_accessibility_violations_on_what_the_demo_does_not_show(page, fixture_server, path):
    assert axe_violations(page, fixture_server + path) == []
    assert page.requested_hosts == {"127.0.0.1"}


def test_every_page_carries_the_policy_first_and_no_inline_script(demo_site):
    from bs4 import BeautifulSoup

    assert html_problems(demo_site) == []
    soup = BeautifulSoup((demo_site / "index.html").read_text("utf-8"), "html.parser")
    policy = csp_directives(soup.find("meta", attrs={"http-equiv": CSP}))
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert {"form-action", "base-uri"} <= policy.keys()                    # neither falls back to default-src
    # No other host, no scheme that could carry script: keywords, 'self', and data: for Material's icons.
    assert {source for sources in policy.values() for source in sources if not source.startswith("'sha256-")} <= \
        {"'none'", "'self'", "'wasm-unsafe-eval'", "'unsafe-hashes'", "data:"}
    # Hashes allow exactly the style attributes the sanitizer keeps: a table column's alignment.
    assert {source for source in policy["style-src"] if source.startswith("'sha256-")} == \
        {style_hash(f"text-align:{side}") for side in ("left", "right", "center")}
    assert set(policy["img-src"]) == {"'self'", "data:"}
    # Material's scripts are loaded from files that exist.
    for script in soup.find_all("script", src=True):
        assert (demo_site / script["src"].split("?")[0]).is_file(), script["src"]


def test_the_editors_page_loads_only_the_sites_scripts_and_talks_only_to_its_own_servers(demo_site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((demo_site / "admin/index.html").read_text("utf-8"), "html.parser")
    policy = csp_directives(soup.find("meta", attrs={"http-equiv": CSP}))
    assert policy["default-src"] == ["'self'"] and "'unsafe-inline'" not in policy["script-src"]
    assert [source for source in policy["script-src"] if not source.startswith("'")] == []  # no host
    # The site itself and the local server of `serve` (the demo saves through git-gateway, on its own host).
    assert set(policy["connect-src"]) == {"'self'", "http://localhost:8081", "http://127.0.0.1:8081"}
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert [script["src"] for script in soup.find_all("script")] == ["decap-cms.js"]
    assert (demo_site / "admin/decap-cms.js").stat().st_size > 1_000_000
    assert "MIT License" in (demo_site / "admin/LICENSE-decap-cms.txt").read_text("utf-8")


def watch_for_breakage(page) -> list[str]:
    """Collects, for the page's whole life, CSP violations (the event and the console's report),
    script errors, console errors and failed requests."""
    trouble: list[str] = []
    page.expose_function("__reportViolation", lambda text: trouble.append(f"violation: {text}"))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", event => window.__reportViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));""")
    page.on("console", lambda message: trouble.append(f"console {message.type}: {message.text}")
            if (message.type == "error" and not known_miss(message.location.get("url", "")))
            or CSP.lower() in message.text.lower() else None)
    page.on("pageerror", lambda error: trouble.append(f"script error: {error}"))
    # A request the browser itself cancels because the test moves on to the next page is no failure.
    page.on("requestfailed", lambda request: trouble.append(f"request failed: {request.url} ({request.failure})")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: trouble.append(f"{response.status}: {response.url}")
            if response.status >= 400 and not known_miss(response.url) else None)
    return trouble


def known_miss(url: str) -> bool:
    """Material fetches a sitemap.xml beside every <link rel=alternate>, taking them for other languages
    of the site; a publication's page has one for its PDF, and pages that list items announce their
    feeds, so /pdf/sitemap.xml, /feeds/sitemap.xml and /feeds/for/sitemap.xml are asked for, and missing.
    Nothing to do with the policy: the fetch is allowed, the file just is not there."""
    return url.endswith(("/pdf/sitemap.xml", "/feeds/sitemap.xml", "/feeds/for/sitemap.xml"))


def test_the_site_works_under_its_policy(page, server):
    """Home, the tabs, the action plan, a deliverable, a listing's filter bar, the header's search form and
    the search page with a facet ticked and more results: no CSP violation, no script error, no failed request."""
    trouble = watch_for_breakage(page)
    try:
        use_the_site(page, server)
    finally:
        assert trouble == []


def use_the_site(page, server) -> None:
    page.goto(f"{server}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.classList.contains('js')")      # Material's bundle ran
    # The tabs navigate; Material's globals find the site's root from the script's own address.
    page.click(".md-tabs a:text-is('Action plan')")
    page.wait_for_url("**/action-plan/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[__md_scope.href, typeof __md_get, typeof __md_set]") == [f"{server}/", "function", "function"]
    page.click("td[data-stakeholder=ncp][data-stage=III] a >> nth=0")
    page.wait_for_url("**/action-plan/ncp-2/")

    page.goto(f"{server}/deliverables/d5-4/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("__md_scope.pathname") == "/"
    assert page.is_visible(".ds-download a")

    # A table column aligned right: the one kind of style attribute a body keeps, allowed by its hash.
    page.goto(f"{server}/news/2016-04-30-website-in-figures/")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset td + td')).textAlign") == "right"

    page.goto(f"{server}/deliverables/")
    page.select_option("form.ds-filters select[name=stakeholder]", "ncp")
    assert page.inner_text(".ds-filters__status").startswith("Showing ")

    # The header's search form (form-action), then Pagefind (WebAssembly, fetches), facets and more results.
    page.fill("#ds-header-q", "research")
    page.press("#ds-header-q", "Enter")
    page.wait_for_url("**/search/?q=research")
    assert result_titles(page)
    page.check("input[name=type][value=deliverable]")
    wait_for(page, "new URLSearchParams(location.search).get('type') === 'deliverable'")
    first = result_titles(page)
    assert first and page.is_visible("#ds-search-more")
    page.click("#ds-search-more")
    wait_for(page, f"document.querySelectorAll('.ds-search__result').length > {len(first)}")
    page.wait_for_load_state("networkidle")


# Material's other inline scripts, which the demo does not render: a project that turns these features on
# gets them from files too.
OPTIONAL_FEATURES = """\
  palette:
    - scheme: default
      toggle: { icon: material/brightness-7, name: Dark mode }
    - scheme: slate
      toggle: { icon: material/brightness-4, name: Light mode }
  features:
    - announce.dismiss
    - content.tabs.link
extra:
  consent:
    title: Cookies
    description: Nothing is tracked.
"""

# Versions need mike's versions.json beside the site, so only the HTML is checked with them.
VERSION = """\
  version:
    provider: mike
"""

BANNERS = """
{% block announce %}A new policy brief is out.{% endblock %}
{% block outdated %}This is an old version.{% endblock %}
"""


def build_with_optional_features(project, *, version: bool) -> Path:
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    features = OPTIONAL_FEATURES + (VERSION if version else "")
    project.write("mkdocs.yml", config.replace("  font: false\n", "  font: false\n" + features))
    project.write("theme/main.html", (PACKAGE_THEME / "main.html").read_text("utf-8") + BANNERS)
    assert project.run("build", "--no-pdf") == 0
    return project.site


def test_optional_material_scripts_are_files_too(fixture_project):
    from bs4 import BeautifulSoup

    optional_site = build_with_optional_features(fixture_project, version=True)
    assert html_problems(optional_site) == []
    soup = BeautifulSoup((optional_site / "index.html").read_text("utf-8"), "html.parser")
    loaded = {script["src"].rsplit("/", 1)[-1] for script in soup.find_all("script", src=True)}
    assert {"md-base.js", "md-palette.js", "md-announce.js", "md-outdated.js", "md-consent.js", "md-tabs-link.js",
            "md-content.js"} <= loaded


def test_consent_palette_and_announcement_remembered_under_the_policy(browser, fixture_project):
    optional_site = build_with_optional_features(fixture_project, version=False)
    context = browser.new_context()
    tab = context.new_page()
    trouble = watch_for_breakage(tab)
    with serving(optional_site) as root, contextlib.closing(context):
        tab.goto(f"{root}/")
        tab.click("form[name=consent] button.md-button--primary")  # the consent dialog, then a reload
        tab.wait_for_load_state("networkidle")
        assert tab.is_hidden("[data-md-component=consent]")
        tab.click("form[data-md-component=palette] label:visible")
        tab.click(".md-banner__button")
        assert tab.get_attribute("body", "data-md-color-scheme") == "slate"
        tab.goto(f"{root}/deliverables/d1-1/")                 # another page: same scope, same choices
        tab.wait_for_load_state("networkidle")
        assert tab.get_attribute("body", "data-md-color-scheme") == "slate"
        assert tab.is_hidden("[data-md-component=announce]")
        assert tab.evaluate("Object.keys(localStorage).sort()") == ["/.__announce", "/.__consent", "/.__palette"]
        assert trouble == []
