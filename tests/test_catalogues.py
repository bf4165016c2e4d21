"""The generator's own words in other languages: the catalogues are up to date with the sources and
complete, a French project's pages and PDFs speak French, and `check` says what falls back to English."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import REPO

from builder.catalogues import LOCALE_FOLDER, TEMPLATE, catalogue_path, catalogue_warnings, compiled, translations
from builder.cli import main
from builder.config import load_site_config
from builder.cordis import LAYOUT
from builder.explorer import KINDS
from builder.templating import Wording, counter_content, css_string, install_translations, template_environment

TRANSLATED = ["fr", "de"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def messages(path: Path) -> dict[str | tuple[str, ...], object]:
    with path.open("rb") as source:
        return {message.id: message for message in read_po(source) if message.id}


def forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def test_the_template_holds_every_message_of_the_sources(tmp_path):
    """`make catalogues` was run after the last change of words: extracting again finds the same."""
    pybabel = Path(sys.executable).with_name("pybabel")
    extracted = tmp_path / "disseminate.pot"
    subprocess.run([str(pybabel), "--quiet", "extract", "--mapping-file", "babel.cfg", "--output-file", str(extracted),
                    "."], cwd=REPO, check=True)
    fresh, committed = set(messages(extracted)), set(messages(TEMPLATE))
    assert fresh - committed == set(), "new messages: run `make catalogues` and translate them"
    assert committed - fresh == set(), "messages no source says any more: run `make catalogues`"


def test_the_kinds_of_organisation_marked_for_the_catalogues_are_cordis_ymls():
    """CORDIS's kinds of organisation are data (cordis.yml), marked for extraction in explorer.py."""
    assert sorted(LAYOUT["activity_types"].values()) == sorted(KINDS)


def test_no_compiled_catalogue_is_kept():
    """Catalogues are compiled in memory: a .mo file beside them could only fall out of date."""
    assert list(LOCALE_FOLDER.rglob("*.mo")) == []


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_catalogue_translates_every_message(language):
    template, catalogue = messages(TEMPLATE), messages(catalogue_path(language))
    lacking = [message_id for message_id in template if message_id not in catalogue
               or catalogue[message_id].fuzzy or not all(forms(catalogue[message_id].string))]
    assert lacking == []


def test_english_says_what_the_sources_say():
    for message_id, message in messages(catalogue_path("en")).items():
        assert forms(message.string) == forms(message_id)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_and_add_none(language):
    for message_id, message in messages(catalogue_path(language)).items():
        wanted = {name for text in forms(message_id) for name in PLACEHOLDER.findall(text)}
        for text in forms(message.string):
            assert set(PLACEHOLDER.findall(text)) == wanted, (message_id, text)
            assert "%" not in PLACEHOLDER.sub("", text).replace("%%", ""), (message_id, text)  # a bare % breaks formatting


@pytest.mark.parametrize("language, plural_forms", [("en", "nplurals=2; plural=(n != 1);"),
                                                    ("fr", "nplurals=2; plural=(n > 1);"),
                                                    ("de", "nplurals=2; plural=(n != 1);")])
def test_plural_forms_are_the_languages(language, plural_forms):
    with catalogue_path(language).open("rb") as source:
        assert read_po(source).plural_forms == plural_forms
    words = translations(language)
    assert [words.ngettext("%(num)s page", "%(num)s pages", n) for n in (0, 1, 2)] == \
        {"en": ["%(num)s pages", "%(num)s page", "%(num)s pages"], "fr": ["%(num)s page", "%(num)s page", "%(num)s pages"],
         "de": ["%(num)s Seiten", "%(num)s Seite", "%(num)s Seiten"]}[language]


def test_missing_fuzzy_and_half_translated_messages_fall_back_to_english(tmp_path):
    catalogue = tmp_path / "xx.po"
    catalogue.write_text('msgid ""\nmsgstr ""\n"Language: xx\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                         'msgid "Download PDF"\nmsgstr "PDF laden"\n\n'
                         '#, fuzzy\nmsgid "Search"\nmsgstr "Guess"\n\n'
                         'msgid "Topics"\nmsgstr ""\n\n'
                         'msgid "%(num)s page"\nmsgid_plural "%(num)s pages"\nmsgstr[0] "%(num)s Blatt"\nmsgstr[1] ""\n',
                         "utf-8")
    words = compiled(catalogue)
    words.add_fallback(translations("en"))
    assert words.gettext("Download PDF") == "PDF laden"
    assert (words.gettext("Search"), words.gettext("Topics")) == ("Search", "Topics")
    assert words.ngettext("%(num)s page", "%(num)s pages", 1) == "%(num)s page"  # never one form of each language


