"""What an edit of some pages changes on the site: the written pages to make again, or why the
whole site must be built again.

The preview uses it to show an edit at once instead of building a thousand pages for one word.
It errs on the side of building more: what it cannot bound (new files, settings, the site's date,
templates a project overrides) builds everything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .pages import VirtualPage
from .project import Project
from .read import Record
from .themes import WEB_OVERRIDES
from .types import CONTENT_TYPES


@dataclass(frozen=True)
class Impact:
    """The source paths of the written and the generated pages to make again, unless `whole_site`
    says why everything must be."""

    pages: frozenset[str] = frozenset()
    generated: frozenset[str] = frozenset()
    whole_site: str = ""


def impact_of(before: Project, after: Project) -> Impact:
    """What changed from `before` to `after`, two loads of one project. A page counts as changed
    when its record is not the same object: a RecordCache hands back the very record of a page whose
    bytes did not change."""
    if reason := _unbounded(before, after):
        return Impact(whole_site=reason)
    changed = [path for path, record in after.collection.by_path.items()
               if before.collection.by_path.get(path) is not record]
    pages = set(changed)
    for path in changed:
        pages |= _neighbours(before, before.record(path)) | _neighbours(after, after.record(path))
        # its versions in the other languages show its PDF ("Also as PDF") and lead to it
        pages |= {*before.versions(path).values(), *after.versions(path).values()}
    if changed:  # the home pages list the latest items
        pages |= {record.path for record in after.collection.every_published_page() if record.item.plain_page}
    generated = {page.path for page, earlier in zip(after.virtual_pages, before.virtual_pages, strict=True)
                 if _shows_changes(earlier, page, pages)}
    published = {record.path for record in after.collection.every_published_page()}
    return Impact(frozenset(pages & published), frozenset(generated))


def _unbounded(before: Project, after: Project) -> str:
    """Why the edit may change pages it does not name, or the site's files: empty if it cannot."""
    if after.config != before.config:
        return "the settings changed"
    if before.published_paths() != after.published_paths():
        return "pages or files were added, removed, published or withheld"
    if [asset.stamp for asset in before.assets] != [asset.stamp for asset in after.assets]:
        return "a published file changed"
    if [page.path for page in before.virtual_pages] != [page.path for page in after.virtual_pages]:
        return "the generated pages changed"
    if (before.content_date, before.last_change) != (after.content_date, after.last_change):
        return "the site's date changed (the newest item's)"
    if any((after.theme.project / WEB_OVERRIDES).glob("*")):
        return f"the theme overrides the generator's templates ({WEB_OVERRIDES}/), which may show any item anywhere"
    return ""


def _shows_changes(before: VirtualPage, after: VirtualPage, touched: set[str]) -> bool:
    """Whether a generated page may show something else: its data changed (a listing's items, a
    count), or it shows a touched record. A page whose data holds no record (the search page's
    facets, the feeds on the subscribe page) reads the whole collection or the outputs: it may."""
    if before.data != after.data:
        return True
    shown = _records_in(after.data) | _records_in(before.data)
    return not shown or not shown.isdisjoint(touched)


def _records_in(value: Any) -> set[str]:
    """The paths of the records in a page's data, however nested (lists, mappings, dataclasses)."""
    if isinstance(value, Record):
        return {value.path}
    if isinstance(value, dict):
        value = list(value.values())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = [getattr(value, field.name) for field in dataclasses.fields(value)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(_records_in(element) for element in value)) if value else set()
    return set()


def _neighbours(project: Project, record: Record | None) -> set[str]:
    """The pages that show something of `record` besides its own, in every language: those it names
    in a reference field (a recommendation's evidence), and those that name it (the recommendations a
    deliverable is evidence for)."""
    if record is None:
        return set()
    collection, item = project.collection, record.item
    record = collection.original_of(record)
    named = {target.path for field in item.references for target in collection.targets(record, field)}
    naming = {referrer.path for content_type in CONTENT_TYPES.values()
              if item.type_name in content_type.references.values()
              for referrer in collection.referring(record, content_type.type_name)}
    return {version for path in named | naming for version in project.versions(path).values()}
