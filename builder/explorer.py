"""The explorer of related projects: facets with their counts, figures per year, thematic area and
country, and a page for every project and for every page of the listing.

A programme holds tens of thousands of projects, so their pages do not go through MkDocs, whose
page costs some 15 ms with Material's navigation in it: they are rendered here from one small
template into a light frame (the site's stylesheets, a header back to the site, the funding
statement and emblem), each a few kilobytes, and written straight into the site after the search
index is made (the explorer has its own search; Pagefind need not read them). The explorer's home
is a page of the site like any other.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .config import PROGRAMMES, SiteConfig
from .cordis import LAYOUT, CordisProject
from .layout import relative_url
from .report_formats import csv_text
from .repository import Entry, Repository
from .templating import render_template

EXPLORER_URL = "projects/"
# CORDIS writes EU country codes: EL for Greece, UK for the United Kingdom (ISO: GR, GB).
EU_CODES = {"EL": "GR", "UK": "GB"}
TOP_COUNTRIES = 15


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """One way to narrow the projects, with how many each of its values holds."""

    key: str
    label: str
    values: tuple[FacetValue, ...]
    multiple: bool  # a project may have several of its values (countries, areas)


@dataclass(frozen=True)
class Figure:
    """One figure of the explorer's home: its bars, as counts and as EU contribution."""

    title: str
    heading: str
    rows: list[tuple[str, int, float]]  # (label, projects, EU contribution in euros)


class Names:
    """The words the explorer shows for CORDIS's codes: programmes, areas, countries, kinds."""

    def __init__(self, config: SiteConfig) -> None:
        from babel import Locale  # CLDR's country names, already there for the site's dates

        self.areas = {key: term.label for key, term in config.explorer.areas.items()}
        self.programmes = {key: PROGRAMMES[key].get("label", key) for key in PROGRAMMES}
        self.kinds: dict[str, str] = LAYOUT["activity_types"]
        self._territories = Locale("en").territories

    def country(self, code: str) -> str:
        return self._territories.get(EU_CODES.get(code, code), code) if code else "Not given"


def facets(repository: Repository, names: Names) -> list[Facet]:
    """Every facet, its values in a reading order, counted over every project."""
    specs: list[tuple[str, str, Callable[[Entry], list[str]], Callable[[str], str], bool]] = [
        ("area", "Thematic area", lambda e: list(e.areas), lambda v: names.areas.get(v, v), True),
        ("programme", "Programme", lambda e: [e.project.programme], lambda v: names.programmes.get(v, v), False),
        ("civil_society", "Civil society", lambda e: ["yes" if e.civil_society else "no"],
         lambda v: "A civil society organisation takes part" if v == "yes" else "No civil society organisation", False),
        ("status", "Status", lambda e: [e.project.status or "not given"], lambda v: v.capitalize(), False),
        ("year", "Start year", lambda e: [(e.project.start or "")[:4] or "not given"], str, False),
        ("scheme", "Funding scheme", lambda e: [e.project.funding_scheme or "not given"], str, False),
        ("call", "Call", lambda e: [e.project.call or "not given"], str, False),
        ("country", "Participant country", lambda e: sorted({p.country for p in e.project.participants if p.country}),
         names.country, True),
        ("kind", "Organisation type", lambda e: sorted({p.activity_type for p in e.project.participants
                                                        if p.activity_type}), lambda v: names.kinds.get(v, v), True),
    ]
    made = []
    for key, label, values_of, label_of, multiple in specs:
        counts = Counter(value for entry in repository.entries for value in values_of(entry))
        order = _order(key, counts, names)
        made.append(Facet(key, label, tuple(FacetValue(value, label_of(value), counts[value]) for value in order),
                          multiple))
    return made


def _order(key: str, counts: Counter, names: Names) -> list[str]:
    """Areas and programmes in their own order, years newest first, the rest most frequent first."""
    if key == "area":
        return [area for area in names.areas if counts[area]]
    if key == "programme":
        return [programme for programme in names.programmes if counts[programme]]
    if key == "year":
        return sorted(counts, reverse=True)
    return sorted(counts, key=lambda value: (-counts[value], value))


def figures(repository: Repository, names: Names) -> list[Figure]:
    """Projects and EU contribution per start year, per thematic area and per participant country
    (a country's share: what its organisations receive)."""
    per_year: dict[str, list[float]] = {}
    per_area: dict[str, list[float]] = {area: [0, 0.0] for area in names.areas}
    per_country: dict[str, list[float]] = {}
    for entry in repository.entries:
        project = entry.project
        contribution = project.ec_contribution or 0.0
        year = per_year.setdefault((project.start or "")[:4] or "not given", [0, 0.0])
        year[0] += 1
        year[1] += contribution
        for area in entry.areas:
            per_area[area][0] += 1
            per_area[area][1] += contribution
        received: dict[str, float] = {}
        for participant in project.participants:
            received[participant.country] = received.get(participant.country, 0.0) + (participant.ec_contribution or 0)
        for country, amount in received.items():
            row = per_country.setdefault(country, [0, 0.0])
            row[0] += 1
            row[1] += amount
    countries = sorted(per_country.items(), key=lambda item: (-item[1][0], item[0]))
    top, rest = countries[:TOP_COUNTRIES], countries[TOP_COUNTRIES:]
    country_rows = [(names.country(code), int(row[0]), row[1]) for code, row in top]
    if rest:
        country_rows.append((f"{len(rest)} other countries", sum(int(row[0]) for _, row in rest),
                             sum(row[1] for _, row in rest)))
    return [Figure("Projects per start year", "Start year",
                   [(year, int(row[0]), row[1]) for year, row in sorted(per_year.items())]),
            Figure("Projects per thematic area", "Thematic area",
                   [(names.areas[area], int(row[0]), row[1]) for area, row in per_area.items()]),
            Figure("Projects per participant country", "Country", country_rows)]


