"""What a build holds while it runs (folders, locks, child processes), so that nothing of it outlives
a build that is killed, and what it leaves behind can be told apart from what a running build needs.

A folder in use is held with an advisory lock (flock) on a descriptor of the folder itself. The
kernel drops the lock when the last holder exits, however it exits (SIGKILL included), so a later
build may remove every such folder whose lock it can take, and never one that is still in use.
Child processes ask the kernel to kill them when the build goes.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import glob
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1
# Looked up once here: a freshly forked child should do as little as possible before it execs.
_prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this (child) process when `parent` ends, even by SIGKILL (Linux only)."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


class HeldFolder:
    """A new, empty folder that stays locked until `release`."""

    def __init__(self, parent: Path, prefix: str) -> None:
        parent.mkdir(parents=True, exist_ok=True)
        # Creating and locking happen under the parent's lock, so a cleanup never sees the folder unheld.
        with _locked(parent):
            self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            self._descriptor: int | None = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        """Let go of the folder (it may then be removed as abandoned)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def remove_abandoned(parent: Path, prefix: str) -> list[str]:
    """Remove the folders `prefix*` under `parent` that nobody holds; say what could not be removed."""
    if not parent.is_dir():
        return []
    left: list[str] = []
    with _locked(parent):
        for folder in sorted(parent.glob(glob.escape(prefix) + "*")):
            if folder.is_symlink() or not folder.is_dir():  # nothing holds these: they are strays
                left += remove_tree(folder)
                continue
            with _unless_held(folder) as free:
                if free:
                    left += remove_tree(folder)
    return left


def remove_tree(folder: Path) -> list[str]:
    """Delete a folder and everything in it, as far as permissions allow; list what stayed. A link
    or a file in the folder's place is removed itself: nothing is ever followed."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        try:
            folder.unlink()
        except OSError as error:
            return [f"{folder}: {error.strerror}"]
        return []
    _make_removable(folder)
    failures: list[str] = []

    def note(_function: Callable, path: str, error: BaseException | tuple) -> None:
        error = error[1] if isinstance(error, tuple) else error
        failures.append(f"{path}: {getattr(error, 'strerror', None) or error}")
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=note)
    else:
        shutil.rmtree(folder, onerror=note)
    return failures


def _make_removable(folder: Path) -> None:
    """Give the owner back the right to empty folders made read-only (a common way to end up with a
    site that cannot be replaced); folders of other owners stay as they are."""
    _grant_owner(str(folder))
    for current, subfolders, _files in os.walk(folder, onerror=lambda _error: None):
        subfolders[:] = [name for name in subfolders if not os.path.islink(os.path.join(current, name))]
        for name in subfolders:
            _grant_owner(os.path.join(current, name))


def _grant_owner(path: str) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, os.lstat(path).st_mode | stat.S_IRWXU)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _unless_held(folder: Path) -> Iterator[bool]:
    """True while this process holds `folder`'s lock because nobody else did."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        yield False
        return
    try:
        yield True
    finally:
        os.close(descriptor)


class SiteLock:
    """One build at a time per published folder: a lock on the file `.<name>.lock` beside it."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.path = site_dir.parent / f".{site_dir.name}.lock"
        self._descriptor: int | None = None

    def acquire(self, on_wait: Callable[[str], None]) -> None:
        """Take the lock, waiting (and saying so once) while another build holds it."""
        if self.path.is_symlink():  # it would write the build's number into whatever it leads to
            raise OSError(errno.ELOOP, "is a symbolic link, which a build never follows (remove it)", str(self.path))
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            self._wait_for(descriptor, on_wait)
        except BaseException:  # Ctrl-C while waiting
            os.close(descriptor)
            raise
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        self._descriptor = descriptor

    def _wait_for(self, descriptor: int, on_wait: Callable[[str], None]) -> None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
            on_wait(f"another build of {self.site_dir} is running (process {holder}); waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None
