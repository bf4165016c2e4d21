"""The site's audience from the web server's own access logs, without tracking anyone: no cookie, no
script, and no address kept. Visitors are told apart within one day by a hash of their address and
browser under a salt made for that day and never written anywhere; the hashes live in memory for the
run, and only their counts are reported. So a visitor is counted once a day: the figure is
"daily visitors", summed over the period, which is what a tool that keeps no identifier can know.

With a GeoIP database (a MaxMind DB file: GeoLite2 Country or City, DB-IP's IP to Country Lite), each
daily visitor's address is looked up once, when that visitor is first seen that day, and only the
country's code is kept: the countries count daily visitors, so they add up to the daily visitors.

Logs are in the combined log format (Apache's and nginx's default), plain or gzip, read with
apachelogs. A line that is not in that format is skipped and counted, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import ipaddress
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from apachelogs import COMBINED, LogParser
from apachelogs import Error as LogError

PAGE_STATUSES = (200, 304)
# Automated clients that say what they are; they are not an audience.
ROBOT_MARKS = ("bot", "crawler", "spider", "slurp", "curl", "wget", "python-requests", "headless", "monitor")
# The country of an address the database does not place: private, malformed, or not in it.
UNKNOWN_COUNTRY = "unknown"
CountryOf = Callable[[str], str | None]  # an address -> its ISO 3166-1 alpha-2 code, or None


@dataclass
class Audience:
    """What the logs say about a period: the counts only."""

    page_views: int = 0
    daily_visitors: int = 0
    pdf_downloads: Counter = field(default_factory=Counter)  # file name -> downloads
    referrers: Counter = field(default_factory=Counter)  # host of another site -> visits it sent
    months: dict[str, list[int]] = field(default_factory=dict)  # YYYY-MM -> [page views, daily visitors]
    # ISO 3166-1 alpha-2 code (or UNKNOWN_COUNTRY) -> daily visitors; None when no database was given.
    countries: Counter | None = None
    lines: int = 0
    skipped: int = 0  # lines not in the combined log format
    robots: int = 0  # requests from clients that say they are robots, left out


def read_audience(paths: Iterable[Path], start: dt.date, end: dt.date, site_path: str = "/",
                  own_host: str | None = None, countries: CountryOf | None = None) -> Audience:
    """The audience of the days from `start` to `end` in the logs at `paths`. `site_path` is where
    the site lives on its host (/ or /project/); `own_host` is left out of the referrers;
    `countries`, when given, places each daily visitor in a country (see `CountryLookup`)."""
    placed: Counter = Counter()
    audience = Audience(countries=placed if countries is not None else None)
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
            if countries is not None:  # once per daily visitor, so the countries add up to them
                placed[countries(entry.remote_host) or UNKNOWN_COUNTRY] += 1
        referrer = urlsplit(entry.headers_in.get("Referer") or "").hostname
        if referrer and referrer != own_host:
            audience.referrers[referrer] += 1
    return audience


class GeoIPError(Exception):
    """A GeoIP database that cannot be read: one line to show."""


class CountryLookup:
    """Addresses to countries from a MaxMind DB file, open from `with` to its end. An address it
    cannot place (not in the database, private, malformed, IPv6 in an IPv4 database) is None,
    never an error; a database that cannot be read is a GeoIPError."""

    def __init__(self, path: Path) -> None:
        import maxminddb  # here: the build imports this module too, and never needs a database

        self.path = path
        self._damaged = maxminddb.InvalidDatabaseError
        try:
            self._reader = maxminddb.open_database(str(path), maxminddb.MODE_AUTO)
        except FileNotFoundError:
            raise GeoIPError(f"no such GeoIP database: {path}") from None
        except maxminddb.InvalidDatabaseError:
            raise GeoIPError(f"{path} is not a GeoIP database in the MaxMind DB format (.mmdb)") from None
        except OSError as error:
            raise GeoIPError(f"cannot read the GeoIP database {path}: {error.strerror or error}") from None

    def __enter__(self) -> CountryLookup:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._reader.close()

    def __call__(self, address: str) -> str | None:
        try:
            # Parsed here first: the reader's own parser raises TypeError on a NUL, and a server
            # listening on IPv6 logs IPv4 visitors as ::ffff:a.b.c.d, which the IPv4 tree holds.
            parsed = ipaddress.ip_address(address)
            record = self._reader.get(getattr(parsed, "ipv4_mapped", None) or parsed)
        except ValueError:
            return None
        except self._damaged:  # its message names the address: not shown
            raise GeoIPError(f"the GeoIP database {self.path} is damaged: its search tree cannot be read") from None
        return _iso_code(record)


def _iso_code(record: Any) -> str | None:
    """The country's code in a GeoLite2 or DB-IP record; where the address is used when known, else
    where its network is registered."""
    if not isinstance(record, dict):
        return None
    for key in ("country", "registered_country"):
        place = record.get(key)
        code = place.get("iso_code") if isinstance(place, dict) else None
        if isinstance(code, str) and len(code) == 2 and code.isascii() and code.isalpha():
            return code.upper()
    return None


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
