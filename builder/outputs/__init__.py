"""Outputs as a registry: adding an output is one module here and one import below.

The built-in outputs: the PDFs, calendars, feeds, citation metadata, "Cite this" references, the
videos' players, share tags and images, the "Results in numbers" figures and the explorer's home and
downloads (before the pages, which show them), robots.txt, the
catalogue (which lists the PDFs), the browser editor at /admin/, and the search index
(after every page, which it reads), and the explorer's own pages (after that). Each enters itself into OUTPUTS when imported; the order they
run in follows from what each needs, not from these imports.
"""

from . import calendar, catalogue, citation, cite, editor, explorer, feeds, figures, pdf, robots, search, share, videos
from .base import (
    OUTPUTS,
    Made,
    Output,
    OutputContext,
    OutputFailed,
    PageOutputs,
    Results,
    register_output,
    reserved_site_paths,
    run_stage,
)

__all__ = ["OUTPUTS", "Made", "Output", "OutputContext", "OutputFailed", "PageOutputs", "Results", "calendar",
           "catalogue", "citation", "cite", "editor", "explorer", "feeds", "figures", "pdf", "register_output", "reserved_site_paths",
           "robots", "run_stage", "search", "share", "videos"]
