"""Load a whole project: config, sources, validation, index and generated pages, in one pass that
collects every problem before failing."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .assets import select_assets
from .collection import Collection, check_collection
from .config import SiteConfig, load_site_config
from .discover import SourceFile, discover_sources
from .layout import page_url
from .pages import VirtualPage, plan_virtual_pages, virtual_urls
from .problems import ContentErrors, Problem, split_warnings
from .read import Record, read_record, salvage_identity


@dataclass
class Project:
    """Everything the outputs need, as plain objects: no MkDocs in sight."""

    root: Path
    config: SiteConfig
    collection: Collection
    assets: list[SourceFile]
    virtual_pages: list[VirtualPage]
    built_at: dt.datetime
    warnings: list[Problem]

    def record(self, path: str) -> Record | None:
        return self.collection.by_path.get(path)

    def virtual_page(self, path: str) -> VirtualPage | None:
        return next((page for page in self.virtual_pages if page.path == path), None)

    def url_of(self, path: str) -> str:
        return page_url(path, self.config.use_directory_urls)


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds way to fix "now", when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isdigit() else None


def build_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    return source_date_epoch() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_project(root: Path, include_drafts: bool = False) -> Project:
    """Read and check everything under `root`; raise ContentErrors listing every error (and warning)."""
    root = root.resolve()
    config = load_site_config(root)
    sources, problems = discover_sources(root)
    records: list[Record] = []
    drafts: list[Record] = []
    unreadable: dict[str, dict[str, str]] = {}
    for source in sources:
        if source.is_page:
            record, found = read_record(source, config)
            problems.extend(found)
            if record is None:
                unreadable[source.path] = salvage_identity(source)
            else:
                (records if include_drafts or not record.item.draft else drafts).append(record)
    collection = Collection(records, config.use_directory_urls, unreadable)
    built_at = build_time()
    virtual_pages = plan_virtual_pages(config, collection, built_at)
    held_back = {record.path for record in drafts}
    unpublished = {record.path: record for record in [*drafts, *records]
                   if record.path in held_back or not record.item.is_public}
    assets = select_assets([source for source in sources if not source.is_page], collection.published(),
                           unpublished, config.assets, config.trusts_html)
    problems += assets.problems
    problems += check_collection(collection, virtual_urls(virtual_pages, config.use_directory_urls),
                                 {asset.path for asset in assets.published} | assets.refused, assets.withheld,
                                 config.trusts_html)
    errors, warnings = split_warnings(problems)
    if errors:
        raise ContentErrors(problems)
    return Project(root, config, collection, assets.published, virtual_pages, built_at, warnings)
