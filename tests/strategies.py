"""Hypothesis strategies for what partners might put in a content file: front matter of every shape
(valid YAML of the wrong kinds, and text that is barely YAML at all) and Markdown bodies built from
the constructs that have broken parsers before (deep nesting, raw HTML, odd addresses, control
characters). Shared by the bounded fuzz test and the long run in bench/fuzz.py."""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

from builder import CONTENT_TYPES

FOLDERS = {"deliverable": "deliverables", "policy_brief": "policy_briefs", "guide": "content/guides",
           "event": "content/events", "news": "content/news", "recommendation": "content/action-plan",
           "page": "content"}

# Characters that have mattered: quotes and brackets, YAML and Markdown syntax, entities, controls,
# line and paragraph separators, a byte-order mark, right-to-left marks, combining and wide letters.
TRICKY = list("\"'<>&{}[]|*_`#:-!%@\\/=\t\n\r\x00\x02\x03\x0b\x1b\x7f\x85\u2028\u2029\ufeff\u202e\u0301")
TRICKY += ["&amp;", "&#x09;", "javascript:", "data:", "{{ 7*7 }}", "{% raw %}", "---", "...", "\u0647\u0644",
           "\u4e2d\u6587", "\U0001F600", "Ελληνικά", "ä", "  ", "\n\n"]
text = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=12)), max_size=8).map("".join)

addresses = st.one_of(
    st.sampled_from(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:x", " javascript:x",
                     "data:text/html,<script>alert(1)</script>", "data:image/png;base64,AAAA", "vbscript:x",
                     "https://example.org/x.png", "//tracker.example/p.gif", "http://[::1]/", "mailto:a@b",
                     "tel:+32", "ftp://x/y", "../../../../etc/passwd", "/etc/passwd", "d1-1.md", "../deliverables/d1-1.md",
                     "#top", "?q=1", "", " ", "%00", "x.pdf#page=2", "file:///etc/passwd"]),
    text)

scalars = st.one_of(text, st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(), st.none(),
                    st.sampled_from(["2015-09-14", "2015-09-31", "2015-09-14T09:30", "D1.1", "PU", "CO", "cso",
                                     "I", "Europe/Berlin", "Mars/Olympus", "1.10", "0x10", "1e9", "yes", "~"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(text, inner, max_size=4)), max_leaves=12)


# Printable trouble only: quotes, brackets, syntax of YAML, Markdown and Jinja, entities, scripts of
# other languages. With it, front matter is usually valid, so that bodies and the build get their turn.
printable = st.lists(st.one_of(st.sampled_from([c for c in TRICKY if c.isprintable() or c in "\n"]),
                               st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)),
                     min_size=1, max_size=6).map("".join).map(str.strip).filter(bool)


def valid_fields(type_name: str, words: st.SearchStrategy) -> st.SearchStrategy:
    """Front matter a type accepts, with `words` wherever it takes free text."""
    common = {"title": words}
    per_type = {
        "deliverable": {"summary": words, "id": st.just("D1.9"), "dissemination": st.sampled_from(["PU", "PU", "CO"]),
                        "authors": st.lists(words, max_size=3), "version": words, "reviewers": st.lists(words, max_size=2),
                        "history": st.lists(st.fixed_dictionaries({"version": words, "date": st.just("2016-01-01"),
                                                                   "changes": words, "by": words}), max_size=2)},
        "policy_brief": {"summary": words, "number": st.just(9), "related": st.just(["D1.1"])},
        "guide": {"summary": words, "audience": st.just(["cso"])},
        "event": {"summary": words, "start": st.sampled_from(["2015-09-14", "2015-09-14T09:30", "2030-01-01"]),
                  "location": st.fixed_dictionaries({"venue": words, "city": words}), "organiser": words},
        "news": {"summary": words, "date": st.just("2016-01-01")},
        "recommendation": {"id": st.just("fuzz-1"), "stakeholders": st.just(["cso", "ncp"]), "addressee": words,
                           "stages": st.just(["I"]), "evidence": st.just(["D1.1"])},
        "page": {},
    }
    return st.fixed_dictionaries({**common, **per_type[type_name]})


