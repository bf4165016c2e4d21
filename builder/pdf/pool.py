"""The worker pool: WeasyPrint runs in child processes that one runaway document cannot take down.

Each document gets a time limit and a memory limit; a document that exceeds either is stopped and
reported with its path while the others render on. Workers die with the build however it ends
(Ctrl-C, SIGTERM, SIGKILL), and keep their temporary files in a folder the build holds, so that
whatever a killed build leaves there is removed by the next one.

Pebble's pool is used rather than concurrent.futures': it stops a worker that overruns its time and
replaces a worker that died, where concurrent.futures would break the whole pool.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.util
import os
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ..scratch import HeldFolder, die_with_parent, remove_abandoned, remove_tree
from .engine import PdfJob, PrintEngine, Rendered
from .readable import Readable

SCRATCH_FOLDER = ".cache/tmp"
SCRATCH_PREFIX = "pdf-"
_MB = 1024 * 1024

log = logging.getLogger("disseminate.pdf")


@dataclass(frozen=True)
class RenderLimits:
    """How long one document may render and how much memory of its own it may take."""

    seconds: int
    megabytes: int


def render_all(jobs: list[PdfJob], workers: int, limits: RenderLimits, root: Path,
               readable: Readable) -> Iterator[Rendered]:
    """Render every job in worker processes, yielding each result (or reason it failed) as it finishes."""
    workers = min(workers, len(jobs))
    if workers == 0:
        return
    for left in remove_abandoned(root / SCRATCH_FOLDER, SCRATCH_PREFIX):
        log.warning("could not remove %s, left by an earlier build", left)
    scratch = HeldFolder(root / SCRATCH_FOLDER, SCRATCH_PREFIX)
    # Forked, so that workers start at once with everything imported (spawned ones would import it all anew).
    pool = ProcessPool(max_workers=workers, initializer=start_worker, context=multiprocessing.get_context("fork"),
                       initargs=(limits, os.getpid(), str(scratch.path), readable))
    futures = {pool.schedule(render_in_worker, (job,), timeout=limits.seconds): job for job in jobs}
    try:
        for future in as_completed(futures):
            yield _outcome(future, futures[future], limits)
        pool.close()
    finally:
        pool.stop()  # after an interrupt: queued documents are dropped and running ones stopped
        pool.join()
        scratch.release()
        remove_tree(scratch.path)


def _outcome(future, job: PdfJob, limits: RenderLimits) -> Rendered:
    """The worker's result, or a reason that names the limit a document ran into."""
    try:
        rendered = future.result()
    except FutureTimeout:
        reason = (f"took longer than {limits.seconds} s and was stopped (a very long or complex text: "
                  "shorten it, split it, or raise pdf.time_limit in mkdocs.yml)")
    except ProcessExpired as ended:
        reason = (_too_big(limits) if ended.exitcode == MEMORY_EXIT
                  else f"the renderer stopped unexpectedly (exit status {ended.exitcode})")
    else:
        if not (rendered.error or "").startswith("MemoryError"):
            return rendered
        reason = _too_big(limits)
    return Rendered(job.source_path, job.key, None, 0, reason, ())


def _too_big(limits: RenderLimits) -> str:
    return (f"needed more than {limits.megabytes} MB of memory and was stopped (simplify the text, or raise "
            "pdf.memory_limit in mkdocs.yml)")


# A worker's engine, made by `start_worker`; or why it could not be made, reported with each document
# rather than as a broken pool.
_worker_engine: PrintEngine | None = None
_worker_failure: str | None = None


def start_worker(limits: RenderLimits, parent: int, scratch: str, readable: Readable) -> None:
    """Pool initializer: tie the worker to the build, bound its memory, then start its engine."""
    global _worker_engine, _worker_failure
    die_with_parent(parent)
    _watch_memory(limits.megabytes)
    tempfile.tempdir = scratch  # WeasyPrint's font copies go where the build (or the next one) removes them
    # fontTools, WeasyPrint's subsetter when HarfBuzz's is missing, stamps each font subset with the time
    # unless SOURCE_DATE_EPOCH gives one: a fixed stamp keeps PDFs byte-identical from build to build.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    try:
        _worker_engine = PrintEngine(readable)
    except Exception as error:  # noqa: BLE001 - e.g. Pango or fontconfig missing: say so for each item
        _worker_failure = f"WeasyPrint could not start: {type(error).__name__}: {error}"
        return
    # Workers end through multiprocessing's exit path, which runs these finalizers but no atexit.
    multiprocessing.util.Finalize(None, _worker_engine.close, exitpriority=10)


def render_in_worker(job: PdfJob) -> Rendered:
    global _memory_before
    if _worker_engine is None:
        return Rendered(job.source_path, job.key, None, 0, _worker_failure or "start_worker() did not run", ())
    _memory_before = _private_megabytes()
    try:
        return _worker_engine.render(job)
    finally:
        _memory_before = None


# A worker's own memory (not what it shares with the build it was forked from) when its current
# document began, or None between documents; the watch measures each document's growth from it.
_memory_before: int | None = None
MEMORY_EXIT = 75  # how a worker that a document made too big ends: the pool reports that document
ADDRESS_SPACE_FLOOR = 1024  # MB a worker may map beyond what it had at the start, whatever the limit
_WATCH_INTERVAL = 0.5  # seconds; reading the kernel's count costs some milliseconds in a large process


def _watch_memory(megabytes: int) -> None:
    """End this worker when the document it renders has taken more than `megabytes` of memory.

    Memory is counted as the kernel does for this process alone (private pages): a forked worker
    shares its parent's, and may grow into memory its parent freed, so neither its size nor an
    address-space limit says what a document costs. A hard address-space limit of twice as much, and
    at least 1 GB, remains for an allocation too sudden for the watch: address space is not memory
    (fonts are mapped, threads reserve stacks), and a worker's first document maps much of it."""
    def watch() -> None:
        while True:
            before = _memory_before
            if before is not None and _private_megabytes() - before > megabytes:
                os._exit(MEMORY_EXIT)
            time.sleep(_WATCH_INTERVAL)
    threading.Thread(target=watch, name="memory-watch", daemon=True).start()
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
        limit = current + max(2 * megabytes, ADDRESS_SPACE_FLOOR) * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _private_megabytes() -> int:
    """This process's private memory in MB, as /proc/self/smaps_rollup counts it (0 where it cannot)."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            kilobytes = sum(int(line.split()[1]) for line in rollup if line.startswith(("Private_Clean", "Private_Dirty")))
    except (OSError, ValueError, IndexError):
        return 0
    return kilobytes // 1024
