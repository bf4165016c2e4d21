"""One site in several languages: translations beside their originals, every generated page in
every language, the switcher and hreflang both ways, PDFs per language, search per language, and
`check` catching what makes a translation wrong."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_CONFIG, FixtureProject, axe_violations

from builder.project import load_project

SITEMAPS, XHTML = "http://www.sitemaps.org/schemas/sitemap/0.9", "http://www.w3.org/1999/xhtml"

LANGUAGES = """\
      languages: [en, de, el]
      translations:
        de:
          nav: {Home: Startseite}
          stakeholders: {cso: {label: Organisationen der Zivilgesellschaft, short: Zivilgesellschaft}}
          action_plan: {title: Aktionsplan, introduction: Empfehlungen für jede Gruppe.}
          work_packages: {1: Untersuchung}
        el:
          stakeholders: {cso: {label: Οργανώσεις της κοινωνίας των πολιτών}, ncp: {label: Εθνικά σημεία επαφής}}
"""

TRILINGUAL_CONFIG = "site_url: https://example.org/fixture/\n" + FIXTURE_CONFIG.replace("        language: en\n", "").replace(
    "      stakeholders:\n", LANGUAGES + "      stakeholders:\n", 1) + """\
nav:
  - Home: content/index.md
  - Deliverables: deliverables/index.md
  - Action plan: content/action-plan/index.md
  - About: content/about.md
  - content/team.md
