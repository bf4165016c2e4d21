"""Publish a build atomically: render into a fresh folder beside the site, and swap it in only when
the whole build succeeded, in one step that never leaves the site missing or half-written.

Where Linux allows (renameat2 with RENAME_EXCHANGE, on every local file system), the two folders
trade names in one system call: a web server serving `site/` sees the old tree or the new one,
never a gap. Elsewhere the swap is two renames with SIGINT and SIGTERM held back in between; if a
SIGKILL lands in that gap, the next build puts the old site back before it starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

from .scratch import HeldFolder, SiteLock, remove_abandoned, remove_tree

AT_FDCWD = -100
RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


class StagedSite:
    """A build folder beside the published site, held while the build runs and promoted on success."""

    def __init__(self, site_dir: Path, on_wait: Callable[[str], None]) -> None:
        # The parent is resolved, the name is not: a `site` symlink is swapped, never its target.
        self.site_dir = site_dir.absolute().parent.resolve() / site_dir.name
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.retired = self.site_dir.with_name(f".{self.site_dir.name}.old")
        self._lock = SiteLock(self.site_dir)
        self._lock.acquire(on_wait)
        try:
            self.left_behind = self._clear_earlier_builds()
            self._held = HeldFolder(self.site_dir.parent, f".{self.site_dir.name}.building-")
        except BaseException:
            self._lock.release()
            raise
        self.staging = self._held.path

    def _clear_earlier_builds(self) -> list[str]:
        """Undo a swap a kill cut short, and remove what killed builds left; list what stays."""
        if not os.path.lexists(self.site_dir) and self.retired.is_dir() and not self.retired.is_symlink():
            os.rename(self.retired, self.site_dir)
        left = remove_abandoned(self.site_dir.parent, f".{self.site_dir.name}.building-")
        return left + (remove_tree(self.retired) if os.path.lexists(self.retired) else [])

    def promote(self) -> list[str]:
        """Put the staged build in the site's place; return what of the old site could not be removed."""
        try:
            make_publishable(self.staging)
            retired = self._swap()
        except BaseException:
            self.discard()
            raise
        self._held.release()
        try:
            return remove_tree(retired) if retired else []
        finally:
            self._lock.release()

    def discard(self) -> list[str]:
        """Drop the staged build; the published site stays as it was."""
        self._held.release()
        try:
            return remove_tree(self.staging)
        finally:
            self._lock.release()

    def _swap(self) -> Path | None:
        """Move the staged build to the site's name; return where the old site went, if there was one."""
        if not os.path.lexists(self.site_dir):
            os.rename(self.staging, self.site_dir)
            return None
        if _exchange(self.staging, self.site_dir):
            return self.staging  # the old site now goes by the staging folder's name
        with _signals_held():
            os.rename(self.site_dir, self.retired)
            try:
                os.rename(self.staging, self.site_dir)
            except OSError:
                os.rename(self.retired, self.site_dir)
                raise
        return self.retired


def describe_os_error(error: OSError) -> str:
    """`Permission denied: /srv/site`: the system's reason and the path it concerns, in one line."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def make_publishable(folder: Path) -> None:
    """Files and folders readable by a web server running as another user, as the umask allows:
    0644 and 0755 under the usual umask of 022 (a fresh temporary folder starts as 0700)."""
    umask = current_umask()
    os.chmod(folder, 0o777 & ~umask)
    for current, folders, files in os.walk(folder):
        for name in folders:
            if not os.path.islink(path := os.path.join(current, name)):
                os.chmod(path, 0o777 & ~umask)
        for name in files:
            if not os.path.islink(path := os.path.join(current, name)):
                os.chmod(path, 0o666 & ~umask)


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/self/status", encoding="ascii") as status:
            return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step; False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
