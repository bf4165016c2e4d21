"""The Commission's reporting forms, ready to paste: the summary for publication, in the parts the
programme's reporting asks for, and the key exploitable results.

The summary is written by the project, one `##` heading per part, in a Markdown file outside the
published folders; the part that asks for the website is filled with the site's address. A form's
field takes plain text, so each part is given as plain text, and its length is counted as the
portal counts it: in characters. A limit is checked only where a source documents it (the
programme data cites each one); a page limit is stated, not counted, since the form's own page sets
it. The key exploitable results come from `key_results:` in mkdocs.yml, their publications looked up
by number in the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .config import CONFIG_FILE, PROGRAMMES, KeyResult, SiteConfig, SummarySection, setting_line
from .csv_safe import csv_text
from .problems import Problem
from .project import Project
from .read import Record
from .report_formats import markdown_table, sheets_workbook

SUMMARY_REPORTS = ("periodic", "final")


class NoLayout(Exception):
    """The programme data documents no layout for the summary asked for, and the project gives none."""


@dataclass(frozen=True)
class SummaryPart:
    """One part of the summary: its section of the form and the plain text that goes into it."""

    section: SummarySection
    text: str
    line: int | None = None  # its heading's line in the summary file; None for a filled part

    @property
    def characters(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class ResultRow:
    """A key exploitable result as the forms ask for it, its audience and publications spelled out."""

    result: KeyResult
    audience: list[str]  # stakeholder group labels
    publications: list[str]  # "D5.4 Title (address)"


@dataclass
class Forms:
    """What `disseminate forms` writes, and what stops or warns about it."""

    report: str  # periodic or final
    source: str  # where the layout and its limits come from
    limit: dict[str, int]
    parts: list[SummaryPart] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)
    # A heading that is no part, an unknown publication; and, as warnings, an empty part or one over
    # a documented length.
    problems: list[Problem] = field(default_factory=list)

    @property
    def characters(self) -> int:
        return sum(part.characters for part in self.parts)


def summary_layout(config: SiteConfig, report: str) -> tuple[list[SummarySection], dict[str, int], str]:
    """The parts of the summary a report asks for, the whole summary's limit, and their source."""
    if config.publishable_summary.sections:
        return config.publishable_summary.sections, {}, "mkdocs.yml (publishable_summary: sections)"
    programme = config.project.programme
    documented = PROGRAMMES[programme].get("publishable_summary", {})
    layout = documented.get(report)
    if layout is None:
        known = ", ".join(name for name in SUMMARY_REPORTS if name in documented) or "none"
        raise NoLayout(f"the programme data documents no {report} report summary layout for {programme} "
                       f"(documented: {known}); give its parts in mkdocs.yml, publishable_summary: sections:")
    sections = [SummarySection.model_validate(section) for section in layout["sections"]]
    return sections, dict(layout.get("limit", {})), " ".join(documented["source"].split())


def build_forms(project: Project) -> Forms:
    config = project.config
    report = config.publishable_summary.report
    sections, limit, source = summary_layout(config, report)
    forms = Forms(report, source, limit)
    name = config.publishable_summary.file
    path = project.root / name
    if not path.is_file():
        forms.problems.append(Problem(name, 1, "summary", None, "not written yet: one ## heading per part", warning=True))
    written = _read_parts(path, name, sections, forms) if path.is_file() else {}
    for section in sections:
        if section.website:
            forms.parts.append(SummaryPart(section, config.site_url or ""))
        else:
            text, line = written.get(section.key, ("", None))
            forms.parts.append(SummaryPart(section, text, line))
    _check_lengths(forms, name)
    # Key results name publications by their number (D5.4, PB3), whatever their type.
    by_number = {record.item.identifier: record for record in project.collection.records
                 if record.item.identifier and not record.item.draft}
    forms.results = [_result_row(project, result, index, by_number, forms)
                     for index, result in enumerate(config.key_results)]
    return forms


def _read_parts(path: Path, name: str, sections: list[SummarySection],
                forms: Forms) -> dict[str, tuple[str, int]]:
    """Each part's plain text and heading line, by section key; a heading that is no part is a
    problem. What stands before the first `##` (a title, a note to the consortium) is not pasted."""
    by_heading = {_folded(section.heading): section for section in sections if not section.website}
    by_heading.update({_folded(section.key): section for section in sections if not section.website})
    tokens = MarkdownIt("commonmark", {"html": False}).parse(path.read_text("utf-8", errors="replace"))
    openings = [index for index, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]
    parts: dict[str, tuple[str, int]] = {}
    for opening, following in zip(openings, [*openings[1:], len(tokens)], strict=True):
        heading = tokens[opening + 1].content
        line = (tokens[opening].map or [0])[0] + 1
        section = by_heading.get(_folded(heading))
        if section is None:
            expected = "; ".join(s.heading for s in sections if not s.website)
            forms.problems.append(Problem(name, line, "summary", None,
                                          f"'{heading}' is not a part of the summary (the parts: {expected})"))
        elif section.key in parts:
            forms.problems.append(Problem(name, line, "summary", None, f"'{heading}' is written twice"))
        else:
            parts[section.key] = (plain_text(tokens[opening + 3:following]), line)
    return parts