"""

PAGES = {
    "content/index.de.md": "---\ntitle: Willkommen\n---\nDie deutsche Startseite.\n",
    "content/index.el.md": "---\ntitle: Καλώς ήρθατε\n---\nΗ ελληνική αρχική σελίδα.\n",
    "content/about.md": "---\ntitle: About the project\n---\nOnly in English.\n",
    "content/team.md": "---\ntitle: The team\n---\nIn the nav without a title of its own there.\n",
    "deliverables/d1-1.de.md": "---\ntitle: Ein Bericht\nsummary: Was der Bericht fand.\n"
                               "translator: Beispiel-Übersetzungen\n---\n## Befunde\n\nDie Zivilgesellschaft "
                               "war selten beteiligt: Quellenkritik.\n",
    "deliverables/d1-2.md": "---\ntitle: Second report\nid: D1.2\nsummary: Untranslated.\ndissemination: PU\n"
                            "stakeholders: [ncp]\n---\nEnglish only: Eurobarometer.\n",
    "policy_briefs/01-brief.md": "---\ntitle: A brief\nnumber: 1\nsummary: Short.\nstakeholders: [cso]\n"
                                 "related: [D1.1]\n---\nBody of the brief.\n",
    "policy_briefs/01-brief.el.md": "---\ntitle: Ενημερωτικό σημείωμα\nsummary: Σύντομο.\n---\n"
                                    "Το κείμενο του σημειώματος: διαφάνεια.\n",
    "content/action-plan/cso-1.md": "---\ntitle: Join consortia early\nid: cso-1\nstakeholders: [cso]\n"
                                    "stages: [I]\norder: 1\nevidence: [D1.1]\n---\nJoin early.\n",
    "content/action-plan/cso-1.de.md": "---\ntitle: Früh Konsortien beitreten\n---\nFrüh beitreten.\n",
}


def trilingual(root: Path) -> FixtureProject:
    project = FixtureProject(root)
    project.write("mkdocs.yml", TRILINGUAL_CONFIG)
    for path, text in PAGES.items():
        project.write(path, text)
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> FixtureProject:
    project = trilingual(tmp_path_factory.mktemp("languages") / "project")
    assert project.run("build") == 0
    return project


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def resolve(url: str, href: str) -> str:
    """The site-relative page a link on the page at `url` leads to."""
    joined = posixpath.normpath(posixpath.join("/" + url, href))
    return "" if joined == "/" else joined.lstrip("/") + "/"


def switcher(site: Path, url: str) -> dict[str, tuple[str, bool]]:
    """The switcher of a page: language -> (the page it leads to, whether it says it is the home page)."""
    links = soup(site, url).select(".md-header .md-select__link")
    return {a["hreflang"]: (resolve(url, a["href"]), a.select_one(".ds-switch-home") is not None) for a in links}


def test_every_generated_page_exists_in_every_language(built):
    project = load_project(built.root)
    generated = {page.path for page in project.virtual_pages}
    defaults = [page for page in project.virtual_pages if page.language is None]
    assert len(generated) == 3 * len(defaults)
    for page in project.virtual_pages:
        assert (built.site / project.url_of(page.path) / "index.html").is_file(), page.path
    for url in ("de/deliverables/", "el/deliverables/", "de/action-plan/", "el/action-plan/for/cso/",
                "de/action-plan/stage/I/", "el/stakeholders/cso/", "de/topics/privacy/", "el/search/",
                "de/events/", "el/policy-briefs/", "de/subscribe/", "el/accessibility/"):
        assert soup(built.site, url).html["lang"] == url[:2], url


def test_translations_share_their_originals_identity_and_only_word_anew(built):
    project = load_project(built.root)
    original = project.record("deliverables/d1-1.md")
    german = project.record("deliverables/d1-1.de.md")
    assert german.original == original.path and german.item.language == "de"
    assert (german.item.id, german.item.dissemination) == (original.item.id, original.item.dissemination)
    assert german.item.title == "Ein Bericht" and original.item.title == "A report"
    assert project.collection.find("deliverable", "D1.1") is original  # each item once, by its original
    assert project.collection.in_language("de").find("deliverable", "D1.1") is german


def test_a_listing_shows_each_item_in_the_language_or_marked_in_its_own(built):
    listing = soup(built.site, "de/deliverables")
    entries = {a.get_text(strip=True): a for a in listing.select(".ds-entry__title a")}
    assert set(entries) == {"Ein Bericht", "Second report"}
    assert "lang" not in entries["Ein Bericht"].attrs
    assert resolve("de/deliverables/", entries["Ein Bericht"]["href"]) == "de/deliverables/d1-1/"
    untranslated = entries["Second report"]
    assert untranslated["lang"] == "en" and untranslated["hreflang"] == "en"
    assert resolve("de/deliverables/", untranslated["href"]) == "deliverables/d1-2/"
    assert untranslated.find_parent("li").select_one(".ds-language-note").get_text(strip=True) == "Englisch"
    greek = soup(built.site, "el/deliverables").select_one(".ds-language-note").get_text(strip=True)
    assert greek == "Αγγλικά"


def test_the_switcher_leads_to_the_same_item_both_ways(built):
    site = built.site
    assert switcher(site, "deliverables/d1-1") == {"en": ("deliverables/d1-1/", False),
                                                   "de": ("de/deliverables/d1-1/", False), "el": ("el/", True)}
    assert switcher(site, "de/deliverables/d1-1") == switcher(site, "deliverables/d1-1")
    assert switcher(site, "el/policy-briefs/01-brief")["en"] == ("policy-briefs/01-brief/", False)
    assert switcher(site, "policy-briefs/01-brief")["el"] == ("el/policy-briefs/01-brief/", False)
    for listing in ("deliverables", "action-plan", "action-plan/stage/I"):
        for language, prefix in (("en", ""), ("de", "de/"), ("el", "el/")):
            assert switcher(site, listing)[language] == (f"{prefix}{listing}/", False)
            assert switcher(site, prefix + listing) == switcher(site, listing)
    current = soup(site, "de/deliverables").select_one(".md-select__link[aria-current=page]")
    assert current["hreflang"] == "de"


def sitemap_alternates(site: Path) -> dict[str, dict[str, str]]:
    """The sitemap's pages, each with the versions it names: hreflang -> address."""
    tree = ElementTree.parse(site / "sitemap.xml")
    found = {}
    for entry in tree.getroot().iter(f"{{{SITEMAPS}}}url"):
        found[entry.findtext(f"{{{SITEMAPS}}}loc")] = {link.get("hreflang"): link.get("href")
                                                       for link in entry.iter(f"{{{XHTML}}}link")}
    return found


def test_the_sitemap_names_each_pages_versions_that_exist(built):
    site = "https://example.org/fixture/"
    pages = sitemap_alternates(built.site)
    brief = {"en": f"{site}policy-briefs/01-brief/", "x-default": f"{site}policy-briefs/01-brief/",
             "el": f"{site}el/policy-briefs/01-brief/"}
    assert pages[f"{site}policy-briefs/01-brief/"] == pages[f"{site}el/policy-briefs/01-brief/"] == brief
    assert pages[f"{site}about/"] == {"en": f"{site}about/", "x-default": f"{site}about/"}
    assert pages[f"{site}de/deliverables/"]["el"] == f"{site}el/deliverables/"
    assert no_head_names_versions(built.site)
    assert switcher(built.site, "about") == {"en": ("about/", False), "de": ("de/", True), "el": ("el/", True)}


