"""Publish a build atomically: render into a fresh folder, swap it in only when all went well.

A failed build therefore never leaves a half-written or emptied `site/` behind.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class StagedSite:
    """A temporary build folder beside the published site, promoted on success."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}.building-", dir=self.site_dir.parent))

    def promote(self) -> None:
        """Replace the published site with the staged one (two renames, no copy)."""
        retired = self.site_dir.with_name(f".{self.site_dir.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if self.site_dir.exists():
            self.site_dir.rename(retired)
        self.staging.rename(self.site_dir)
        shutil.rmtree(retired, ignore_errors=True)

    def discard(self) -> None:
        """Drop the staged build; the published site stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