@st.composite
def front_matter(draw, type_name: str) -> str:
    """A front matter block: mostly one the type accepts, with tricky text in it; sometimes fields of
    any name with values of any kind; now and then text that is barely YAML at all."""
    kind = draw(st.sampled_from(["valid"] * 7 + ["anything"] * 2 + ["raw"]))
    if kind == "raw":  # fuzz the YAML reader itself
        return "---\n" + draw(text) + "\n---\n"
    if kind == "valid":
        fields = draw(valid_fields(type_name, printable))
    else:
        known = [name for name in CONTENT_TYPES[type_name].model_fields if name != "type"]
        fields = draw(st.dictionaries(st.one_of(st.sampled_from(known), text.filter(bool)), values, max_size=10))
    try:
        dumped = yaml.safe_dump(fields, allow_unicode=draw(st.booleans()), sort_keys=False)
    except yaml.YAMLError:
        dumped = draw(text)
    return f"---\n{dumped}---\n"


def nested(depth: int, opener: str, indent: str) -> str:
    return "".join(indent * level + opener + "x\n" for level in range(depth))


benign_addresses = st.sampled_from(["https://example.org/page", "mailto:a@b", "tel:+32", "../deliverables/d1-1.md",
                                    "d1-1.md", "#top", "../index.md", "x.pdf#page=2", ""])
prose = st.one_of(
    printable,
    printable.map(lambda words: f"## {words}"),
    st.tuples(printable, benign_addresses).map(lambda pair: f"[{pair[0]}]({pair[1]})"),
    st.integers(1, 12).map(lambda depth: nested(depth, "- ", "    ")),
    st.integers(1, 12).map(lambda depth: ">" * depth + " quoted"),
    st.integers(1, 30).map(lambda rows: "| a | b |\n|:--|--:|\n" + "| 1 | 2 |\n" * rows),
    printable.map(lambda words: f"```\n{words}\n```"),
    printable.map(lambda words: f"!!! note \"{words}\"\n    {words}"),
    printable.map(lambda words: f"{words}[^1]\n\n[^1]: {words}"),
    printable.map(lambda words: f"*{words}* **{words}** `{words}`"),
    st.sampled_from(["<b>bold</b>", "<abbr title=\"x\">X</abbr>", "<details><summary>s</summary>d</details>",
                     "<font color=red>x</font>", "<span data-x=\"1\">y</span>", "<table><tr><td>c</td></tr></table>"]),
)
attacks = st.one_of(
    text,
    st.tuples(text, addresses).map(lambda pair: f"[{pair[0]}]({pair[1]})"),
    st.tuples(text, addresses).map(lambda pair: f"![{pair[0]}]({pair[1]})"),
    st.tuples(st.sampled_from(["a", "img", "script", "iframe", "div", "span", "svg", "form", "b", "td", "details",
                               "math", "style", "object", "video", "source", "p"]),
              st.sampled_from(["href", "src", "srcset", "onerror", "style", "data-pagefind-filter", "id", "class",
                               "poster", "action"]),
              addresses).map(lambda t: f"<{t[0]} {t[1]}=\"{t[2]}\">x</{t[0]}>"),
    st.integers(1, 120).map(lambda depth: nested(depth, "- ", "    ")),
    st.integers(1, 300).map(lambda depth: ">" * depth + " deep"),
    st.integers(1, 300).map(lambda depth: "<div>" * depth + "x" + "</div>" * depth),
    st.integers(1, 80).map(lambda depth: "*" * depth + "x" + "*" * depth),
    st.integers(1, 60).map(lambda depth: "[" * depth + "x" + "](y)" * depth),
    text.map(lambda words: f"{words}\n{{: #x .y onclick=\"alert(1)\" style=\"font-size: 1e30px\" }}"),
)
# Mostly prose a partner might write, now and then an attack, so that both the checks and the build are hit.
blocks = st.one_of(prose, prose, prose, prose, attacks)
bodies = st.lists(blocks, max_size=8).map("\n\n".join)


@st.composite
def content_file(draw) -> tuple[str, str]:
    """(path, text) of one content file of any type."""
    type_name = draw(st.sampled_from(sorted(FOLDERS)))
    name = draw(st.sampled_from(["fuzz.md", "fuzz/index.md", "fuzz/README.md"]))
    return f"{FOLDERS[type_name]}/{name}", draw(front_matter(type_name)) + draw(bodies)