def test_a_language_without_catalogue_is_all_english_and_a_regional_one_takes_its_base():
    assert translations("pl").gettext("Download PDF") == "Download PDF"
    assert translations("fr-BE").gettext("Download PDF") == translations("fr").gettext("Download PDF") \
        == "Télécharger le PDF"


def test_a_translation_is_text_in_html_escaped_like_any_value(tmp_path):
    catalogue = tmp_path / "xx.po"
    catalogue.write_text('msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
                         'msgid "Play “%(title)s”"\nmsgstr "<b>Play</b> & “%(title)s”"\n', "utf-8")
    env = install_translations(template_environment(jinja2.DictLoader(
        {"page.html": '{{ _("Play “%(title)s”", title=title) }}|{% trans %}Play “{{ title }}”{% endtrans %}'})),
        compiled(catalogue))
    escaped = "&lt;b&gt;Play&lt;/b&gt; &amp; “&lt;script&gt;”"
    assert env.get_template("page.html").render(title="<script>") == f"{escaped}|{escaped}"


@pytest.mark.parametrize("text, css", [('Page', '"Page"'), ('say "hi"', '"say \\22 hi\\22 "'),
                                       ("back\\slash", '"back\\5c slash"'), ("two\nlines", '"two\\a lines"'),
                                       ("</style><script>", '"\\3c /style\\3e \\3c script\\3e "')])
def test_css_strings_escape_what_would_end_them(text, css):
    assert css_string(text) == css


def test_page_numbers_follow_the_translations_order():
    counters = {"page": "page", "pages": "pages"}
    assert counter_content("Page %(page)s of %(pages)s", counters) == '"Page " counter(page) " of " counter(pages)'
    assert counter_content("%(pages)s Seiten, Seite %(page)s", counters) == \
        'counter(pages) " Seiten, Seite " counter(page)'


def test_scripts_get_their_words_with_a_form_per_plural_category():
    words = Wording(load_site_config(REPO / "mkdocs.yml"), dt.date(2016, 5, 1), "fr").script_words("search")
    assert words["language"] == "fr"
    assert words["results"] == {"one": "%(count)s résultat.", "other": "%(count)s résultats."}
    assert words["idle"] == "Saisissez un mot ou cochez un filtre."


# A French project: the demo with its language set to French.

@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    """The demo in French first (and French dates), built without PDFs; then one PDF, D6.7's."""
    root = tmp_path_factory.mktemp("french")
    for name in ("content", "deliverables", "policy_briefs"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    # French first, the German pages kept as they are: a French site with a few pages in German.
    for english, french in (("\n  language: en\n", "\n  language: fr\n"), ("\n      languages: [en, de]\n", "\n      languages: [fr, de]\n"),
                            ("\n        locale: en_GB\n", "\n        locale: fr_FR\n")):
        assert english in config
        config = config.replace(english, french)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    assert main(["-C", str(root), "build", "--no-pdf"]) == 0
    assert main(["-C", str(root), "pdf", str(root / "deliverables/d6-7.md"), "-o", str(root / "d6-7.pdf")]) == 0
    return root


def page(root: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / url / "index.html").read_text("utf-8"), "html.parser")


def english_left(soup: BeautifulSoup) -> list[str]:
    """The generator's English words on a page whose French differs: whole texts and attributes that
    are a message of the catalogue, outside the navigation (its labels are the project's, in mkdocs.yml)."""
    french = messages(catalogue_path("fr"))
    english = {text for message_id, message in french.items() for text in forms(message_id)
               if "%(" not in text and text not in forms(message.string)}
    for nav in soup.select("nav.md-nav, nav.md-tabs, .md-sidebar"):
        nav.decompose()
    texts = [" ".join(node.split()).rstrip(":") for node in soup.find_all(string=True)
             if node.parent.name not in ("script", "style")]
    texts += [value for tag in soup.find_all(True) for attribute in ("title", "alt", "aria-label", "placeholder", "label")
              if isinstance(value := tag.get(attribute), str)]
    return sorted({text for text in texts if text in english})


def test_a_french_listing_speaks_french(french):
    listing = page(french, "deliverables")
    assert listing.h1.get_text() == "Livrables"
    assert [label.contents[0].strip() for label in listing.select(".ds-filters label")] == \
        ["Destinataires", "Étape", "Thème"]
    assert listing.select_one(".ds-filters option").get_text() == "Tous"
    assert listing.select_one(".ds-header-search__input")["placeholder"] == "Recherche"
    assert english_left(listing) == []


