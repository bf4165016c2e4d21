"""`disseminate serve` after an edit: only what the edit changes is made again, and the site is
then, byte for byte, the one a whole build makes of the same sources. Also: what an edit reaches
(`impact_of`), the reader that parses only changed pages, and the live reload in Chromium under the
site's Content-Security-Policy."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from builder.impact import impact_of
from builder.outputs import reserved_site_paths
from builder.preview import Preview
from builder.project import load_project
from builder.read import RecordCache

NO_PDF = {"pdf": {"enabled": False}}


def copy_demo(root: Path) -> Path:
    for name in ("content", "deliverables", "policy_briefs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def preview_of(root: Path, site: Path) -> Preview:
    preview = Preview(root / "mkdocs.yml", site, "127.0.0.1:8765", NO_PDF)
    config = preview.load_config()
    config.plugins.on_startup(command="serve", dirty=False)
    preview.build_whole(config)
    return preview


# The site after edits made in place equals a whole build of the same sources.

def test_a_site_updated_edit_by_edit_is_the_site_a_whole_build_makes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # both builds on the same "today"
    root = copy_demo(tmp_path / "project")
    updated = preview_of(root, tmp_path / "updated")
    before = tree(tmp_path / "updated")
    d52, brief = root / "deliverables/d5-2.md", root / "policy_briefs/02-barriers-to-cso-participation.md"
    first = root / "policy_briefs/01-csos-under-represented-in-security-research.md"
    first_de = first.with_suffix(".de.md")
    edits = [
        (d52, "## What the report does", "## What the report does\n\nA sentence added in the preview."),
        # Its title shows on the recommendations it is evidence for, in listings and term pages.
        (d52, "title: Map of stakeholders ranking of values and objectives", "title: Values and aims of each group"),
        # Another audience: the brief leaves one group's page and joins another's.
        (brief, "stakeholders: [cso, coordinator, ec]", "stakeholders: [cso, ncp]"),
        (brief, "title: What keeps civil society out of security research", "title: 'What keeps <em>CSOs</em> out'"),
        # A translation's body, then its original's stages, which the translation shares.
        (first_de, "## Kernbotschaften", "## Kernbotschaften\n\nEin Satz aus der Vorschau."),
        (first, "stages: [III, V]", "stages: [III, IV]"),
    ]
    for path, old, new in edits:
        replace(path, old, new)
        assert updated.update(), f"an edit of {path.name} built the whole site"
    after = tree(tmp_path / "updated")
    assert after != before
    assert "A sentence added in the preview." in after["deliverables/d5-2/index.html"].decode()
    assert "Ein Satz aus der Vorschau." in after["de/policy-briefs/01-csos-under-represented-in-security-research/index.html"].decode()

    whole = preview_of(root, tmp_path / "whole")
    rebuilt = tree(tmp_path / "whole")
    assert sorted(after) == sorted(rebuilt)
    assert [path for path in rebuilt if after[path] != rebuilt[path]] == []
    whole.config.plugins.on_shutdown()


def test_with_pdfs_a_renamed_pdf_replaces_the_old_one_as_a_whole_build_would(fixture_project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = fixture_project.root
    # Without a nav every page is in MkDocs' own, by its title: a new title would build everything.
    replace(root / "mkdocs.yml", "docs_dir: content\n", "docs_dir: content\nnav:\n  - Home: content/index.md\n")
    updated = Preview(root / "mkdocs.yml", tmp_path / "updated", "127.0.0.1:8765", {})
    config = updated.load_config()
    config.plugins.on_startup(command="serve", dirty=False)
    updated.build_whole(config)
    assert [path.name for path in (tmp_path / "updated/pdf").iterdir()] == ["FIX_D1.1_A-report.pdf"]
    replace(root / "deliverables/d1-1.md", "title: A report", "title: A renamed report")
    assert updated.update()
    assert [path.name for path in (tmp_path / "updated/pdf").iterdir()] == ["FIX_D1.1_A-renamed-report.pdf"]
    whole = Preview(root / "mkdocs.yml", tmp_path / "whole", "127.0.0.1:8765", {})
    whole.build_whole(whole.load_config())
    assert tree(tmp_path / "updated") == tree(tmp_path / "whole")


def test_an_edit_with_an_error_leaves_the_site_and_its_fix_updates_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_demo(tmp_path / "project")
    preview = preview_of(root, tmp_path / "site")
    page = tmp_path / "site/deliverables/d5-2/index.html"
    shown = page.read_bytes()
    replace(root / "deliverables/d5-2.md", "dissemination: PU", "dissemination: nonsense")
    assert preview.update()  # reported, not built: the site stays
    assert page.read_bytes() == shown
    replace(root / "deliverables/d5-2.md", "dissemination: nonsense", "dissemination: PU")
    replace(root / "deliverables/d5-2.md", "## What the report does", "## What the report sets out")
    assert preview.update()
    assert "What the report sets out" in page.read_text("utf-8")


def test_a_new_page_or_a_setting_builds_the_whole_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_demo(tmp_path / "project")
    preview = preview_of(root, tmp_path / "site")
    (root / "deliverables/d7-1.md").write_text(
        "---\ntitle: A new report\nid: D7.1\nsummary: Something new.\ndissemination: PU\n---\nText.\n", "utf-8")
    assert not preview.update()
    preview.build({root / "deliverables/d7-1.md"})
    assert (tmp_path / "site/deliverables/d7-1/index.html").is_file()
    assert "A new report" in (tmp_path / "site/deliverables/index.html").read_text("utf-8")
    assert not preview.only_sources_changed({root / "mkdocs.yml"})
    assert preview.only_sources_changed({root / "deliverables", root / "deliverables/.d5-2.md.swp"})


# What an edit reaches.

def load(root: Path, cache: RecordCache):
    return load_project(root, include_drafts=True, reserved=reserved_site_paths(), cache=cache)


def test_the_reader_parses_again_only_pages_whose_bytes_changed(fixture_project):
    cache = RecordCache()
    first = load(fixture_project.root, cache)
    again = load(fixture_project.root, cache)
    assert again.record("deliverables/d1-1.md") is first.record("deliverables/d1-1.md")
    path = fixture_project.root / "deliverables/d1-1.md"
    stat = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("rarely", "seldom"), "utf-8")  # the same size, and the same times:
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the bytes tell
    edited = load(fixture_project.root, cache)
    assert edited.record("deliverables/d1-1.md") is not first.record("deliverables/d1-1.md")
    assert "seldom" in edited.record("deliverables/d1-1.md").body


def test_an_edit_reaches_its_page_the_pages_naming_it_and_the_lists_that_show_it(tmp_path):
    root = copy_demo(tmp_path / "project")
    cache = RecordCache()
    before = load(root, cache)
    unchanged = impact_of(before, load(root, cache))
    assert unchanged.pages == frozenset() and not unchanged.whole_site
    # Generated pages whose data holds no item (the search page's facets) are always made again.
    assert "content/search.md" in unchanged.generated
    assert "deliverables/index.md" not in unchanged.generated

    replace(root / "deliverables/d5-2.md", "title: Map of stakeholders", "title: A map of stakeholders")
    impact = impact_of(before, load(root, cache))
    assert not impact.whole_site
    citing = {record.path for record in before.collection.records if "D5.2" in getattr(record.item, "evidence", [])}
    related = {record.path for record in before.collection.records if "D5.2" in getattr(record.item, "related", [])}
    assert citing and related
    assert {"deliverables/d5-2.md", "content/index.md", *citing, *related} <= impact.pages
    assert "deliverables/d5-4.md" not in impact.pages
    assert {"deliverables/index.md", "content/stakeholders/cso.md", "content/topics/rights.md"} <= impact.generated
    # A term page none of whose items the edit touched is left as it is.
    untouched = [page.path for page in before.virtual_pages if page.template == "term.html"
                 and impact.pages.isdisjoint(record.path for record in page.data["records"])]
    assert untouched and impact.generated.isdisjoint(untouched)


@pytest.mark.parametrize("change, reason", [
    (lambda root: replace(root / "mkdocs.yml", "acronym: SecurePART", "acronym: SecurePart"), "settings"),
    (lambda root: (root / "content/news/new.md").write_text("---\ntitle: New\ndate: 2016-01-01\nsummary: S.\n---\nB.\n",
                                                             "utf-8"), "added"),
    (lambda root: [replace(root / "deliverables/d1-5.md", "[interview guide](d1-9.md)", "interview guide"),
                   replace(root / "deliverables/d1-9.md", "dissemination: PU", "dissemination: SEN")], "withheld"),
])
def test_what_an_edit_cannot_bound_builds_everything(tmp_path, change, reason):
    root = copy_demo(tmp_path / "project")
    cache = RecordCache()
    before = load(root, cache)
    change(root)
    assert reason in impact_of(before, load(root, cache)).whole_site


# The live reload, in Chromium, under the site's policy.

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_saved_edit_shows_in_the_open_page_without_breaking_the_policy(fixture_project, page):
    port = free_port()
    log = fixture_project.root / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(fixture_project.root), "serve",
                                   "--no-pdf", "-a", f"127.0.0.1:{port}"], stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "Serving on" not in log.read_text("utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.2)
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/deliverables/d1-1/")
        page.wait_for_load_state("load")
        while "Browser connected" not in log.read_text("utf-8"):  # its reload script asks the server
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        replace(fixture_project.root / "deliverables/d1-1.md", "rarely involved", "rarely involved, the preview shows")
        page.get_by_text("rarely involved, the preview shows").wait_for(timeout=30_000)
        assert re.search(r"Made again: \d+ of \d+ pages", log.read_text("utf-8"))
        assert problems == []
        assert page.requested_hosts == {"127.0.0.1"}
    finally:
        server.terminate()
        server.wait(timeout=30)


# Reading thousands of pages: in worker processes, to the same records and problems.

COMPARE_READINGS = """
import sys
from pathlib import Path
import builder.read as read
from builder.config import load_site_config
from builder.discover import discover_sources

