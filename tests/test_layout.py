"""layout.py mirrors MkDocs' rules for where a source lands and what its URL is: the checks use it
to know every page's address before MkDocs builds anything, so the two must agree on every path."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from mkdocs.structure.files import File

from builder.layout import dest_uri, page_url, relative_url, site_path

TRICKY = ["index.md", "README.md", "about.md", "news/index.md", "news/README.md", "news/2015-09-14.md",
          "a/b/c/deep.md", "with space/and space.md", "ünïcödé/straße.md", "dots/v1.2.final.md", "UPPER/CASE.MD.md",
          "index/index.md", "x/README.md", "x/readme.md", "figure.png", "folder/data.csv", "noext"]


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("path", TRICKY)
def test_dest_and_url_agree_with_mkdocs(path, use_directory_urls):
    """`site_path` is ours alone (content/ dropped, URL bases); from there on MkDocs decides. Its URLs
    are percent-encoded and its home page is './'; ours are the same addresses, unencoded."""
    source = f"content/{path}"
    theirs = File(site_path(source), src_dir="/src", dest_dir="/site", use_directory_urls=use_directory_urls)
    assert dest_uri(source, use_directory_urls) == theirs.dest_uri
    if path.endswith(".md"):
        assert page_url(source, use_directory_urls) == ("" if theirs.url == "./" else unquote(theirs.url))


@pytest.mark.parametrize(("source", "expected"), [
    ("content/about.md", "about.md"),
    ("deliverables/d5-4.md", "deliverables/d5-4.md"),
    ("policy_briefs/pb1.md", "policy-briefs/pb1.md"),
    ("policy_briefs_old/pb1.md", "policy_briefs_old/pb1.md"),  # a prefix of the folder's name is not the folder
    ("content/guides/g.md", "guides/g.md"),
])
def test_site_path_drops_content_and_uses_url_bases(source, expected):
    assert site_path(source) == expected


@pytest.mark.parametrize(("target", "from_url", "expected"), [
    ("deliverables/", "", "deliverables/"),
    ("", "deliverables/d1-1/", "../../"),
    ("deliverables/d1-1/", "deliverables/d1-1/", "./"),
    ("about.html", "news/x.html", "../about.html"),
    ("javascript:alert(1)/", "", "./javascript:alert(1)/"),  # never read as a scheme
])
def test_relative_url(target, from_url, expected):
    assert relative_url(target, from_url) == expected
