"""Load a whole project: config, sources, validation, index and generated pages, in one pass that
collects every problem before failing."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale

from .assets import (
    AssetSelection,
    installed_theme,
    layout_conflicts,
    secret_inodes,
    select_assets,
    theme_files,
    theme_problems,
)
from .catalogues import translations
from .collection import Collection, check_collection
from .config import LoadedConfig, SiteConfig, config_path, load_site_config
from .discover import SourceFile, discover_sources
from .layout import MKDOCS_OUTPUTS, dest_uri, language_suffix, language_version, page_url, translation_of
from .pages import VirtualPage, plan_virtual_pages, virtual_urls
from .problems import ContentErrors, Problem, split_warnings
from .read import Record, RecordCache, TranslationText, read_records, salvage_identity
from .repository import Repository, load_repository
from .themes import PACKAGE_THEME, ThemeLayers, theme_layers
from .translations import join_translations


@dataclass(frozen=True)
class LanguageVersion:
    """One entry of a page's language switcher: the page in a language, or that language's home page."""

    language: str
    name: str  # the language's name in itself: Deutsch, Ελληνικά
    url: str
    current: bool = False
    home: bool = False  # the page has no version in this language: the entry leads to its home page
    home_label: str = ""  # "home page", in the entry's language


def native_name(language: str) -> str:
    """A language's name as its speakers write it at the start of a menu entry (Français, Ελληνικά)."""
    name = Locale.parse(language.replace("-", "_")).get_display_name(language.replace("-", "_")) or language
    return name[:1].upper() + name[1:]


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
    pages_read: int  # drafts and unreadable pages included
    repository: Repository | None = None  # the related projects from CORDIS, when imported

    def record(self, path: str) -> Record | None:
        return self.collection.by_path.get(path)

    def virtual_page(self, path: str) -> VirtualPage | None:
        return self._virtual_by_path.get(path)

    @cached_property
    def _virtual_by_path(self) -> dict[str, VirtualPage]:
        return {page.path: page for page in self.virtual_pages}

    def site_language(self, path: str) -> str:
        """The language of the site a page is part of (a translation's, else the default's)."""
        translation = translation_of(path, self.config.translation_languages)
        return translation[1] if translation else self.config.default_language

    def versions(self, path: str) -> dict[str, str]:
        """A page's versions in the site's languages, by language, the page's own among them: the
        original and its published translations, or a generated page in every language it has."""
        default = self.config.default_language
        translation = translation_of(path, self.config.translation_languages)
        original = translation[0] if translation else path
        found = {}
        for language in self.config.site_languages:
            version = language_version(original, None if language == default else language)
            record = self.record(version)
            if (record and record.item.is_public) or self.virtual_page(version):
                found[language] = version
        return found

    def alternates(self, path: str) -> list[LanguageVersion]:
        """What a page's language switcher offers: each of the site's languages, with the page's
        version in it, else that language's home page (`home`); none for a single-language site."""
        languages = self.config.site_languages
        if len(languages) < 2:
            return []
        versions = self.versions(path)
        homes = self.versions(self.home_path) if self.home_path else {}
        found = []
        for language in languages:
            target = versions.get(language) or homes.get(language)
            if target:
                found.append(LanguageVersion(language, native_name(language), self.url_of(target),
                                             current=target == path, home=language not in versions,
                                             home_label=translations(language).gettext("home page")))
        return found

    def collection_in(self, language: str) -> Collection:
        """The items as the pages of one of the site's languages show them: each in its version in
        that language where it has one."""
        if language == self.config.default_language:
            return self.collection
        return self.collection.in_language(language)

    def addresses_in(self, language: str) -> dict[str, str]:
        """Each default-language page's address -> that of its version in `language`, for the pages
        that have one (none for the default language itself)."""
        if language == self.config.default_language:
            return {}
        found = {}
        paths = [*(page.path for page in self.virtual_pages if page.language == language),
                 *(record.path for record in self.collection.translations if record.item.language == language)]
        for path in paths:
            original, _ = translation_of(path, self.config.translation_languages)
            found[self.url_of(original)] = self.url_of(path)
        return found

    def version_in(self, path: str, language: str) -> str | None:
        """The path of a page's version in one of the site's languages, if it has one."""
        return self.versions(path).get(language)

    @cached_property
    def home_path(self) -> str | None:
        """The default language's home page (content/index.md, or a README.md), if there is one."""
        return next((record.path for record in self.collection.published() if self.url_of(record.path) == ""), None)

    def is_home(self, path: str) -> bool:
        """Whether a page is the home page of one of the site's languages."""
        translation = translation_of(path, self.config.translation_languages)
        return self.url_of(translation[0] if translation else path) == ""

    @cached_property
    def theme(self) -> ThemeLayers:
        """The project's theme folder over the package's."""
        return theme_layers(self.root, self.config.theme_dir)

    def url_of(self, path: str) -> str:
        return page_url(path, self.config.use_directory_urls, self.config.translation_languages)

    def changed_since_checked(self) -> list[Problem]:
        """Published files that are no longer the ones checked: swapped (for a link to a confidential
        file, say) or edited while the build ran. Pages cannot be: the build uses the text it read."""
        return [Problem(asset.path, 1, "file", None, "changed while the build ran, after it was checked (build again)")
                for asset in self.assets if asset.changed()]

    def published_paths(self) -> list[str]:
        """Every source that reaches the site as it is: the files published, then the pages."""
        return [*(asset.path for asset in self.assets),
                *(record.path for record in self.collection.every_published_page())]

    @cached_property
    def content_date(self) -> dt.date | None:
        """The newest date the published content gives: what the site as a whole dates from."""
        dates = [record.item.sort_date for record in self.collection.published() if record.item.sort_date]
        return max(dates) if dates else None

    @cached_property
    def content_moment(self) -> dt.datetime | None:
        """When the content dates from, in UTC: SOURCE_DATE_EPOCH when set, else the newest content
        date at midnight. Never the clock, so that two builds of the same content are identical."""
        if fixed := source_date_epoch():
            return fixed
        day = self.content_date
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else None

    @cached_property
    def last_change(self) -> dt.date | None:
        """The latest change any published item states: when a generated listing last changed."""
        dates = [record.item.changed for record in self.collection.published() if record.item.changed]
        return max(dates) if dates else None

    def changed(self, path: str) -> dt.date | None:
        """When the page of `path` last changed, as the content says (the sitemap's lastmod); None when
        it does not say. Never the build's date: that would change every page in every build."""
        if record := self.record(path):
            return record.item.changed
        return self.last_change if self.virtual_page(path) else None

    @property
    def id_host(self) -> str:
        """The host stable identifiers (calendar UIDs, feed ids) name: the site's, else one made of
        the acronym under .invalid, which no one can own."""
        return urlsplit(self.config.site_url or "").netloc or f"{self.config.project.acronym.lower()}.disseminate.invalid"

    def absolute_url(self, url: str) -> str | None:
        """A site-relative URL as a full address, when the site's address is known."""
        site = (self.config.site_url or "").rstrip("/")
        return f"{site}/{url}" if site else None