def project_url(project: CordisProject, use_directory_urls: bool = True) -> str:
    return f"{EXPLORER_URL}{project.id}/" if use_directory_urls else f"{EXPLORER_URL}{project.id}.html"


def listing_url(number: int, use_directory_urls: bool = True) -> str:
    """The address of a page of the listing; the first is the explorer's home."""
    if number == 1:
        return EXPLORER_URL
    return f"{EXPLORER_URL}page/{number}/" if use_directory_urls else f"{EXPLORER_URL}page/{number}.html"


@dataclass(frozen=True)
class Frame:
    """What every explorer page shares: the site's name, stylesheets and funding statement."""

    site_name: str
    stylesheets: tuple[str, ...]  # site-relative paths
    statement: str
    use_directory_urls: bool
    language: str = "en"
    body_attributes: tuple[tuple[str, str], ...] = ()  # Material's colour scheme, as the site's pages carry it


def site_stylesheets(site_dir: Path) -> tuple[str, ...]:
    """Material's stylesheets as this build named them (their names carry a hash), then the site's own."""
    material = sorted(path.relative_to(site_dir).as_posix()
                      for path in (site_dir / "assets" / "stylesheets").glob("*.min.css"))
    return (*material, "assets/fonts/fonts.css", "assets/disseminate.css")


def pages(repository: Repository, names: Names, frame: Frame,
          env: jinja2.Environment, root: Path) -> Iterator[tuple[str, str]]:
    """(site path of the file, its HTML) for every project's page and every later page of the listing."""
    dirs = frame.use_directory_urls
    size = repository.settings.page_size
    total = max(1, -(-len(repository) // size))
    for number in range(2, total + 1):
        url = listing_url(number, dirs)
        chunk = repository.entries[(number - 1) * size:number * size]
        yield _file_of(url), render_template(
            env, "explorer_listing.html", root, "explorer", names=names, number=number,
            pages=total, entries=chunk, link=_linker(url, dirs), page_url=lambda n: listing_url(n, dirs),
            relative=lambda target, here=url: relative_url(target, here), **_frame_context(frame, url))
    for entry in repository.entries:
        url = project_url(entry.project, dirs)
        yield _file_of(url), render_template(
            env, "explorer_project.html", root, "explorer", entry=entry, project=entry.project, names=names,
            cordis=LAYOUT["project_page"].format(id=entry.project.id), link=_linker(url, dirs),
            **_frame_context(frame, url))


def _frame_context(frame: Frame, url: str) -> dict[str, Any]:
    return {"frame": frame, "url": url, "home": relative_url("", url), "explorer": relative_url(EXPLORER_URL, url),
            "stylesheets": [relative_url(sheet, url).rstrip("/") for sheet in frame.stylesheets],
            "emblem": relative_url("assets/eu-emblem.svg", url).rstrip("/")}


def _linker(url: str, dirs: bool) -> Callable[[CordisProject], str]:
    return lambda project: relative_url(project_url(project, dirs), url)


def _file_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


def write_pages(site_dir: Path, made: Iterator[tuple[str, str]]) -> int:
    """Write each page under `site_dir`, never over a file already there (FileExistsError); how
    many were written."""
    count = 0
    made_dirs: set[str] = set()
    for path, html in made:
        folder = os.path.dirname(path)
        if folder not in made_dirs:
            (site_dir / folder).mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        with open(site_dir / path, "x", encoding="utf-8") as page:
            page.write(html)
        count += 1
    return count


DOWNLOAD_COLUMNS = ["id", "acronym", "title", "programme", "call", "topics", "funding_scheme", "status", "start",
                    "end", "total_cost", "ec_contribution", "areas", "coordinator", "countries", "participants",
                    "civil_society", "cordis"]


def download_rows(repository: Repository, names: Names) -> list[dict[str, Any]]:
    """A row per project for the downloads, in the columns the README names."""
    rows = []
    for entry in repository.entries:
        project = entry.project
        coordinator = next((p.name for p in project.participants if p.role == "coordinator"), "")
        rows.append({"id": project.id, "acronym": project.acronym, "title": project.title,
                     "programme": project.programme, "call": project.call, "topics": " ".join(project.topics),
                     "funding_scheme": project.funding_scheme, "status": project.status, "start": project.start or "",
                     "end": project.end or "", "total_cost": project.total_cost, "ec_contribution": project.ec_contribution,
                     "areas": " ".join(entry.areas), "coordinator": coordinator,
                     "countries": " ".join(sorted({p.country for p in project.participants if p.country})),
                     "participants": len(project.participants), "civil_society": entry.civil_society,
                     "cordis": LAYOUT["project_page"].format(id=project.id)})
    return rows


def downloads(repository: Repository, names: Names) -> dict[str, bytes]:
    """Every project as CSV and as JSON, for whoever wants the whole repository."""
    rows = download_rows(repository, names)
    table = csv_text(DOWNLOAD_COLUMNS, [[row[column] for column in DOWNLOAD_COLUMNS] for row in rows])
    return {f"{EXPLORER_URL}projects.csv": table.encode("utf-8"),
            f"{EXPLORER_URL}projects.json": json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