def plain_text(tokens: list[Token]) -> str:
    """Markdown as the plain text a form field takes: paragraphs apart, list items marked and
    numbered, a link's address after its text; raw HTML stays as the text it is."""
    text = ""
    lists: list[list] = []  # per open list: its marker ("-" or "." for a numbered one) and items so far
    previous_in_list = False
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(["-" if token.type == "bullet_list_open" else ".", 0])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            lists[-1][1] += 1
        elif token.type in ("inline", "fence", "code_block") and token.content.strip():
            block = _inline_text(token) if token.type == "inline" else token.content.rstrip("\n")
            if lists:
                marker, number = lists[-1]
                opens_item = index >= 2 and tokens[index - 2].type == "list_item_open"
                bullet = ("-" if marker == "-" else f"{number}.") if opens_item else " "
                block = "  " * (len(lists) - 1) + f"{bullet} {block}"
            text += ("\n" if lists and previous_in_list else "\n\n" if text else "") + block
            previous_in_list = bool(lists)
    return text.strip()


def _inline_text(token: Token) -> str:
    out: list[str] = []
    href: str | None = None
    start = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "link_open":
            href, start = str(child.attrs.get("href", "")), len(out)
        elif child.type == "link_close" and href is not None:
            if href and "".join(out[start:]) != href:
                out.append(f" ({href})")
            href = None
    return "".join(out)


def _folded(text: str) -> str:
    """A heading as it is compared: case, spacing and punctuation aside."""
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


def _check_lengths(forms: Forms, name: str) -> None:
    """Warn of an empty part and of a length over the one the guidance documents."""
    for part in forms.parts:
        where = (CONFIG_FILE, 1) if part.section.website else (name, part.line or 1)
        if not part.text:
            what = "the site's address (site_url)" if part.section.website else "its text under this heading"
            forms.problems.append(Problem(*where, "summary", part.section.heading, f"empty: give {what}", warning=True))
        maximum = part.section.limit.get("characters")
        if maximum and part.characters > maximum:
            forms.problems.append(Problem(*where, "summary", part.section.heading, f"{part.characters:,} characters, "
                                          f"over the {maximum:,} the guidance gives ({forms.source})", warning=True))
    maximum = forms.limit.get("characters")
    if maximum and forms.characters > maximum:
        forms.problems.append(Problem(name, 1, "summary", None, f"{forms.characters:,} characters in all, over the "
                                      f"{maximum:,} the guidance prefers ({forms.source})", warning=True))


def _result_row(project: Project, result: KeyResult, index: int, by_number: dict[str, Record],
                forms: Forms) -> ResultRow:
    config = project.config
    publications = []
    for number in result.publications:
        record = by_number.get(number)
        if record is None:
            line = setting_line(project.root, "key_results", index, "publications")
            forms.problems.append(Problem(CONFIG_FILE, line, "config", f"key_results[{index}].publications",
                                          f"'{number}' is not the number of a publication of the site"))
            continue
        publications.append(_publication(project, record))
    return ResultRow(result, [config.stakeholders[key].label for key in result.audience], publications)


def _publication(project: Project, record: Record) -> str:
    url = project.url_of(record.path)
    return f"{record.item.identifier} {record.item.title} ({project.absolute_url(url) or '/' + url})"


def markdown(forms: Forms) -> str:
    """Both forms as Markdown: each part of the summary under its heading with its length, then
    each key result field by field."""
    lines = [f"# Summary for publication ({forms.report} report)", "", f"Parts and lengths: {forms.source}.", ""]
    for part in forms.parts:
        limit = part.section.limit
        stated = f"; the guidance: at most {limit['characters']:,} characters" if "characters" in limit else \
            f"; the guidance: at most {limit['pages']} page{'s' if limit['pages'] != 1 else ''}" if "pages" in limit \
            else ""
        lines += [f"## {part.section.heading}", "", part.text or "(empty)", "",
                  f"*{part.characters:,} characters{stated}.*", ""]
    total = forms.limit
    stated = f", of the {total['characters']:,} the guidance prefers" if "characters" in total else \
        f" (the guidance prefers at most {total['pages']} pages)" if "pages" in total else ""
    lines += [f"The summary: {forms.characters:,} characters{stated}.", "", "# Key exploitable results", ""]
    if not forms.results:
        lines += ["None in mkdocs.yml (key_results:).", ""]
    for row in forms.results:
        lines += [f"## {row.result.title}", "", *markdown_table(["Field", "Text"], result_fields(row)), ""]
    return "\n".join(lines)


def result_fields(row: ResultRow) -> list[list[str]]:
    result = row.result
    return [["Title", result.title], ["Teaser", result.teaser], ["Description", result.description or ""],
            ["Audience", "; ".join(row.audience)], ["Policy areas", "; ".join(result.policy_areas)],
            ["Video", result.video or ""], ["Publications", "; ".join(row.publications)]]


def sheets(forms: Forms) -> dict[str, tuple[list[str], list[list[object]]]]:
    """The summary's parts and the key results as tables, for CSV and XLSX."""
    summary = (["part", "heading", "text", "characters", "limit_characters", "limit_pages"],
               [[part.section.key, part.section.heading, part.text, part.characters,
                 part.section.limit.get("characters", ""), part.section.limit.get("pages", "")]
                for part in forms.parts])
    results = (["title", "teaser", "description", "audience", "policy_areas", "video", "publications"],
               [[value for _, value in result_fields(row)] for row in forms.results])
    return {"summary": summary, "key_results": results}


def csv_files(forms: Forms) -> dict[str, str]:
    return {f"{name}.csv": csv_text(header, rows) for name, (header, rows) in sheets(forms).items()}


def workbook(forms: Forms) -> bytes:
    return sheets_workbook(sheets(forms))
