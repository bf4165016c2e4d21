"""The only way WeasyPrint may load anything: files inside the project, nothing from a network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class ProjectFetcher(URLFetcher):
    """Serves `file:` URLs under the allowed folders; refuses everything else with a logged error."""

    def __init__(self, *allowed: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.allowed = [folder.resolve() for folder in allowed]

    def fetch(self, url: str, headers: dict | None = None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed):
                return super().fetch(url, headers)
        # WeasyPrint reports the failure, with this reason, as a warning of the document it renders.
        raise ValueError(f"refused to fetch {url} (only files inside the project are used)")
