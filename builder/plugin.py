"""The MkDocs adapter: forwards MkDocs events to the core and holds no logic of its own.

MkDocs 1.x is no longer developed; keeping this file thin keeps a move to another engine small.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .assets import material_language
from .config import LoadedConfig, plugin_settings
from .deadline import PAGE_SECONDS, Deadline, slow_page
from .discover import links_among
from .editor_backend import serve_editor
from .layout import dest_uri, source_roots
from .outputs import OutputContext, OutputFailed, Results, reserved_site_paths, run_stage
from .problems import ContentErrors, Problem
from .project import Project, load_project
from .publish import StagedSite, describe_os_error
from .read import RecordCache
from .site_navigation import language_navigations
from .template_check import template_problems
from .themes import PACKAGE_THEME, PRINT_SUBFOLDER
from .visibility import build_problems
from .web_pages import WebPages

log = logging.getLogger("mkdocs.plugins.disseminate")


class _AsWritten(config_options.BaseConfigOption):
    """A setting MkDocs passes on as written: the core validates it, with line numbers."""

    def run_validation(self, value: Any) -> Any:
        return value


class DisseminatePlugin(BasePlugin):
    """Registered as the `disseminate` plugin. Its settings are declared once, by the core's
    SiteConfig; the `disseminate` command passes its choices (`--no-pdf`, `--jobs`) as settings too."""

    config_scheme = tuple((name, _AsWritten()) for name in plugin_settings())

    def __init__(self) -> None:
        self.command = "build"
        self.editor_server = None
        self.record_cache: RecordCache | None = None
        self._start_build()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # once per process: `serve` then builds many times
        self.editor_server = None  # the editor's local server, started once by `serve`
        self.record_cache = RecordCache() if command == "serve" else None  # the preview reads only edited pages

    def _start_build(self) -> None:
        self.project: Project | None = None
        self.web_pages: WebPages | None = None
        self.staged: StagedSite | None = None
        self.failed = False
        self.completed = False  # set by the last step of a build; an interrupt never reaches it
        self.deadline: Deadline | None = None
        self.problems: list[Problem] = []
        self.results = Results()
        # MkDocs' view of the last build, for the preview to make some pages again (builder/preview.py)
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.navs: dict[str, Any] = {}  # the other languages' navigation, by language

    def on_config(self, config: Any) -> Any:
        self._start_build()
        self._load(config)
        if refused := template_problems(self.project, self.web_pages):
            self._report(ContentErrors(refused))
        # Disseminate's theme under the project's own folder, over Material's.
        if str(PACKAGE_THEME) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
        # The nav lists sections and listings by design; items left out of it are not news.
        config.validation.nav.omitted_files = logging.DEBUG
        if self.command == "build":
            self.staged = _stage(Path(config.site_dir))
            config.site_dir = str(self.staged.staging)
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        docs_dir = os.path.abspath(config.docs_dir)
        # Sources come from the core; the theme's print/ folder (PDF templates, CSS, TrueType fonts)
        # is for WeasyPrint only and has no place on the site.
        kept = [f for f in files if not (f.abs_src_path or "").startswith(docs_dir + os.sep)
                and not f.src_uri.startswith(PRINT_SUBFOLDER + "/")]
        use_dirs, root = config.use_directory_urls, str(self.project.root)
        languages = self.project.config.translation_languages
        # The core checked the project's theme; MkDocs may also have been pointed at another one.
        theme_sources = [Path(f.abs_src_path) for f in kept if f.abs_src_path]  # as MkDocs names them
        if refused := links_among(theme_sources, Path(config.config_file_path).parent):
            self._report(ContentErrors(refused))
        ours = [File(path, src_dir=root, dest_dir=config.site_dir, use_directory_urls=use_dirs,
                     dest_uri=dest_uri(path, use_dirs, languages)) for path in self.project.published_paths()]
        for page in self.project.virtual_pages:
            generated = File.generated(config, page.path, content=f"---\ntitle: {page.title!r}\n---\n")
            generated.dest_uri = dest_uri(page.path, use_dirs, languages)
            ours.append(generated)
        self._run_outputs("files")
        ours += [File.generated(config, site_path, content=made) if isinstance(made, bytes)
                 else File.generated(config, site_path, abs_src_path=str(made))
                 for site_path, made in self.results.files().items()]
        return Files(kept + ours)

    def _load(self, config: Any, earlier: WebPages | None = None) -> None:
        try:
            self.project = load_project(Path(config.config_file_path), _as_loaded(config, self.config),
                                        include_drafts=self.command == "serve", reserved=reserved_site_paths(),
                                        cache=self.record_cache)
        except ContentErrors as errors:
            self._report(errors)
        self.web_pages = WebPages(self.project, self.results, earlier)
        for warning in self.project.warnings:
            log.warning(str(warning), extra={"problem": warning})
        self.deadline = Deadline(PAGE_SECONDS, self._too_slow)

    def refresh(self, config: Any) -> None:
        """For the preview after an edit of pages, with the settings and templates unchanged: the
        project read again and the outputs' files made again, MkDocs' pages kept as they are (the
        preview makes those that changed). Content errors leave everything as it was."""
        kept = self.project, self.web_pages, self.results
        self.results = Results()
        try:
            self._load(config, self.web_pages)
            self._run_outputs("files")
        except PluginError:
            self.project, self.web_pages, self.results = kept
            raise

    def _run_outputs(self, stage: str, site_dir: Path | None = None) -> None:
        try:
            run_stage(stage, OutputContext(self.project, self.results, log, site_dir))
        except ContentErrors as errors:
            self._report(errors)
        except OutputFailed as error:
            raise PluginError(str(error)) from None

    def _too_slow(self, path: str) -> PluginError:
        record = self.project.record(path)
        return PluginError(str(slow_page(path, record.item.type_name if record else "page", PAGE_SECONDS)))

    def on_page_read_source(self, *, page: Any, config: Any) -> str | None:
        # The text that was checked, not the file again: it may have changed (or become a link) since.
        record = self.project.record(page.file.src_uri)
        return record.body if record else None

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        self.deadline.start(page.file.src_uri)  # MkDocs converts the page between this event and the next
        record = self.project.record(page.file.src_uri)
        virtual = self.project.virtual_page(page.file.src_uri)
        title = record.item.title if record else virtual.title
        # Material prints meta values unescaped into <title>, the header and <meta>: escape them here.
        language = self.project.site_language(page.file.src_uri)
        page.meta = {"title": escape(title), "language": language, "theme_language": material_language(language),
                     "versions": self.project.alternates(page.file.src_uri)}
        if virtual and virtual.wide:
            page.meta["hide"] = ["navigation", "toc"]
        if record and record.item.summary:
            page.meta["description"] = escape(record.item.summary)
        page.meta["outputs"] = self.results.for_page(page.file.src_uri)  # for the theme: a PDF's <link>, say
        # The sitemap's timestamp (its gzip's) and a page's last change: the content's, never the build's day.
        if updated := (record.item.sort_date if record else None) or self.project.content_date:
            page.update_date = updated.isoformat()
        if changed := self.project.changed(page.file.src_uri):
            page.meta["lastmod"] = changed.isoformat()
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        self.deadline.stop()
        try:
            return self._render(html, page.file.src_uri, page.url)
        except ContentErrors as errors:
            self._report(errors)

    def _render(self, html: str, path: str, url: str) -> str:
        record = self.project.record(path)
        if record is None:
            return self.web_pages.virtual_page(self.project.virtual_page(path), url)
        if record.item.plain_page:
            return self.web_pages.plain_page(record, html, url)
        return self.web_pages.item_page(record, html, url)

    def _report(self, errors: ContentErrors) -> None:
        self.problems = errors.problems
        for problem in errors.problems:
            (log.warning if problem.warning else log.error)(str(problem), extra={"problem": problem})
        raise PluginError(str(errors)) from None

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.nav = nav
        self.navs = language_navigations(nav, files, self.project)
        return nav

    def on_page_context(self, context: dict[str, Any], *, page: Any, config: Any, nav: Any) -> dict[str, Any]:
        language = page.meta.get("language") or self.project.config.default_language
        context["nav"] = self.navs.get(language, nav)
        context["disseminate"] = self.web_pages.install_theme_language(self.env, language)  # until on_post_page
        return context

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        self.web_pages.install_theme_language(self.env, self.project.config.default_language)  # the 404 page's, and others'
        return output

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        env.globals["disseminate"] = self.web_pages.install_theme_language(env, self.project.config.default_language)
        self.env, self.files = env, files
        return env

    def on_post_build(self, *, config: Any) -> None:
        if changed := self.project.changed_since_checked():
            self._report(ContentErrors(changed))
        self._run_outputs("site", Path(config.site_dir))
        if lacking := build_problems(self.project, self.results, Path(config.site_dir)):
            self._report(ContentErrors(lacking))  # before the site is published, never after
        self.completed = True

    def on_build_error(self, *, error: Exception) -> None:
        self.failed = True
        if self.deadline:
            self.deadline.stop()  # a page whose conversion failed never reached on_page_content

    def on_shutdown(self) -> None:
        if self.deadline:
            self.deadline.stop()
        staged, self.staged = self.staged, None
        if staged is None:
            return
        try:
            left = staged.promote() if self.completed and not self.failed else staged.discard()
        except OSError as error:
            raise PluginError(f"could not publish {staged.site_dir}: {describe_os_error(error)}") from None
        _warn_left_behind(left)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        for top in source_roots():
            if (root / top).is_dir():
                server.watch(str(root / top))
        settings = self.project.config.editor
        if settings.enabled and self.editor_server is None:
            host, port = config.dev_addr.host, config.dev_addr.port
            origins = {f"http://{name}:{port}" for name in (host, "localhost", "127.0.0.1")}
            try:
                self.editor_server = serve_editor(root, settings.local_port, origins)
                log.info("Editor: http://%s:%s/admin/ saves into %s", host, port, root)
            except OSError as error:
                log.warning("The editor cannot save here: port %d is taken (%s); set editor.local_port",
                            settings.local_port, error.strerror)
        return server


def _stage(site_dir: Path) -> StagedSite:
    """A staging folder for this build, once no other build of the same site runs."""
    try:
        staged = StagedSite(site_dir, on_wait=log.info)
    except OSError as error:
        raise PluginError(f"cannot build beside {site_dir}: {describe_os_error(error)}") from None
    _warn_left_behind(staged.left_behind)
    return staged


def _warn_left_behind(paths: list[str]) -> None:
    if paths:
        log.warning("%d files of earlier builds could not be removed (first: %s); remove them by hand",
                    len(paths), paths[0])



def _as_loaded(config: Any, settings: Any) -> LoadedConfig:
    """The settings as MkDocs resolved them (`!ENV`, INHERIT, the file given with -f)."""
    extensions = [{name: config.mdx_configs[name]} if name in config.mdx_configs else name
                  for name in config.markdown_extensions if isinstance(name, str)]
    return LoadedConfig({name: value for name, value in settings.items() if value is not None},
                        config.site_name, config.site_url, config.theme.custom_dir, config.use_directory_urls,
                        extensions, config.site_dir, config.docs_dir, config.site_description)
