"""`disseminate newsletter`: the issue holds what was published since the date and nothing else, the
e-mail parses as one multipart message whose plain text holds every title and link, the HTML renders
at 600 px in Chromium without a request to anywhere, and the archived page passes the site's checks."""

from __future__ import annotations

import email
import email.policy

import pytest
from conftest import ARGS, CHROMIUM
from lxml import html as lxml_html

FILES = {
    "content/news/old.md": "---\ntitle: Old news\nsummary: Before.\ndate: 2025-01-05\n---\n",
    "content/news/new.md": "---\ntitle: New <b>news</b> & more\nsummary: After [the] *start*.\ndate: 2025-03-02\n---\n",
    "content/news/draft.md": "---\ntitle: Unfinished\nsummary: s\ndate: 2025-03-03\ndraft: true\n---\n",
    "deliverables/d2-2.md": "---\ntitle: Secret plan\nid: D2.2\nsummary: s\ndissemination: CO\ndate: 2025-03-04\n---\n",
    "policy_briefs/01.md": "---\ntitle: A brief\nnumber: 1\nsummary: Advice.\ndate: 2025-04-01\n---\n",
}
SETTINGS = "site_name: Fixture\nsite_url: https://fix.example.eu/"


@pytest.fixture
def issued(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1746000000")  # 30 April 2025: the issue's day
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          .replace("site_name: Fixture", SETTINGS))
    for path, text in FILES.items():
        fixture_project.write(path, text)
    out = fixture_project.root / "letters"
    assert fixture_project.run("newsletter", "--since", "2025-03-01", "-o", str(out)) == 0
    return fixture_project, out / "newsletter-2025-04-30"


def test_the_issue_holds_what_was_published_since_the_date(issued):
    project, stem = issued
    text = stem.with_suffix(".txt").read_text("utf-8")
    assert "New <b>news</b> & more" in text and "https://fix.example.eu/news/new/" in text
    assert "A brief" in text and "https://fix.example.eu/policy-briefs/01/" in text
    for left_out in ("Old news", "Unfinished", "Secret plan"):
        assert left_out not in text
    assert text.index("POLICY BRIEFS") < text.index("NEWS")  # by type, in the site's order
    assert "has received funding from the European Union's Horizon 2020" in text
    assert "Unsubscribe: {{ unsubscribe_url }}" in text


def test_the_eml_is_one_multipart_message_with_the_emblem_inside(issued):
    project, stem = issued
    mail = email.message_from_bytes(stem.with_suffix(".eml").read_bytes(), policy=email.policy.default)
    assert mail["Subject"] == "FIX news, April 30, 2025" and mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",)).get_content()
    html_part = mail.get_body(("html",))
    assert "New <b>news</b> & more" in plain and "https://fix.example.eu/news/new/" in plain
    page = lxml_html.document_fromstring(html_part.get_content())
    [emblem] = page.xpath("//img")
    cid = emblem.get("src").removeprefix("cid:")
    [attached] = [part for part in mail.walk() if part.get("Content-ID") == f"<{cid}>"]
    assert attached.get_content_type() == "image/png" and attached.get_content()[:4] == b"\x89PNG"
    assert page.xpath("//b") == []  # a title's markup is text
    assert not page.xpath("//link | //script | //style | //iframe")  # styles inline, nothing fetched
    assert all(link.startswith("https://fix.example.eu/") or link == "{{ unsubscribe_url }}"
               for link in page.xpath("//a/@href"))


def test_the_html_renders_at_600_px_without_a_request_to_anywhere(issued):
    from playwright.sync_api import sync_playwright

    project, stem = issued
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 600, "height": 900})
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(stem.with_suffix(".html").as_uri())
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 600
        assert page.evaluate("document.querySelector('img').naturalWidth") > 0  # the emblem beside it
        browser.close()
    assert all(url.startswith("file://") for url in requested), requested


def test_the_archived_issue_is_a_page_the_site_checks_and_builds(issued, capsys):
    project, _ = issued
    page = project.root / "content/newsletters/2025-04-30.md"
    text = page.read_text("utf-8")
    assert "[New <b>news</b> &amp; more](../news/new.md)" not in text  # markup in a title is escaped
    assert "(../news/new.md)" in text and "(../../policy_briefs/01.md)" in text
    assert project.run("check") == 0
    assert project.run("build", "--no-pdf") == 0
    built = (project.site / "newsletters/2025-04-30/index.html").read_text("utf-8")
    assert "New &lt;b&gt;news&lt;/b&gt; &amp; more" in built and 'href="../../news/new/"' in built


def test_nothing_new_or_a_second_issue_the_same_day_is_one_line(issued, capsys):
    project, _ = issued
    assert project.run("newsletter", "--since", "2025-03-01", "-o", str(project.root / "letters")) == 2
    assert "content/newsletters/2025-04-30.md exists already" in capsys.readouterr().err
    assert project.run("newsletter", "--since", "2025-04-20") == 1
    assert "nothing was published since 2025-04-20" in capsys.readouterr().err
    assert project.run("newsletter", "--since", "2025-02-30") == 2
    assert "'2025-02-30' is not a date" in capsys.readouterr().err
