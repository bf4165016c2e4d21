"""What is published is what a published page uses: attacks on the confidentiality rule, with files
in every layout a partner might choose, symbolic links out of the project and site folders that
would swallow the sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder import ContentErrors, load_project

SECRET = b"CONFIDENTIAL-FIGURE-BYTES"


def everything_published(site: Path) -> bytes:
    return b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())


def published_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def deliverable(ident: str, level: str = "PU", body: str = "Text.", draft: bool = False) -> str:
    return (f"---\ntitle: Deliverable {ident}\nid: {ident}\nsummary: About {ident}.\ndissemination: {level}\n"
            + ("draft: true\n" if draft else "") + f"---\n{body}\n")


LAYOUTS = {
    # Folder deliverables, their page as index.md or README.md, figures beside it or deeper.
    "deliverables/d1-3/index.md": deliverable("D1.3", "CO", "![chart](chart.png)"),
    "deliverables/d1-3/chart.png": SECRET + b"-1",
    "deliverables/d1-3/figures/map.png": SECRET + b"-2",
    "deliverables/d1-4/README.md": deliverable("D1.4", "SEN", "![chart](chart.png)"),
    "deliverables/d1-4/chart.png": SECRET + b"-3",
    # A flat deliverable with its figure as a sibling file.
    "deliverables/d1-5.md": deliverable("D1.5", "RE", "![chart](d1-5-chart.png)"),
    "deliverables/d1-5-chart.png": SECRET + b"-4",
    # Drafts, as a folder and as a flat page with a sibling.
    "content/news/coming/index.md": "---\ntitle: Coming\nsummary: S.\ndate: 2016-01-01\ndraft: true\n---\n![x](photo.jpg)\n",
    "content/news/coming/photo.jpg": SECRET + b"-5",
    "content/guides/unfinished.md": "---\ntitle: Unfinished\nsummary: S.\ndraft: true\n---\n![x](unfinished.png)\n",
    "content/guides/unfinished.png": SECRET + b"-6",
    "deliverables/d1-6/index.md": deliverable("D1.6", "PU", "![x](draft-chart.png)", draft=True),
    "deliverables/d1-6/draft-chart.png": SECRET + b"-7",
    # A public deliverable: its used figure is published, its stray working file is not.
    "deliverables/d1-7/index.md": deliverable("D1.7", "PU", "![chart](chart.png)\n\n<img src=\"raw.png\" alt=\"\">"),
    "deliverables/d1-7/chart.png": b"public chart",
    "deliverables/d1-7/raw.png": b"public raw-html figure",
    "deliverables/d1-7/notes.docx": SECRET + b"-8",
}


@pytest.fixture
def layouts(fixture_project):
    for path, text in LAYOUTS.items():
        fixture_project.write(path, text)
    return fixture_project


def test_only_what_a_published_page_uses_is_published(layouts, capsys):
    assert layouts.run("build", "--no-pdf") == 0
    site = layouts.site
    assert SECRET not in everything_published(site)
    files = published_files(site)
    assert {"deliverables/d1-7/chart.png", "deliverables/d1-7/raw.png"} <= files
    assert not any(name.endswith(("notes.docx", "map.png", "photo.jpg")) for name in files)
    assert "deliverables/d1-3/index.html" not in files and "news/coming/index.html" not in files


def test_check_points_out_files_no_page_uses(layouts, capsys):
    assert layouts.run("check") == 0
    err = capsys.readouterr().err.splitlines()
    unused = [line for line in err if "no page uses it" in line]
    # Files of items that are not published are never published anyway: no need to point them out.
    assert unused == ["deliverables/d1-7/notes.docx:1: warning: file: no page uses it, so it is not published "
                      "(link it from a page, or list its folder under assets in mkdocs.yml)"]


def test_a_public_page_cannot_publish_a_confidential_figure_by_linking_it(layouts):
    layouts.write("content/news/leak.md", "---\ntitle: Leak\nsummary: S.\ndate: 2016-01-01\n---\n"
                                          "![their chart](../../deliverables/d1-3/chart.png)\n\n"
                                          "[the draft's photo](../news/coming/photo.jpg)\n")
    with pytest.raises(ContentErrors) as failed:
        load_project(layouts.root)
    assert [str(problem) for problem in failed.value.problems if not problem.warning] == [
        "content/news/leak.md:6: news: image to '../../deliverables/d1-3/chart.png', a file of a deliverable that "
        "is not public, which is never published",
        "content/news/leak.md:8: news: link to '../news/coming/photo.jpg', a file of a draft news, "
        "which is never published",
    ]


def test_an_assets_folder_is_published_whole(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + "      assets: [content/press]\n")
    fixture_project.write("content/press/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    fixture_project.write("content/robots.txt", "User-agent: *\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    files = published_files(fixture_project.site)
    assert "press/logo.svg" in files
    # content/robots.txt lies outside the assets folder: the site's robots.txt is the build's own.
    assert (fixture_project.site / "robots.txt").read_text("utf-8") == "User-agent: *\nAllow: /\n"


@pytest.mark.parametrize(("link", "target", "where"), [
    ("content/passwd", "/etc/passwd", "outside"),
    ("deliverables/d1-9.md", "/etc/hostname", "outside"),
    ("content/shared", "/etc", "outside"),
    ("content/loop", "loop", "inside"),
    # Inside the project, a link would give a confidential file an innocent name.
    ("content/logo.png", "../deliverables/d1-3/chart.png", "inside"),
    ("content/notes.txt", "../deliverables/d1-3/index.md", "inside"),
    ("content/copy.md", "index.md", "inside"),
    ("content/elsewhere", "../deliverables", "inside"),
])
def test_symlinks_are_never_followed(layouts, capsys, link, target, where):
    path = layouts.root / link
    os.symlink(target, path)
    layouts.write("content/news/uses.md", f"---\ntitle: U\nsummary: S.\ndate: 2016-01-01\n---\n[it]({Path(link).name})\n"
                  .replace("](", "](../"))
    assert layouts.run("build", "--no-pdf") == 1
    err = capsys.readouterr().err
    assert f"{link}:1: file: is a symbolic link to {target}, {where} the project; links are not followed " \
           "(put the file itself here)" in err, err
    assert not layouts.site.exists()


def test_a_hard_link_gives_a_confidential_file_no_second_life(layouts, capsys):
    os.link(layouts.root / "deliverables/d1-3/chart.png", layouts.root / "content/hard.png")
    os.link(layouts.root / "deliverables/d1-3/index.md", layouts.root / "content/notes.txt")
    layouts.write("content/news/uses.md", "---\ntitle: U\nsummary: S.\ndate: 2016-01-01\n---\n"
                                          "![a](../hard.png)\n\n[b](../notes.txt)\n")
    assert layouts.run("check") == 1
    err = capsys.readouterr().err
    assert "content/news/uses.md:6: news: image to '../hard.png', another name (a hard link) for a file that is " \
           "never published, which is never published" in err
    assert "content/news/uses.md:8: news: link to '../notes.txt', another name (a hard link) for a file that is " \
           "never published, which is never published" in err


def test_a_file_a_confidential_page_uses_stays_unpublished_whatever_its_folder(layouts, capsys):
    layouts.write("content/news/uses.md", "---\ntitle: U\nsummary: S.\ndate: 2016-01-01\n---\n"
                                          "![a](../../deliverables/d1-5-chart.png)\n")
    assert layouts.run("check") == 1
    assert "content/news/uses.md:6: news: image to '../../deliverables/d1-5-chart.png', a file of a deliverable " \
           "that is not public, which is never published" in capsys.readouterr().err


def test_theme_files_reached_through_links_are_refused(fixture_project, capsys):
    (fixture_project.root / "theme/assets").mkdir()
    os.symlink("/etc/passwd", fixture_project.root / "theme/assets/passwd.txt")
    os.symlink("../../deliverables/d1-1.md", fixture_project.root / "theme/assets/source.txt")
    assert fixture_project.run("build", "--no-pdf") == 1
    err = capsys.readouterr().err
    assert "theme/assets/passwd.txt:1: file: is a symbolic link to /etc/passwd, outside the project" in err
    assert "theme/assets/source.txt:1: file: is a symbolic link to ../../deliverables/d1-1.md, inside the project" in err
    assert not fixture_project.site.exists()


@pytest.mark.parametrize("path", [
    "content/assets/javascripts/md-base.js",  # a script may be published only from a trusted folder
    "content/assets/disseminate.css",
    "content/pagefind/pagefind-entry.json",
    "content/pdf/FIX_D1.1_A-report.pdf",
    "content/catalogue.json",
])
def test_no_published_file_may_replace_the_sites_own(fixture_project, capsys, path):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + "      trusted_html: [content/assets]\n")
    fixture_project.write(path, "replaced")
    site_path = path.removeprefix("content/")
    fixture_project.write("content/index.md", f"---\ntitle: Home\n---\n[x]({site_path})\n")
    assert fixture_project.run("build", "--no-pdf") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:1: file: would be published as {site_path}, which belongs to the site itself (rename it or move it "
        "to another folder)")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("page.html", "<script>alert(1)</script>", "'.html' files are not published: a browser might run one"),
    ("page.HTML", "<script>alert(1)</script>", "'.html' files are not published"),
    ("tool.js", "alert(1)", "'.js' files are not published"),
    ("report", "<script>alert(1)</script>", "files without a suffix are not published"),
    ("x.php", "<?php system($_GET['c']); ?>", "'.php' files are not published"),
    ("chart.svgz", "gzip", "'.svgz' files are not published"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     "the drawing contains <script> (http://www.w3.org/2000/svg)"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg' xmlns:h='http://www.w3.org/1999/xhtml'><h:script>alert(1)"
                  "</h:script></svg>", "the drawing contains <script> (http://www.w3.org/1999/xhtml)"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><image href='https://evil.example/x.png'/></svg>",
     "the drawing's <image> refers to 'https://evil.example/x.png', which it may not load"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "has the event handler 'onload'"),
    ("chart.svg", "<!DOCTYPE svg [<!ATTLIST svg onload CDATA 'alert(1)'>]><svg xmlns='http://www.w3.org/2000/svg'/>",
     "the drawing defines its own document type"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><a><animate attributeName='href' values='x;javascript:a()'"
                  "/></a></svg>", "the drawing contains <animate>"),
    ("chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><style>@\\69mport 'https://evil.example/a.css'</style></svg>",
     "the drawing's stylesheet escapes characters"),
])
def test_files_a_browser_would_run_are_refused(fixture_project, capsys, name, content, message):
    fixture_project.write(f"content/{name}", content)
    fixture_project.write("content/index.md", f"---\ntitle: Home\n---\n[x]({name})\n")
    assert fixture_project.run("check") == 1
    assert message in capsys.readouterr().err


def test_a_plain_svg_figure_is_published(fixture_project):
    fixture_project.write("content/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'><defs><linearGradient "
                                               "id='g'/></defs><rect fill='url(#g)' width='9' height='9'/></svg>")
    fixture_project.write("content/index.md", "---\ntitle: Home\n---\n![chart](chart.svg)\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    assert (fixture_project.site / "chart.svg").is_file()


@pytest.mark.parametrize(("site_dir", "relation"), [
    ("deliverables", "is the source folder 'deliverables'"),
    ("policy_briefs", "is the source folder 'policy_briefs'"),
    ("theme", "is the source folder 'theme'"),
    ("content/site", "lies inside the source folder 'content'"),
    (".", "is the project folder"),
    ("..", "contains the project folder"),
    (".cache", "is the build cache"),
])
def test_a_site_folder_that_would_swallow_sources_is_refused(fixture_project, capsys, site_dir, relation):
    fixture_project.write("policy_briefs/01-x.md", "---\ntitle: Brief\nsummary: S.\nnumber: 1\n---\nText.\n")
    before = {path: path.read_bytes() for path in fixture_project.root.rglob("*") if path.is_file()}
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text() + f"site_dir: '{site_dir}'\n")
    assert fixture_project.run("build", "--no-pdf") == 1
    line = len((fixture_project.root / "mkdocs.yml").read_text().splitlines())
    assert capsys.readouterr().err.splitlines()[0] == (
        f"mkdocs.yml:{line}: config 'site_dir': '{site_dir}' {relation}: every build replaces the site folder "
        "whole (choose a folder of its own, e.g. site)")
    after = {path: path.read_bytes() for path in fixture_project.root.rglob("*") if path.is_file()}
    assert {path: data for path, data in after.items() if path.name != "mkdocs.yml"} == \
        {path: data for path, data in before.items() if path.name != "mkdocs.yml"}


def test_a_site_folder_holding_other_files_is_refused(fixture_project, capsys):
    fixture_project.write("public/notes.txt", "kept")
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text() + "site_dir: public\n")
    assert fixture_project.run("build", "--no-pdf") == 1
    assert "'public' holds files that no build made (there is no catalogue.json)" in capsys.readouterr().err
    assert (fixture_project.root / "public/notes.txt").read_text() == "kept"


@pytest.mark.parametrize("how", ["!ENV", "INHERIT"])
def test_a_site_folder_resolved_by_mkdocs_is_checked_too(fixture_project, capsys, how):
    """`check` reads mkdocs.yml as written; the build checks the folder MkDocs made of it."""
    config = (fixture_project.root / "mkdocs.yml").read_text()
    if how == "!ENV":
        fixture_project.write("mkdocs.yml", config + "site_dir: !ENV [DISSEMINATE_UNSET_VARIABLE, deliverables]\n")
    else:
        fixture_project.write("base.yml", "site_dir: deliverables\n")
        fixture_project.write("mkdocs.yml", "INHERIT: base.yml\n" + config)
    before = sorted(path.name for path in (fixture_project.root / "deliverables").iterdir())
    assert fixture_project.run("build", "--no-pdf") == 1
    assert "config 'site_dir': '" in capsys.readouterr().err
    assert sorted(path.name for path in (fixture_project.root / "deliverables").iterdir()) == before


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_site_that_is_a_file_or_a_link_is_refused(fixture_project, capsys, tmp_path, kind):
    if kind == "file":
        fixture_project.write("site", "not a folder")
    else:
        (tmp_path / "elsewhere").mkdir()
        os.symlink(tmp_path / "elsewhere", fixture_project.root / "site")
    assert fixture_project.run("build", "--no-pdf") == 1
    assert "config 'site_dir': 'site' is a " in capsys.readouterr().err
    assert (fixture_project.root / "site").is_symlink() == (kind == "symlink")


@pytest.mark.parametrize("name", [".site.lock", ".cache"])
def test_links_planted_where_the_build_writes_are_refused(fixture_project, capsys, caplog, tmp_path, name):
    victim = tmp_path / "victim"
    victim.mkdir() if name == ".cache" else victim.write_text("important")
    os.symlink(victim, fixture_project.root / name)
    assert fixture_project.run("build") == 1
    assert "symbolic link" in capsys.readouterr().err + caplog.text
    assert (list(victim.iterdir()) == []) if name == ".cache" else victim.read_text() == "important"


def test_an_assets_folder_does_not_publish_what_only_a_confidential_page_uses(fixture_project):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + "      assets: [content/figures]\n")
    fixture_project.write("content/figures/secret.png", SECRET)
    fixture_project.write("content/figures/logo.png", b"shared logo")
    fixture_project.write("deliverables/d1-3.md", deliverable("D1.3", "CO", "![c](../content/figures/secret.png) "
                                                                         "![l](../content/figures/logo.png)"))
    fixture_project.write("content/index.md", "---\ntitle: Home\n---\n![l](figures/logo.png)\n")
    assert fixture_project.run("build", "--no-pdf") == 0
    files = published_files(fixture_project.site)
    assert "figures/logo.png" in files and "figures/secret.png" not in files  # shared by a public page, or not


def test_a_figure_only_the_site_s_markdown_library_sees_is_still_withheld(fixture_project, capsys):
    """A reference defined on the line after a paragraph: CommonMark sees text, Python-Markdown an image."""
    fixture_project.write("deliverables/d1-4.md", deliverable("D1.4", "SEN", "Our chart:\n![Chart][fig]\n[fig]: d1-4-fig.png"))
    fixture_project.write("deliverables/d1-4-fig.png", SECRET)
    fixture_project.write("content/index.md", "---\ntitle: Home\n---\n[chart](../deliverables/d1-4-fig.png)\n")
    assert fixture_project.run("check") == 1
    assert "content/index.md:4: page: link to '../deliverables/d1-4-fig.png', a file of a deliverable that is not " \
           "public, which is never published" in capsys.readouterr().err


@pytest.mark.parametrize(("path", "page"), [
    ("content/events", "[the events file](events)"),                   # a file where the events listing's folder goes
    ("content/assets/images/favicon.png.md", "[x](assets/images/favicon.png.md)"),  # a folder where a theme file is
])
def test_a_file_where_the_site_needs_a_folder_is_refused_by_check(fixture_project, capsys, path, page):
    # Trusted, so that a file without a suffix may be published at all.
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text() + "      trusted_html: [content]\n")
    fixture_project.write(path, "---\ntitle: T\n---\nText.\n" if path.endswith(".md") else "plain text")
    fixture_project.write("content/index.md", f"---\ntitle: Home\n---\n{page}\n")
    assert fixture_project.run("check") == 1
    assert f"{path}:1: file: would be published as " in capsys.readouterr().err


def test_the_theme_is_read_whole_and_follows_no_link(layouts, capsys):
    for folder in ("partials", "assets"):
        (layouts.root / "theme" / folder).mkdir()
    os.symlink("../../deliverables/d1-3/index.md", layouts.root / "theme/partials/footer-note.html")
    os.link(layouts.root / "deliverables/d1-3/chart.png", layouts.root / "theme/assets/partner-logo.png")
    assert layouts.run("check") == 1
    err = capsys.readouterr().err
    assert "theme/partials/footer-note.html:1: file: is a symbolic link to ../../deliverables/d1-3/index.md" in err
    assert "theme/assets/partner-logo.png:1: file: is another name (a hard link) for a file that is never published" in err


def test_a_file_swapped_for_a_link_during_the_build_is_not_published(layouts, capsys, monkeypatch):
    """Checked files are published by path, later: one replaced in between (a synced folder, a pull)
    must not carry a confidential file out."""
    from builder.plugin import DisseminatePlugin

    layouts.write("content/logo.png", b"public logo")
    layouts.write("content/index.md", "---\ntitle: Home\n---\n![logo](logo.png)\n")
    on_env = DisseminatePlugin.on_env

    def swap_then_continue(self, env, **kwargs):
        (layouts.root / "content/logo.png").unlink()
        os.symlink("../deliverables/d1-3/chart.png", layouts.root / "content/logo.png")
        return on_env(self, env, **kwargs)
    monkeypatch.setattr(DisseminatePlugin, "on_env", swap_then_continue)
    assert layouts.run("build", "--no-pdf") == 1
    assert "content/logo.png:1: file: changed while the build ran, after it was checked (build again)" \
        in capsys.readouterr().err
    assert not layouts.site.exists()
