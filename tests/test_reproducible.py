"""Builds that can be reproduced and caches that cannot be fooled: two clean builds, in two places,
with or without HarfBuzz's font subsetter, give the same site byte for byte; a moved project reuses
its cache; a damaged cache is rendered afresh instead of published."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.pdf.cache import CACHE_FOLDER

# Forces WeasyPrint's fallback subsetter (fontTools), as on a machine without libharfbuzz-subset0.
WITHOUT_HARFBUZZ_SUBSET = "import weasyprint.pdf.fonts\nweasyprint.pdf.fonts.harfbuzz_subset = None\n"

ITEMS = {
    "deliverables/d1-2.md": "---\ntitle: Second report\nid: D1.2\nsummary: S.\ndissemination: PU\nversion: '1.0'\n"
                            "authors: [Ann Example]\ndate: 2015-06-01\n---\n## Findings\n\nSome *text* in Ελληνικά.\n",
    "policy_briefs/01-b.md": "---\ntitle: A brief\nsummary: S.\nnumber: 1\nrelated: [D1.1]\n---\n## Key messages\n\nT.\n",
    "content/guides/g.md": "---\ntitle: A guide\nsummary: S.\naudience: [cso]\n---\n## Step\n\nDo it.\n",
    "content/events/e.md": "---\ntitle: A meeting\nsummary: S.\nstart: 2015-09-14T09:30\nend: 2015-09-14T17:00\n"
                           "stakeholders: [ncp]\n---\nAgenda.\n",
    "content/news/n.md": "---\ntitle: News\nsummary: S.\ndate: 2016-01-01\ntopics: [privacy]\n---\nText.\n",
    "content/action-plan/r-1.md": "---\ntitle: Do this\nstakeholders: [cso]\nstages: [I]\nid: r-1\n"
                                  "evidence: [D1.1]\n---\nBecause.\n",
}


def tree(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def clean_build(source: Path, target: Path, python_path: Path | None = None) -> tuple[dict[str, str], str]:
    """Copy the project (no site, no cache) to `target` and build it there in a fresh process."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".cache", ".site*"))
    env = dict(os.environ)
    if python_path:
        env["PYTHONPATH"] = str(python_path)
    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(target), "build"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return tree(target / "site"), run.stderr


@pytest.fixture
def project(fixture_project):
    for path, text in ITEMS.items():
        fixture_project.write(path, text)
    # With the site's address the build makes everything: share images, a sitemap that lists pages.
    fixture_project.write("mkdocs.yml", "site_url: https://fix.example.eu/\n"
                          + (fixture_project.root / "mkdocs.yml").read_text("utf-8"))
    return fixture_project


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_two_clean_builds_in_two_places_are_byte_identical(project, tmp_path, subsetter):
    python_path = None
    if subsetter == "fonttools":
        python_path = tmp_path / "without-harfbuzz-subset"
        python_path.mkdir()
        (python_path / "sitecustomize.py").write_text(WITHOUT_HARFBUZZ_SUBSET)
    first, said = clean_build(project.root, tmp_path / "one", python_path)
    second, _ = clean_build(project.root, tmp_path / "elsewhere" / "two", python_path)
    assert ("Using fontTools instead of HarfBuzz-Subset" in said) == (subsetter == "fonttools")
    assert len([name for name in first if name.startswith("pdf/")]) == 9  # 4 items and 5 action plan PDFs
    assert len([name for name in first if name.startswith("share/")]) == 8  # 7 items and the default
    assert first == second


def test_a_moved_project_reuses_its_cache(project, tmp_path, capsys):
    assert project.run("build") == 0
    moved = tmp_path / "moved"
    shutil.copytree(project.root, moved)
    capsys.readouterr()
    from builder.cli import main

    assert main(["-C", str(moved), "build"]) == 0
    assert "PDF " not in capsys.readouterr().err  # nothing rendered


@pytest.mark.parametrize("damage", ["truncated PDF", "garbage PDF", "garbage facts", "facts missing", "PDF swapped"])
def test_a_damaged_cache_is_rendered_afresh_not_published(project, damage, capsys):
    assert project.run("build") == 0
    cache = project.root / CACHE_FOLDER
    catalogue = json.loads((project.site / "catalogue.json").read_text("utf-8"))
    entry = next(item for item in catalogue["items"] if item["id"] == "D1.2")
    victim = next(path for path in cache.glob("*.pdf") if path.read_bytes() == (project.site / entry["pdf"]["url"]).read_bytes())
    other = next(path for path in cache.glob("*.pdf") if path != victim)
    if damage == "truncated PDF":
        victim.write_bytes(victim.read_bytes()[:1000])
    elif damage == "garbage PDF":
        victim.write_bytes(os.urandom(victim.stat().st_size))
    elif damage == "garbage facts":
        victim.with_suffix(".json").write_text("{not json")
    elif damage == "facts missing":
        victim.with_suffix(".json").unlink()
    else:
        victim.write_bytes(other.read_bytes())
    capsys.readouterr()
    assert project.run("build") == 0
    err = capsys.readouterr().err
    assert "PDF 1/1 deliverables/d1-2.md" in err and "Traceback" not in err
    published = project.site / entry["pdf"]["url"]
    assert published.read_bytes() == victim.read_bytes()
    assert len(PdfReader(published).pages) == entry["pdf"]["pages"]
    assert "Second report" in PdfReader(published).pages[0].extract_text()