pools = []
class CountedPool(read.ProcessPoolExecutor):
    def __init__(self, *args, **kwargs):
        pools.append(self)
        super().__init__(*args, **kwargs)
read.ProcessPoolExecutor = CountedPool

def shown(reads):
    def whole(record):  # a translation is only parsed: it is joined to its original later
        if isinstance(record, read.TranslationText):
            return record
        return record and (record.path, record.item, record.body, record.markup)
    return [(whole(record), problems) for record, problems in reads]

root = Path(sys.argv[1])
config = load_site_config(root / "mkdocs.yml")
pages = [source for source in discover_sources(root)[0] if source.is_page]
here = read.read_records(pages, config, parallel_from=len(pages) + 1)
assert not pools
workers = read.read_records(pages, config, parallel_from=1, chunk=7)
assert len(pools) == 1, "no workers"
assert shown(workers) == shown(here)
print(len(pages), sum(1 for record, _ in here if record is None))
"""


def test_pages_read_in_workers_are_the_pages_read_here(tmp_path):
    root = copy_demo(tmp_path / "project")
    (root / "deliverables/broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", "utf-8")
    (root / "deliverables/wrong.md").write_text("---\ntitle: T\nid: D9.9\nsummary: S.\ndissemination: XX\n---\n", "utf-8")
    (root / "deliverables/latin1.md").write_bytes("---\ntitle: Caf\u00e9\n---\n".encode("latin-1"))
    # In a process of its own: pytest's may hold threads, beside which the reading forks no workers.
    run = subprocess.run([sys.executable, "-c", COMPARE_READINGS, str(root)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    pages, unreadable = map(int, run.stdout.split())
    assert pages > 60 and unreadable == 3
