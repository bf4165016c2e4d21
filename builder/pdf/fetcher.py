"""The only way WeasyPrint may load anything: the print templates' own files and the files the site
publishes, nothing else of the project, nothing from a network. A figure of a confidential
deliverable stays out of a public PDF however a body names it (a path the checks did not see,
a file path from the root of the disk)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

from .readable import Readable


class ProjectFetcher(URLFetcher):
    """Serves the `file:` URLs that `readable` allows; refuses everything else."""

    def __init__(self, readable: Readable) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.readable = readable

    def fetch(self, url: str, headers: dict | None = None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = self.readable.locate(Path(unquote(parts.path)).resolve())
            if self.readable.allows(path):
                return super().fetch(path.as_uri(), headers)
        # WeasyPrint reports the failure, with this reason, as a warning of the document it renders.
        raise ValueError(f"refused to fetch {url} (a PDF may use only the files the site publishes)")
