"""A time limit for work the build does in its own process, where no worker can be stopped from
outside: converting a page's Markdown. Some short inputs (a few thousand `[` in a row) take the
Markdown library minutes; the limit turns that into one line naming the page.

SIGALRM interrupts the main thread between two Python instructions. Elsewhere (a preview server's
thread, a system without the signal) the limit is not applied.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

from .problems import Problem

PAGE_SECONDS = 30  # a long real page converts in well under a second


def slow_page(path: str, kind: str, seconds: float) -> Problem:
    """What to say of a page whose conversion ran out of time."""
    return Problem(path, 1, kind, None, f"took longer than {seconds:g} s to convert and was stopped: something in it "
                   "(a long run of brackets, say) makes the Markdown library work very hard; simplify it")


class Deadline:
    """Raises what `expired` makes, in the main thread, once `seconds` pass between start and stop."""

    def __init__(self, seconds: float, expired: Callable[[str], BaseException]) -> None:
        self.seconds = seconds
        self.expired = expired
        self.subject: str | None = None
        self.usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def start(self, subject: str) -> None:
        """Begin timing the work on `subject` (a page's path), named in the error if time runs out."""
        if self.usable:
            self.subject = subject
            signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.usable and self.subject is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            self.subject = None

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _expire(self, _signal: int, _frame: object) -> None:
        subject, self.subject = self.subject, None
        raise self.expired(subject or "?")
