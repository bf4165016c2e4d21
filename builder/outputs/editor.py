"""The browser editor at /admin/: Decap CMS, configured from the same schemas that validate the
content, so that staff edit items without git or YAML and the editor asks for what `check` expects.

Decap CMS (MIT) rather than Sveltia CMS: both read this configuration, but Decap's local backend is
a small documented HTTP protocol that `disseminate serve` answers itself (editor_backend.py), so the
editor saves into the working tree without Node.js and can be driven by a real browser in tests;
Sveltia edits local files only through the browser's directory picker. The scripts come from the
npm registry, pinned by version and SHA-512, and are served from the site itself with their licence.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..config import SiteConfig
from ..fields import Taxonomy
from ..layout import CONTENT_ROOT
from ..npm import PackageUnavailable, PinnedPackage, unpacked
from ..project import Project
from ..types import CONTENT_TYPES, DISSEMINATION_LEVELS, Item
from .base import Made, Output, OutputContext, register_output

ADMIN_FOLDER = "admin"
MEDIA_FOLDER = "media"  # content/media/: what the editor's media library uploads outside any item
DECAP = PinnedPackage(
    "decap-cms", "3.16.3",
    "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
    keep=("dist/decap-cms.js", "dist/*.decap-cms.js", "dist/*.wasm", "dist/decap-cms.js.LICENSE.txt"))
# Pinned and checked, so one copy serves every project of the user (and every test).
USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "disseminate"
LICENCE = Path(__file__).resolve().parent.parent / "data" / "licences" / "decap-cms.txt"
# Fields the editor leaves out: the type follows from the collection.
HIDDEN_FIELDS = {"type"}


@register_output
class Editor(Output):
    name = "editor"
    stage = "site"
    writes = (f"{ADMIN_FOLDER}/",)

    def wanted(self, project: Project) -> bool:
        return project.config.editor.enabled

    def run(self, context: OutputContext) -> Made:
        try:
            bundle = unpacked(DECAP, USER_CACHE / "npm")
        except PackageUnavailable as error:  # offline, say: the site is still whole without its editor
            context.log.warning("The editor at /%s/ was left out: %s", ADMIN_FOLDER, error)
            return Made()
        admin = context.site_dir / ADMIN_FOLDER
        admin.mkdir()
        for script in sorted((bundle / "dist").iterdir()):
            shutil.copyfile(script, admin / script.name)
        shutil.copyfile(LICENCE, admin / "LICENSE-decap-cms.txt")
        config = editor_config(context.project)
        (admin / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        (admin / "index.html").write_text(admin_page(context.project.config), "utf-8")
        return Made(summary=config)


def admin_page(config: SiteConfig) -> str:
    """The editor's page. It loads only the site's own scripts; it may talk to the local server of
    `serve` and to the Git host its backend names, nothing else."""
    hosts = " ".join(sorted({f"http://localhost:{config.editor.local_port}", f"http://127.0.0.1:{config.editor.local_port}",
                             *_backend_hosts(config.editor.backend)}))
    policy = (f"default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              f"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' {hosts}; "
              "frame-src 'self' blob:; object-src 'none'; base-uri 'self'")
    return f"""<!doctype html>
