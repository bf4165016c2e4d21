"""Videos: the sources a video may have and the errors for those it may not; a file the site hosts with
its captions and the transcript read from them; a hosted video's privacy-enhanced player; videos in the
gallery, the action plan's group pages, the catalogue and the search index. The browser's side (no
request to the platform before the click) is in test_browser.py."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from builder.types.video import embed_of

CAPTIONS = """WEBVTT

00:00.000 --> 00:03.000
<v Ana>Welcome to the <b>project</b>.

00:03.000 --> 00:06.000
We study
civil society.
"""
SELF_HOSTED = """---
title: Our project in two minutes
summary: What the project does.
file: intro.mp4
captions: intro.vtt
poster: intro.jpg
stakeholders: [cso]
---
"""
HOSTED = """---
title: Recommendations for NCPs
summary: Four minutes for National Contact Points.
hosted: https://vimeo.com/123456789
stakeholders: [ncp]
---
A transcript, written by the project.
"""


def page(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


@pytest.mark.parametrize(("address", "player"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/playlist?list=PLabcdef123", "https://www.youtube-nocookie.com/embed/videoseries?list=PLabcdef123"),
    ("https://www.youtube.com/channel/UC1-qLqAONMBJCmHMrf_CUSg/videos",
     "https://www.youtube-nocookie.com/embed/videoseries?list=UU1-qLqAONMBJCmHMrf_CUSg"),
    ("https://vimeo.com/123456789", "https://player.vimeo.com/video/123456789?dnt=1"),
    ("https://tube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
     "https://tube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
    ("https://www.youtube.com/watch?v=<script>", None),
    ("https://example.org/video.mp4", None),
    ("http://tube.example.org/w/9c9de5e8", None),  # a PeerTube player only over HTTPS
])
def test_a_video_pages_address_gives_its_privacy_enhanced_player(address, player):
    embed = embed_of(address)
    assert (embed.player if embed else None) == player


@pytest.mark.parametrize(("front_matter", "message"), [
    ("summary: s\n", "file: give either file (a video on this site) or hosted (its address on a video platform), "
                     "not neither"),
    ("summary: s\nfile: a.mp4\nhosted: https://vimeo.com/1\ncaptions: a.vtt\n", "not both"),
    ("summary: s\nfile: a.mp4\n", "captions: a video file needs captions (add captions: a .vtt file; WCAG 1.2.2)"),
    ("summary: s\nfile: a.avi\ncaptions: a.vtt\n", "file: 'a.avi' is not a .mp4 or .webm file"),
    ("summary: s\nhosted: https://example.org/v/1\n", "hosted: 'https://example.org/v/1' is not a video address"),
])
def test_a_video_without_a_proper_source_is_one_clear_line(fixture_project, capsys, front_matter, message):
    fixture_project.write("content/videos/bad.md", f"---\ntitle: Bad\n{front_matter}---\n")
    assert fixture_project.run("check") == 1
    [line] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("content/videos/bad.md:")]
    assert f"video '{message.split(':')[0]}': {message.split(': ', 1)[1]}" in line if ": " in message else message in line


def test_a_missing_video_file_is_reported_at_its_line(fixture_project, capsys):
    fixture_project.write("content/videos/intro.md", SELF_HOSTED)
    fixture_project.write("content/videos/intro.vtt", CAPTIONS)
    fixture_project.write("content/videos/intro.jpg", "jpeg")
    assert fixture_project.run("check") == 1
    err = capsys.readouterr().err
    assert err.startswith("content/videos/intro.md:4: video 'file': file to 'intro.mp4': no such file "
                          "(content/videos/intro.mp4)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import FixtureProject
    project = FixtureProject(tmp_path_factory.mktemp("videos"))
    project.write("content/videos/intro.md", SELF_HOSTED)
    project.write("content/videos/intro.vtt", CAPTIONS)
    (project.root / "content/videos/intro.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (project.root / "content/videos/intro.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    project.write("content/videos/ncp.md", HOSTED)
    for key in ("ncp", "cso"):
        project.write(f"content/action-plan/{key}-1.md", f"---\ntitle: Advice\nsummary: Do it.\nid: {key}-1\n"
                                                         f"stakeholders: [{key}]\n---\n")
    assert project.run("build", "--no-pdf") == 0
    return project


def test_a_self_hosted_video_plays_in_the_page_with_its_captions_and_transcript(built):
    soup = page(built.site, "videos/intro/index.html")
    video = soup.select_one("figure.ds-video video")
    assert video["preload"] == "none" and video["poster"] == "../intro.jpg"
    assert video.source["src"] == "../intro.mp4" and video.source["type"] == "video/mp4"
    assert (video.track["kind"], video.track["src"], video.track["srclang"]) == ("captions", "../intro.vtt", "en")
    for name in ("intro.mp4", "intro.vtt", "intro.jpg"):
        assert (built.site / "videos" / name).is_file()
    paragraphs = [p.get_text() for p in soup.select(".ds-transcript p")]
    assert paragraphs == ["Welcome to the project.", "We study civil society."]
    assert soup.select_one(".ds-transcript b") is None


def test_a_hosted_video_shows_a_link_that_the_script_turns_into_the_player(built):
    soup = page(built.site, "videos/ncp/index.html")
    facade = soup.select_one("a.ds-video__facade")
    assert facade["href"] == "https://vimeo.com/123456789"
    assert facade["data-player"] == "https://player.vimeo.com/video/123456789?dnt=1"
    assert soup.find("iframe") is None  # nothing of the platform's until the click
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-src https://player.vimeo.com" in policy
    assert "frame-src" not in page(built.site, "videos/intro/index.html").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "A transcript, written by the project." in soup.get_text()


def test_videos_have_a_gallery_and_reach_the_catalogue_search_and_their_groups_action_plan(built):
    gallery = page(built.site, "videos/index.html")
    assert sorted(a.get_text() for a in gallery.select(".ds-entry__title a")) == ["Our project in two minutes",
                                                                                 "Recommendations for NCPs"]
    assert gallery.select_one("form.ds-filters") is not None
    assert [img["src"] for img in gallery.select("img.ds-entry__poster")] == ["intro.jpg"]  # the poster, no player
    assert "frame-src" not in gallery.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    catalogue = json.loads((built.site / "catalogue.json").read_text("utf-8"))
    assert sorted(item["title"] for item in catalogue["items"] if item["type"] == "video") == [
        "Our project in two minutes", "Recommendations for NCPs"]
    assert any((built.site / "pagefind").rglob("*.pf_fragment"))
    ncp_plan = page(built.site, "action-plan/for/ncp/index.html")
    assert [a["data-player"] for a in ncp_plan.select(".ds-group-videos a.ds-video__facade")] == [
        "https://player.vimeo.com/video/123456789?dnt=1"]
    assert page(built.site, "action-plan/for/cso/index.html").select_one(".ds-group-videos video") is not None


def test_broken_captions_stop_the_build_with_one_line(fixture_project, capsys):
    fixture_project.write("content/videos/intro.md", SELF_HOSTED)
    fixture_project.write("content/videos/intro.vtt", "not captions at all")
    (fixture_project.root / "content/videos/intro.mp4").write_bytes(b"\x00")
    (fixture_project.root / "content/videos/intro.jpg").write_bytes(b"\xff\xd8")
    assert fixture_project.run("build", "--no-pdf") == 1
    err = capsys.readouterr().err
    assert "content/videos/intro.md:5: video 'captions': 'intro.vtt' is not a WebVTT file" in err
    assert "Traceback" not in err


def test_new_starts_a_hosted_or_a_self_hosted_video(fixture_project, capsys):
    assert fixture_project.run("new", "video", "https://vimeo.com/123456789", "Our film") == 0
    text = (fixture_project.root / "content/videos/our-film.md").read_text("utf-8")
    assert 'hosted: "https://vimeo.com/123456789"' in text and "draft: true" in text
    assert fixture_project.run("new", "video", "clips/intro.mp4", "Intro") == 0
    text = (fixture_project.root / "content/videos/intro.md").read_text("utf-8")
    assert 'file: "intro.mp4"' in text and 'captions: "intro.vtt"' in text