def no_head_names_versions(site: Path) -> bool:
    """No page names its versions in its head, where Material's script would fetch a sitemap.xml
    beside each (see builder/theme/sitemap.xml): the sitemap names them."""
    return not any(BeautifulSoup(page.read_text("utf-8"), "html.parser").head.select("link[rel=alternate][hreflang]")
                   for page in site.rglob("index.html"))


def test_each_language_has_its_own_navigation(built):
    german = soup(built.site, "de/deliverables")
    tabs = {a.get_text(strip=True): resolve("de/deliverables/", a["href"]) for a in german.select(".md-nav--primary a.md-nav__link")}
    assert tabs["Startseite"] == "de/"  # titled by translations.de.nav
    assert tabs["About"] == "about/"  # no German version: the English page, from the German menu
    assert tabs["Aktionsplan"] == "de/action-plan/"  # the plan's title as the German config words it
    greek = soup(built.site, "el/deliverables")
    assert {a.get_text(strip=True) for a in greek.select(".md-nav--primary a.md-nav__link")} >= {"Καλώς ήρθατε", "Deliverables"}


def test_config_words_and_dates_follow_the_language(built):
    term = soup(built.site, "de/stakeholders/cso")
    assert term.h1.get_text(strip=True) == "Organisationen der Zivilgesellschaft"
    matrix = soup(built.site, "el/action-plan")
    assert "Οργανώσεις της κοινωνίας των πολιτών" in matrix.get_text()
    assert "Empfehlungen für jede Gruppe." in soup(built.site, "de/action-plan").get_text()
    assert "Untersuchung" in soup(built.site, "de/deliverables").select_one("h2").get_text()
    assert "Analysis" in soup(built.site, "el/deliverables").select_one("h2").get_text()


def test_the_generators_words_follow_the_page(built):
    german, english = soup(built.site, "de/deliverables/d1-1"), soup(built.site, "deliverables/d1-1")
    assert german.select_one(".ds-card dt").get_text(strip=True) == "Typ"
    assert english.select_one(".ds-card dt").get_text(strip=True) == "Type"
    assert german.select_one("a.md-button[type='application/pdf']").get_text(strip=True) == "PDF herunterladen"
    assert german.select_one("#ds-header-q")["placeholder"] == "Suche"  # the theme's header, per page
    assert english.select_one("#ds-header-q")["placeholder"] == "Search"
    assert "Auch als PDF" in german.select_one(".ds-download__others").get_text()
    assert [a["hreflang"] for a in german.select(".ds-download__others a")] == ["en"]
    # Greek has no catalogue: the generator's words fall back to English, Material's are Greek.
    greek = soup(built.site, "el/policy-briefs/01-brief")
    assert greek.select_one(".ds-card dt").get_text(strip=True) == "Type"
    assert switcher(built.site, "about") == {"en": ("about/", False), "de": ("de/", True), "el": ("el/", True)}
    home_labels = {a["hreflang"]: a.select_one(".ds-switch-home").get_text(strip=True)
                   for a in soup(built.site, "about").select(".md-select__link") if a.select_one(".ds-switch-home")}
    assert home_labels == {"de": "(Startseite)", "el": "(home page)"}


def test_check_says_which_words_a_language_lacks(built, capsys):
    assert built.run("check") == 0
    said = capsys.readouterr().err
    assert "catalogue 'el': Disseminate has no catalogue for this language" in said
    assert "catalogue 'de'" not in said


def test_a_translators_note_and_the_items_own_language(built):
    german = soup(built.site, "de/deliverables/d1-1")
    assert "Beispiel-Übersetzungen" in german.select_one(".ds-translation-note").get_text()
    assert german.html["lang"] == "de" and german.h1.get("lang") is None
    assert soup(built.site, "deliverables/d1-1").select_one(".ds-translation-note") is None


def pdf_of(site: Path, url: str) -> Path:
    link = soup(site, url).select_one("a[type='application/pdf']")
    return site / resolve(url + "/", link["href"]).rstrip("/")