def address_warnings(project: Project, config_name: str) -> list[Problem]:
    """What `check` says of a site without its address: a warning, not an error, since a preview or
    a staging copy is rightly built without one. The build itself says nothing (`--strict` would fail)."""
    if project.config.site_url:
        return []
    return [Problem(config_name, 1, "config", "site_url",
                    "not set: pages have no canonical link, sitemap.xml lists no pages, link previews show no share "
                    "image and PDFs no absolute link for Google Scholar (set the published address, e.g. "
                    "site_url: https://www.example.eu/)", warning=True)]


def language_warnings(project: Project, config_name: str) -> list[Problem]:
    """What `check` says of the site's languages: those without a home page, those whose funding
    texts have no wording on record."""
    return _homeless_languages(project, config_name) + _funding_wording_warnings(project, config_name)


def _homeless_languages(project: Project, config_name: str) -> list[Problem]:
    """A language without a version of the home page has no page at its address (/el/), and the
    switcher of the pages without a version in it cannot offer it."""
    home = project.home_path
    if home is None:
        return []
    return [Problem(config_name, 1, "config", "languages",
                    f"'{language}': the site has no home page in this language ({language_version(home, language)}): "
                    f"/{language}/ shows nothing, and only pages with a version in it offer it in their language "
                    f"switcher", warning=True)
            for language in project.config.translation_languages if not project.version_in(home, language)]


