"""The site's audience from the web server's own access logs, without tracking anyone: no cookie, no
script, and no address kept. Visitors are told apart within one day by a hash of their address and
browser under a salt made for that day and never written anywhere; the hashes live in memory for the
run, and only their counts are reported. So a visitor is counted once a day: the figure is
"daily visitors", summed over the period, which is what a tool that keeps no identifier can know.

Logs are in the combined log format (Apache's and nginx's default), plain or gzip, read with
apachelogs. A line that is not in that format is skipped and counted, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from apachelogs import COMBINED, LogParser
from apachelogs import Error as LogError

PAGE_STATUSES = (200, 304)
# Automated clients that say what they are; they are not an audience.
ROBOT_MARKS = ("bot", "crawler", "spider", "slurp", "curl", "wget", "python-requests", "headless", "monitor")


@dataclass
class Audience:
    """What the logs say about a period: the counts only."""

    page_views: int = 0
    daily_visitors: int = 0
    pdf_downloads: Counter = field(default_factory=Counter)  # file name -> downloads
    referrers: Counter = field(default_factory=Counter)  # host of another site -> visits it sent
    months: dict[str, list[int]] = field(default_factory=dict)  # YYYY-MM -> [page views, daily visitors]
    lines: int = 0
    skipped: int = 0  # lines not in the combined log format
    robots: int = 0  # requests from clients that say they are robots, left out


def read_audience(paths: Iterable[Path], start: dt.date, end: dt.date, site_path: str = "/",
                  own_host: str | None = None) -> Audience:
    """The audience of the days from `start` to `end` in the logs at `paths`. `site_path` is where
    the site lives on its host (/ or /project/); `own_host` is left out of the referrers."""
    audience = Audience()
    parser = LogParser(COMBINED)
    salts: dict[dt.date, bytes] = {}
    seen: dict[dt.date, set[bytes]] = {}
    for line in _lines(paths):
        audience.lines += 1
        try:
            entry = parser.parse(line)
        except (LogError, ValueError):  # ValueError: a date that does not exist (31 February)
            audience.skipped += 1
            continue
        day = entry.request_time.date()
        if not start <= day <= end or not entry.request_line:
            continue
        agent = entry.headers_in.get("User-Agent") or ""
        if any(mark in agent.lower() for mark in ROBOT_MARKS):
            audience.robots += 1
            continue
        method, _, rest = entry.request_line.partition(" ")
        path = unquote(urlsplit(rest.rsplit(" ", 1)[0]).path)
        if method != "GET" or not path.startswith(site_path):
            continue
        path = "/" + path[len(site_path):]
        if path.startswith("/pdf/") and path.endswith(".pdf") and entry.final_status == 200:
            audience.pdf_downloads[path.removeprefix("/pdf/")] += 1
            continue
        if entry.final_status not in PAGE_STATUSES or not _is_page(path):
            continue
        month = audience.months.setdefault(f"{day:%Y-%m}", [0, 0])
        audience.page_views += 1
        month[0] += 1
        # Salted per day, with a salt that never leaves this run: the hash cannot be tied to an
        # address, nor a visitor followed from one day to the next.
        salt = salts.setdefault(day, secrets.token_bytes(32))
        visitor = hashlib.blake2b(f"{entry.remote_host}\0{agent}".encode(), key=salt, digest_size=16).digest()
        if visitor not in seen.setdefault(day, set()):
            seen[day].add(visitor)
            audience.daily_visitors += 1
            month[1] += 1
        referrer = urlsplit(entry.headers_in.get("Referer") or "").hostname
        if referrer and referrer != own_host:
            audience.referrers[referrer] += 1
    return audience


def _is_page(path: str) -> bool:
    """A page of the site, not one of its files (a stylesheet, the search index) nor the editor."""
    last = path.rsplit("/", 1)[-1]
    return not path.startswith(("/admin/", "/assets/", "/pagefind/", "/search/index")) and (
        last == "" or last.endswith(".html"))


def _lines(paths: Iterable[Path]) -> Iterator[str]:
    """Every line of every log, gzip or plain (told by the file's first bytes, not its name)."""
    for path in paths:
        with path.open("rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
        opened = gzip.open(path, "rt", encoding="utf-8", errors="replace") if compressed \
            else path.open("r", encoding="utf-8", errors="replace")
        with opened as lines:
            for line in lines:
                if line.strip():
                    yield line.rstrip("\n")
