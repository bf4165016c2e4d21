""""Cite this" and the schema.org description of publications: the downloads read back with parsers of
their formats (bibtexparser for BibTeX, rispy for RIS, JSON for CSL-JSON and JSON-LD) and compared
with the front matter; the formatted references checked as a reader sees them."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup

HOSTILE = r'Trust {in} \input{x} $50 & 10% <b>data</b> #1 "quoted"'
REPORT = f"""---
title: '{HOSTILE}'
id: D2.1
summary: What we found,
  over two lines.
dissemination: PU
date: 2025-03-04
authors: ["Müller, Hans", "van der Berg, Anna", The Data Lab]
doi: 10.5281/zenodo.123456
licence: CC-BY-4.0
---
Text.
"""
BRIEF = """---
title: A brief without authors or date
number: 1
summary: Advice.
---
Text.
"""
SETTINGS = """site_name: Fixture
site_url: https://fix.example.eu/"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import FixtureProject
    project = FixtureProject(tmp_path_factory.mktemp("cite"))
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text().replace("site_name: Fixture", SETTINGS))
    project.write("deliverables/d2-1.md", REPORT)
    project.write("policy_briefs/01.md", BRIEF)
    assert project.run("build", "--no-pdf") == 0
    return project


def page(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def test_bibtex_download_parses_to_the_front_matter(built):
    library = bibtexparser.parse_string((built.site / "cite/deliverables/d2-1.bib").read_text("utf-8"))
    assert library.failed_blocks == []
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("techreport", "D2.1")
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    assert fields["author"] == "Müller, Hans and van der Berg, Anna and {The Data Lab}"
    assert (fields["year"], fields["month"], fields["day"]) == ("2025", "3", "4")
    assert (fields["number"], fields["institution"], fields["doi"]) == ("D2.1", "FIX consortium", "10.5281/zenodo.123456")
    assert fields["url"] == "https://fix.example.eu/deliverables/d2-1/"
    # Every character LaTeX would act on is escaped: the title cannot run \input or open a group.
    assert fields["title"] == (r"Trust \textbraceleft{}in\textbraceright{} \textbackslash{}input\textbraceleft{}x"
                               r"\textbraceright{} \$50 \& 10\% <b>data</b> \#1 " '"quoted"')
    assert fields["title"].count("{") == fields["title"].count("}")


def test_ris_download_parses_to_the_front_matter(built):
    [record] = rispy.loads((built.site / "cite/deliverables/d2-1.ris").read_text("utf-8"))
    assert record["type_of_reference"] == "RPRT"
    assert record["title"] == HOSTILE
    assert record["authors"] == ["Müller, Hans", "van der Berg, Anna", "The Data Lab"]
    assert (record["year"], record["date"]) == ("2025", "2025/03/04")
    assert (record["doi"], record["number"], record["publisher"]) == ("10.5281/zenodo.123456", "D2.1", "FIX consortium")
    assert record["abstract"] == "What we found, over two lines."
    assert record["urls"] == ["https://fix.example.eu/deliverables/d2-1/"]
    assert (built.site / "cite/deliverables/d2-1.ris").read_text("utf-8").startswith("TY  - RPRT")


def test_csl_json_download_is_a_csl_item_of_the_front_matter(built):
    [item] = json.loads((built.site / "cite/deliverables/d2-1.json").read_text("utf-8"))
    assert item["type"] == "report" and item["id"] == item["number"] == "D2.1"
    assert item["title"] == HOSTILE
    assert item["author"] == [{"family": "Müller", "given": "Hans"}, {"family": "van der Berg", "given": "Anna"},
                              {"literal": "The Data Lab"}]
    assert item["issued"] == {"date-parts": [[2025, 3, 4]]}
    assert item["DOI"] == "10.5281/zenodo.123456" and item["genre"] == "Deliverable"


def test_the_page_shows_the_reference_in_two_styles_with_the_doi_and_the_downloads(built):
    section = page(built.site, "deliverables/d2-1/index.html").select_one("section.ds-cite")
    styles = {row.dt.get_text(): row.dd for row in section.select(".ds-cite__styles > div")}
    assert list(styles) == ["APA Style 7th edition", "Cite Them Right 12th edition (author-date/Harvard)"]
    apa = styles["APA Style 7th edition"]
    assert apa.get_text().startswith("Müller, H., van der Berg, A., & The Data Lab. (2025).")
    assert HOSTILE in apa.get_text() and apa.find("b") is None  # the title is text, never markup
    assert "https://doi.org/10.5281/zenodo.123456" in apa.get_text()
    assert section.select_one(".ds-cite__doi a")["href"] == "https://doi.org/10.5281/zenodo.123456"
    assert [a["href"] for a in section.select(".ds-cite__downloads a")] == [
        "../../cite/deliverables/d2-1.bib", "../../cite/deliverables/d2-1.ris", "../../cite/deliverables/d2-1.json"]


def test_without_authors_or_date_the_consortium_is_the_author_and_no_date_is_made_up(built):
    [item] = json.loads((built.site / "cite/policy-briefs/01.json").read_text("utf-8"))
    assert item["author"] == [{"literal": "FIX consortium"}] and "issued" not in item
    assert (item["id"], item["genre"], item["number"]) == ("PB1", "Policy brief", "1")  # its number among briefs
    apa = page(built.site, "policy-briefs/01/index.html").select_one(".ds-cite__styles dd").get_text()
    assert apa.startswith("FIX consortium. (n.d.).")
    assert apa.count("FIX consortium") == 1  # a publisher who is the author is named once


def test_publications_describe_themselves_as_schema_org_reports_with_their_funding(built):
    scripts = page(built.site, "deliverables/d2-1/index.html").find_all("script", type="application/ld+json")
    [data] = [json.loads(script.string) for script in scripts]
    assert data["@type"] == "Report" and data["name"] == HOSTILE and data["reportNumber"] == "D2.1"
    assert [author["name"] for author in data["author"]] == ["Müller, Hans", "van der Berg, Anna", "The Data Lab"]
    assert data["datePublished"] == "2025-03-04"
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5281/zenodo.123456"}
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["url"] == "https://fix.example.eu/deliverables/d2-1/"
    grant = data["funding"]
    assert (grant["@type"], grant["identifier"]) == ("MonetaryGrant", "123456")
    assert grant["url"] == "https://cordis.europa.eu/project/id/123456"
    assert grant["funder"] == {"@type": "FundingAgency", "name": "European Commission",
                               "identifier": "https://doi.org/10.13039/501100000780",
                               "sameAs": "https://ror.org/00k4n6c32"}
    assert "sameAs" not in grant  # no programme's project DOI is asserted without a source
    assert "<b>" not in scripts[0].string  # the title cannot close the element


def test_a_project_doi_given_in_config_is_the_grants_doi(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          .replace("        grant_agreement:", "        doi: 10.3030/123456\n        grant_agreement:"))
    fixture_project.write("policy_briefs/01.md", BRIEF)
    assert fixture_project.run("build", "--no-pdf") == 0
    data = json.loads(page(fixture_project.site, "policy-briefs/01/index.html")
                      .find("script", type="application/ld+json").string)
    assert data["funding"]["sameAs"] == "https://doi.org/10.3030/123456"


def test_an_unknown_citation_style_or_licence_is_one_clear_line(fixture_project, capsys):
    settings = fixture_project.root / "mkdocs.yml"
    fixture_project.write("mkdocs.yml", settings.read_text()
                          .replace("  - disseminate:\n", "  - disseminate:\n      citation_styles: [apa, no-such-style]\n"))
    assert fixture_project.run("check") == 1
    assert capsys.readouterr().err.startswith("mkdocs.yml:12: config 'citation_styles': 'no-such-style' is not a "
                                              "citation style of the CSL repository")
    fixture_project.write("mkdocs.yml", settings.read_text().replace("      citation_styles: [apa, no-such-style]\n", ""))
    fixture_project.write("deliverables/d2-1.md", REPORT.replace("CC-BY-4.0", "CC-BY-40"))
    assert fixture_project.run("check") == 1
    err = capsys.readouterr().err
    assert "deliverables/d2-1.md:10: deliverable 'licence': 'CC-BY-40' is not a known licence (did you mean " \
           "'CC-BY-4.0'?" in err


def test_the_catalogue_names_the_grant_in_openaire_v3_and_v4_forms(built):
    funding = json.loads((built.site / "catalogue.json").read_text("utf-8"))["funding"]
    assert funding["grantAgreement"] == "info:eu-repo/grantAgreement/EC/H2020/123456"
    assert funding["fundingReference"] == {
        "funderName": "European Commission",
        "funderIdentifier": {"value": "https://doi.org/10.13039/501100000780", "funderIdentifierType": "Crossref Funder ID"},
        "fundingStream": "Horizon 2020",
        "awardNumber": {"value": "123456", "awardURI": "https://cordis.europa.eu/project/id/123456"},
        "awardTitle": "A fixture project"}
    assert "projectDoi" not in funding


def test_formatted_references_are_kept_between_builds_and_a_tampered_cache_stays_harmless(built):
    cache = built.root / ".cache/references.json"
    kept = json.loads(cache.read_text("utf-8"))
    # Two styles and the BibTeX entry of three publications (the fixture's deliverable, the report, the brief).
    assert len(kept) == 3 * 3
    # A cached reference is used as it is, but sanitised again: a planted script never reaches a page.
    planted = {key: value.replace("FIX consortium", "<script>alert(1)</script>PLANTED") for key, value in kept.items()}
    cache.write_text(json.dumps(planted), "utf-8")
    assert built.run("build", "--no-pdf") == 0
    section = page(built.site, "policy-briefs/01/index.html").select_one("section.ds-cite")
    assert "PLANTED" in section.get_text() and section.find("script") is None
    cache.write_text("{not json", "utf-8")
    assert built.run("build", "--no-pdf") == 0
    assert "PLANTED" not in page(built.site, "policy-briefs/01/index.html").select_one("section.ds-cite").get_text()
    assert json.loads(cache.read_text("utf-8")).keys() == kept.keys()