def _funding_wording_warnings(project: Project, config_name: str) -> list[Problem]:
    """A language whose funding texts have no wording on record: its pages and PDFs show them in
    English, which the programme's rules allow but its readers may not expect."""
    config = project.config
    def where(language: str, missing: list[str]) -> str:  # the default language's wording is the project's own
        keys = ", ".join(f"{key}: ..." for key in missing)
        return (f"funding: {{{keys}}}" if language == config.default_language
                else f"translations: {{{language}: {{funding: {{{keys}}}}}}}")
    return [Problem(config_name, 1, "config", "languages" if config.languages else "project.language",
                    f"'{language}': no wording in this language is on record for the {config.project.programme} funding "
                    f"{_listed(missing)} (builder/data/programmes.yml holds official wording only): its pages "
                    f"and PDFs show them in English (give your grant agreement's wording under "
                    f"{where(language, missing)})", warning=True)
            for language, missing in config.funding_without_wording().items()]


def _listed(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds way to fix "now", when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isdigit() else None


def build_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    return source_date_epoch() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_project(location: Path, loaded: LoadedConfig | None = None, include_drafts: bool = False,
                 check_drafts: bool = False, reserved: tuple[str, ...] = MKDOCS_OUTPUTS,
                 cache: RecordCache | None = None) -> Project:
    """Read and check the project of the config file at `location` (a file, or a folder holding
    mkdocs.yml); raise ContentErrors listing every error (and warning).

    The settings are `loaded` as the site generator resolved them, else read from the file. Drafts
    are left out unless `include_drafts` (the preview); `check_drafts` also checks their links and
    markup as if they were published, counting only their own problems (`check`). No published file
    may take a `reserved` site path (what the build's outputs write). A `cache` keeps the pages
    read, for the next load to read only those that changed."""
    path = config_path(location).absolute()
    root = path.parent.resolve()
    config = load_site_config(path, loaded)
    sources, problems = discover_sources(root)
    records, drafts, unreadable, texts = _read_pages(sources, config, include_drafts, problems, cache)
    translations = join_translations(texts, records, drafts, set(unreadable), config, include_drafts, cache)
    problems += translations.problems + _language_folders(sources, config)
    built_at = build_time()
    collection = Collection(records, config.use_directory_urls, unreadable, translations.published,
                            config.translation_languages)
    repository, found = load_repository(root, config.explorer)
    problems += found + _unknown_projects(collection, repository, config)
    virtual_pages = plan_virtual_pages(config, collection, built_at, repository)
    assets, found = _check_across(root, collection, drafts + translations.held_back, sources, config, virtual_pages,
                                  reserved)
    problems += found
    if check_drafts and (drafts or translations.held_back):
        preview = Collection(records + drafts, config.use_directory_urls, unreadable,
                             translations.published + translations.held_back, config.translation_languages)
        _, found = _check_across(root, preview, [], sources, config, plan_virtual_pages(config, preview, built_at, repository),
                                 reserved)
        held_back = {record.path for record in [*drafts, *translations.held_back]}
        problems += [problem for problem in found if problem.path in held_back]
    problems += _open_access_warnings(collection, config)
    errors, warnings = split_warnings(problems)
    if errors:
        raise ContentErrors(problems)
    return Project(root, config, collection, assets.published, virtual_pages, built_at, warnings,
                   len(records) + len(drafts) + len(unreadable) + len(texts), repository)


def _unknown_projects(collection: Collection, repository: Repository | None, config: SiteConfig) -> list[Problem]:
    """An item naming a related project the explorer's data file does not hold."""
    known = {entry.project.id for entry in repository.entries} if repository else set()
    where = f"the explorer's data file ({config.explorer.data})" if repository else \
        f"any data file: none was imported ({config.explorer.data}; see `disseminate import cordis`)"
    return [Problem(record.path, record.line_of("projects", index), record.item.type_name, "projects",
                    f"'{key}' is not a project of {where}")
            for record in collection.records for index, key in enumerate(record.item.projects) if key not in known]


def _read_pages(sources: list[SourceFile], config: SiteConfig, include_drafts: bool, problems: list[Problem],
                cache: RecordCache | None
                ) -> tuple[list[Record], list[Record], dict[str, dict[str, str]], list[TranslationText]]:
    """(records, drafts left out, unreadable pages with the id they state, translations to join to
    their originals); problems go to `problems`."""
    records: list[Record] = []
    drafts: list[Record] = []
    unreadable: dict[str, dict[str, str]] = {}
    translations: list[TranslationText] = []
    pages = [source for source in sources if source.is_page]
    reads = [cache.read(source, config) for source in pages] if cache else read_records(pages, config)
    for source, (record, found) in zip(pages, reads, strict=True):
        problems.extend(found)
        if record is None:
            unreadable[source.path] = salvage_identity(source)
        elif isinstance(record, TranslationText):
            translations.append(record)
        else:
            (records if include_drafts or not record.item.draft else drafts).append(record)
    return records, drafts, unreadable, translations


def _language_folders(sources: list[SourceFile], config: SiteConfig) -> list[Problem]:
    """Pages whose address would be among one of the site's other languages' (`content/de/x.md`,
    `content/de.md`) without being anyone's translation: a translation is a file beside its original."""
    languages = set(config.translation_languages)
    problems = []
    for source in sources:
        first = page_url(source.path, config.use_directory_urls).split("/")[0]
        if source.is_page and first in languages and not language_suffix(source.path):
            problems.append(Problem(source.path, 1, "page", None, f"would be published among the '{first}' version of "
                                    f"the site (/{first}/): put a translation beside its original instead (about.md, "
                                    f"about.{first}.md)"))
    return problems


def _check_across(root: Path, collection: Collection, drafts: list[Record], sources: list[SourceFile],
                  config: SiteConfig, virtual_pages: list[VirtualPage],
                  reserved: tuple[str, ...]) -> tuple[AssetSelection, list[Problem]]:
    """The files to publish, and the problems that show across pages, files and the theme."""
    held_back = {record.path for record in drafts}
    unpublished = {record.path: record for record in [*drafts, *collection.records, *collection.translations]
                   if record.path in held_back or not record.item.is_public}
    files = [source for source in sources if not source.is_page]
    assets = select_assets(files, collection.every_published_page(), unpublished, config.assets, config.trusts_html,
                           config.markdown_extensions)
    problems = assets.problems + check_collection(
        collection, virtual_urls(virtual_pages, config.use_directory_urls, config.translation_languages),
        {asset.path for asset in assets.published} | assets.refused, assets.withheld, config.trusts_html)
    use_dirs = config.use_directory_urls
    languages = config.translation_languages
    published = {dest_uri(path, use_dirs, languages): path for path in
                 [*(asset.path for asset in assets.published),
                  *(record.path for record in collection.every_published_page())]}
    theme = root / config.theme_dir if config.theme_dir else None
    problems += layout_conflicts(published, {dest_uri(page.path, use_dirs, languages) for page in virtual_pages},
                                 theme_files([folder for folder in (theme, PACKAGE_THEME, installed_theme()) if folder]),
                                 reserved)
    if theme:
        problems += theme_problems(theme, root, secret_inodes(files, assets.withheld, unpublished))
    return assets, problems


def _open_access_warnings(collection: Collection, config: SiteConfig) -> list[Problem]:
    """A publication with a DOI is meant to be open, by the programme's rules (`visibility.doi` in
    the programme data): a licence and a copy anyone can read."""
    wanted = config.funding_marks("doi")
    warnings = []
    for record in collection.published():
        item = record.item
        if not getattr(item, "doi", None):
            continue
        line = record.line_of("doi")
        if "licence" in wanted and not (item.licence or config.licence):
            warnings.append(Problem(record.path, line, item.type_name, "licence", "has a DOI but no licence (add "
                                    "licence:, e.g. CC-BY-4.0, or the project's licence: in mkdocs.yml)", warning=True))
        if "open_access" in wanted and not (item.wants_pdf or item.open_access):
            warnings.append(Problem(record.path, line, item.type_name, "open_access", "has a DOI but no open-access "
                                    "copy (its PDF is off: give open_access:, the address of a copy anyone can "
                                    "read)", warning=True))
    return warnings
