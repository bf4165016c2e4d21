"""Layered fixtures: a small fixture project written inline, and the demo built once per session."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builder.cli import main

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, driven by Playwright; never a download
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def require_chromium() -> None:
    """Skip the browser tests where Chromium is not installed; in CI, where .ci/run installs it, fail."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("Chromium is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip("no Chromium installed (apt-get install chromium) to run the browser tests", allow_module_level=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A built site served over HTTP on a free port, as a browser needs it: its address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def axe_violations(page, address: str) -> list[tuple]:
    """What axe-core finds on the page at `address` once it has loaded everything: each rule broken,
    its impact and the first places. (axe-core ships inside the Python package: nothing is fetched.)"""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(address)
    page.wait_for_load_state("networkidle")
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in Axe().run(page).response["violations"]]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A tab of its own, which notes every host it asks anything of."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.requested_hosts = set()
    tab.on("request", lambda request: tab.requested_hosts.add(request.url.split("/")[2].split(":")[0]))
    yield tab
    context.close()


FIXTURE_CONFIG = """\
site_name: Fixture
docs_dir: content
theme:
  name: material
  custom_dir: theme
  font: false
markdown_extensions:
  - attr_list
  - tables
plugins:
  - disseminate:
      project:
        acronym: FIX
        title: A fixture project
        programme: H2020
        grant_agreement: "123456"
        language: en
        timezone: Europe/Brussels
      stakeholders:
        cso: { label: Civil society organisations, short: CSOs }
        ncp: { label: National Contact Points, short: NCPs }
      stages:
        I: { label: Agenda setting }
        II: { label: Programme design }
      topics:
        privacy: Privacy
      partners:
        ACME: { name: Acme Research, country: BE }
      work_packages:
        1: Analysis
"""

VALID_DELIVERABLE = """\
---
title: A report
id: D1.1
summary: What the report found.
dissemination: PU
---
## Findings

Civil society was rarely involved.
"""


class FixtureProject:
    """A small project in a temporary folder, written file by file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "theme").mkdir(parents=True)  # the project's own theme folder: empty until a test overrides a file
        self.write("mkdocs.yml", FIXTURE_CONFIG)
        self.write("content/index.md", "---\ntitle: Home\n---\nWelcome.\n")
        self.write("deliverables/d1-1.md", VALID_DELIVERABLE)

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
        return target

    def run(self, *args: str) -> int:
        return main(["-C", str(self.root), *args])

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture
def fixture_project(tmp_path: Path) -> FixtureProject:
    return FixtureProject(tmp_path / "project")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, copied and built once; returns its site/ folder."""
    root = tmp_path_factory.mktemp("demo")
    for name in ("content", "deliverables", "policy_briefs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert main(["-C", str(root), "build"]) == 0
    return root / "site"
