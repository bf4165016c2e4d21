"""The audience from access logs: page views, daily visitors, downloads and referrers counted as
specified, malformed lines skipped and counted, robots left out, gzip read, and no address anywhere
in what is reported."""

from __future__ import annotations

import datetime as dt
import gzip

from builder.audience import read_audience

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
    shaped = st.builds(line, st.sampled_from(["198.51.100.7", "::1", "-", "x" * 300]),
                       st.sampled_from(["02/Apr/2025", "99/Xyz/2025", "31/Feb/2025"]),
                       one_line.map(lambda text: "/" + text.replace('"', "")),
                       st.integers(-1, 999), one_line.map(lambda text: text.replace('"', "")))

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.one_of(shaped, one_line), max_size=20))
    def count(lines):
        log = folder / "access.log"
        log.write_text("\n".join(lines) + "\n", "utf-8")
        audience = read_audience([log], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert audience.lines == len([text for text in lines if text.strip()])
        assert audience.skipped <= audience.lines and audience.page_views <= audience.lines
    count()
