"""Search: Pagefind indexes the built HTML into a chunked index, so a visitor downloads only the
parts of the index a query needs, with facets taken from the items' front matter."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

from ..layout import SEARCH_FOLDER
from ..scratch import die_with_parent
from ..search_order import IndexFormatError, stabilise_index
from .base import Made, Output, OutputContext, OutputFailed, register_output


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message is its own last words."""


def index_site(site_dir: Path) -> int:
    """Index every page marked `data-pagefind-body` under `site_dir`; return how many were indexed."""
    from pagefind_bin import get_executable

    # Run as a child that dies with the build, rather than through Pagefind's Python service,
    # which would leave an orphan indexer writing into the folder of a killed build.
    indexer = subprocess.run(
        [str(get_executable()), "--site", str(site_dir), "--output-subdir", SEARCH_FOLDER, "--silent"],
        capture_output=True, text=True, preexec_fn=functools.partial(die_with_parent, os.getpid()))
    if indexer.returncode != 0:
        said = (indexer.stderr or indexer.stdout).strip().splitlines()
        raise SearchIndexError(f"Pagefind failed (status {indexer.returncode}): {said[-1] if said else 'no message'}")
    try:
        stabilise_index(site_dir / SEARCH_FOLDER)
    except IndexFormatError as error:
        raise SearchIndexError(f"the search index is not in the form this version expects: {error}") from None
    entry = json.loads((site_dir / SEARCH_FOLDER / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


@register_output
class SearchIndex(Output):
    name = "search"
    stage = "site"
    writes = (f"{SEARCH_FOLDER}/",)
    last = True  # it indexes what every other output wrote too

    def run(self, context: OutputContext) -> Made:
        try:
            pages = index_site(context.site_dir)
        except SearchIndexError as error:
            raise OutputFailed(str(error)) from None
        context.log.info("Search: %d pages indexed", pages)
        return Made(summary=pages)
