"""Citation metadata on publication pages, read back from the HTML and compared with the front
matter; the grant identifiers come from the programme data."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

REPORT = """---
title: A report on "open" data & <trust>
id: D2.1
summary: What we found.
dissemination: PU
date: 2025-03-04
authors: [Ana Example, Ben Sample]
doi: 10.5281/zenodo.123456
---
Text.
"""


def tags(site, page: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
    return [(meta["name"], meta["content"]) for meta in soup.find_all("meta", attrs={"name": True})
            if meta["name"].startswith(("citation_", "DC."))]


@pytest.fixture
def built(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          .replace("site_name: Fixture", "site_name: Fixture\nsite_url: https://fix.example.eu/"))
    fixture_project.write("deliverables/d2-1.md", REPORT)
    assert fixture_project.run("build") == 0
    return fixture_project


def test_a_deliverables_page_carries_highwire_and_dublin_core_from_its_front_matter(built):
    found = tags(built.site, "deliverables/d2-1/index.html")
    assert found == [
        ("citation_title", 'A report on "open" data & <trust>'),
        ("citation_author", "Ana Example"), ("citation_author", "Ben Sample"),
        ("citation_publication_date", "2025/03/04"), ("citation_language", "en"),
        ("citation_publisher", "FIX consortium"),
        ("citation_technical_report_number", "D2.1"), ("citation_technical_report_institution", "FIX consortium"),
        ("citation_doi", "10.5281/zenodo.123456"),
        ("citation_pdf_url", "https://fix.example.eu/pdf/FIX_D2.1_A-report-on-open-data-trust.pdf"),
        ("DC.title", 'A report on "open" data & <trust>'),
        ("DC.creator", "Ana Example"), ("DC.creator", "Ben Sample"), ("DC.date", "2025-03-04"),
        ("DC.language", "en"), ("DC.publisher", "FIX consortium"), ("DC.type", "Text"),
        ("DC.identifier", "https://doi.org/10.5281/zenodo.123456"),
        ("DC.relation", "info:eu-repo/grantAgreement/EC/H2020/123456"),
    ]
    assert (built.site / "pdf/FIX_D2.1_A-report-on-open-data-trust.pdf").is_file()


def test_what_an_item_does_not_give_is_left_out_and_plain_pages_carry_none(built):
    found = dict(tags(built.site, "deliverables/d1-1/index.html"))
    assert "citation_author" not in found and "citation_publication_date" not in found and "citation_doi" not in found
    assert tags(built.site, "index.html") == []


@pytest.mark.parametrize(("programme", "relation"), [("FP7", "info:eu-repo/grantAgreement/EC/FP7/608039"),
                                                     ("HE", "info:eu-repo/grantAgreement/EC/HE/608039")])
def test_the_grant_identifier_follows_the_programme(fixture_project, programme, relation):
    config = (fixture_project.root / "mkdocs.yml").read_text()
    fixture_project.write("mkdocs.yml", config.replace("programme: H2020", f"programme: {programme}")
                          .replace('"123456"', '"608039"'))
    assert fixture_project.run("build", "--no-pdf") == 0
    assert dict(tags(fixture_project.site, "deliverables/d1-1/index.html"))["DC.relation"] == relation
