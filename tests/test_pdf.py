"""The print PDFs, read back the way a reader's tools read them: text, outline, tags, fonts, bytes."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder import load_project
from builder.cli import AFTER_FAILURE
from builder.pdf import build_pdfs
from builder.pdf.engine import PrintEngine
from builder.pdf.fetcher import ProjectFetcher
from builder.pdf.readable import Readable
from builder.problems import ContentErrors
from builder.themes import PACKAGE_THEME

FP7_STATEMENT = "under grant agreement n° 608039"


@pytest.fixture(scope="module")
def catalogue(demo_site: Path) -> dict:
    return json.loads((demo_site / "catalogue.json").read_text("utf-8"))


def pdf_of(site: Path, catalogue: dict, **match: str) -> PdfReader:
    entry = next(item for item in catalogue["items"] if all(item[key] == value for key, value in match.items()))
    return PdfReader(site / entry["pdf"]["url"])


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def outline_titles(outline: list) -> list[str]:
    titles = []
    for entry in outline:
        titles += outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def test_every_publication_has_a_pdf_in_the_catalogue(demo_site, catalogue):
    for item in catalogue["items"]:
        if item["type"] in ("deliverable", "policy_brief", "guide", "action-plan"):
            path = demo_site / item["pdf"]["url"]
            assert path.stat().st_size == item["pdf"]["bytes"]
            assert len(PdfReader(path).pages) == item["pdf"]["pages"]
        else:
            assert item["pdf"] is None


def test_deliverable_cover_has_title_id_and_funding_statement(demo_site, catalogue):
    cover = flat(pdf_of(demo_site, catalogue, id="D6.7").pages[0].extract_text())
    assert "Executive summary of the project's final report" in cover
    assert "Deliverable D6.7" in cover or "DELIVERABLE D6.7" in cover
    assert "WP6: Dissemination" in cover
    assert FP7_STATEMENT in cover


def test_deliverable_has_revision_history_and_running_header(demo_site, catalogue):
    reader = pdf_of(demo_site, catalogue, id="D6.7")
    second = flat(reader.pages[1].extract_text())
    assert "Revision history" in second and "27 April 2016" in second
    last = flat(reader.pages[-1].extract_text())
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "SecurePART D6.7" in last
    assert "not liable for any use" in last


def test_contents_page_numbers_match_where_headings_are(demo_site, catalogue):
    reader = pdf_of(demo_site, catalogue, type="guide", url="guides/why-and-how-to-participate/")
    pages = [flat(page.extract_text()) for page in reader.pages]
    contents_page = next(i for i, text in enumerate(pages) if text.startswith("Contents") or " Contents " in text[:200])
    entries = re.findall(r"^(.+?)[ .]*\.\s*(\d+)\s*$", reader.pages[contents_page].extract_text(), re.M)
    assert len(entries) >= 8
    for heading, number in entries:
        heading = heading.strip().rstrip(".").strip()
        assert heading in pages[int(number) - 1], (heading, number)
    assert [title for title in outline_titles(reader.outline) if title != reader.metadata.title][:2] == \
        [entries[0][0].strip().rstrip(". ").strip(), entries[1][0].strip().rstrip(". ").strip()]


def test_policy_brief_is_compact_with_key_messages_first(demo_site, catalogue):
    reader = pdf_of(demo_site, catalogue, type="policy_brief", id="PB1")
    assert 2 <= len(reader.pages) <= 4
    first = flat(reader.pages[0].extract_text())
    assert first.index("Key messages") < first.index("What the numbers show")
    everything = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "What this means for civil society organisations" in everything
    assert FP7_STATEMENT in everything


def test_pdfs_are_tagged_accessible_and_carry_metadata(demo_site, catalogue):
    for item in catalogue["items"]:
        if not item["pdf"]:
            continue
        reader = PdfReader(demo_site / item["pdf"]["url"])
        root = reader.trailer["/Root"]
        assert root["/Lang"] == item["language"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert reader.metadata.title == item["title"]
        assert reader.metadata.subject == item["summary"]
        assert "SecurePART" in reader.metadata.creator
        assert reader.metadata.get("/Keywords")


def test_fonts_are_embedded(demo_site, catalogue):
    reader = pdf_of(demo_site, catalogue, id="D5.4")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(font["/BaseFont"].split("+")[-1])
    assert "Noto-Sans" in fonts


GREEK_TITLE = "Ενίσχυση της συμμετοχής της κοινωνίας των πολιτών"


def test_greek_and_bulgarian_titles_print_as_themselves(fixture_project):
    fixture_project.write("deliverables/d1-2.md", f"---\ntitle: {GREEK_TITLE}\nid: D1.2\nsummary: Περίληψη.\n"
                                                  "dissemination: PU\nlanguage: el\n---\n## Ευρήματα\n\nКратък текст.\n")
    assert fixture_project.run("build") == 0
    pdf = next((fixture_project.site / "pdf").glob("FIX_D1.2_*.pdf"))
    assert pdf.name == "FIX_D1.2_d1-2.pdf"  # no ASCII words in the title: the file name stands in
    reader = PdfReader(pdf)
    assert GREEK_TITLE in flat(reader.pages[0].extract_text())
    assert "Кратък текст" in flat(" ".join(page.extract_text() for page in reader.pages))
    assert reader.trailer["/Root"]["/Lang"] == "el"


def digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.glob("*.pdf"))}


def test_two_builds_give_byte_identical_pdfs(fixture_project):
    assert fixture_project.run("build") == 0
    first = digests(fixture_project.site / "pdf")
    shutil.rmtree(fixture_project.root / ".cache")
    assert fixture_project.run("build") == 0
    assert digests(fixture_project.site / "pdf") == first and first


def test_cache_renders_nothing_unchanged_and_only_what_an_edit_affects(fixture_project):
    fixture_project.write("deliverables/d1-2.md",
                          "---\ntitle: Second\nid: D1.2\nsummary: S.\ndissemination: PU\n---\nOriginal.\n")
    first = build_pdfs(load_project(fixture_project.root), jobs=2)
    assert sorted(first.rendered) == ["deliverables/d1-1.md", "deliverables/d1-2.md"]
    again = build_pdfs(load_project(fixture_project.root), jobs=2)
    assert again.rendered == [] and again.reused == 2
    fixture_project.write("deliverables/d1-2.md",
                          "---\ntitle: Second\nid: D1.2\nsummary: S.\ndissemination: PU\n---\nEdited.\n")
    edited = build_pdfs(load_project(fixture_project.root), jobs=2)
    assert edited.rendered == ["deliverables/d1-2.md"]
    assert edited.pdfs["deliverables/d1-1.md"].cache_path == first.pdfs["deliverables/d1-1.md"].cache_path
    fixture_project.write("theme/print/print.css", (PACKAGE_THEME / "print/print.css").read_text() + "\n")
    assert len(build_pdfs(load_project(fixture_project.root), jobs=2).rendered) == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_rendering_leaves_no_temporary_files(fixture_project, tmp_path_factory, monkeypatch, jobs):
    """WeasyPrint copies the print fonts into a temporary folder; none may outlive the build, in the
    main process (one job) or in pool workers, which exit without running atexit handlers."""
    fixture_project.write("deliverables/d1-2.md",
                          "---\ntitle: Second\nid: D1.2\nsummary: S.\ndissemination: PU\n---\nText.\n")
    scratch = tmp_path_factory.mktemp("scratch")
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # this process and forked workers
    monkeypatch.setenv("TMPDIR", str(scratch))              # workers started any other way
    assert len(build_pdfs(load_project(fixture_project.root), jobs=jobs).rendered) == 2
    assert sorted(path.name for path in scratch.iterdir()) == []


def test_a_renderer_that_cannot_start_is_reported_for_each_item(fixture_project, monkeypatch):
    """A worker whose WeasyPrint fails to start (say, Pango missing) names the items it could not
    render, instead of breaking the pool with an error that names nothing."""
    fixture_project.write("deliverables/d1-2.md",
                          "---\ntitle: Second\nid: D1.2\nsummary: S.\ndissemination: PU\n---\nText.\n")

    def no_pango(self, readable):
        raise OSError("cannot load library 'pango-1.0-0'")
    monkeypatch.setattr(PrintEngine, "__init__", no_pango)  # forked pool workers inherit the patch
    with pytest.raises(ContentErrors) as failed:
        build_pdfs(load_project(fixture_project.root), jobs=2)
    assert sorted(str(problem) for problem in failed.value.problems) == [
        f"deliverables/d1-{n}.md:1: deliverable: PDF could not be rendered: WeasyPrint could not start: "
        "OSError: cannot load library 'pango-1.0-0'" for n in (1, 2)]


def test_failed_render_names_the_item_and_keeps_site_and_other_pdfs(fixture_project, capsys):
    fixture_project.write("content/guides/g.md", "---\ntitle: A guide\nsummary: S.\n---\nText.\n")
    assert fixture_project.run("build") == 0
    before = digests(fixture_project.site / "pdf")
    cached_before = sorted(p.name for p in (fixture_project.root / ".cache/pdf").glob("*.pdf"))
    # A style WeasyPrint cannot take, in the guides' print template: bodies can no longer carry one.
    template = PACKAGE_THEME / "print/guide.html"
    fixture_project.write("theme/print/guide.html", template.read_text().replace(
        "{% block front %}", '{% block front %}<p style="font-size: 1e30px">Huge.</p>'))
    capsys.readouterr()
    assert fixture_project.run("build") == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("PDF ", "INFO"))]  # no progress
    assert err == ["content/guides/g.md:1: guide: PDF could not be rendered: ZeroDivisionError: float division by zero",
                   "ERROR   -  1 problem found in the content", f"Build failed; {AFTER_FAILURE}"]  # the deliverable's PDF rendered
    assert digests(fixture_project.site / "pdf") == before
    assert set(cached_before) <= {p.name for p in (fixture_project.root / ".cache/pdf").glob("*.pdf")}


def test_only_public_items_get_pdfs_and_front_matter_decides(fixture_project):
    fixture_project.write("deliverables/d1-3.md", "---\ntitle: Closed\nid: D1.3\nsummary: S.\ndissemination: CO\n---\nSecret.\n")
    fixture_project.write("content/handbook.md", "---\ntitle: Handbook\npdf: true\n---\nPrinted too.\n")
    fixture_project.write("content/guides/no-print.md", "---\ntitle: Screen only\nsummary: S.\npdf: false\n---\nText.\n")
    report = build_pdfs(load_project(fixture_project.root), jobs=1)
    assert sorted(report.pdfs) == ["content/handbook.md", "deliverables/d1-1.md"]


def test_fetcher_serves_print_inputs_and_published_files_and_refuses_everything_else(fixture_project):
    root = fixture_project.root.resolve()
    published = fixture_project.write("content/figure.png", b"\x89PNG public")
    secret = fixture_project.write("deliverables/d1-3/chart.png", b"\x89PNG confidential")
    fetcher = ProjectFetcher(Readable((root / "theme", PACKAGE_THEME), ("print", "assets/eu-emblem.svg"),
                                      frozenset({published.resolve()})))
    # The project's theme folder is empty: what the print HTML asks of it comes from the package's.
    assert fetcher((root / "theme/assets/eu-emblem.svg").as_uri()).read().startswith(b"<svg")
    fixture_project.write("theme/assets/eu-emblem.svg", "<svg>the project's own</svg>")
    assert fetcher((root / "theme/assets/eu-emblem.svg").as_uri()).read() == b"<svg>the project's own</svg>"
    assert fetcher(published.as_uri()).read() == b"\x89PNG public"
    for url in (secret.as_uri(), (root / "deliverables/d1-1.md").as_uri(), "https://example.org/logo.png",
                "file:///etc/hostname", "ftp://example.org/x", published.as_uri().replace("figure", "./x/../figure2")):
        with pytest.raises(ValueError, match="a PDF may use only the files the site publishes"):
            fetcher(url)


def png(width: int, height: int) -> bytes:
    """A small red PNG, recognisable by its size among a PDF's images."""
    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    chunk = lambda kind, data: (len(data).to_bytes(4, "big") + kind + data  # noqa: E731
                                + zlib.crc32(kind + data).to_bytes(4, "big"))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_public_pdf_never_shows_a_confidential_figure(fixture_project, caplog):
    """However the body names it: the checks read Markdown another way than the renderer does."""
    fixture_project.write("deliverables/d1-3/index.md", "---\ntitle: Closed\nid: D1.3\nsummary: S.\ndissemination: CO"
                                                        "\n---\n![chart](chart.png)\n")
    fixture_project.write("deliverables/d1-3/chart.png", png(7, 5))
    fixture_project.write("deliverables/public.png", png(3, 2))
    absolute = (fixture_project.root / "deliverables/d1-3/chart.png").resolve()
    fixture_project.write("deliverables/d1-1.md", "---\ntitle: Open\nid: D1.1\nsummary: S.\ndissemination: PU\n---\n"
                                                  f"![x](public.png){{: src=\"d1-3/chart.png\" }}\n\n![y]({absolute})\n\n"
                                                  "![z](public.png)\n")
    assert fixture_project.run("build") == 0
    pdf = next((fixture_project.site / "pdf").glob("FIX_D1.1_*.pdf"))
    sizes = {(image.image.width, image.image.height) for page in PdfReader(pdf).pages for image in page.images}
    assert (3, 2) in sizes and (7, 5) not in sizes
    assert any("refused to fetch" in record.getMessage() and "d1-3/chart.png" in record.getMessage()
               for record in caplog.records)


