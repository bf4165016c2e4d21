"""Disseminate: dissemination sites and publications for EU research projects, from Markdown.

The public API is small: load and check a project, inspect its items, write its catalogue.

    from builder import load_project, ContentErrors
    project = load_project(Path("."))          # raises ContentErrors listing every problem
    for record in project.collection.published(): ...

The names below are imported when first used, so that importing one module of the package (the
problems, say) does not load all of them.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "CONTENT_TYPES": "types",
    "ContentErrors": "problems",
    "Problem": "problems",
    "Project": "project",
    "SiteConfig": "config",
    "build_catalogue": "outputs.catalogue",
    "load_project": "project",
    "load_site_config": "config",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version
        return version("disseminate")
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
