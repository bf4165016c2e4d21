"""The index of all items: lookups by type, id and taxonomy, and checks across items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .layout import page_url
from .links import local_target
from .markup import check_markup
from .problems import Problem
from .read import Record
from .types import CONTENT_TYPES, Item, type_for_folder


@dataclass
class Collection:
    """Every validated record, plus the paths of generated pages and assets for link checks."""

    records: list[Record]
    use_directory_urls: bool = True
    # Pages that could not be read, with the `id` or `number` they state: they still exist for the
    # checks of other pages, which would otherwise report one mistake many times over.
    unreadable: dict[str, dict[str, str]] = field(default_factory=dict)
    # The published versions of pages in the site's other languages (builder/translations.py): found
    # by path and from their originals, never among `records`, which hold each item once.
    translations: list[Record] = field(default_factory=list)
    languages: tuple[str, ...] = ()  # the languages a translation may be in (their pages' URLs say it)
    by_path: dict[str, Record] = field(init=False)

    _by_key: dict[tuple[str, object], Record] = field(init=False)
    # (referring type, referred type, referred key) -> the records that name it, each once, in order
    _referrers: dict[tuple[str, str, object], dict[str, Record]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_path = {record.path: record for record in [*self.records, *self.translations]}
        self._views: dict[str, Collection] = {}  # by language, made once: every page and PDF reads them
        self._versions: dict[str, dict[str, Record]] = defaultdict(dict)
        for translation in self.translations:
            self._versions[translation.original][translation.item.language] = translation
        self._by_key = {}
        self._referrers = defaultdict(dict)
        for record in self.records:  # the first of two with one key: the second is reported
            if record.item.unique_key:
                self._by_key.setdefault((record.item.type_name, record.item.key), record)
            for field_name, target in record.item.references.items():
                for key in record.item.referenced_keys(field_name):
                    self._referrers[(record.item.type_name, target, key)][record.path] = record

    def of_type(self, content_type: type[Item]) -> list[Record]:
        return [record for record in self.records if type(record.item) is content_type]

    def find(self, type_name: str, key: object) -> Record | None:
        """The item of a type by its unique key (a deliverable by its id)."""
        return self._by_key.get((type_name, key))

    def deliverable(self, ident: str) -> Record | None:
        return self.find("deliverable", ident)

    def targets(self, record: Record, field_name: str) -> list[Record]:
        """The items a reference field of `record` names, those that exist, in its order."""
        target_type = record.item.references.get(field_name)
        if target_type is None:
            return []
        found = (self.find(target_type, key) for key in record.item.referenced_keys(field_name))
        return [target for target in found if target]

    def referring(self, record: Record, type_name: str) -> list[Record]:
        """Items of a type whose reference fields name `record` (the recommendations a deliverable
        is evidence for)."""
        item = record.item
        if item.unique_key is None:
            return []
        return list(self._referrers.get((type_name, item.type_name, item.key), {}).values())

    def published(self) -> list[Record]:
        """Records whose body becomes a page (public deliverables and everything else)."""
        return [record for record in self.records if record.item.is_public]

    def original_of(self, record: Record) -> Record:
        """A translation's original; any other record itself."""
        return self.by_path.get(record.original, record) if record.original else record

    def in_language(self, language: str) -> "Collection":
        """The collection as one of the site's languages shows it: each item in its version in that
        language where it has one, else as it is; the originals' for the default language."""
        if language not in self._views:
            versions = [self._versions.get(record.path, {}).get(language, record) for record in self.records]
            view = Collection(versions, self.use_directory_urls, self.unreadable, self.translations, self.languages)
            view.by_path = {**self.by_path, **view.by_path}  # every page is found by its path in any view
            self._views[language] = view
        return self._views[language]

    def every_published_page(self) -> list[Record]:
        """The published records and their published translations: every page an item makes."""
        return [*self.published(), *(record for record in self.translations if record.item.is_public)]

    def url_of(self, record: Record) -> str:
        return page_url(record.path, self.use_directory_urls, self.languages)

    def tagged(self, taxonomy: str, key: str) -> list[Record]:
        """Published records tagged with one taxonomy key (guides count their audience)."""
        def keys(item: Item) -> Iterable[str]:
            return item.audiences() if taxonomy == "stakeholders" else getattr(item, taxonomy)
        return [record for record in self.published() if key in keys(record.item)]


