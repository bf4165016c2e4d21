"""The audience from access logs: page views, daily visitors, downloads and referrers counted as
specified, malformed lines skipped and counted, robots left out, gzip read, and no address anywhere
in what is reported; countries from a real MaxMind DB file written by mmdb-writer."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter
from pathlib import Path

import pytest

from builder.audience import Audience, CountryLookup, read_audience

UA = '"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"'
OTHER_UA = '"Mozilla/5.0 (iPhone) Safari/604.1"'


def line(ip: str, day: str, path: str, status: int = 200, referrer: str = "-", agent: str = UA) -> str:
    return f'{ip} - - [{day}:10:00:00 +0200] "GET {path} HTTP/1.1" {status} 512 "{referrer}" {agent}'


LOG = [
    line("198.51.100.7", "02/Apr/2025", "/", referrer="https://www.google.com/"),
    line("198.51.100.7", "02/Apr/2025", "/events/day/", referrer="https://fix.example.eu/"),  # own site
    line("198.51.100.7", "02/Apr/2025", "/assets/disseminate.css"),  # a file, not a page
    line("198.51.100.7", "03/Apr/2025", "/news/hello/"),  # the same visitor the next day counts again
    line("203.0.113.9", "02/Apr/2025", "/policy-briefs/01/", referrer="https://news.example.org/a"),
    line("203.0.113.9", "02/Apr/2025", "/pdf/FIX_PB1_x.pdf"),
    line("203.0.113.9", "02/Apr/2025", "/pdf/FIX_PB1_x.pdf", status=206),  # a range: not a download
    line("203.0.113.9", "02/Apr/2025", "/missing/", status=404),
    line("192.0.2.1", "02/Apr/2025", "/", agent='"Googlebot/2.1 (+http://www.google.com/bot.html)"'),
    line("192.0.2.2", "02/May/2026", "/"),  # outside the period
    line("198.51.100.7", "02/Apr/2025", "/", agent=OTHER_UA),  # another browser at one address: another visitor
    "this is not a log line",
    '198.51.100.7 - - [31/Feb/2025:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "x"',  # no such day
]


def write_geoip(path: Path, ip_version: int = 6) -> Path:
    """A GeoIP database of the documentation ranges, in the two record shapes of GeoLite2 and DB-IP;
    203.0.113.0/24 is in no country."""
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet  # mmdb-writer's own dependency, the type its API takes

    writer = MMDBWriter(ip_version=ip_version, database_type="GeoLite2-Country", ipv4_compatible=ip_version == 6)
    writer.insert_network(IPSet(["192.0.2.0/24"]), {"country": {"iso_code": "DE", "names": {"en": "Germany"}},
                                                   "registered_country": {"iso_code": "AT"}})  # the country wins
    writer.insert_network(IPSet(["198.51.100.0/24"]), {"registered_country": {"iso_code": "fr"}})  # only this
    if ip_version == 6:
        writer.insert_network(IPSet(["2001:db8::/32"]), {"country": {"iso_code": "NL"}})
    writer.to_db_file(str(path))
    return path


@pytest.fixture
def geoip(tmp_path) -> Path:
    return write_geoip(tmp_path / "countries.mmdb")


GEO_LOG = [
    line("192.0.2.10", "02/Apr/2025", "/"),
    line("192.0.2.10", "02/Apr/2025", "/news/hello/"),  # the same visitor the same day: once
    line("192.0.2.10", "03/Apr/2025", "/"),  # the next day: again
    line("::ffff:192.0.2.11", "02/Apr/2025", "/"),  # IPv4 as a server listening on IPv6 logs it
    line("198.51.100.7", "02/Apr/2025", "/"),  # a registered country only
    line("2001:db8::5", "02/Apr/2025", "/"),
    line("203.0.113.9", "02/Apr/2025", "/"),  # in no network of the database
    line("10.0.0.1", "02/Apr/2025", "/"),  # private
    line("192.0.2.12", "02/Apr/2025", "/missing/", status=404),  # no page view, no visitor
    line("192.0.2.13", "02/Apr/2025", "/", agent='"Googlebot/2.1"'),  # a robot
]
GEO_ADDRESSES = ("192.0.2", "198.51.100", "203.0.113", "2001:db8", "ffff", "10.0.0")


def test_the_logs_are_counted_as_specified(tmp_path):
    plain = tmp_path / "access.log"
    plain.write_text("\n".join(LOG[:6]) + "\n", "utf-8")
    packed = tmp_path / "access.log.1.gz"  # the rest, compressed, as logrotate leaves them
    packed.write_bytes(gzip.compress(("\n".join(LOG[6:]) + "\n").encode()))
    audience = read_audience([plain, packed], dt.date(2025, 1, 1), dt.date(2025, 12, 31), own_host="fix.example.eu")
    assert (audience.lines, audience.skipped, audience.robots) == (13, 2, 1)
    assert audience.page_views == 5  # /, /events/day/, /news/hello/, /policy-briefs/01/, / from the phone
    assert audience.daily_visitors == 4  # 198.51.100.7 on 2 and 3 April, 203.0.113.9, the phone
    assert audience.months == {"2025-04": [5, 4]}
    assert dict(audience.pdf_downloads) == {"FIX_PB1_x.pdf": 1}
    assert dict(audience.referrers) == {"www.google.com": 1, "news.example.org": 1}
    assert "198.51.100.7" not in repr(audience) and "203.0.113.9" not in repr(audience)


def test_a_site_in_a_folder_counts_its_own_pages_only(tmp_path):
    log = tmp_path / "access.log"
    log.write_text("\n".join([line("198.51.100.7", "02/Apr/2025", "/project/"),
                              line("198.51.100.7", "02/Apr/2025", "/other-site/"),
                              line("198.51.100.7", "02/Apr/2025", "/project/pdf/A.pdf")]) + "\n", "utf-8")
    audience = read_audience([log], dt.date(2025, 1, 1), dt.date(2025, 12, 31), site_path="/project/")
    assert audience.page_views == 1 and dict(audience.pdf_downloads) == {"A.pdf": 1}


def test_the_report_includes_the_audience_and_never_an_address(fixture_project, capsys):
    log = fixture_project.root / "access.log"
    log.write_text("\n".join(LOG) + "\n", "utf-8")
    assert fixture_project.run("report", "--from", "2025-01", "--to", "2025-12", "--logs", str(log)) == 0
    out = capsys.readouterr().out
    assert "| Page views | 5 |" in out and "| Daily visitors, summed | 4 |" in out and "| PDF downloads | 1 |" in out
    assert "From 13 log lines; 2 not in the combined log format were skipped, and 1 requests from robots" in out
    assert "| 2025-04 | 5 | 4 |" in out and "| news.example.org | 1 |" in out
    assert not any(address in out for address in ("198.51.100", "203.0.113", "192.0.2"))
    assert fixture_project.run("report", "--from", "2025-01", "--to", "2025-12") == 0
    assert "Page views, visitors and downloads: not recorded" in capsys.readouterr().out
    assert fixture_project.run("report", "--logs", str(fixture_project.root / "nope.log")) == 2
    assert "no such log file" in capsys.readouterr().err
    assert fixture_project.run("stats", str(log), "--from", "2025-04", "--to", "2025-04") == 0
    stats = capsys.readouterr().out
    assert stats.startswith("# Audience on the web: FIX, 2025-04 to 2025-04") and "| Page views | 5 |" in stats
    assert "## Publications" not in stats


def test_no_line_of_any_shape_stops_the_count(tmp_path_factory):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    folder = tmp_path_factory.mktemp("logs")
    one_line = st.text(max_size=40).map(lambda text: text.replace("\n", " ").replace("\r", " "))  # a line each
    shaped = st.builds(line, st.sampled_from(["198.51.100.7", "192.0.2.10", "2001:db8::5", "::1", "-", "x" * 300]),
                       st.sampled_from(["02/Apr/2025", "99/Xyz/2025", "31/Feb/2025"]),
                       one_line.map(lambda text: "/" + text.replace('"', "")),
                       st.integers(-1, 999), one_line.map(lambda text: text.replace('"', "")))

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.one_of(shaped, one_line), max_size=20))
    def count(lines):
        log = folder / "access.log"
        log.write_text("\n".join(lines) + "\n", "utf-8")
        with CountryLookup(database) as countries:
            audience = read_audience([log], dt.date(2025, 1, 1), dt.date(2025, 12, 31), countries=countries)
        assert audience.lines == len([text for text in lines if text.strip()])
        assert audience.skipped <= audience.lines and audience.page_views <= audience.lines
        assert sum(audience.countries.values()) == audience.daily_visitors
    database = write_geoip(folder / "countries.mmdb")
    count()


def test_countries_are_those_of_daily_visitors(tmp_path, geoip):
    log = tmp_path / "access.log"
    log.write_text("\n".join(GEO_LOG) + "\n", "utf-8")
    with CountryLookup(geoip) as countries:
        audience = read_audience([log], dt.date(2025, 1, 1), dt.date(2025, 12, 31), countries=countries)
    assert dict(audience.countries) == {"DE": 3, "FR": 1, "NL": 1, "unknown": 2}
    assert sum(audience.countries.values()) == audience.daily_visitors == 7
    assert read_audience([log], dt.date(2025, 1, 1), dt.date(2025, 12, 31)).countries is None
    assert not any(address in repr(audience) for address in GEO_ADDRESSES)


@pytest.mark.parametrize(("address", "ip_version", "country"), [
    ("192.0.2.1", 6, "DE"), ("192.0.2.1", 4, "DE"), ("::ffff:192.0.2.1", 4, "DE"), ("2001:db8::1", 6, "NL"),
    ("2001:db8::1", 4, None),  # IPv6 in an IPv4 database
    ("203.0.113.9", 6, None), ("127.0.0.1", 6, None), ("fe80::1%eth0", 6, None), ("-", 6, None), ("", 6, None),
    ("x" * 300, 6, None), ("192.0.2.1\x00", 6, None), ("\udcff", 6, None), ("192.0.2.256", 6, None),
])
def test_an_address_the_database_cannot_place_is_unknown_never_an_error(tmp_path, address, ip_version, country):
    with CountryLookup(write_geoip(tmp_path / "countries.mmdb", ip_version)) as countries:
        assert countries(address) == country


def test_the_report_and_stats_show_countries_and_never_an_address(fixture_project, geoip, capsys):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    log = fixture_project.root / "access.log"
    log.write_text("\n".join(GEO_LOG) + "\n", "utf-8")
    period = ("--from", "2025-04", "--to", "2025-04")
    assert fixture_project.run("stats", str(log), *period, "--geoip", str(geoip)) == 0
    stats = capsys.readouterr().out
    assert "### Countries of daily visitors" in stats
    assert "| Germany (DE) | 3 |\n| France (FR) | 1 |\n| Netherlands (NL) | 1 |\n| Unknown | 2 |" in stats
    markdown, book, tables, pdf = (fixture_project.root / name
                                   for name in ("report.md", "report.xlsx", "tables", "report.pdf"))
    for output, form in ((markdown, "md"), (book, "xlsx"), (tables, "csv"), (pdf, "pdf")):
        assert fixture_project.run("report", *period, "--logs", str(log), "--geoip", str(geoip),
                                   "--format", form, "-o", str(output)) == 0
    written = capsys.readouterr()
    assert "| Germany (DE) | 3 |" in markdown.read_text("utf-8")
    with (tables / "countries.csv").open(encoding="utf-8", newline="") as rows:
        assert list(csv.reader(rows)) == [["country", "name", "daily_visitors"], ["DE", "Germany", "3"],
                                          ["FR", "France", "1"], ["NL", "Netherlands", "1"], ["unknown", "", "2"]]
    printed = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Germany (DE) 3" in printed and "Unknown 2" in printed
    workbook = load_workbook(book, read_only=True)
    assert [row for row in workbook["countries"].values][1] == ("DE", "Germany", 3)
    cells = [str(cell) for sheet in workbook for row in sheet.values for cell in row]
    everything = [stats, written.out, written.err, markdown.read_text("utf-8"), printed, *cells,
                  *(path.read_text("utf-8") for path in tables.glob("*.csv"))]
    assert not any(address in text for text in everything for address in GEO_ADDRESSES)


def test_without_a_database_the_countries_are_not_recorded(fixture_project, capsys):
    log = fixture_project.root / "access.log"
    log.write_text("\n".join(GEO_LOG) + "\n", "utf-8")
    assert fixture_project.run("stats", str(log)) == 0
    stats = capsys.readouterr().out
    assert "Countries of visitors: not recorded (give a GeoIP database with --geoip)." in stats
    assert "### Countries of daily visitors" not in stats
    assert fixture_project.run("report", "--logs", str(log), "--format", "csv", "-o",
                               str(fixture_project.root / "tables")) == 0
    assert not (fixture_project.root / "tables" / "countries.csv").exists()


def test_many_countries_show_the_top_twenty_and_the_rest_in_one_row():
    from builder.dissemination import Period, Report
    from builder.report_formats import audience_markdown

    codes = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
             "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE"]  # 25, the most visitors first
    countries = Counter({code: 100 - index for index, code in enumerate(codes)}) + Counter(unknown=7)
    report = Report("FIX", "t", "1", "p", Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                    audience=Audience(countries=countries))
    lines = audience_markdown(report)
    table = lines[lines.index("| Country | Daily visitors |") + 2:]
    assert table[0] == "| Austria (AT) | 100 |" and table[19] == "| Malta (MT) | 81 |"
    assert table[20:22] == [f"| Other countries (5) | {80 + 79 + 78 + 77 + 76} |", "| Unknown | 7 |"]


@pytest.mark.parametrize(("database", "message"), [
    (None, "disseminate: no such GeoIP database: "),
    (b"192.0.2.1,DE\n", "is not a GeoIP database in the MaxMind DB format (.mmdb)"),  # a CSV export
    (b"", "is not a GeoIP database in the MaxMind DB format (.mmdb)"),
    ("damaged", "is damaged: its search tree cannot be read"),  # found at the first lookup, not on opening
])
@pytest.mark.parametrize("command", ["stats", "report"])
def test_a_database_that_cannot_be_read_is_refused_in_one_line(fixture_project, capsys, database, message, command):
    log = fixture_project.write("access.log", "\n".join(GEO_LOG) + "\n")
    path = fixture_project.root / "countries.mmdb"
    if database == "damaged":
        path.write_bytes(b"\xff" * 64 + write_geoip(path).read_bytes()[64:])  # nodes pointing past the tree
    elif database is not None:
        path.write_bytes(database)
    logs = [str(log)] if command == "stats" else ["--logs", str(log)]
    assert fixture_project.run(command, *logs, "--from", "2025-04", "--to", "2025-04", "--geoip", str(path)) == 2
    out, err = capsys.readouterr()
    assert err.startswith("disseminate: ") and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not any(address in err for address in GEO_ADDRESSES)
    assert out == ""


def test_a_database_without_logs_is_refused(fixture_project, geoip, capsys):
    assert fixture_project.run("report", "--geoip", str(geoip)) == 2
    assert capsys.readouterr().err == "disseminate: --geoip goes with --logs: the countries come from the access logs\n"
