"""`disseminate serve`: the preview, which follows the edits. An adapter to MkDocs, like plugin.py.

The first build, and every build after a change to the settings, the theme or a data file, is
MkDocs' whole build. After an edit of pages the preview makes again only what the edit can change:
the pages `impact_of` names, the generated pages whose text changed, the pages whose outputs (a
PDF) changed, and the outputs' files. The browsers reload once those are written; the search index
and the other outputs made from the whole site follow. The site is then the one a whole build
makes of the same sources (tests/test_preview.py compares them byte for byte).

MkDocs' live-reload server is kept, with two changes: it learns which files changed, as the system
reports them (inotify) instead of a look at every file each half second, and its reload script is
a file of the site's own address, since the site's Content-Security-Policy runs no inline script.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page, build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import write_file

from .impact import impact_of
from .layout import source_roots

log = logging.getLogger("mkdocs.plugins.disseminate")

RELOAD_SCRIPT = Path(__file__).parent / "data" / "preview" / "livereload.js"
_SCRIPT_PATH = re.compile(r"/livereload/script/([0-9]+)/([0-9]+)\.js")


def serve(config_file: Path, dev_addr: str, settings: dict[str, Any]) -> None:
    """Serve the project's preview at `dev_addr` until interrupted, rebuilding as files change.
    `settings` are the command's choices, applied over the plugin's (`pdf`)."""
    site_dir = Path(tempfile.mkdtemp(prefix="disseminate-preview-"))
    try:
        preview = Preview(config_file, site_dir, dev_addr, settings)
        config = preview.load_config()
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            _serve(preview, config)
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(preview: Preview, config: Any) -> None:
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    server = PreviewServer(preview.build, host, port, str(preview.site_dir), mount_path)
    preview.on_pages_written = server.show_new_version
    server.error_handler = preview.error_page
    preview.build_whole(config)
    for path in preview.watched(config):
        server.watch(str(path))
    server = config.plugins.on_serve(server, config=config, builder=preview.build)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()


@dataclass
class Preview:
    """The previewed site: built whole once, then after each change in part or whole."""

    config_file: Path
    site_dir: Path
    dev_addr: str
    settings: dict[str, Any]
    on_pages_written: Callable[[], None] = lambda: None  # the server reloads the browsers
    config: Any = None  # MkDocs' config of the last whole build that succeeded
    _sources: dict[str, object] = field(default_factory=dict)  # what each output file was made from
    _made_last: list[Path] = field(default_factory=list)  # the files the outputs of the whole site wrote

    def load_config(self) -> Any:
        config = load_config(str(self.config_file), site_dir=str(self.site_dir), dev_addr=self.dev_addr)
        plugin = config.plugins["disseminate"].config
        for name, value in self.settings.items():
            plugin[name] = {**(plugin.get(name) or {}), **value}
        host, port = config.dev_addr
        config.site_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
        return config

    def watched(self, config: Any) -> list[Path]:
        """What the preview follows: the config file, the source folders, the theme and the data
        files the settings name."""
        root = self.config_file.parent
        plugin = config.plugins["disseminate"]
        explorer = plugin.config.get("explorer") or {}
        paths = [self.config_file, *(root / top for top in source_roots()), plugin.project.theme.project,
                 *(root / name for name in (explorer.get("data"), explorer.get("area_overrides")) if name)]
        return [path for path in paths if path.exists()]

    def build(self, changed: set[Path] | None = None) -> None:
        """Bring the site up to date after `changed` files (None: unknown, so everything)."""
        if self.config is None or changed is None or not self.only_sources_changed(changed) or not self.update():
            self.build_whole()

    def build_whole(self, config: Any = None) -> None:
        self.config = None  # until this build succeeds, the next change builds everything too
        config = config or self.load_config()
        build(config, serve_url=config.site_url)
        self._sources = _made_from(config.plugins["disseminate"].results.files())
        self._made_last = _made_last(config)
        self.config = config

    def only_sources_changed(self, changed: Iterable[Path]) -> bool:
        """Whether every change is under the source folders (pages, and the files they use)."""
        root = self.config_file.parent.resolve()
        tops = {root / top for top in source_roots()}
        def under_a_top(path: Path) -> bool:
            return any(top == path or top in path.parents for top in tops)
        return all(under_a_top(Path(path).resolve()) for path in changed)

    def update(self) -> bool:
        """Make again what an edit of pages changed; False when the whole site must be built (and
        until it is). Content errors are reported and leave the site as it was, to be made again
        once they are fixed."""
        if not self._update():
            self.config = None  # the plugin holds the new sources: only a whole build matches them now
            return False
        return True

    def _update(self) -> bool:
        config, started = self.config, time.perf_counter()
        plugin = config.plugins["disseminate"]
        before, made_before = plugin.project, plugin.results
        try:
            plugin.refresh(config)
        except MkDocsException:
            return True  # reported: the site stays as it was
        impact = impact_of(before, plugin.project)
        if impact.whole_site:
            log.info("Building the whole site: %s", impact.whole_site)
            return False
        made = plugin.results
        self._write_outputs(made.files())
        pages = [file.page for file in plugin.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if file.src_uri in impact.pages or file.src_uri in impact.generated
                 or made_before.for_page(file.src_uri) != made.for_page(file.src_uri)]
        rebuilt = self._make_pages(config, plugin, pages, made_before)
        if rebuilt is None:
            return False
        for name in config.theme.static_templates:  # the sitemap dates pages; 404.html is a page too
            _build_theme_template(name, plugin.env, plugin.files, config, plugin.nav)
        log.info("Made again: %d of %d pages, in %.2f s", len(rebuilt), len(plugin.files.documentation_pages()),
                 time.perf_counter() - started)
        self.on_pages_written()
        _remove(self._made_last, self.site_dir)  # as a whole build would find the site: without them
        plugin.on_post_build(config=config)  # the search index and the other whole-site outputs
        self._made_last = _made_last(config)
        return True

    def _make_pages(self, config: Any, plugin: Any, pages: list[Any], made_before: Any) -> list[Any] | None:
        """Convert and write the pages that changed; None when a title in the navigation changed
        (every page shows the navigation: the whole site must be built)."""
        in_nav = {id(page) for nav in [plugin.nav, *plugin.navs.values()] for page in nav.pages}
        changed = []
        for page in pages:
            title, content = page.title, page.content
            _populate_page(page, config, plugin.files)
            if id(page) in in_nav and page.title != title:
                log.info("Building the whole site: the title of '%s' in the navigation changed", page.file.src_uri)
                return None
            generated = plugin.project.virtual_page(page.file.src_uri) is not None
            if not generated or page.content != content or \
                    made_before.for_page(page.file.src_uri) != plugin.results.for_page(page.file.src_uri):
                changed.append(page)
        doc_files = plugin.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in changed:
            _build_page(page, config, doc_files, plugin.nav, plugin.env, excluded=page.file.inclusion.is_excluded())
            page.validate_anchor_links(files=plugin.files, log_level=config.validation.links.anchors)
        return changed

    def _write_outputs(self, files: dict[str, Path | bytes]) -> None:
        """Write the output files that are new or no longer what they were made from, and remove
        those no output makes any more (a PDF named after a title that changed)."""
        sources = _made_from(files)
        _remove([self.site_dir / site_path for site_path in self._sources.keys() - sources.keys()], self.site_dir)
        for site_path, source in files.items():
            if sources[site_path] == self._sources.get(site_path):
                continue
            target = self.site_dir / site_path
            if isinstance(source, bytes):
                write_file(source, str(target))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        self._sources = sources

    def error_page(self, code: int) -> bytes | None:
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None


def _made_from(files: dict[str, Path | bytes]) -> dict[str, object]:
    """What tells whether an output file changed: its bytes, or its source file's path, size and time."""
    def identity(source: Path | bytes) -> object:
        if isinstance(source, bytes):
            return source
        status = os.stat(source)
        return (str(source), status.st_size, status.st_mtime_ns)
    return {site_path: identity(source) for site_path, source in files.items()}