def check_collection(collection: Collection, generated_pages: dict[str, str], assets: set[str],
                     withheld: dict[str, str], trusts_html: Callable[[str], bool]) -> list[Problem]:
    """Problems that only show across items or in bodies: duplicates, dangling references, broken
    links, links to what is not published, markup the site refuses."""
    return [*_duplicate_keys(collection), *_duplicate_urls(collection, generated_pages),
            *_dangling_references(collection), *_broken_links(collection, set(generated_pages), assets, withheld),
            *_markup_problems(collection, trusts_html)]


def _duplicate_keys(collection: Collection) -> list[Problem]:
    problems = []
    for record in collection.records:
        item = record.item
        first = collection.find(item.type_name, item.key) if item.unique_key else record
        if first is not record:
            problems.append(Problem(record.path, record.line_of(item.unique_key), item.type_name, item.unique_key,
                                    f"'{item.key}' is already used by {first.path} (each must be unique)"))
    return problems


def _duplicate_urls(collection: Collection, generated_pages: dict[str, str]) -> list[Problem]:
    owners: dict[str, list[str]] = defaultdict(list)
    for path, url in generated_pages.items():
        owners[url].append(path + " (generated)")
    problems = []
    for record in collection.every_published_page():
        url = collection.url_of(record)
        if owners[url]:
            problems.append(Problem(record.path, 1, record.item.type_name, None,
                                    f"page URL '/{url}' is already taken by {owners[url][0]} (rename one of the files)"))
        owners[url].append(record.path)
    return problems


def _dangling_references(collection: Collection) -> list[Problem]:
    problems = []
    for record in collection.records:
        for field_name, target_type in record.item.references.items():
            for index, key in enumerate(record.item.referenced_keys(field_name)):
                if collection.find(target_type, key) is None and key not in _unreadable_keys(collection, target_type):
                    problems.append(Problem(record.path, record.line_of(field_name, index), record.item.type_name,
                                            f"{field_name}[{index}]", f"no {CONTENT_TYPES[target_type].type_label.lower()} "
                                            f"'{key}' (known: {', '.join(_known_keys(collection, target_type))})"))
    return problems


def _known_keys(collection: Collection, type_name: str) -> list[str]:
    content_type = CONTENT_TYPES[type_name]
    return sorted(str(record.item.key) for record in collection.of_type(content_type))


def _unreadable_keys(collection: Collection, type_name: str) -> set[str]:
    """The keys unreadable pages of a type state: references to them are not reported again."""
    content_type = CONTENT_TYPES[type_name]
    return {identity.get(content_type.unique_key) for path, identity in collection.unreadable.items()
            if type_for_folder(path) is content_type}


def _broken_links(collection: Collection, generated: set[str], assets: set[str],
                  withheld: dict[str, str]) -> list[Problem]:
    pages = {record.path for record in collection.every_published_page()} | generated | set(collection.unreadable)
    hidden = {record.path: record for record in [*collection.records, *collection.translations]
              if not record.item.is_public}
    problems = []
    for record in collection.every_published_page():
        for link in record.markup.links:
            target = local_target(link, record.path)
            if target is None or target in pages or target in assets:
                continue
            what = "file" if link.field else "image" if link.is_image else "link"
            if target in hidden:
                reason = f"{what} to '{link.target}', a deliverable that is not public (link the deliverables list instead)"
            elif target in withheld:
                reason = f"{what} to '{link.target}', {withheld[target]}, which is never published"
            else:
                reason = f"{what} to '{link.target}': no such file ({target})"
            problems.append(Problem(record.path, link.line, record.item.type_name, link.field, reason))
    return problems


def _markup_problems(collection: Collection, trusts_html: Callable[[str], bool]) -> list[Problem]:
    """Raw HTML and addresses in published bodies that the site refuses (errors) or drops (warnings)."""
    return [Problem(record.path, finding.line, record.item.type_name, None, finding.message, warning=not finding.error)
            for record in collection.every_published_page()
            for finding in check_markup(record.markup, trusted=trusts_html(record.path))]
