"""Sharing without tracking: OpenGraph and Twitter card tags compared with the front matter, share
images opened as a viewer would (size, the emblem's blue field and a gold star), the same bytes twice
and from the cache, the sitemap and robots.txt parsed, and `check`'s warning about site_url."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from lxml import etree, html
from PIL import Image

from builder.outputs import OUTPUTS, OutputContext, Results
from builder.outputs.share import CACHE_FOLDER
from builder.project import load_project
from builder.share_image import EU_BLUE, EU_YELLOW, Card, Fonts, render_card, star_points

SITE = "https://fix.example.eu/"
FONTS = Path(__file__).resolve().parent.parent / "builder" / "theme" / "print" / "fonts"
ITEMS = {
    "deliverables/d1-2.md": "---\ntitle: A revised report\nid: D1.2\nsummary: What changed.\ndissemination: PU\n"
                            "date: 2015-06-01\nhistory:\n  - {version: '1.1', date: 2015-09-30}\n---\nText.\n",
    "deliverables/d1-3.md": "---\ntitle: A confidential report\nid: D1.3\nsummary: Secret.\ndissemination: CO\n---\n",
    "policy_briefs/03-b.md": "---\ntitle: A brief\nsummary: Brief summary.\nnumber: 3\ndate: 2016-03-01\n"
                             "language: fr-BE\n---\nT.\n",
    "content/events/e.md": "---\ntitle: A future meeting\nsummary: Meet.\nstart: 2031-09-14\n---\nAgenda.\n",
    "content/news/n.md": "---\ntitle: News\nsummary: Said.\ndate: 2016-01-01\n---\nText.\n",
    "content/about.md": "---\ntitle: About us\n---\nWho we are.\n",
}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def with_site_url(project, url: str = SITE) -> None:
    text = (project.root / "mkdocs.yml").read_text("utf-8")
    project.write("mkdocs.yml", f"site_url: {url}\nsite_description: The fixture's site.\n{text}")


@pytest.fixture
def shared(fixture_project):
    for path, text in ITEMS.items():
        fixture_project.write(path, text)
    with_site_url(fixture_project)
    assert fixture_project.run("build", "--no-pdf") == 0
    return fixture_project


def head_tags(page: Path) -> dict[str, list[str]]:
    """OpenGraph and Twitter tags of a built page, as a real HTML parser reads them."""
    tags: dict[str, list[str]] = {}
    for meta in html.parse(str(page)).getroot().head.iter("meta"):
        key = meta.get("property") or meta.get("name") or ""
        if key.startswith(("og:", "twitter:", "article:")):
            tags.setdefault(key, []).append(meta.get("content"))
    return tags


def one(tags: dict[str, list[str]], key: str) -> str:
    assert len(tags[key]) == 1, key
    return tags[key][0]


def test_an_item_page_describes_itself_from_its_front_matter(shared):
    tags = head_tags(shared.site / "deliverables/d1-2/index.html")
    assert one(tags, "og:type") == "article"
    assert one(tags, "og:title") == one(tags, "twitter:title") == "A revised report"
    assert one(tags, "og:description") == one(tags, "twitter:description") == "What changed."
    assert one(tags, "og:url") == f"{SITE}deliverables/d1-2/"
    assert one(tags, "og:site_name") == "Fixture"
    assert one(tags, "article:published_time") == "2015-06-01"
    assert one(tags, "og:image") == one(tags, "twitter:image") == f"{SITE}share/deliverables/d1-2.png"
    assert (one(tags, "og:image:width"), one(tags, "og:image:height")) == ("1200", "630")
    assert "Deliverable D1.2: A revised report" in one(tags, "og:image:alt")
    assert one(tags, "twitter:card") == "summary_large_image"
    canonical = html.parse(str(shared.site / "deliverables/d1-2/index.html")).getroot().head.find("link[@rel='canonical']")
    assert canonical.get("href") == f"{SITE}deliverables/d1-2/"  # Material's, from site_url


def test_other_pages_show_the_default_image_and_the_site_description(shared):
    about = head_tags(shared.site / "about/index.html")
    assert one(about, "og:type") == "website" and one(about, "og:title") == "About us"
    assert one(about, "og:description") == "The fixture's site."
    assert one(about, "og:image") == f"{SITE}share/default.png"
    home = head_tags(shared.site / "index.html")
    assert one(home, "og:title") == "Fixture"  # the site's name, not "Home"
    listing = head_tags(shared.site / "deliverables/index.html")
    assert one(listing, "og:image") == f"{SITE}share/default.png" and one(listing, "og:url") == f"{SITE}deliverables/"


def test_og_locale_is_language_and_territory(shared):
    assert one(head_tags(shared.site / "policy-briefs/03-b/index.html"), "og:locale") == "fr_BE"
    assert "og:locale" not in head_tags(shared.site / "news/n/index.html")  # the fixture says only "en"


def test_without_site_url_there_are_tags_but_no_addresses_and_no_images(fixture_project):
    assert fixture_project.run("build", "--no-pdf") == 0
    tags = head_tags(fixture_project.site / "deliverables/d1-1/index.html")
    assert one(tags, "og:title") == "A report" and one(tags, "twitter:card") == "summary"
    assert not {"og:url", "og:image", "twitter:image"} & set(tags)
    assert not (fixture_project.site / "share").exists()
    assert "<url>" not in (fixture_project.site / "sitemap.xml").read_text("utf-8")
    assert (fixture_project.site / "robots.txt").read_text("utf-8") == "User-agent: *\nAllow: /\n"


def test_every_item_gets_its_image_and_the_summary_says_which(shared):
    images = sorted(path.relative_to(shared.site / "share").as_posix() for path in (shared.site / "share").rglob("*"))
    assert images == ["default.png", "deliverables", "deliverables/d1-1.png", "deliverables/d1-2.png", "events",
                      "events/e.png", "news", "news/n.png", "policy-briefs", "policy-briefs/03-b.png"]
    for path in (shared.site / "share").rglob("*.png"):
        with Image.open(path) as image:
            assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
            assert not image.info.keys() - {"dpi", "gamma", "srgb"}  # no text chunks, no time
    report = _share_report(shared)
    assert report.pages["deliverables/d1-2.md"] == "share/deliverables/d1-2.png"
    assert report.pages["content/about.md"] == report.pages["deliverables/index.md"] == "share/default.png"
    assert "deliverables/d1-3.md" not in report.pages  # not public: no page, no image
    for site_path, image in report.images.items():
        assert image.funding == "Funded by the European Union"
        assert_emblem(shared.site / site_path, image.emblem)


def _share_report(project):
    """What the share output tells later outputs (a compliance check, say), from the project as built."""
    results = Results()
    results.add("share", OUTPUTS["share"]().run(OutputContext(load_project(project.root), results, logging.getLogger())))
    return results.summary("share")


def assert_emblem(png: Path, box: tuple[int, int, int, int]) -> None:
    """The blue field in a corner of the emblem, and gold at the centre of its top star."""
    left, top, width, height = box
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        assert close(rgb.getpixel((left + 3, top + 3)), EU_BLUE)
        assert close(rgb.getpixel((left + width - 4, top + height - 4)), EU_BLUE)
        star = (round(left + width / 2), round(top + height / 2 - height / 3))
        assert close(rgb.getpixel(star), EU_YELLOW, tolerance=40)


def close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_a_share_image_is_the_same_bytes_every_time():
    card = Card("FIX", "Deliverable D1.1", "A title long enough " * 12, "Funded by the European Union",
                "Horizon 2020 \u00b7 grant agreement 123456")
    fonts = Fonts(FONTS / "noto-sans-400-normal.ttf", FONTS / "noto-sans-700-normal.ttf")
    first, second = render_card(card, fonts), render_card(card, fonts)
    assert first.png == second.png
    with Image.open(io.BytesIO(first.png)) as image:
        assert image.size == (1200, 630)


def test_the_star_is_the_official_one():
    points = star_points((0.0, 0.0), 1.0)
    assert len(points) == 10 and points[0] == pytest.approx((0.0, -1.0))  # one point straight up
    assert max(abs(x) ** 2 + abs(y) ** 2 for x, y in points) == pytest.approx(1.0)


def test_images_come_from_the_cache_and_a_damaged_one_is_drawn_again(shared, capsys):
    cache = shared.root / CACHE_FOLDER
    before = {path.name: path.read_bytes() for path in cache.glob("*.png")}
    assert len(before) == 6  # five items and the default
    victim = sorted(cache.glob("*.png"))[0]
    victim.write_bytes(b"not a png")
    capsys.readouterr()
    assert shared.run("build", "--no-pdf") == 0
    assert "Share images: 1 drawn, 5 unchanged" in capsys.readouterr().err
    assert {path.name: path.read_bytes() for path in cache.glob("*.png")} == before


def test_the_sitemap_lists_every_page_and_pdf_with_its_last_change(fixture_project):
    for path, text in ITEMS.items():
        fixture_project.write(path, text)
    with_site_url(fixture_project)
    assert fixture_project.run("build") == 0
    site = fixture_project.site
    entries = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
               for url in etree.parse(str(site / "sitemap.xml")).getroot()}
    pages = {f"{SITE}{path.relative_to(site).parent.as_posix()}/".replace(f"{SITE}./", SITE)
             for path in site.rglob("index.html") if not path.is_relative_to(site / "admin")}
    pdfs = {f"{SITE}pdf/{path.name}" for path in (site / "pdf").iterdir()}
    assert set(entries) == pages | pdfs
    assert entries[f"{SITE}deliverables/d1-2/"] == "2015-09-30"  # its latest revision
    assert entries[f"{SITE}news/n/"] == "2016-01-01"
    assert entries[f"{SITE}events/e/"] is None  # an event's start is no change to its page
    assert entries[f"{SITE}about/"] is None
    assert entries[f"{SITE}deliverables/"] == "2016-03-01"  # a listing: the latest change of any item
    d12_pdf = next(url for url in pdfs if "D1.2" in url)
    assert entries[d12_pdf] == "2015-09-30"
    assert f"{SITE}deliverables/d1-3/" not in entries


def test_robots_txt_names_the_sitemap(shared):
    assert (shared.site / "robots.txt").read_text("utf-8") == f"User-agent: *\nAllow: /\n\nSitemap: {SITE}sitemap.xml\n"


def test_a_projects_own_robots_txt_wins(fixture_project):
    text = (fixture_project.root / "mkdocs.yml").read_text("utf-8")
    fixture_project.write("mkdocs.yml", text.replace("      work_packages:", "      assets: [content/robots.txt]\n"
                                                     "      work_packages:"))
    fixture_project.write("content/robots.txt", "User-agent: *\nDisallow: /drafts/\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    assert (fixture_project.site / "robots.txt").read_text("utf-8") == "User-agent: *\nDisallow: /drafts/\n"


def test_check_warns_when_site_url_is_missing(fixture_project, capsys):
    assert fixture_project.run("check") == 0
    err = capsys.readouterr()
    warning = [line for line in err.err.splitlines() if "site_url" in line]
    assert len(warning) == 1 and warning[0].startswith("mkdocs.yml:1: warning: config 'site_url': not set:")
    assert "canonical" in warning[0] and "sitemap" in warning[0] and "Scholar" in warning[0]
    assert "1 warning" in err.out
    with_site_url(fixture_project)
    assert fixture_project.run("check") == 0
    err = capsys.readouterr()
    assert "site_url" not in err.err and "no problems (" in err.out
