"""Search: Pagefind indexes the built HTML into a chunked index, so a visitor downloads only the
parts of the index a query needs, with facets taken from the items' front matter."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

SEARCH_FOLDER = "pagefind"


def index_site(site_dir: Path) -> int:
    """Index every page marked `data-pagefind-body` under `site_dir`; return how many were indexed."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def run() -> None:
        config = IndexConfig(output_path=str(site_dir / SEARCH_FOLDER))
        async with PagefindIndex(config=config) as index:
            await index.add_directory(str(site_dir))
    asyncio.run(run())
    # add_directory counts the files it read; the entry file counts the pages actually indexed.
    entry = json.loads((site_dir / SEARCH_FOLDER / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())
