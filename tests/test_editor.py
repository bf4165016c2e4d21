"""The browser editor at /admin/: configured from the schemas, served from the site, saving through
`serve`'s local server into the working tree. Driven in Debian's Chromium as staff would use it;
the local server is attacked directly too."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import ARGS, CHROMIUM, require_chromium
from playwright.sync_api import expect
from test_adoption import FLAGS

from builder import load_project
from builder.cli import main
from builder.editor_backend import Refused, WorkingTree, serve_editor
from builder.outputs.editor import editor_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_project(folder: Path, editor_port: int) -> Path:
    with contextlib.redirect_stdout(io.StringIO()):
        old, sys.stdin = sys.stdin, io.StringIO()
        try:
            assert main(["init", str(folder), *FLAGS]) == 0
        finally:
            sys.stdin = old
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"      editor:\n        local_port: {editor_port}\n", "utf-8")
    return folder


def test_the_editor_is_configured_from_the_schemas(tmp_path):
    project = load_project(start_project(tmp_path / "p", free_port()))
    config = editor_config(project)
    collections = {collection["name"]: collection for collection in config["collections"]}
    assert set(collections) == {"deliverable", "policy_brief", "guide", "event", "news", "recommendation", "video"}
    video = {field["name"]: field for field in collections["video"]["fields"]}
    assert [video[name]["widget"] for name in ("file", "captions", "poster", "hosted")] == ["file", "file", "image",
                                                                                          "string"]
    assert collections["news"]["folder"] == "content/news" and collections["deliverable"]["folder"] == "deliverables"
    fields = {field["name"]: field for field in collections["deliverable"]["fields"]}
    assert fields["summary"]["required"] is True and fields["date"]["required"] is False
    assert fields["summary"]["hint"] == "One or two plain sentences for listings, search and metadata."
    assert [option["value"] for option in fields["stakeholders"]["options"]] == ["researchers", "policy", "public"]
    assert fields["stakeholders"]["multiple"] is True
    assert [option["value"] for option in fields["nature"]["options"]] == ["R", "DEM", "DEC", "OTHER"]  # H2020's
    assert [option["value"] for option in fields["dissemination"]["options"]][0] == "PU"
    assert {field["name"] for field in fields["history"]["fields"]} == {"version", "date", "changes", "by"}
    assert fields["authors"]["widget"] == "list" and fields["date"]["format"] == "YYYY-MM-DD"
    evidence = {field["name"]: field for field in collections["recommendation"]["fields"]}["evidence"]
    assert (evidence["widget"], evidence["collection"], evidence["value_field"]) == ("relation", "deliverable", "id")
    event = {field["name"]: field for field in collections["event"]["fields"]}
    assert event["start"]["widget"] == "datetime" and event["start"]["time_format"] == "HH:mm"
    assert {field["name"] for field in event["location"]["fields"]} == {"venue", "city", "country"}
    assert collections["news"]["fields"][-1] == {"name": "body", "label": "Text", "widget": "markdown",
                                                 "required": False}
    assert collections["news"]["media_folder"] == ""  # figures go beside the item


def test_admin_is_served_from_the_site_and_left_out_of_search_sitemap_and_catalogue(tmp_path):
    root = start_project(tmp_path / "p", free_port())
    assert main(["-C", str(root), "build", "--no-pdf"]) == 0
    site = root / "site"
    assert yaml.safe_load((site / "admin/config.yml").read_text("utf-8"))["collections"]
    assert (site / "admin/decap-cms.js").is_file() and (site / "admin/LICENSE-decap-cms.txt").is_file()
    assert "admin" not in (site / "sitemap.xml").read_text("utf-8")
    assert all("admin" not in item["url"] for item in json.loads((site / "catalogue.json").read_text())["items"])
    assert "data-pagefind-body" not in (site / "admin/index.html").read_text("utf-8")


# The local server, attacked directly.

def post(port: int, body: object, origin: str = "http://127.0.0.1:8000", content_type: str = "application/json"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=json.dumps(body).encode(),
                                     headers={"Content-Type": content_type, "Origin": origin}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def backend(fixture_project):
    port = free_port()
    server = serve_editor(fixture_project.root, port, {"http://127.0.0.1:8000"})
    yield fixture_project, port
    server.shutdown()


def test_the_local_server_reads_and_writes_the_working_tree(backend):
    project, port = backend
    assert post(port, {"action": "info"})[1]["type"] == "local_fs"
    status, entries = post(port, {"action": "entriesByFolder", "params": {"folder": "deliverables", "extension": "md",
                                                                          "depth": 1}})
    assert status == 200 and [entry["file"]["path"] for entry in entries] == ["deliverables/d1-1.md"]
    assert entries[0]["data"] == (project.root / "deliverables/d1-1.md").read_text("utf-8")
    raw = "---\ntitle: Saved\nsummary: S.\ndate: 2026-01-02\n---\nText.\n"
    assert post(port, {"action": "persistEntry", "params": {"entry": {"path": "content/news/saved.md", "raw": raw},
                                                            "assets": []}})[0] == 200
    assert (project.root / "content/news/saved.md").read_text("utf-8") == raw
    figure = base64.b64encode(b"\x89PNG figure").decode()
    assert post(port, {"action": "persistMedia", "params": {"asset": {"path": "content/news/figure.png",
                                                                      "content": figure, "encoding": "base64"}}})[0] == 200
    assert (project.root / "content/news/figure.png").read_bytes() == b"\x89PNG figure"


@pytest.mark.parametrize("path", ["../outside.md", "/etc/passwd.md", "mkdocs.yml", "theme/main.html", "site/index.md",
                                  "content/../../x.md", "content/x.py", "content\\..\\..\\x.md", ".cache/x.md"])
def test_the_local_server_refuses_every_path_outside_the_sources(backend, path):
    project, port = backend
    before = sorted(project.root.parent.rglob("*"))
    status, answer = post(port, {"action": "persistEntry", "params": {"entry": {"path": path, "raw": "x"}, "assets": []}})
    assert status == 422 and "error" in answer
    assert post(port, {"action": "getEntry", "params": {"path": path}})[0] == 422
    assert sorted(project.root.parent.rglob("*")) == before


def test_the_local_server_follows_no_link_out(backend, tmp_path):
    project, port = backend
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    os.symlink(secret, project.root / "content/leak.md")
    os.symlink(tmp_path, project.root / "content/elsewhere")
    for path in ("content/leak.md", "content/elsewhere/secret.md"):
        assert post(port, {"action": "getEntry", "params": {"path": path}})[0] == 422
    with pytest.raises(Refused):
        WorkingTree(project.root).resolve("content/elsewhere/secret.md")


def test_the_local_server_answers_only_its_preview_and_only_json(backend):
    project, port = backend
    assert post(port, {"action": "info"}, origin="https://evil.example")[0] == 403
    assert post(port, {"action": "info"}, content_type="text/plain")[0] == 404  # a form cannot post here
    assert post(port, {"action": "runShell", "params": {}})[0] == 422


# Staff at work, in a real browser.

@pytest.fixture
def editing(tmp_path):
    require_chromium()
    site_port, editor_port = free_port(), free_port()
    root = start_project(tmp_path / "p", editor_port)
    server = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(root), "serve", "-a", f"127.0.0.1:{site_port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", editor_port), timeout=1):
                with socket.create_connection(("127.0.0.1", site_port), timeout=1):
                    break
            time.sleep(0.5)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?": yes
            page.goto(f"http://127.0.0.1:{site_port}/admin/")
            page.get_by_role("button", name="Login").click()
            page.get_by_text("Collections").wait_for()
            yield root, page, f"http://127.0.0.1:{site_port}/admin/"
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def publish(page) -> None:
    """Publish the entry open in the editor, and wait until the editor says it is saved."""
    saved = page.get_by_text("Entry saved")
    before = saved.count()
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    expect(saved).to_have_count(before + 1)
    # A new entry's editor then moves to the entry's own address: wait for it, or it may move there
    # after the test has gone on to another view.
    page.wait_for_url(re.compile(r"/entries/"))


def open_route(page, admin: str, route: str) -> None:
    """Open one of the editor's views afresh (the editor is a single page: after a save it keeps
    its own idea of where it is, so it is reloaded; its login is kept)."""
    page.goto(f"{admin}#{route}")
    page.reload()
    page.get_by_label("Title").wait_for()


def wait_for(path: Path, containing: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if path.is_file() and containing in (text := path.read_text("utf-8")):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{path} never held {containing!r}")


def test_staff_create_news_and_an_event_and_edit_a_deliverable_in_the_browser(editing, capsys):
    root, page, admin = editing
    open_route(page, admin, "/collections/news/new")
    page.get_by_label("Title").fill("Editor news")
    page.get_by_label("Summary").fill("Written in the browser editor.")
    page.locator("input[type=date]").first.fill("2026-11-20")
    publish(page)
    news = wait_for(root / "content/news/editor-news.md", "Editor news")
    assert yaml.safe_load(news.split("---")[1]) == {"title": "Editor news", "summary": "Written in the browser editor.",
                                                    "date": dt.date(2026, 11, 20)}
    open_route(page, admin, "/collections/event/new")
    page.get_by_label("Title").fill("Kick-off in Brussels")
    page.get_by_label("Summary").fill("The partners meet for the first time.")
    page.locator("input[type=datetime-local]").first.fill("2026-03-10T09:30")
    page.get_by_label("Timezone").fill("Europe/Brussels")
    publish(page)
    event = wait_for(root / "content/events/kick-off-in-brussels.md", "Kick-off in Brussels")
    assert "start: 2026-03-10T09:30" in event and "timezone: Europe/Brussels" in event
    open_route(page, admin, "/collections/deliverable/entries/d1-1")
    summary = page.get_by_label("Summary")
    expect(summary).to_have_value(re.compile("An example of a public deliverable"))  # the entry is loaded
    summary.fill("A summary rewritten in the editor.")
    publish(page)
    deliverable = wait_for(root / "deliverables/d1-1.md", "A summary rewritten in the editor.")
    front = yaml.safe_load(deliverable.split("---")[1])
    assert (front["id"], front["dissemination"], front["nature"]) == ("D1.1", "PU", "R")  # the rest is kept
    assert "Markdown: headings, lists, tables, figures" in deliverable  # and so is the body
    assert main(["-C", str(root), "check"]) == 0
    assert main(["-C", str(root), "build", "--no-pdf"]) == 0
    site = root / "site"
    assert "Editor news" in (site / "news/editor-news/index.html").read_text("utf-8")
    assert "Kick-off in Brussels" in (site / "events/kick-off-in-brussels/index.html").read_text("utf-8")
    assert "A summary rewritten in the editor." in (site / "deliverables/d1-1/index.html").read_text("utf-8")


def test_a_value_the_editor_lets_through_is_caught_by_check(editing, capsys):
    root, page, admin = editing
    open_route(page, admin, "/collections/event/new")
    page.get_by_label("Title").fill("On Mars")
    page.get_by_label("Summary").fill("Somewhere else.")
    page.get_by_label("Timezone").fill("Mars/Olympus")  # free text in the editor
    publish(page)
    text = wait_for(root / "content/events/on-mars.md", "Mars/Olympus")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith("timezone:"))
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 1
    assert f"content/events/on-mars.md:{line}: event 'timezone': " in capsys.readouterr().err