def test_item_page_offers_the_pdf(demo_site, catalogue):
    entry = next(item for item in catalogue["items"] if item["id"] == "D6.7")
    html = (demo_site / entry["url"] / "index.html").read_text("utf-8")
    name = entry["pdf"]["url"].split("/")[-1]
    assert f'<link rel="alternate" type="application/pdf" href="../../pdf/{name}"' in html
    assert f"{entry['pdf']['pages']} pages" in html and "English" in html and "version 0.2" in html
    assert name == "SecurePART_D6.7_Executive-summary-of-the-project-s_v0.2.pdf"


def test_pdf_command_renders_one_item(fixture_project, tmp_path, capsys):
    output = tmp_path / "one.pdf"
    assert fixture_project.run("pdf", str(fixture_project.root / "deliverables/d1-1.md"), "-o", str(output)) == 0
    assert "A report" in PdfReader(output).pages[0].extract_text()
    assert fixture_project.run("pdf", str(fixture_project.root / "content/index.md")) == 2


def link_targets(pdf: Path) -> list[str]:
    return [str(annotation.get_object()["/A"]["/URI"]) for page in PdfReader(pdf).pages
            for annotation in page.get("/Annots") or [] if "/URI" in annotation.get_object().get("/A", {})]


@pytest.mark.parametrize("site_url", [None, "https://example.eu/"])
def test_links_in_pdfs_lead_to_the_site_never_to_the_machine(fixture_project, site_url):
    if site_url:
        fixture_project.write("mkdocs.yml", f"site_url: {site_url}\n" + (fixture_project.root / "mkdocs.yml").read_text())
    fixture_project.write("content/data.csv", "a,b\n")
    fixture_project.write("deliverables/d1-1.md", "---\ntitle: Open\nid: D1.1\nsummary: S.\ndissemination: PU\n---\n"
                                                  "[data](../content/data.csv), [home](../content/index.md){: .x }, "
                                                  "[about](/about/), [elsewhere](https://example.org/), "
                                                  "<a title=\"t\" href=\"d1-1.md#top\">this</a>.\n")
    assert fixture_project.run("build") == 0
    targets = link_targets(next((fixture_project.site / "pdf").glob("FIX_D1.1_*.pdf")))
    if site_url:
        assert targets == ["https://example.eu/data.csv", "https://example.eu/", "https://example.eu/about/",
                           "https://example.org/", "https://example.eu/deliverables/d1-1/#top"]
    else:
        assert targets == ["https://example.org/"]