def _made_last(config: Any) -> list[Path]:
    """The files the outputs that read the whole built site (the search index) wrote: every file
    in the site that neither MkDocs nor the outputs of the files stage wrote."""
    site_dir, plugin = Path(config.site_dir), config.plugins["disseminate"]
    before = {str(site_dir / name) for name in [*config.theme.static_templates, "sitemap.xml.gz", *plugin.results.files()]}
    before |= {file.abs_dest_path for file in plugin.files}
    return [path for path in site_dir.rglob("*") if str(path) not in before and path.is_file()]


def _remove(files: list[Path], site_dir: Path) -> None:
    """Remove `files`, then the folders they leave empty."""
    folders = set()
    for path in files:
        path.unlink(missing_ok=True)
        folders.update(parent for parent in path.parents if site_dir in parent.parents)
    for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, told which files changed and reloading pages with a script file."""

    def __init__(self, builder: Callable[[set[Path] | None], None], host: str, port: int, root: str,
                 mount_path: str) -> None:
        self._changed: set[Path] = set()
        self._changed_lock = threading.Lock()
        super().__init__(builder=lambda: builder(self._take_changes()), host=host, port=port, root=root,
                         mount_path=mount_path)
        self.observer = watchdog.observers.Observer()  # the system's own notices (inotify on Linux)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._on_event  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _on_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # read, not changed: the build reading the sources must not start another
        with self._changed_lock:
            self._changed.update(Path(os.fsdecode(path)) for path in (event.src_path, event.dest_path) if path)
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def _take_changes(self) -> set[Path]:
        with self._changed_lock:
            changed, self._changed = self._changed, set()
        return changed

    def show_new_version(self) -> None:
        """Reload the browsers now, while the build goes on with what no page shows (the search index)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def _serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if _SCRIPT_PATH.fullmatch(path):
            script = RELOAD_SCRIPT.read_bytes()
            start_response("200 OK", [("Content-Type", "application/javascript"),
                                      ("Content-Length", str(len(script))), ("Cache-Control", "no-store")])
            return [script]
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        script = b'<script src="/livereload/script/%d/%d.js"></script>' % (epoch, _request_id())
        return content[:end] + script + content[end:]


_request_id = itertools.count(1).__next__  # a number per page served, for the log of browsers connected
