"""Bad input in, exact message out: file, line, type, field and what is allowed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

D = "deliverables/d1-2.md"
PB = "policy_briefs/01-brief.md"
EV = "content/events/meeting.md"
NEWS = "content/news/item.md"


def deliverable(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


VALID = ("title: Second report", "id: D1.2", "summary: Short.", "dissemination: PU")


def valid_with(**changes: str) -> str:
    fields = {line.split(":")[0]: line for line in VALID}
    for key, value in changes.items():
        fields[key] = f"{key}: {value}"
    return deliverable(*fields.values())


CASES = [
    ("no front matter", {D: "Just a body.\n"},
     f"{D}:1: deliverable: no front matter (start the file with a '---' line, then 'title: ...', then '---')"),
    ("front matter not closed", {D: "---\ntitle: A\n"},
     f"{D}:1: deliverable: front matter is not closed (add a '---' line after the fields)"),
    ("empty front matter", {D: "---\n---\nBody.\n"},
     f"{D}:1: deliverable: front matter is empty (at least 'title' is required)"),
    ("front matter is a list", {D: "---\n- title\n---\n"},
     f"{D}:2: deliverable: front matter must be 'field: value' lines, not a list"),
    ("YAML syntax error", {D: deliverable("title: A", "summary: [unclosed", "id: D1.2")},
     f"{D}:4: deliverable: front matter is not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':'"),
    ("key given twice", {D: deliverable(*VALID, "title: Again")},
     f"{D}:6: deliverable: front matter is not valid YAML: 'title' is given twice"),
    ("missing title", {D: deliverable(*VALID[1:])},
     f"{D}:1: deliverable 'title': is required but missing"),
    ("missing summary on news", {NEWS: "---\ntitle: News\ndate: 2015-09-14\n---\n"},
     f"{NEWS}:1: news 'summary': is required but missing"),
    ("misspelt field", {D: deliverable(*VALID, "sumary: x")},
     f"{D}:6: deliverable 'sumary': unknown field (did you mean 'summary'?)"),
    ("unknown field", {D: deliverable(*VALID, "colour: blue")},
     f"{D}:6: deliverable 'colour': unknown field (fields: type, title, summary, date, authors, stakeholders, "
     "stages, topics, language, projects, draft, translator, pdf, doi, licence, open_access, id, work_package, lead, nature, "
     "dissemination, due, version, history, reviewers)"),
    ("wrong type", {D: valid_with(title="[a, b]")},
     f"{D}:2: deliverable 'title': expected text, not a list"),
    ("impossible date", {D: deliverable(*VALID, "date: 2015-09-31")},
     f"{D}:6: deliverable 'date': '2015-09-31' is not a real date (check day and month)"),
    ("date in another format", {D: deliverable(*VALID, "date: 14/09/2015")},
     f"{D}:6: deliverable 'date': '14/09/2015' is not a date (write YYYY-MM-DD, e.g. 2015-09-14)"),
    ("history date impossible", {D: deliverable(*VALID, "history:", "  - version: '0.1'", "    date: 2016-02-30")},
     f"{D}:8: deliverable 'history[0].date': '2016-02-30' is not a real date (check day and month)"),
    ("end before start", {EV: "---\ntitle: Meeting\nsummary: A meeting.\nstart: 2015-09-15\nend: 2015-09-14\n---\n"},
     f"{EV}:5: event 'end': end 2015-09-14 is before start 2015-09-15 (end must not be earlier)"),
    ("unknown stakeholder", {D: deliverable(*VALID, "stakeholders: [cso, ncps]")},
     f"{D}:6: deliverable 'stakeholders[1]': 'ncps' is not a known stakeholder group (did you mean 'ncp'? allowed: cso, ncp)"),
    ("unknown stage", {D: deliverable(*VALID, "stages:", "  - I", "  - VI")},
     f"{D}:8: deliverable 'stages[1]': 'VI' is not a known stage (did you mean 'I'? allowed: I, II)"),
    ("unknown topic", {D: deliverable(*VALID, "topics: [privacyy]")},
     f"{D}:6: deliverable 'topics[0]': 'privacyy' is not a known topic (did you mean 'privacy'? allowed: privacy)"),
    ("unknown partner", {D: deliverable(*VALID, "lead: ACNE")},
     f"{D}:6: deliverable 'lead': 'ACNE' is not a known partner (did you mean 'ACME'? allowed: ACME)"),
    ("unknown nature", {D: deliverable(*VALID, "nature: Report")},
     f"{D}:6: deliverable 'nature': 'Report' is not a known nature code (allowed: R, DEM, DEC, OTHER)"),  # H2020's
    ("bad dissemination level", {D: valid_with(dissemination="public")},
     f"{D}:5: deliverable 'dissemination': 'public' is not allowed (one of: PU, PP, RE, CO, SEN, CI, R-UE/EU-R, "
     "C-UE/EU-C, S-UE/EU-S)"),
    ("deliverable id shape", {D: valid_with(id="D1-2")},
     f"{D}:3: deliverable 'id': 'D1-2' is not a deliverable number (write D<work package>.<n>, e.g. D5.4)"),
    ("work package contradicts id", {D: deliverable(*VALID, "work_package: 3")},
     f"{D}:6: deliverable 'work_package': work package 3 does not match id D1.2 (expected 1)"),
    ("duplicate deliverable id", {D: valid_with(id="D1.1")},
     f"{D}:3: deliverable 'id': 'D1.1' is already used by deliverables/d1-1.md (each must be unique)"),
    ("duplicate brief number", {PB: "---\ntitle: One\nsummary: S.\nnumber: 1\n---\n",
                                "policy_briefs/02-brief.md": "---\ntitle: Two\nsummary: S.\nnumber: 1\n---\n"},
     "policy_briefs/02-brief.md:4: policy_brief 'number': '1' is already used by policy_briefs/01-brief.md (each must be unique)"),
    ("brief number not positive", {PB: "---\ntitle: One\nsummary: S.\nnumber: 0\n---\n"},
     f"{PB}:4: policy_brief 'number': 0 is too small (at least 1)"),
    ("duplicate output URL", {"content/deliverables.md": "---\ntitle: Our deliverables\n---\n"},
     "content/deliverables.md:1: page: page URL '/deliverables/' is already taken by deliverables/index.md (generated) "
     "(rename one of the files)"),
    ("related deliverable missing", {PB: "---\ntitle: One\nsummary: S.\nnumber: 1\nrelated: [D1.1, D9.9]\n---\n"},
     f"{PB}:5: policy_brief 'related[1]': no deliverable 'D9.9' (known: D1.1)"),
    ("broken link", {NEWS: "---\ntitle: N\nsummary: S.\ndate: 2015-09-14\n---\nFirst line.\nSee [the report](../../deliverables/d1-9.md).\n"},
     f"{NEWS}:7: news: link to '../../deliverables/d1-9.md': no such file (deliverables/d1-9.md)"),
    ("broken image", {D: deliverable(*VALID) + "\n![A chart](figures/chart.png)\n"},
     f"{D}:9: deliverable: image to 'figures/chart.png': no such file (deliverables/figures/chart.png)"),
    ("image from another host", {D: deliverable(*VALID) + "\n![A logo](https://example.org/logo.png)\n"},
     f"{D}:9: deliverable: image 'https://example.org/logo.png' is on another host (save it in the project: "
     "loading it would tell that host who reads the page)"),
    ("link to a non-public deliverable", {
        "deliverables/d1-3.md": "---\ntitle: Secret\nid: D1.3\nsummary: S.\ndissemination: CO\n---\nHidden.\n",
        D: deliverable(*VALID) + "[the secret one](d1-3.md)\n"},
     f"{D}:8: deliverable: link to 'd1-3.md', a deliverable that is not public (link the deliverables list instead)"),
    ("recommendation evidence missing", {"content/action-plan/a-1.md":
        "---\ntitle: Act\nid: a-1\nstakeholders: [cso]\nevidence: [D1.1, D7.7]\n---\n"},
     "content/action-plan/a-1.md:5: recommendation 'evidence[1]': no deliverable 'D7.7' (known: D1.1)"),
    ("recommendation without stakeholders", {"content/action-plan/a-1.md":
        "---\ntitle: Act\nid: a-1\nstakeholders: []\n---\n"},
     "content/action-plan/a-1.md:4: recommendation 'stakeholders': is empty (give at least 1)"),
    ("URL with another scheme", {EV: "---\ntitle: M\nsummary: S.\nregistration: ftp://example.org/form\n---\n"},
     f"{EV}:4: event 'registration': 'ftp://example.org/form' is not a web address (allowed: http://, https://, mailto:)"),
    ("script URL", {EV: "---\ntitle: M\nsummary: S.\nonline: javascript:alert(1)\n---\n"},
     f"{EV}:4: event 'online': 'javascript:alert(1)' is not a web address (allowed: http://, https://, mailto:)"),
    ("unknown time zone", {EV: "---\ntitle: M\nsummary: S.\ntimezone: Europe/Berln\n---\n"},
     f"{EV}:4: event 'timezone': 'Europe/Berln' is not an IANA time zone (did you mean 'Europe/Berlin'?)"),
    ("unknown event kind", {EV: "---\ntitle: M\nsummary: S.\nkind: party\n---\n"},
     f"{EV}:4: event 'kind': 'party' is not allowed (one of: workshop, conference, webinar, info-day, other)"),
    ("location given as text", {EV: "---\ntitle: M\nsummary: S.\nlocation: Berlin\n---\n"},
     f"{EV}:4: event 'location': expected a group of fields, e.g. {{city: Berlin, country: DE}}, not text"),
    ("draft not a boolean", {D: deliverable(*VALID, "draft: maybe")},
     f"{D}:6: deliverable 'draft': expected true or false, not text"),
    ("language not a tag", {D: deliverable(*VALID, "language: english!")},
     f"{D}:6: deliverable 'language': 'english!' is not a language tag (e.g. en, de, el, pt-BR)"),
    ("unknown type override", {"content/report.md": "---\ntype: report\ntitle: R\n---\n"},
     "content/report.md:2: page 'type': 'report' is not a content type (allowed: page, deliverable, event, guide, "
     "news, policy_brief, recommendation, video)"),
    ("not UTF-8", {D: deliverable(*VALID).encode("utf-8") + "Caf\u00e9\n".encode("latin-1")},
     f"{D}:8: deliverable: file is not UTF-8 text (byte 0xe9; save it as UTF-8)"),
    ("empty title", {D: valid_with(title="''")},
     f"{D}:2: deliverable 'title': is empty (write a value or leave the field out)"),
]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_is_reported_exactly(fixture_project, capsys, files, expected):
    for path, text in files.items():
        fixture_project.write(path, text)
    assert fixture_project.run("check") == 1
    reported = capsys.readouterr().err.splitlines()
    assert reported[0] == expected
    assert reported[1:] == ["1 problem found in the content."]


def test_every_problem_is_reported_in_one_run(fixture_project, capsys):
    fixture_project.write(D, valid_with(dissemination="public"))
    fixture_project.write(EV, "---\ntitle: M\nsummary: S.\nkind: party\n---\n")
    fixture_project.write("content/broken.md", "no front matter\n")
    assert fixture_project.run("check") == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["content/broken.md", EV, D]
    assert lines[-1] == "3 problems found in the content."


def test_bom_and_crlf_are_fine(fixture_project, capsys):
    fixture_project.write(D, b"\xef\xbb\xbf" + valid_with(date="2015-09-14").replace("\n", "\r\n").encode())
    assert fixture_project.run("check") == 0, capsys.readouterr().err


def test_config_problems_name_the_line_in_mkdocs_yml(fixture_project, capsys):
    config = (fixture_project.root / "mkdocs.yml").read_text()
    fixture_project.write("mkdocs.yml", config.replace('programme: H2020', 'programme: H2030'))
    assert fixture_project.run("check") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "mkdocs.yml:15: config 'project.programme': 'H2030' is not allowed (one of: FP7, H2020, HE)")


def test_usage_errors_exit_2(fixture_project, capsys):
    assert fixture_project.run("frobnicate") == 2
    assert fixture_project.run("check", "--no-such-flag") == 2
    assert main_in(fixture_project.root / "nowhere") == 2


def main_in(path) -> int:
    from builder.cli import main
    return main(["-C", str(path), "check"])


_SCALARS = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.booleans(), st.none())
_FRONT_MATTER = st.dictionaries(st.text(alphabet="abcdefghij_", min_size=1, max_size=8),
                                st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                                             | st.dictionaries(st.text(alphabet="xyz", min_size=1, max_size=3),
                                                               inner, max_size=3), max_leaves=8), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_FRONT_MATTER, st.sampled_from([False, True]))
def test_front_matter_reads_alike_with_libyaml_and_with_pyyaml(data, flow):
    """The front matter libyaml's events make gives the values and lines PyYAML's own would."""
    import yaml

    from builder.frontmatter import FrontMatterLoader, FrontMatterLoaderInC, _load_yaml

    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert _load_yaml(text, 2, FrontMatterLoaderInC) == _load_yaml(text, 2, FrontMatterLoader)


def test_front_matter_that_does_not_read_gets_pyyamls_words():
    """A problem is worded as PyYAML words it, whichever parser found it first."""
    from builder.frontmatter import YamlProblem, load_yaml

    with pytest.raises(YamlProblem) as raised:
        load_yaml("title: [unclosed\n", 2)
    # libyaml: "did not find expected ',' or ']'"; PyYAML, as the staff have seen it:
    assert raised.value.message == "while parsing a flow sequence, expected ',' or ']', but got '<stream end>'"
    assert raised.value.line == 3
