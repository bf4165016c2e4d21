"""Inputs that attack the parsers and the renderer: YAML bombs and self-reference, nesting that would
exhaust the stack, control characters, huge documents. Each ends in one line naming file and line,
in bounded time, and one runaway document never sinks the PDFs of the others."""

from __future__ import annotations

import time

import pytest

D = "deliverables/d1-2.md"
HEAD = "---\ntitle: A report\nid: D1.2\nsummary: S.\ndissemination: PU\n"


def bomb(levels: int) -> str:
    """A "billion laughs": each level an alias list of nine of the level before."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


ATTACKS = [
    ("alias bomb", HEAD + bomb(9) + "---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: anchors (&name) and aliases (*name) are not allowed "
     "here: write each value out"),
    ("value that contains itself", HEAD + "authors: &me [*me]\n---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: anchors (&name) and aliases (*name) are not allowed "
     "here: write each value out"),
    ("5000 nested brackets", HEAD + "authors: " + "[" * 5000 + "]" * 5000 + "\n---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: values nest more than 20 levels deep"),
    ("nested groups", HEAD + "authors: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: values nest more than 20 levels deep"),
    ("vertical tab", HEAD + "version: 1.0\x0b2\n---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: character U+000B is not allowed (remove it)"),
    ("NUL", HEAD + "version: 1\x00\n---\nText.\n",
     f"{D}:6: deliverable: front matter is not valid YAML: character U+0000 is not allowed (remove it)"),
    ("escape written as \\e", HEAD + "authors: [Ann, \"\\e]0;owned\\a\"]\n---\nText.\n",
     f"{D}:6: deliverable: 'authors[1]' contains the control character U+001B, which cannot be shown (remove it)"),
    ("control character in the text", HEAD + "---\nFirst line.\nA \x02 placeholder of the Markdown library.\n",
     f"{D}:8: deliverable: the text contains the control character U+0002, which cannot be shown (remove it)"),
    ("lists nested 60 deep", HEAD + "---\n" + "".join("    " * i + "- item\n" for i in range(60)),
     f"{D}:7: deliverable: the text nests 99 levels deep (lists in lists, quotes in quotes, HTML in HTML); "
     "at most 40 can be shown and printed"),
    ("quotes nested 300 deep", HEAD + "---\n" + ">" * 300 + " deep\n",
     f"{D}:7: deliverable: the text nests 99 levels deep (lists in lists, quotes in quotes, HTML in HTML); "
     "at most 40 can be shown and printed"),
    ("raw HTML nested 500 deep", HEAD + "---\n<div>\n" + "<div>" * 500 + "x" + "</div>" * 500 + "\n</div>\n",
     f"{D}:7: deliverable: the text nests 254 levels deep (lists in lists, quotes in quotes, HTML in HTML); "
     "at most 40 can be shown and printed"),
]


@pytest.mark.parametrize(("text", "expected"), [attack[1:] for attack in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_parser_attacks_end_in_one_line_quickly(fixture_project, capsys, text, expected):
    fixture_project.write(D, text)
    started = time.monotonic()
    for command in ("check", "build"):
        assert fixture_project.run(command, *(["--no-pdf"] if command == "build" else [])) == 1
        err = capsys.readouterr().err
        assert expected in err.splitlines(), err
        assert "Traceback" not in err
    assert time.monotonic() - started < 30  # bounded: a 9-level bomb used to run for minutes


def test_other_pages_referring_to_a_broken_one_are_not_blamed(fixture_project, capsys):
    """One mistake, one message: a deliverable with one bad field still exists for links and ids."""
    fixture_project.write(D, HEAD + "date: 2015-09-31\n---\nText.\n")
    fixture_project.write("content/news/a.md", "---\ntitle: N\nsummary: S.\ndate: 2016-01-01\n---\n"
                                               "See [the report](../../deliverables/d1-2.md).\n")
    fixture_project.write("policy_briefs/01-b.md", "---\ntitle: B\nsummary: S.\nnumber: 1\nrelated: [D1.2]\n---\nT.\n")
    fixture_project.write("content/action-plan/r-1.md", "---\ntitle: R\nstakeholders: [cso]\nid: r-1\n"
                                                        "evidence: [D1.2]\n---\nT.\n")
    assert fixture_project.run("check") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{D}:6: deliverable 'date': '2015-09-31' is not a real date (check day and month)",
        "1 problem found in the content."]


def test_an_unreadable_page_is_still_known_by_its_id(fixture_project, capsys):
    fixture_project.write(D, HEAD + "summary: [unclosed\n---\nText.\n")
    fixture_project.write("policy_briefs/01-b.md", "---\ntitle: B\nsummary: S.\nnumber: 1\nrelated: [D1.2]\n---\nT.\n")
    assert fixture_project.run("check") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith(f"{D}:") and "front matter is not valid YAML" in err[0]


def test_a_huge_file_is_pointed_out(fixture_project, capsys):
    rows = "\n".join(f"| {n} | a cell with some words in it, row {n} |" for n in range(25_000))
    size = fixture_project.write(D, HEAD + "---\n| n | text |\n|---|---|\n" + rows + "\n").stat().st_size
    assert fixture_project.run("check") == 0
    assert f"{D}:1: warning: deliverable: is {size / 1e6:.1f} MB of text: its page and its PDF will take long to make " \
           "(split it into several documents?)" in capsys.readouterr().err


def test_build_without_the_plugin_entry_is_one_line(fixture_project, capsys):
    text = (fixture_project.root / "mkdocs.yml").read_text()
    fixture_project.write("mkdocs.yml", text[: text.index("plugins:")])
    assert fixture_project.run("build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "mkdocs.yml:1: config 'plugins': no 'disseminate' plugin with project settings (add it under plugins:)"]


LIMITS = "      pdf: {{ time_limit: {seconds}, memory_limit: {megabytes} }}\n"


def table(rows: int) -> str:
    return "| n | text |\n|---|---|\n" + "\n".join(f"| {n} | words in row {n} of a long table |" for n in range(rows))


# A 2000-row table takes some 6 s to lay out (900 rows, near 2 s, were too close to the limit to
# test it); one of 6000 rows some 200 MB of memory of its own, where a short document takes a few
# (8 MB for a worker's first, its fonts loaded). 128 MB stops the one and leaves the others room.
@pytest.mark.parametrize(("rows", "seconds", "megabytes", "reason"), [
    (2000, 2, 2048, "PDF could not be rendered: took longer than 2 s and was stopped"),
    (6000, 600, 128, "PDF could not be rendered: needed more than 128 MB of memory and was stopped"),
])
def test_a_runaway_document_is_stopped_and_the_others_still_render(fixture_project, capsys, rows, seconds, megabytes,
                                                                   reason):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + LIMITS.format(seconds=seconds, megabytes=megabytes))
    fixture_project.write(D, HEAD + "---\n" + table(rows) + "\n")
    for n in (3, 4):
        fixture_project.write(f"deliverables/d1-{n}.md", HEAD.replace("1.2", f"1.{n}") + "---\nShort.\n")
    started = time.monotonic()
    assert fixture_project.run("build", "--jobs", "2") == 1
    assert time.monotonic() - started < 60
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if line.startswith("deliverables/")]
    assert len(problems) == 1 and problems[0].startswith(f"{D}:1: deliverable: {reason}"), err
    cached = list((fixture_project.root / ".cache/pdf").glob("*.pdf"))
    assert len(cached) == 3  # d1-1, d1-3 and d1-4: the others were rendered and kept
    assert list((fixture_project.root / ".cache/tmp").iterdir()) == []


def test_a_file_the_pdf_may_not_read_is_reported_once(fixture_project, caplog):
    fixture_project.write(D, HEAD + "---\n![host](/etc/hostname)\n")
    assert fixture_project.run("build", "--jobs", "2") == 0
    said = [record.getMessage() for record in caplog.records
            if record.name == "mkdocs.plugins.disseminate" and "/etc/hostname" in record.getMessage()]
    assert said == [f"{D}: PDF: Failed to load image at 'file:///etc/hostname': ValueError: refused to fetch "
                    "file:///etc/hostname (a PDF may use only the files the site publishes)"]


@pytest.mark.parametrize("pdf", [False, True])
def test_a_page_the_markdown_library_chokes_on_is_stopped(fixture_project, capsys, caplog, monkeypatch, pdf):
    """5000 unclosed links ('[a](') in a row take Python-Markdown 3.11 seconds (5000 '[' did, before 3.11, and
    20,000 of them minutes): the page's conversion has a limit."""
    monkeypatch.setattr("builder.plugin.PAGE_SECONDS", 1)
    monkeypatch.setattr("builder.convert.PAGE_SECONDS", 1)
    fixture_project.write(D, HEAD + "---\n" + "[a](" * 5000 + "\n")
    started = time.monotonic()
    assert fixture_project.run("build", *([] if pdf else ["--no-pdf"])) == 1
    assert time.monotonic() - started < 20
    said = capsys.readouterr().err + caplog.text
    assert f"{D}:1: deliverable: took longer than 1 s to convert and was stopped" in said, said
    assert "Traceback" not in said


