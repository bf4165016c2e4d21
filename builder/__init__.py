"""Disseminate: dissemination sites and publications for EU research projects, from Markdown.

The public API is small: load and check a project, inspect its items, write its catalogue.

    from builder import load_project, ContentErrors
    project = load_project(Path("."))          # raises ContentErrors listing every problem
    for record in project.collection.published(): ...
"""

from importlib.metadata import version as _version

from .catalogue import build_catalogue
from .config import SiteConfig, load_site_config
from .problems import ContentErrors, Problem
from .project import Project, load_project
from .types import CONTENT_TYPES

__version__ = _version("disseminate")

__all__ = ["CONTENT_TYPES", "ContentErrors", "Problem", "Project", "SiteConfig", "build_catalogue",
           "load_project", "load_site_config"]