<html lang="{escape(config.project.language)}">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="{escape(policy)}">
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Editor - {escape(config.site_name)}</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script src="decap-cms.js"></script>
</body>
</html>
"""


def _backend_hosts(backend: dict[str, Any]) -> set[str]:
    """The Git host API a backend talks to (Decap's defaults), for the page's connect-src."""
    name = backend.get("name")
    defaults = {"github": "https://api.github.com", "gitlab": "https://gitlab.com", "gitea": "https://gitea.com"}
    found = {str(backend[key]) for key in ("api_root", "base_url") if backend.get(key)}
    return found | ({defaults[name]} if name in defaults and not found else set())


def editor_config(project: Project) -> dict[str, Any]:
    """Decap CMS's configuration: one collection per content type, a widget per field."""
    config = project.config
    return {
        "backend": dict(config.editor.backend),
        "local_backend": {"url": f"http://localhost:{config.editor.local_port}/api/v1"},
        "site_url": config.site_url or "",
        "locale": config.project.language.split("-")[0],
        # The media library's own folder; each collection puts an item's figures beside the item.
        "media_folder": f"{CONTENT_ROOT}/{MEDIA_FOLDER}",
        "public_folder": f"/{MEDIA_FOLDER}",
        "collections": [_collection(content_type, config) for content_type in CONTENT_TYPES.values()
                        if content_type.folder],
    }


def _collection(content_type: type[Item], config: SiteConfig) -> dict[str, Any]:
    fields = [_field(name, info, content_type, config) for name, info in content_type.model_fields.items()
              if name not in HIDDEN_FIELDS]
    return {
        "name": content_type.type_name,
        "label": content_type.listing_title or f"{content_type.type_label}s",
        "label_singular": content_type.type_label,
        "folder": content_type.folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": "{{fields.%s}}" % content_type.unique_key if content_type.unique_key == "id" else "{{slug}}",
        "media_folder": "",
        "public_folder": "",
        "summary": "{{title}}",
        "fields": [*fields, {"name": "body", "label": "Text", "widget": "markdown", "required": False}],
    }


def _field(name: str, info: FieldInfo, content_type: type[Item], config: SiteConfig) -> dict[str, Any]:
    """One field as the editor shows it: its widget, whether it is required, and what it means."""
    described = {"name": name, "label": name.replace("_", " ").capitalize(), "required": info.is_required(),
                 "hint": info.description or ""}
    if name in content_type.references:
        target = CONTENT_TYPES[content_type.references[name]]
        key = target.unique_key or "title"
        return {**described, "widget": "relation", "collection": target.type_name, "value_field": key,
                "search_fields": [key, "title"], "display_fields": [key, "title"], "multiple": True}
    if name == "dissemination":
        return {**described, **_select(DISSEMINATION_LEVELS)}
    if name in content_type.file_fields:  # uploaded beside the entry, named relative to it
        return {**described, "widget": "image" if name == "poster" else "file"}
    return {**described, **_widget(info.annotation, name, config)}


def _widget(annotation: Any, name: str, config: SiteConfig) -> dict[str, Any]:
    """The widget for a field's type: selects for taxonomy keys and literals, pickers for dates,
    lists and objects for lists and groups of fields."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        taxonomy = next((meta for meta in args[1:] if isinstance(meta, Taxonomy)), None)
        if taxonomy:
            return _select({key: term if isinstance(term, str) else getattr(term, "label", str(term))
                            for key, term in config.taxonomy(taxonomy.name).items()})
        return _widget(args[0], name, config)
    if origin in (typing.Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        if set(map(_plain, present)) == {dt.date, dt.datetime}:
            return {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm", "date_format": "YYYY-MM-DD",
                    "time_format": "HH:mm", "picker_utc": False}
        return _widget(present[0], name, config)
    if origin is list:
        inner = _widget(args[0], name, config)
        if inner.get("widget") == "select":
            return {**inner, "multiple": True}
        if inner.get("widget") == "object":
            return {"widget": "list", "fields": inner["fields"]}
        return {"widget": "list", "field": {"name": name, "label": name.capitalize(), **inner}}
    if origin is typing.Literal:
        return _select({value: value for value in args})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {"widget": "object", "fields": [{"name": field, "label": field.capitalize(),
                                                "required": info.is_required(), "hint": info.description or "",
                                                **_widget(info.annotation, field, config)}
                                               for field, info in annotation.model_fields.items()]}
    if annotation is dt.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if annotation is bool:
        return {"widget": "boolean"}
    if annotation is int:
        return {"widget": "number", "value_type": "int"}
    return {"widget": "text" if name == "summary" else "string"}


def _plain(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _select(options: dict[Any, Any]) -> dict[str, Any]:
    return {"widget": "select", "options": [{"label": f"{key}: {label}" if str(label) != str(key) else str(key),
                                             "value": key} for key, label in options.items()]}