# Found by attacking the build: each once ended in a traceback, a hang, or a check that passed a build
# that then failed.
EV = "content/events/e.md"
MORE_ATTACKS = [
    ("a YAML tag", {D: HEAD + "date: !!timestamp 2015-02-30\n---\nText.\n"},
     f"{D}:6: deliverable: front matter is not valid YAML: tags such as !!timestamp are not allowed here: write the "
     "value as plain text"),
    ("a Python tag", {D: HEAD + "draft: !!python/object/apply:os.system [ls]\n---\nText.\n"},
     f"{D}:6: deliverable: front matter is not valid YAML: tags such as !!python/object/apply:os.system are not "
     "allowed here: write the value as plain text"),
    ("a list as a field name", {D: HEAD + "? [a, b]\n: 1\n---\nText.\n"},
     f"{D}:6: deliverable: front matter is not valid YAML: a field name must be a word, not a list or a group"),
    ("a 5000-digit number", {D: HEAD + "due: " + "9" * 5000 + "\n---\nText.\n"},
     f"{D}:6: deliverable: front matter is not valid YAML: the number 99999999999999999999... is too long"),
    ("a list as the type", {D: HEAD + "type: [news]\n---\nText.\n"},
     f"{D}:6: deliverable 'type': '['news']' is not a content type (did you mean 'news'? allowed: page, deliverable, "
     "event, guide, news, policy_brief, recommendation, video)"),
    ("the last moment Python knows", {EV: "---\ntitle: E\nsummary: S.\nstart: 9999-12-31T23:59:59-23:59\n---\n"},
     f"{EV}:4: event 'start': '9999-12-31T23:59:59-23:59' is too far in the past or the future"),
    ("admonitions nested 400 deep", {D: HEAD + "---\n" + "".join("    " * i + "!!! note\n" for i in range(400))},
     f"{D}:7: deliverable: the text nests 399 levels deep (lists in lists, quotes in quotes, HTML in HTML); "
     "at most 40 can be shown and printed"),
    ("an unclosed code block", {D: HEAD + "---\nText.\n\n```\ncode\n\n<script>alert(1)</script>\n"},
     f"{D}:9: deliverable: a code block opened here is never closed (end it with a line like the one that opens it, "
     "e.g. ```)"),
    ("a colon in a file name", {"content/news/javascript:alert(1).md": "---\ntitle: N\nsummary: S.\ndate: 2016-01-01\n---\n"},
     "content/news/javascript:alert(1).md:1: file: its name contains ':', which a web address cannot carry (rename it "
     "with letters, digits, '-' and '_')"),
    ("a link to a draft", {"content/news/a.md": "---\ntitle: N\nsummary: S.\ndate: 2016-01-01\n---\n[d](b.md)\n",
                           "content/news/b.md": "---\ntitle: B\nsummary: S.\ndate: 2016-01-01\ndraft: true\n---\nT.\n"},
     "content/news/a.md:6: news: link to 'b.md': no such file (content/news/b.md)"),
]


