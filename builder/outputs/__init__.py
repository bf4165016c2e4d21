"""Outputs as a registry: adding an output is one module here and one import below.

The built-in outputs register in the order they run: the PDFs (before the pages, which link them),
the catalogue (which lists the PDFs), and the search index (after every page, which it reads).
"""

from .base import (OUTPUTS, Made, Output, OutputContext, OutputFailed, PageOutputs, Results, register_output,
                   reserved_site_paths, run_stage)

# Each enters itself into OUTPUTS; what an output needs registers before it.
from . import pdf  # noqa: E402,I001
from . import catalogue  # noqa: E402
from . import search  # noqa: E402

__all__ = ["OUTPUTS", "Made", "Output", "OutputContext", "OutputFailed", "PageOutputs", "Results", "register_output",
           "reserved_site_paths", "run_stage", "catalogue", "pdf", "search"]
