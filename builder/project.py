"""Load a whole project: config, sources, validation, index and generated pages, in one pass that
collects every problem before failing."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .collection import Collection, check_collection
from .config import SiteConfig, load_site_config
from .discover import SourceFile, discover_sources
from .layout import page_url
from .pages import VirtualPage, plan_virtual_pages, virtual_urls
from .problems import ContentErrors, Problem
from .read import Record, read_record


@dataclass
class Project:
    """Everything the outputs need, as plain objects: no MkDocs in sight."""

    root: Path
    config: SiteConfig
    collection: Collection
    assets: list[SourceFile]
    virtual_pages: list[VirtualPage]
    built_at: dt.datetime

    def record(self, path: str) -> Record | None:
        return self.collection.by_path.get(path)

    def virtual_page(self, path: str) -> VirtualPage | None:
        return next((page for page in self.virtual_pages if page.path == path), None)

    def url_of(self, path: str) -> str:
        return page_url(path, self.config.use_directory_urls)


def build_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_project(root: Path, include_drafts: bool = False) -> Project:
    """Read and check everything under `root`; raise ContentErrors listing every problem."""
    root = root.resolve()
    config = load_site_config(root)
    sources = discover_sources(root)
    records: list[Record] = []
    withheld: list[Record] = []
    problems: list[Problem] = []
    for source in sources:
        if source.is_page:
            record, found = read_record(source, config)
            problems.extend(found)
            if record:
                (records if include_drafts or not record.item.draft else withheld).append(record)
    collection = Collection(records, config.use_directory_urls)
    built_at = build_time()
    virtual_pages = plan_virtual_pages(config, collection, built_at)
    assets = _published_assets(sources, records + withheld, {r.path for r in withheld})
    problems += check_collection(collection, virtual_urls(virtual_pages, config.use_directory_urls),
                                 {asset.path for asset in assets})
    if problems:
        raise ContentErrors(problems)
    return Project(root, config, collection, assets, virtual_pages, built_at)


def _published_assets(sources: list[SourceFile], records: list[Record], withheld: set[str]) -> list[SourceFile]:
    """Non-page files, minus those inside the folder of an item that is not published."""
    hidden_folders = tuple(record.path[: -len("index.md")] for record in records
                           if (record.path in withheld or not record.item.is_public)
                           and record.path.endswith("/index.md") and record.path.count("/") > 1)
    return [source for source in sources
            if not source.is_page and not (hidden_folders and source.path.startswith(hidden_folders))]