def test_a_translation_has_its_own_pdf_in_its_language(built):
    english, german = pdf_of(built.site, "deliverables/d1-1"), pdf_of(built.site, "de/deliverables/d1-1")
    assert english != german and german.name.endswith("_de.pdf")
    reader = pypdf.PdfReader(german)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title == "Ein Bericht"
    text = subprocess.run(["pdftotext", str(german), "-"], capture_output=True, text=True, check=True).stdout
    assert "Die Zivilgesellschaft war selten beteiligt" in text
    assert re.search(r"Seite \d+ von \d+", text) and "Übersetzt von Beispiel-Übersetzungen, nicht vom Konsortium." in text
    greek_plan = pypdf.PdfReader(pdf_of(built.site, "el/action-plan"))
    assert greek_plan.trailer["/Root"]["/Lang"] == "el"


def test_the_catalogue_links_translations_to_each_other(built):
    items = json.loads((built.site / "catalogue.json").read_text("utf-8"))["items"]
    by_url = {item["url"]: item for item in items}
    assert by_url["deliverables/d1-1/"]["translations"] == [{"language": "de", "url": "de/deliverables/d1-1/"}]
    assert by_url["de/deliverables/d1-1/"]["language"] == "de"
    assert by_url["de/deliverables/d1-1/"]["translations"] == [{"language": "en", "url": "deliverables/d1-1/"}]
    assert by_url["deliverables/d1-2/"]["translations"] == []
    assert {item["language"] for item in items if item["type"] == "action-plan"} == {"en", "de", "el"}


