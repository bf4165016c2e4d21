"""Where sources live and where their pages land: the one mapping from source path to URL.

Sources are addressed by their path from the project root (`deliverables/d5-4.md`), so relative
Markdown links between files work exactly as they do in an editor; URLs drop the `content/` prefix
and use each type's URL base (`policy_briefs/` is published as `policy-briefs/`).
"""

from __future__ import annotations

import functools
import posixpath
import re

from .fields import SITE_LANGUAGE, known_language
from .types import CONTENT_TYPES

CONTENT_ROOT = "content"
CACHE_ROOT = ".cache"
PDF_FOLDER = "pdf"
SEARCH_FOLDER = "pagefind"
CATALOGUE_FILE = "catalogue.json"
# What MkDocs itself writes into the site, which no published file may take the place of; the
# outputs declare what they write (builder/outputs).
MKDOCS_OUTPUTS = ("sitemap.xml", "sitemap.xml.gz", "404.html")


def source_roots() -> list[str]:
    """Top-level folders that hold sources: content/ and every type folder outside it."""
    roots = [CONTENT_ROOT]
    for content_type in CONTENT_TYPES.values():
        top = (content_type.folder or "").split("/")[0]
        if top and top not in roots:
            roots.append(top)
    return roots


# A translation names its language before the extension (`d5-4.de.md`, `index.pt-BR.md`), the
# convention of mkdocs-static-i18n.
_LANGUAGE_SUFFIX = re.compile(rf"^(?P<stem>.+)\.(?P<language>{SITE_LANGUAGE})\.md$")
Languages = tuple[str, ...]  # the site's languages but the default: those a translation may be in


@functools.lru_cache(maxsize=1 << 16)
def language_suffix(source_path: str) -> tuple[str, str] | None:
    """The original's path and the language a page's name gives before `.md`, when it gives a
    language Babel knows (`d5-4.de.md`; not `notes.old.md`), whether or not the site is in it."""
    folder, name = posixpath.split(source_path)
    found = _LANGUAGE_SUFFIX.match(name)
    if found is None or not known_language(found["language"]):
        return None
    return posixpath.join(folder, found["stem"] + ".md"), found["language"]


def translation_of(source_path: str, languages: Languages) -> tuple[str, str] | None:
    """The original's path and the language of a translation (`deliverables/d5-4.de.md` is the
    German version of `deliverables/d5-4.md`, on a site in German too); None for any other page.
    On a site in one language, `how.to.md` or `faq.it.md` are pages like any other."""
    suffix = language_suffix(source_path)
    return suffix if suffix and suffix[1] in languages else None


def language_version(source_path: str, language: str | None) -> str:
    """The path of a page's version in `language` (None: the default language's, the path itself)."""
    return source_path if language is None else f"{source_path[:-3]}.{language}.md"


@functools.lru_cache(maxsize=1 << 16)  # called for every link of every page
def site_path(source_path: str, languages: Languages = ()) -> str:
    """The path a source maps to inside the site, before page-to-HTML renaming. A translation into
    one of `languages` lands under its language's folder, at the place of its original:
    `de/deliverables/d5-4.md`."""
    if translation := translation_of(source_path, languages):
        original, language = translation
        return f"{language}/{site_path(original)}"
    if source_path.startswith(CONTENT_ROOT + "/"):
        return source_path[len(CONTENT_ROOT) + 1:]
    for content_type in CONTENT_TYPES.values():
        folder, base = content_type.folder, content_type.url_base
        if folder and base and source_path.startswith(folder + "/"):
            return base + source_path[len(folder):]
    return source_path


@functools.lru_cache(maxsize=1 << 16)  # called for every link of every page
def dest_uri(source_path: str, use_directory_urls: bool = True, languages: Languages = ()) -> str:
    """The output file of a source: pages become HTML, other files keep their name."""
    path = site_path(source_path, languages)
    if not path.endswith(".md"):
        return path
    parent, name = posixpath.split(path[:-3])
    if name in ("index", "README") or not use_directory_urls:
        return posixpath.join(parent, ("index" if name == "README" else name) + ".html")
    return posixpath.join(parent, name, "index.html")


@functools.lru_cache(maxsize=1 << 16)  # called for every link of every page
def page_url(source_path: str, use_directory_urls: bool = True, languages: Languages = ()) -> str:
    """Site-relative URL of a page (`deliverables/d5-4/`), '' for the home page."""
    uri = dest_uri(source_path, use_directory_urls, languages)
    if use_directory_urls and posixpath.basename(uri) == "index.html":
        parent = posixpath.dirname(uri)
        return parent + "/" if parent else ""
    return uri


def relative_url(target: str, from_url: str) -> str:
    """A link from the page at `from_url` to the site-relative `target`, both as page URLs."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    relative = posixpath.relpath("/" + target, "/" + base)
    if (not target or target.endswith("/")) and not relative.endswith("/"):
        relative += "/"
    if relative in (".", "./"):
        return "./"
    # A first segment with a colon would read as a scheme (`javascript:x/`): anchor it to this folder.
    return f"./{relative}" if ":" in relative.split("/", 1)[0] else relative
