"""The action plan, checked from the built site: matrix cells, stakeholder and stage pages, counts."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from pypdf import PdfReader

from builder import load_project


@pytest.fixture(scope="module")
def recommendations(demo_site: Path) -> list[dict]:
    catalogue = json.loads((demo_site / "catalogue.json").read_text("utf-8"))
    return [item for item in catalogue["items"] if item["type"] == "recommendation"]


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def linked_ids(container) -> Counter:
    """How often each recommendation is linked from inside `container`."""
    return Counter(a["href"].rstrip("/").split("/")[-1] for a in container.select("a[href]")
                   if "/action-plan/" not in a["href"] and a["href"].count("/") <= 2 and not a["href"].startswith("#"))


def test_demo_has_the_seed_action_plan(recommendations):
    groups = Counter(item["stakeholders"][0] for item in recommendations)
    assert groups == {"cso": 6, "coordinator": 3, "ncp": 3, "ec": 9}
    assert sum(1 for item in recommendations if not item["stages"]) == 2
    assert all(item["url"] == f"action-plan/{item['id']}/" for item in recommendations)


def test_matrix_cells_hold_exactly_what_the_front_matter_says(demo_site, recommendations):
    matrix = page(demo_site, "action-plan").select_one("table.ds-matrix")
    cells = matrix.select("tbody td[data-stage]")
    found = {(td["data-stakeholder"], td["data-stage"], a.get_text()) for td in cells for a in td.select("li a")}
    expected = {(key, stage, item["title"]) for item in recommendations for key in item["stakeholders"]
                for stage in (item["stages"] or ["cross-cutting"])}
    assert found == expected
    assert sum(len(td.select("li")) for td in cells) == len(expected)


def test_matrix_counts_add_up_to_the_triples(demo_site, recommendations):
    matrix = page(demo_site, "action-plan").select_one("table.ds-matrix")
    triples = sum(len(item["stakeholders"]) * max(len(item["stages"]), 1) for item in recommendations)
    rows = [int(td.get_text()) for td in matrix.select("td[data-row-total]")]
    columns = [int(td.get_text()) for td in matrix.select("td[data-column-total]")]
    assert sum(rows) == sum(columns) == int(matrix.select_one("td[data-grand-total]").get_text()) == triples
    for td in matrix.select("tbody td[data-stage]"):
        assert int(td["data-count"]) == len(td.select("li"))
    assert matrix.find("caption") and matrix.select("th[scope=col]") and matrix.select("th[scope=row]")


def test_each_recommendation_once_on_each_of_its_stakeholder_and_stage_pages(demo_site, recommendations):
    config = load_project(REPO).config
    for key in config.stakeholders:
        listed = Counter(li["id"] for li in page(demo_site, f"action-plan/for/{key}").select("li.ds-rec"))
        assert listed == Counter(item["id"] for item in recommendations if key in item["stakeholders"]), key
    for stage in config.stages:
        listed = Counter(li["id"] for li in page(demo_site, f"action-plan/stage/{stage}").select("li.ds-rec"))
        assert listed == Counter(item["id"] for item in recommendations if stage in item["stages"]), stage


def test_evidence_links_both_ways(demo_site, recommendations):
    citing = sorted(item["id"] for item in recommendations
                    if "D5.4" in load_project(REPO).collection.by_path[f"content/action-plan/{item['id']}.md"].item.evidence)
    deliverable = page(demo_site, "deliverables/d5-4")
    assert sorted(li["id"] for li in deliverable.select(".ds-related li.ds-rec")) == citing
    card = page(demo_site, "action-plan/ncp-2").select_one(".ds-card")
    assert card.find("a", string=lambda text: text and text.startswith("D5.2"))


SIXTH = """
      stakeholders:
        cso: { label: Civil society organisations, short: CSOs }
        ncp: { label: National Contact Points, short: NCPs }
        media: { label: Journalists, short: Media }
      stages:
        I: { label: Agenda setting }
        II: { label: Programme design }
        VI: { label: Follow-up }
"""


def test_new_group_and_stage_need_only_config(fixture_project):
    config = (fixture_project.root / "mkdocs.yml").read_text()
    start, end = config.index("      stakeholders:"), config.index("      topics:")
    fixture_project.write("mkdocs.yml", config[:start] + SIXTH.lstrip("\n") + config[end:])
    fixture_project.write("content/action-plan/media-1.md",
                          "---\ntitle: Tell the story of the research\nid: media-1\nstakeholders: [media, cso]\n"
                          "stages: [VI]\nevidence: [D1.1]\n---\nText.\n")
    assert fixture_project.run("build") == 0
    matrix = page(fixture_project.site, "action-plan").select_one("table.ds-matrix")
    cells = {(td["data-stakeholder"], td["data-stage"]) for td in matrix.select("td[data-stage]") if td.select("li")}
    assert cells == {("media", "VI"), ("cso", "VI")}
    assert page(fixture_project.site, "action-plan/for/media").select("li#media-1")
    assert page(fixture_project.site, "action-plan/stage/VI").select("li#media-1")


def pdf_text(site: Path, catalogue_entry: dict) -> str:
    reader = PdfReader(site / catalogue_entry["pdf"]["url"])
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_recommendation_is_in_its_pdfs(demo_site, recommendations):
    catalogue = json.loads((demo_site / "catalogue.json").read_text("utf-8"))
    plans = {item["id"]: item for item in catalogue["items"] if item["type"] == "action-plan"}
    full = pdf_text(demo_site, plans["action-plan"])
    texts = {key: pdf_text(demo_site, entry) for key, entry in plans.items()}
    for rec in recommendations:
        assert rec["title"] in full, rec["id"]
        for key in rec["stakeholders"]:
            assert rec["title"] in texts[f"action-plan-for-{key}"], (rec["id"], key)
        for stage in rec["stages"]:
            assert rec["title"] in texts[f"action-plan-stage-{stage}"], (rec["id"], stage)
    for key in ("cso", "coordinator", "ncp", "ec"):
        others = [rec["title"] for rec in recommendations if key not in rec["stakeholders"]]
        assert not any(title in texts[f"action-plan-for-{key}"] for title in others), key


def test_full_plan_pdf_has_the_matrix_on_a_landscape_page(demo_site):
    reader = PdfReader(next((demo_site / "pdf").glob("*_Action-plan.pdf")))
    matrix_pages = [page for page in reader.pages if "The plan at a glance" in page.extract_text()]
    assert len(matrix_pages) == 1
    width, height = matrix_pages[0].mediabox.width, matrix_pages[0].mediabox.height
    assert width > height
    assert reader.trailer["/Root"]["/Lang"] == "en" and "/StructTreeRoot" in reader.trailer["/Root"]