def test_search_indexes_each_language_apart(built):
    entry = json.loads((built.site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"en", "de", "el"}
    assert entry["languages"]["el"]["page_count"] == 2  # the Greek home and brief: no English page


def test_a_single_language_site_has_no_switcher(fixture_project):
    fixture_project.write("mkdocs.yml", "site_url: https://example.org/fixture/\n" + FIXTURE_CONFIG)
    assert fixture_project.run("build", "--no-pdf") == 0
    assert "<loc>https://example.org/fixture/deliverables/</loc>" in (fixture_project.site / "sitemap.xml").read_text()
    assert not soup(fixture_project.site, "deliverables").select(".md-select__link")
    assert "hreflang" not in (fixture_project.site / "sitemap.xml").read_text("utf-8")


# --- what check catches ----------------------------------------------------------------------------------

BAD_TRANSLATIONS = [
    ("deliverables/d1-1.de.md", "---\ntitle: Bericht\nid: D9.9\n---\nText.\n",
     "deliverables/d1-1.de.md:3: deliverable 'id': differs from its original's (deliverables/d1-1.md, line 3): a "
     "translation shares every field but title, summary, draft, translator with the page it translates (change it "
     "there, or leave it out)"),
    ("deliverables/d1-1.de.md", "---\ntitle: Bericht\nstakeholders: [cso]\n---\nText.\n",
     "deliverables/d1-1.de.md:3: deliverable 'stakeholders': differs from its original's (deliverables/d1-1.md): a "
     "translation shares every field but title, summary, draft, translator with the page it translates (change it "
     "there, or leave it out)"),
    ("deliverables/d9-9.de.md", "---\ntitle: Verwaist\n---\nText.\n",
     "deliverables/d9-9.de.md:1: translation: translates deliverables/d9-9.md, which does not exist (a translation "
     "is named after its original, with the language before .md)"),
    ("deliverables/d1-1.it.md", "---\ntitle: Rapporto\n---\nTesto.\n",
     "deliverables/d1-1.it.md:1: translation: is named as a translation into 'it', which is not one of the site's "
     "languages (en, de, el): add it to languages: in mkdocs.yml, or rename the file (a name ending in .it.md marks "
     "a translation)"),
    ("deliverables/d1-1.en.md", "---\ntitle: Report\n---\nText.\n",
     "deliverables/d1-1.en.md:1: translation: is named as the 'en' version of deliverables/d1-1.md, but 'en' is the "
     "site's default language: deliverables/d1-1.md is that version (merge the two)"),
    ("deliverables/d1-1.de.md", "---\ntitle: Bericht\nlanguage: el\n---\nText.\n",
     "deliverables/d1-1.de.md:3: deliverable 'language': 'el' disagrees with the file's name, which makes it the "
     "'de' version (leave language out)"),
    ("deliverables/d1-1.de.md", "---\ntitle: Bericht\ncolour: rot\n---\nText.\n",
     "deliverables/d1-1.de.md:3: deliverable 'colour': unknown field"),
    ("deliverables/d1-1.de.md", "---\ntitle: ''\n---\nText.\n",
     "deliverables/d1-1.de.md:2: deliverable 'title': is empty (write a value or leave the field out)"),
    ("content/de/extra.md", "---\ntitle: Extra\n---\nText.\n",
     "content/de/extra.md:1: page: would be published among the 'de' version of the site (/de/): put a translation "
     "beside its original instead (about.md, about.de.md)"),
    ("deliverables/d1-2.md", "---\ntitle: Two\nid: D1.2\nsummary: S.\ndissemination: PU\ntranslator: Someone\n---\n",
     "deliverables/d1-2.md:6: deliverable 'translator': only a translation names its translator (this page is no "
     "translation: its name has no language before .md)"),
]


@pytest.mark.parametrize(("path", "text", "expected"), BAD_TRANSLATIONS,
                         ids=["id", "stakeholders", "orphan", "unknown language", "default language", "language field",
                              "unknown field", "empty title", "language folder", "translator of an original"])
def test_check_names_each_translation_error(tmp_path, capsys, path, text, expected):
    project = trilingual(tmp_path / "project")
    project.write(path, text)
    assert project.run("check") == 1
    reported = capsys.readouterr().err.splitlines()
    assert reported[0].startswith(expected), reported


def test_every_translation_error_in_one_run(tmp_path, capsys):
    project = trilingual(tmp_path / "project")
    for path, text, _ in BAD_TRANSLATIONS[2:5]:
        project.write(path, text)
    assert project.run("check") == 1
    reported = capsys.readouterr().err
    assert all(path in reported for path, _, _ in BAD_TRANSLATIONS[2:5])


@pytest.mark.parametrize(("setting", "expected"), [
    ("      languages: [en, de, de]\n", "languages: each language once (en, de, de)"),
    ("      languages: [en, xx]\n", "'xx' is not a language a site can be published in"),
    ("      languages: [de, en]\n", "languages: the first is the site's default language, which project.language says "
                                    "is 'en'"),
    ("      languages: [en]\n      translations: {de: {}}\n", "translations: 'de' is not one of the site's other "
                                                              "languages (languages: en)"),
    ("      languages: [en, de]\n      translations: {de: {topics: {nope: {label: X}}}}\n",
     "translations.de.topics: 'nope' is not one of the config's topics (known: privacy)"),
    ("      languages: [en, de]\n      translations: {de: {work_packages: {9: Neun}}}\n",
     "translations.de.work_packages: 9 is not one of the config's work packages (known: 1)"),
])
def test_check_names_language_settings_errors(tmp_path, capsys, setting, expected):
    project = FixtureProject(tmp_path / "project")
    project.write("mkdocs.yml", FIXTURE_CONFIG.replace("      stakeholders:\n", setting + "      stakeholders:\n", 1))
    assert project.run("check") == 1
    assert expected in capsys.readouterr().err


def test_a_name_with_a_dot_that_is_no_language_is_no_translation(tmp_path):
    project = trilingual(tmp_path / "project")
    project.write("content/notes.old.md", "---\ntitle: Old notes\n---\nText.\n")
    assert project.run("check") == 0
    assert re.fullmatch(r"notes\.old/", load_project(project.root).url_of("content/notes.old.md"))


# --- in a browser -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(built):
    from conftest import require_chromium, serving

    require_chromium()
    with serving(built.site) as address:
        yield address


def switch_to(page, name: str) -> None:
    """Choose a language from the header's switcher, as a visitor does: open it, follow the entry."""
    page.click(".md-header .md-select button")
    page.click(f".md-header .md-select__link:has-text('{name}')")
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize(("start", "name", "lands"), [
    ("/deliverables/d1-1/", "Deutsch", "/de/deliverables/d1-1/"),
    ("/de/deliverables/d1-1/", "English", "/deliverables/d1-1/"),
    ("/el/policy-briefs/", "Deutsch", "/de/policy-briefs/"),
    ("/de/action-plan/", "Ελληνικά", "/el/action-plan/"),
    ("/el/action-plan/", "English", "/action-plan/"),
])
def test_switching_language_keeps_the_visitor_on_the_same_thing(page, server, start, name, lands):
    page.goto(server + start)
    switch_to(page, name)
    assert page.url == server + lands
    assert page.evaluate("document.documentElement.lang") == language_of(lands)


def search_results(page, server: str, path: str) -> dict[str, str]:
    """The search page's results: their titles, by the page each leads to."""
    page.goto(server + path)
    page.wait_for_selector("form#ds-search[data-state=done]")
    found = page.evaluate("[...document.querySelectorAll('.ds-search__title a')].map(a => [a.href, a.innerText])")
    return {href.removeprefix(server): title for href, title in found}


def language_of(url: str) -> str:
    first = url.split("/")[1]
    return first if first in ("de", "el") else "en"


@pytest.mark.parametrize(("language", "prefix"), [("en", "/"), ("de", "/de/"), ("el", "/el/")])
def test_search_in_one_language_returns_only_its_pages(page, server, language, prefix):
    for word in ("Quellenkritik", "Eurobarometer", "διαφάνεια", "report", "Bericht"):
        found = search_results(page, server, f"{prefix}search/?q={word}")
        assert all(language_of(url) == language for url in found), (word, found)
    assert page.requested_hosts == {"127.0.0.1"}


def test_search_finds_each_language_in_its_own_index(page, server):
    assert search_results(page, server, "/de/search/?q=Quellenkritik") == {"/de/deliverables/d1-1/": "Ein Bericht"}
    assert "/deliverables/d1-2/" not in search_results(page, server, "/de/search/?q=Eurobarometer")
    assert search_results(page, server, "/search/?q=Eurobarometer") == {"/deliverables/d1-2/": "Second report"}
    assert search_results(page, server, "/el/search/?q=διαφάνεια") == {"/el/policy-briefs/01-brief/": "Ενημερωτικό σημείωμα"}
    assert not search_results(page, server, "/search/?q=διαφάνεια")


@pytest.mark.parametrize("path", ["/de/", "/el/deliverables/", "/de/deliverables/d1-1/", "/el/policy-briefs/01-brief/",
                                  "/de/action-plan/", "/el/action-plan/for/cso/", "/de/stakeholders/cso/",
                                  "/el/search/?q=διαφάνεια", "/de/deliverables/"])
def test_translated_templates_have_no_accessibility_violations(page, server, path):
    assert axe_violations(page, server + path) == []


# --- the funding texts in each language ---------------------------------------------------------------------

def test_funding_texts_in_a_language_are_its_own_or_the_official_ones_else_english(tmp_path, capsys):
    project = trilingual(tmp_path / "project")
    config = load_project(project.root).config
    english, german, greek = (config.in_language(language).funding_text for language in ("en", "de", "el"))
    assert german.short == "Finanziert von der Europäischen Union"  # the official German, cited in the data file
    assert german.statement == english.statement and greek.short == english.short  # none on record: English
    project.write("mkdocs.yml", TRILINGUAL_CONFIG.replace(
        "          nav: {Home: Startseite}\n",
        "          nav: {Home: Startseite}\n          funding: {disclaimer: Nur die Meinung der Verfasser.}\n"))
    assert load_project(project.root).config.in_language("de").funding_text.disclaimer == "Nur die Meinung der Verfasser."
    assert project.run("check") == 0
    said = capsys.readouterr().err
    assert ("mkdocs.yml:1: warning: config 'languages': 'de': no wording in this language is on record for the H2020 "
            "funding statement (builder/data/programmes.yml holds official wording only)") in said
    assert "'el': no wording in this language is on record for the H2020 funding statement, short and disclaimer" in said
    assert "'en'" not in said



# --- what a review of the first version found ---------------------------------------------------------------

def test_the_generators_links_on_a_page_stay_in_its_language(built):
    german = soup(built.site, "de/action-plan")
    targets = {resolve("de/action-plan/", a["href"]) for a in german.select("main a[href]")}
    assert {"de/action-plan/for/cso/", "de/action-plan/stage/I/"} <= targets
    assert "action-plan/for/cso/" not in targets
    item = soup(built.site, "de/deliverables/d1-1")
    assert resolve("de/deliverables/d1-1/", item.select_one("form.ds-header-search")["action"]) == "de/search/"
    assert resolve("deliverables/d1-1/", soup(built.site, "deliverables/d1-1").select_one(
        "form.ds-header-search")["action"]) == "search/"
    tags = {resolve("el/policy-briefs/01-brief/", a["href"]) for a in soup(built.site, "el/policy-briefs/01-brief").select(".ds-tag")}
    assert tags == {"el/stakeholders/cso/"}


def test_a_nav_entry_without_a_title_keeps_its_pages_title_in_every_language(built):
    for url in ("deliverables", "de/deliverables", "el/deliverables"):
        titles = [a.get_text(strip=True) for a in soup(built.site, url).select(".md-nav--primary a.md-nav__link")]
        assert "The team" in titles and "None" not in titles, (url, titles)


def test_action_plan_pdfs_in_a_script_without_latin_letters_have_names_of_their_own(built):
    names = {path.name for path in (built.site / "pdf").glob("*_el.pdf")}
    assert {"FIX_Action-plan-for-cso_el.pdf", "FIX_Action-plan-for-ncp_el.pdf", "FIX_Action-plan_el.pdf"} <= names


def test_a_translations_page_has_its_link_preview(built):
    tags = {tag["property"]: tag["content"] for tag in soup(built.site, "de/deliverables/d1-1").select("meta[property]")}
    assert tags["og:title"] == "Ein Bericht" and tags["og:url"].endswith("/de/deliverables/d1-1/")


def test_a_translation_of_a_hidden_deliverable_keeps_its_files_hidden(tmp_path, capsys):
    project = trilingual(tmp_path / "project")
    project.write("deliverables/d2-1.md", "---\ntitle: Secret\nid: D2.1\nsummary: S.\ndissemination: SEN\n---\nSecret.\n")
    project.write("deliverables/d2-1.de.md", "---\ntitle: Geheim\n---\n![Plan](geheim.png)\n")
    project.write("deliverables/geheim.png", b"\x89PNG\r\n\x1a\n")
    project.write("content/leak.md", "---\ntitle: Leak\n---\n![Plan](../deliverables/geheim.png) and "
                                     "[the German](../deliverables/d2-1.de.md).\n")
    assert project.run("check") == 1
    said = capsys.readouterr().err
    assert "content/leak.md:4: page: image to '../deliverables/geheim.png', " in said
    assert "content/leak.md:4: page: link to '../deliverables/d2-1.de.md', a deliverable that is not public" in said


def test_a_draft_translation_may_show_its_originals_figure(tmp_path):
    project = trilingual(tmp_path / "project")
    project.write("policy_briefs/01-brief.md", "---\ntitle: A brief\nnumber: 1\nsummary: Short.\n---\n![Chart](chart.png)\n")
    project.write("policy_briefs/01-brief.de.md", "---\ntitle: Entwurf\ndraft: true\n---\n![Grafik](chart.png)\n")
    project.write("policy_briefs/chart.png", b"\x89PNG\r\n\x1a\n")
    assert project.run("build", "--no-pdf") == 0
    assert (project.site / "policy-briefs/chart.png").is_file()
    assert not (project.site / "de/policy-briefs/01-brief").exists()


def test_a_readme_home_and_a_language_without_a_home(tmp_path, capsys):
    project = trilingual(tmp_path / "project")
    for language in ("", ".de"):
        (project.root / f"content/index{language}.md").rename(project.root / f"content/README{language}.md")
    (project.root / "content/index.el.md").unlink()
    project.write("mkdocs.yml", TRILINGUAL_CONFIG.replace("content/index.md", "content/README.md"))
    assert project.run("build", "--no-pdf") == 0
    assert switcher(project.site, "about") == {"en": ("about/", False), "de": ("de/", True)}
    assert project.run("check") == 0
    assert ("mkdocs.yml:1: warning: config 'languages': 'el': the site has no home page in this language "
            "(content/README.el.md)") in capsys.readouterr().err


def test_dotted_names_are_names_on_a_site_in_one_language(fixture_project):
    for name in ("how.to", "faq.it", "horizon.eu", "report.de"):
        fixture_project.write(f"content/{name}.md", f"---\ntitle: {name}\n---\nText.\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    assert {path.parent.name for path in fixture_project.site.glob("*.*/index.html")} == \
        {"how.to", "faq.it", "horizon.eu", "report.de"}


def test_an_edit_of_a_translation_reaches_its_versions(tmp_path):
    from builder.impact import impact_of
    from builder.read import RecordCache

    project, cache = trilingual(tmp_path / "project"), RecordCache()
    before = load_project(project.root, cache=cache)
    project.write("deliverables/d1-1.de.md", PAGES["deliverables/d1-1.de.md"].replace("Ein Bericht", "Ein neuer Bericht"))
    impact = impact_of(before, load_project(project.root, cache=cache))
    assert not impact.whole_site
    assert {"deliverables/d1-1.de.md", "deliverables/d1-1.md"} <= impact.pages  # its PDF's name shows on both
    assert "deliverables/index.de.md" in impact.generated


def test_a_projects_own_funding_wording_in_its_language_stands(tmp_path, capsys):
    project = FixtureProject(tmp_path / "project")
    project.write("mkdocs.yml", FIXTURE_CONFIG.replace("        language: en\n", "        language: de\n").replace(
        "      stakeholders:\n", "      funding: {name: H2020, statement: Gefördert., disclaimer: Haftung., "
        "short: Gefördert von der EU}\n      stakeholders:\n", 1))
    assert load_project(project.root).config.funding_text.short == "Gefördert von der EU"
    project.write("mkdocs.yml", FIXTURE_CONFIG.replace("        language: en\n", "        language: de\n"))
    assert project.run("check") == 0
    said = capsys.readouterr().err
    assert ("config 'project.language': 'de': no wording in this language is on record for the H2020 funding statement "
            "and disclaimer") in said
    assert "under funding: {statement: ..., disclaimer: ...})" in said


def test_a_translation_may_repeat_its_originals_fields_however_written(tmp_path):
    project = trilingual(tmp_path / "project")
    project.write("policy_briefs/01-brief.el.md", "---\ntitle: Σημείωμα\nnumber: '1'\nstakeholders: [cso]\n---\nΚείμενο.\n")
    assert project.run("check") == 0


def test_a_trusted_pages_translation_is_trusted_too(tmp_path):
    project = trilingual(tmp_path / "project")
    project.write("mkdocs.yml", TRILINGUAL_CONFIG.replace("      languages:", "      trusted_html: [content/form.md]\n      languages:"))
    config = load_project(project.root).config
    assert config.trusts_html("content/form.de.md") and config.trusts_html("content/form.md")
    assert not config.trusts_html("content/form.fr.md")  # French is no language of the site: another page


def test_an_untranslated_recommendation_in_another_languages_plan_is_marked_for_print(built):
    """WeasyPrint writes only the document's /Lang, but breaks words by each passage's `lang`."""
    from builder.pdf.stage import plan_documents

    project = load_project(built.root)
    greek = next(doc for doc in plan_documents(project, {"content/action-plan/index.el.md"}))
    page = BeautifulSoup(greek.job.html, "html.parser")
    assert page.html["lang"] == "el"
    assert page.select_one("article.rec h3")["lang"] == "en"  # "Join consortia early", in English only
    german = BeautifulSoup(next(doc for doc in plan_documents(project, {"content/action-plan/index.de.md"})).job.html,
                           "html.parser")
    assert german.select_one("article.rec h3").get("lang") is None  # its German version


def test_a_translation_is_cited_as_itself_and_as_a_translation_of_its_original(tmp_path):
    project = trilingual(tmp_path / "project")
    project.write("deliverables/d1-1.md", "---\ntitle: A report\nid: D1.1\nsummary: What the report found.\n"
                                          "dissemination: PU\ndoi: 10.5281/zenodo.123456\nlicence: CC-BY-4.0\n---\nBody.\n")
    assert project.run("build") == 0
    german = soup(project.site, "de/deliverables/d1-1")
    tags = {tag["name"]: tag["content"] for tag in german.select("meta[name^=citation_]")}
    assert tags["citation_title"] == "Ein Bericht" and tags["citation_language"] == "de"
    assert "citation_doi" not in tags  # the DOI names the English original
    assert tags["citation_pdf_url"].endswith("_de.pdf")
    english = {tag["name"]: tag["content"] for tag in soup(project.site, "deliverables/d1-1").select("meta[name^=citation_]")}
    assert english["citation_doi"] == "10.5281/zenodo.123456"
    described = json.loads(german.select_one("script[type='application/ld+json']").get_text())
    assert described["translationOfWork"] == {"@type": "Report", "name": "A report", "inLanguage": "en",
                                              "url": "https://example.org/fixture/deliverables/d1-1/",
                                              "sameAs": "https://doi.org/10.5281/zenodo.123456"}
    assert described["translator"] == {"@type": "Person", "name": "Beispiel-Übersetzungen"} and "identifier" not in described
    cited = german.select_one(".ds-cite").get_text(" ", strip=True)
    assert "Ein Bericht" in cited and "10.5281" not in cited
    bib = (project.site / "cite/de/deliverables/d1-1.bib").read_text("utf-8")
    assert "D1.1-de" in bib and "Ein Bericht" in bib