@pytest.mark.parametrize(("files", "expected"), [attack[1:] for attack in MORE_ATTACKS],
                         ids=[attack[0] for attack in MORE_ATTACKS])
def test_what_once_broke_the_build_is_one_line_in_check_and_build(fixture_project, capsys, files, expected):
    for path, text in files.items():
        fixture_project.write(path, text)
    for command in (["check"], ["build", "--no-pdf"]):
        assert fixture_project.run(*command) == 1
        err = capsys.readouterr().err
        assert expected in err.splitlines(), err


def test_a_file_name_that_is_not_utf8_is_one_line(fixture_project, capsys):
    (fixture_project.root / "content").joinpath(b"caf\xe9.md".decode("utf-8", "surrogateescape")).write_text(
        "---\ntitle: C\n---\n")
    assert fixture_project.run("check") == 1
    assert "content/caf\ufffd.md:1: file: its name is not valid UTF-8 (rename it)" in capsys.readouterr().err


@pytest.mark.parametrize(("setting", "expected"), [
    ("timezone: Not/AZone", "config 'project.timezone': 'Not/AZone' is not an IANA time zone (e.g. Europe/Berlin)"),
    ("memory_limit: 99999999999999999999999", "config 'pdf.memory_limit': 99999999999999999999999 is too large"),
])
def test_config_values_that_once_broke_the_build(fixture_project, capsys, setting, expected):
    config = (fixture_project.root / "mkdocs.yml").read_text()
    if setting.startswith("timezone"):
        config = config.replace("timezone: Europe/Brussels", setting)
    else:
        config += f"      pdf: {{ {setting} }}\n"
    fixture_project.write("mkdocs.yml", config)
    assert fixture_project.run("build") == 1
    assert expected in capsys.readouterr().err
