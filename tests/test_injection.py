"""Hostile strings and markup from partners' files: in every field of every content type and in
bodies, they never come out live in any output (HTML pages, catalogue, sitemap, search index, PDF
files, names and metadata), and `check` names each refused construct with its line."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import ValidationError
from pypdf import PdfReader

from builder import CONTENT_TYPES, load_site_config
from builder.links import url_scheme
from builder.types import ValidationContext

# What a hostile partner writes into a field: markup that would run if printed raw, quotes that end an
# attribute, template syntax that would run if evaluated twice, a path that climbs out.
HOSTILE = ("\"'><script>alert('{m}')</script><b data-hostile=\"{m}\">{m}</b>"
           "<img src=x onerror=alert(1)>{{{{ 7*7 }}}}{{% if true %}}jinja{{% endif %}} ../../etc/{m}")
HOSTILE_URL = "https://example.org/\"onmouseover=\"alert(1)\"><b data-hostile=\"{m}\">"
HOSTILE_WORD = "10.5281/\"'><svg/onload=alert('{m}')><b/data-hostile=\"{m}\">"  # for fields that take no spaces
MINIMAL = {"title": "T", "summary": "S.", "id": "D1.9", "dissemination": "PU", "number": 9, "date": "2016-01-01",
           "stakeholders": ["cso"], "start": "2016-01-01", "hosted": "https://vimeo.com/123456789"}
FOLDERS = {"deliverable": "deliverables", "policy_brief": "policy_briefs", "guide": "content/guides",
           "event": "content/events", "news": "content/news", "recommendation": "content/action-plan",
           "video": "content/videos", "page": "content/pages"}


def hostile_values(name: str) -> list[Any]:
    """Candidates for a field, most hostile first: text, a list of text, a URL, a word, groups of text."""
    text, url, word = HOSTILE.format(m=name), HOSTILE_URL.format(m=name), HOSTILE_WORD.format(m=name)
    return [text, [text], url, [url], word, {"venue": text, "city": text},
            [{"version": text, "date": "2016-01-01", "changes": text, "by": text}],
            [{"start": "2016-01-01T09:00", "title": text, "speakers": [text], "room": text}]]


def hostile_item(type_name: str, config) -> tuple[dict[str, Any], list[str]]:
    """Front matter with a hostile value in every field that accepts one; the fields that took it."""
    model = CONTENT_TYPES[type_name]
    front = {key: value for key, value in MINIMAL.items() if key in model.model_fields}
    if type_name == "recommendation":
        front["id"] = "hostile-1"
    taken = []
    for name in model.model_fields:
        if name in ("type", "draft", "pdf", "translator"):  # only a translation names its translator
            continue
        if name in ("related", "evidence"):  # ids of deliverables: anything else is refused by name
            front[name] = ["D1.9"]
            continue
        for candidate in hostile_values(name):
            try:
                model.model_validate({**front, name: candidate}, context=ValidationContext(config))
            except ValidationError:
                continue
            front[name] = candidate
            taken.append(name)
            break
    return front, taken


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    from conftest import FixtureProject

    project = FixtureProject(tmp_path_factory.mktemp("hostile") / "project")
    # With the site's address: canonical links, absolute share tags and a sitemap that lists pages.
    # And in a second language: a translation of every hostile item words its title, summary and
    # translator anew, in a German site of its own.
    settings = (project.root / "mkdocs.yml").read_text("utf-8").replace("        language: en\n", "")
    project.write("mkdocs.yml", "site_url: https://fix.example.eu/\n" + settings.replace(
        "      stakeholders:\n", "      languages: [en, de]\n      stakeholders:\n", 1))
    config = load_site_config(project.root)
    taken = {}
    for type_name, folder in FOLDERS.items():
        front, taken[type_name] = hostile_item(type_name, config)
        front["pdf"] = True
        # Escaped markup in a heading (the table of contents repeats it) and markup the sanitizer drops.
        body = (f"## Heading &lt;b data-hostile=\"{type_name}\"&gt; <b data-hostile=\"{type_name}\">x</b>\n\n"
                f"Body of the {type_name} &lt;script&gt;alert(1)&lt;/script&gt;.\n")
        project.write(f"{folder}/hostile.md", f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n{body}")
        translated = {name: HOSTILE.format(m=f"{type_name}-de-{name}") for name in ("title", "summary", "translator")}
        project.write(f"{folder}/hostile.de.md",
                      f"---\n{yaml.safe_dump(translated, allow_unicode=True, sort_keys=False)}---\n{body}")
        taken[type_name].append("translator")
    # A file name is a partner's choice too.
    project.write("content/news/<b data-hostile='file'>x.md", "---\ntitle: Named\nsummary: S.\ndate: 2016-02-02\n---\nT.\n")
    assert project.run("build") == 0
    return project.site, taken


def test_every_free_text_field_of_every_type_was_attacked(hostile_site):
    _, taken = hostile_site
    assert {"title", "summary", "authors"} <= set(taken["deliverable"])
    assert {"version", "reviewers", "history", "doi"} <= set(taken["deliverable"])
    assert {"location", "organiser", "online", "registration"} <= set(taken["event"])
    assert {"addressee"} <= set(taken["recommendation"])
    assert {"agenda"} <= set(taken["event"])
    assert {"title", "summary", "authors"} <= set(taken["video"])


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def live_problems(site: Path) -> list[str]:
    """Every place where hostile markup came out as markup rather than text."""
    problems = []
    for path in sorted(site.rglob("*.html")):
        page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        where = path.relative_to(site)
        problems += [f"{where}: <{tag.name} data-hostile>" for tag in page.find_all(attrs={"data-hostile": True})]
        for tag in page.find_all("script"):
            if tag.get("type") in ("application/json", "application/ld+json"):  # data, never run: it must stay
                if "<" in tag.get_text() or not _is_json(tag.get_text()):  # JSON and unable to close its element
                    problems.append(f"{where}: data block {str(tag)[:120]}")
            elif "alert" in tag.get_text():
                problems.append(f"{where}: script {tag}")
        for tag in page.find_all(True):
            for name, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                if name.startswith("on"):
                    problems.append(f"{where}: <{tag.name} {name}>")
                if any(url_scheme(str(one)) in ("javascript", "data") for one in values) and name in ("href", "src"):
                    problems.append(f"{where}: <{tag.name} {name}={value}>")
    return problems


def test_no_hostile_string_comes_out_live_in_any_page(hostile_site):
    site, _ = hostile_site
    assert live_problems(site) == []


def test_hostile_titles_read_as_themselves(hostile_site):
    site, _ = hostile_site
    for type_name in FOLDERS:
        page = BeautifulSoup((site / f"{FOLDERS[type_name].removeprefix('content/').replace('_', '-')}/hostile/index.html")
                             .read_text("utf-8"), "html.parser")
        assert page.h1.get_text() == HOSTILE.format(m="title"), type_name  # escaped, and no template ran twice
        assert page.title.get_text().startswith(HOSTILE.format(m="title"))


def test_hostile_titles_in_share_tags_read_as_themselves(hostile_site):
    site, _ = hostile_site
    title = HOSTILE.format(m="title")
    for type_name in FOLDERS:
        page = BeautifulSoup((site / f"{FOLDERS[type_name].removeprefix('content/').replace('_', '-')}/hostile/index.html")
                             .read_text("utf-8"), "html.parser")
        meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.find_all("meta")
                if (tag.get("property") or tag.get("name") or "").startswith(("og:", "twitter:"))}
        assert meta["og:title"] == meta["twitter:title"] == title, type_name
        assert meta["og:image"].startswith("https://fix.example.eu/share/"), type_name
        assert (title in meta["og:image:alt"]) == (type_name != "page"), type_name  # a plain page shows the default


def test_catalogue_sitemap_and_search_index_parse_and_keep_the_text(hostile_site):
    site, _ = hostile_site
    catalogue = json.loads((site / "catalogue.json").read_text("utf-8"))
    titles = {item["title"] for item in catalogue["items"]}
    assert HOSTILE.format(m="title") in titles
    ElementTree.parse(site / "sitemap.xml")  # well-formed
    json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))


def test_pdf_names_and_metadata_stay_plain(hostile_site):
    site, _ = hostile_site
    names = [path.name for path in (site / "pdf").iterdir()]
    assert len(names) >= 5
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", name) for name in names), names
    deliverable = next(name for name in names if name.startswith("FIX_D1.9_") and not name.endswith("_de.pdf"))
    translated = next(name for name in names if name.startswith("FIX_D1.9_") and name.endswith("_de.pdf"))
    assert PdfReader(site / "pdf" / translated).metadata.title == HOSTILE.format(m="deliverable-de-title")
    reader = PdfReader(site / "pdf" / deliverable)
    assert reader.metadata.title == HOSTILE.format(m="title")
    assert HOSTILE.format(m="title")[:40] in " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            uri = annotation.get_object().get("/A", {}).get("/URI")
            assert uri is None or url_scheme(str(uri)) in ("http", "https", "mailto"), uri


BODY_ATTACKS = [
    ("<script>alert(1)</script>", "raw HTML <script> is not allowed", True),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "raw HTML <script> is not allowed", True),
    ("<img src=x onerror=alert(1)>", "event handler 'onerror' on <img> is not allowed", True),
    ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "'javascript:' address is not allowed", True),
    ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "'javascript:' address is not allowed", True),
    ("<a href=\"&#106;avascript:alert(1)\">x</a>", "'javascript:' address is not allowed", True),
    ("<a href=\" &#14;javascript:alert(1)\">x</a>", "'javascript:' address is not allowed", True),
    ("[x](javascript:alert(1))", "'javascript:' address is not allowed", True),
    ("[x](<JAVASCRIPT:alert(1)>)", "'javascript:' address is not allowed", True),
    ("[x](jav&#x09;ascript:alert(1))", "'javascript:' address is not allowed", True),
    ("<a href=\"vbscript:msgbox(1)\">x</a>", "'vbscript:' address is not allowed", True),
    ("![x](data:image/svg+xml;base64,PHN2Zy8+)", "'data:' address is not allowed", True),
    ("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "'data:' address is not allowed", True),
    ("<iframe src=\"https://www.youtube.com/embed/x\"></iframe>", "raw HTML <iframe> is not allowed", True),
    ("<form action=\"https://evil.example\"><input name=q></form>", "raw HTML <form> is not allowed", True),
    ("<object data=\"x.swf\"></object>", "raw HTML <object> is not allowed", True),
    ("<svg><script>alert(1)</script></svg>", "raw HTML <svg> is not allowed", True),
    ("<img src=\"https://tracker.example/pixel.gif\">", "image 'https://tracker.example/pixel.gif' is on another host", True),
    ("<img src=\"//tracker.example/pixel.gif\">", "image '//tracker.example/pixel.gif' is on another host", True),
    ("<img srcset=\"a.png 1x, https://tracker.example/b.png 2x\">", "image 'https://tracker.example/b.png' is on another host", True),
    ("<p style=\"background: url(https://tracker.example/p.gif)\">x</p>", "style on <p> loads a resource", True),
    ("<font color=red>x</font>", "raw HTML <font> is not supported and is removed", False),
    ("<span data-pagefind-filter=\"type\">deliverable</span>", "attribute 'data-pagefind-filter' on <span> is removed", False),
    ("<h2 id=\"__drawer\">x</h2>", "id '__drawer' is removed", False),
]


@pytest.mark.parametrize(("markup", "message", "error"), BODY_ATTACKS)
def test_check_names_every_refused_construct_with_its_line(fixture_project, capsys, markup, message, error):
    fixture_project.write("content/news/attack.md", f"---\ntitle: A\nsummary: S.\ndate: 2016-01-01\n---\nText.\n\n{markup}\n")
    assert fixture_project.run("check") == (1 if error else 0)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("content/news/attack.md")]
    severity = "" if error else "warning: "
    assert any(line.startswith(f"content/news/attack.md:8: {severity}news: {message}") for line in lines), lines


def test_trusted_folders_keep_their_markup_but_not_their_remote_resources(fixture_project, capsys):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + "      trusted_html: [content/embeds]\n")
    fixture_project.write("content/embeds/form.md", "---\ntitle: Form\n---\n<form method=\"get\"><input name=q></form>\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    assert BeautifulSoup((fixture_project.site / "embeds/form/index.html").read_text("utf-8"), "html.parser").find("input")
    fixture_project.write("content/embeds/pixel.md", "---\ntitle: P\n---\n<img src=\"https://tracker.example/p.gif\">\n")
    assert fixture_project.run("check") == 1
    assert "content/embeds/pixel.md:4: page: image 'https://tracker.example/p.gif' is on another host" \
        in capsys.readouterr().err


SANITIZED = "<p>Kept <em>emphasis</em>, a <a href=\"../x/\">link</a> and a table.</p>"


def test_what_the_sanitizer_leaves_cannot_run(fixture_project):
    """The build refuses these at `check`; were one to slip past, the page still would not run it."""
    from builder.markup import sanitize

    for markup, _, _ in BODY_ATTACKS:
        cleaned = BeautifulSoup(sanitize(markup), "html.parser")
        assert not cleaned.find_all(["script", "iframe", "form", "object", "svg", "style", "input"]), markup
        for tag in cleaned.find_all(True):
            assert not any(name.startswith("on") or name.startswith("data-") for name in tag.attrs), markup
            for name in ("href", "src"):
                assert url_scheme(tag.get(name, "")) in ("", "http", "https", "mailto", "tel"), markup
            assert "tracker.example" not in tag.get("src", ""), markup
    assert sanitize(SANITIZED) == SANITIZED