def test_a_french_item_page_speaks_french(french):
    item = page(french, "deliverables/d6-7")
    card = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in item.select(".ds-card__row")}
    assert card["Type"] == "Livrable" and card["Livrable"] == "D6.7"
    assert card["Lot de travail"].startswith("WP6") and card["Date"] == "27 avril 2016"
    assert card["Niveau de diffusion"] == "PU: Public"
    assert "Destinataires" in card and "Étapes du cycle de recherche" in card
    assert item.select_one(".ds-history caption").get_text() == "Historique des révisions"
    assert item.select_one(".ds-funding__emblem")["alt"] == "Drapeau de l'Union européenne"
    assert english_left(item) == []


def test_french_generated_pages_and_scripts_words(french):
    plan = page(french, "action-plan")
    assert plan.h1.get_text() == "Plan d'action"
    assert "21 recommandations par groupe de parties prenantes" in plan.select_one("table.ds-matrix caption").get_text()
    assert page(french, "search").h1.get_text() == "Recherche"
    words = json.loads(page(french, "deliverables").select_one("form.ds-filters")["data-words"])
    assert words == {"language": "fr", "showing": "%(shown)s sur %(total)s affichés."}
    for url in ("action-plan", "search", "subscribe", "accessibility", "stakeholders", "events"):
        assert english_left(page(french, url)) == [], url


def pdf_text(path: Path) -> str:
    """A PDF's words as pdftotext reads them; skipped where it is not installed, except in CI."""
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            raise RuntimeError("pdftotext is missing: .ci/run installs it with apt-get install poppler-utils")
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def test_a_french_pdf_speaks_french(french):
    text = pdf_text(french / "d6-7.pdf")
    for words in ("LIVRABLE D6.7", "Lot de travail", "Niveau de diffusion", "Convention de",  # its cell wraps
                  "Historique des révisions", "Sommaire", "Page 2 sur 4", "27 avril 2016"):
        assert words in text, words
    for words in ("Work package", "Dissemination level", "Grant agreement", "Revision history", "Contents", " of 4"):
        assert words not in text, words


def test_check_names_the_missing_catalogue_and_says_english_is_shown(fixture_project, capsys):
    config = fixture_project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: en", "language: pl"), "utf-8")
    assert fixture_project.run("check") == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "catalogue" in line] == [
        "builder/locale/pl/LC_MESSAGES/disseminate.po:1: warning: catalogue 'pl': Disseminate has no catalogue for "
        "this language: every word the generator writes itself falls back to English (see README, Languages)"]


def test_check_lists_each_message_a_catalogue_lacks(tmp_path):
    """One warning a message, at its line of the catalogue when it is there (empty or fuzzy)."""
    shutil.copy(TEMPLATE, tmp_path / TEMPLATE.name)
    catalogue = catalogue_path("fr", tmp_path)
    catalogue.parent.mkdir(parents=True)
    text = catalogue_path("fr").read_text("utf-8")
    for translated, lacking in (('msgid "Download PDF"\nmsgstr "Télécharger le PDF"', 'msgid "Download PDF"\nmsgstr ""'),
                                ('msgid "Topics"\nmsgstr "Thèmes"', '#, fuzzy\nmsgid "Topics"\nmsgstr "Thèmes"'),
                                ('msgid "Search"\nmsgstr "Recherche"\n', "")):
        assert translated in text
        text = text.replace(translated, lacking)
    catalogue.write_text(text, "utf-8")
    problems = catalogue_warnings(["fr", "fr", "en"], tmp_path)  # each language once; English never lacks
    assert sorted(str(problem).split(": ", 1)[1] for problem in problems) == [
        'warning: catalogue \'fr\': no translation of "Download PDF": it falls back to English',
        'warning: catalogue \'fr\': no translation of "Search": it falls back to English',
        'warning: catalogue \'fr\': no translation of "Topics": it falls back to English']
    lines = text.splitlines()
    where = {problem.message.split('"')[1]: problem for problem in problems}
    assert all(problem.path == str(catalogue) for problem in problems)
    assert lines[where["Download PDF"].line - 1] == 'msgid "Download PDF"'
    assert lines[where["Topics"].line - 1] == 'msgid "Topics"'
    assert where["Search"].line == 1  # not in the catalogue at all
