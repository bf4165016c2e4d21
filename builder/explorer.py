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

import errno
import functools
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .catalogues import N_, words_digest
from .config import PROGRAMMES, CivilSociety, SiteConfig
from .cordis import LAYOUT, CordisProject
from .layout import relative_url
from .repository import Entry, Repository, is_civil_society
from .templating import Wording, render_template

EXPLORER_URL = "projects/"
# CORDIS writes EU country codes: EL for Greece, UK for the United Kingdom (ISO: GR, GB).
EU_CODES = {"EL": "GR", "UK": "GB"}
TOP_COUNTRIES = 15
ORDERED_FACETS = ("area", "programme", "year")  # in an order of their own; the others' values most frequent first
NOT_GIVEN = "not given"  # a facet's value (in shareable links) for what CORDIS leaves empty; shown translated
STATUSES = {"SIGNED": N_("Signed"), "CLOSED": N_("Closed"), "TERMINATED": N_("Terminated")}
ROLES = {"coordinator": N_("coordinator"), "participant": N_("participant"), "partner": N_("partner"),
         "thirdParty": N_("third party"), "internationalPartner": N_("international partner"),
         "associatedPartner": N_("associated partner")}
# The kinds of organisation as cordis.yml names them (activity_types), marked here for the catalogues.
KINDS = [N_("Higher or secondary education"), N_("Research organisation"), N_("Private company"), N_("Public body"),
         N_("Other")]


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
    rows: list[tuple[str, int, float | None]]  # (label, projects, EU contribution in euros; None: none given)
    amounts_title: str = ""  # the title of its chart of amounts


class Names:
    """The words the explorer shows, in the wording's language: its own, and those of CORDIS's
    codes (programmes, areas, countries, kinds of organisation, statuses, roles)."""

    def __init__(self, config: SiteConfig, wording: Wording) -> None:
        self.areas = {key: term.label for key, term in config.explorer.areas.items()}
        self.programmes = {key: PROGRAMMES[key].get("label", key) for key in PROGRAMMES}
        self.gettext = wording.gettext
        self.ngettext = wording.ngettext
        self.kinds: dict[str, str] = {code: wording.gettext(label) for code, label in LAYOUT["activity_types"].items()}
        self._territories = wording.locale.territories  # CLDR's country names, already there for the site's dates
        self.euros = wording.euros
        self.digest = f"{wording.language} {words_digest(wording.language)}"  # pages change with the words

    def country(self, code: str) -> str:
        return self._territories.get(EU_CODES.get(code, code), code) if code else self.gettext("Not given")

    def given(self, value: str) -> str:
        """A value CORDIS gave as it is, or "not given" in the site's language."""
        return self.gettext("not given") if value == NOT_GIVEN else value

    def status(self, status: str | None) -> str:
        return self.gettext(STATUSES[status]) if status in STATUSES else status or self.gettext("not given")

    def role(self, role: str) -> str:
        return self.gettext(ROLES[role]) if role in ROLES else role

    def kind(self, code: str | None) -> str:
        return self.kinds.get(code, code) if code else self.gettext("not given")

    def summary(self, project: CordisProject) -> str:
        """A project's line in a listing, under its name: "Horizon 2020, from 2016-05, EU
        contribution €1,234,567.00" (the script's listing shows the same line, see explorer_index)."""
        parts = [self.programmes.get(project.programme, project.programme)]
        if project.start:
            parts.append(self.gettext("from %(month)s") % {"month": project.start[:7]})
        if project.ec_contribution is not None:
            parts.append(self.gettext("EU contribution %(amount)s") % {"amount": self.euros(project.ec_contribution)})
        return ", ".join(parts)


@dataclass(frozen=True)
class FacetSpec:
    """How a facet reads a project: the values it has, and the words each value is shown as."""

    key: str
    label: str
    values_of: Callable[[Entry], list[str]]
    label_of: Callable[[str], str]
    multiple: bool


def facet_specs(names: Names) -> list[FacetSpec]:
    """Every facet of the explorer, in the order its home and its script show them."""
    _ = names.gettext
    return [
        FacetSpec("area", _("Thematic area"), lambda e: list(e.areas), lambda v: names.areas.get(v, v), True),
        FacetSpec("programme", _("Programme"), lambda e: [e.project.programme], lambda v: names.programmes.get(v, v),
                  False),
        FacetSpec("civil_society", _("Civil society"), lambda e: ["yes" if e.civil_society else "no"],
                  lambda v: _("A civil society organisation takes part") if v == "yes"
                  else _("No civil society organisation"), False),
        FacetSpec("status", _("Status"), lambda e: [e.project.status or NOT_GIVEN],
                  lambda v: names.status(None if v == NOT_GIVEN else v), False),
        FacetSpec("year", _("Start year"), lambda e: [(e.project.start or "")[:4] or NOT_GIVEN], names.given, False),
        FacetSpec("scheme", _("Funding scheme"), lambda e: [e.project.funding_scheme or NOT_GIVEN], names.given, False),
        FacetSpec("call", _("Call"), lambda e: [e.project.call or NOT_GIVEN], names.given, False),
        FacetSpec("country", _("Participant country"),
                  lambda e: sorted({p.country for p in e.project.participants if p.country}), names.country, True),
        FacetSpec("kind", _("Organisation type"),
                  lambda e: sorted({p.activity_type for p in e.project.participants if p.activity_type}),
                  lambda v: names.kinds.get(v, v), True),
    ]


def facets(repository: Repository, names: Names) -> list[Facet]:
    """Every facet, its values in a reading order, counted over every project."""
    made = []
    for spec in facet_specs(names):
        counts = Counter(value for entry in repository.entries for value in spec.values_of(entry))
        made.append(Facet(spec.key, spec.label, tuple(FacetValue(value, spec.label_of(value), counts[value])
                                                      for value in _order(spec.key, counts, names)), spec.multiple))
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
    (a country's share: what its organisations receive). An amount no project of a row gives is
    None, "not given", never zero."""
    per_year: dict[str, list] = {}
    per_area: dict[str, list] = {area: [0, None] for area in names.areas}
    per_country: dict[str, list] = {}
    for entry in repository.entries:
        project = entry.project
        _add(per_year.setdefault((project.start or "")[:4] or NOT_GIVEN, [0, None]), project.ec_contribution)
        for area in entry.areas:
            _add(per_area[area], project.ec_contribution)
        received: dict[str, float | None] = {}
        for participant in project.participants:
            known = received.get(participant.country)
            amount = participant.ec_contribution
            received[participant.country] = known if amount is None else (known or 0.0) + amount
        for country, amount in received.items():
            _add(per_country.setdefault(country, [0, None]), amount)
    countries = sorted(per_country.items(), key=lambda item: (-item[1][0], item[0]))
    top, rest = countries[:TOP_COUNTRIES], countries[TOP_COUNTRIES:]
    country_rows = [(names.country(code), row[0], row[1]) for code, row in top]
    if rest:
        amounts = [row[1] for _, row in rest if row[1] is not None]
        country_rows.append((names.ngettext("%(num)s other country", "%(num)s other countries", len(rest))
                             % {"num": len(rest)}, sum(row[0] for _, row in rest), sum(amounts) if amounts else None))
    _ = names.gettext
    return [Figure(_("Projects per start year"), _("Start year"),
                   [(names.given(year), row[0], row[1]) for year, row in sorted(per_year.items())],
                   _("EU contribution per start year")),
            Figure(_("Projects per thematic area"), _("Thematic area"),
                   [(names.areas[area], row[0], row[1]) for area, row in per_area.items()],
                   _("EU contribution per thematic area")),
            Figure(_("Projects per participant country"), _("Country"), country_rows,
                   _("EU contribution per participant country"))]


def _add(row: list, amount: float | None) -> None:
    """One more project in a row of a figure, and its amount when it gives one."""
    row[0] += 1
    if amount is not None:
        row[1] = (row[1] or 0.0) + amount


@dataclass(frozen=True)
class Organisation:
    """An organisation's part in an area: in how many of its projects, and with what EU contribution."""

    name: str
    country: str
    projects: int
    ec_contribution: float | None


@dataclass(frozen=True)
class AreaReport:
    """One thematic area's state of play, for its PDF: its projects in figures, who takes part,
    and its projects newest first (as many as the config lets the PDF list)."""

    key: str
    label: str
    description: str
    count: int
    ec_contribution: float | None  # the sum of the amounts given; None when none is
    without_amount: int
    programmes: list[tuple[str, int]]
    statuses: list[tuple[str, int]]
    civil_society: int  # projects a civil society organisation takes part in
    figures: list[Figure]  # per start year, per participant country
    organisations: list[Organisation]  # those in the most projects
    civil_society_organisations: list[Organisation]
    listed: tuple[Entry, ...]

    @property
    def unlisted(self) -> int:
        return self.count - len(self.listed)


TOP_ORGANISATIONS = 20


def areas_with_projects(repository: Repository) -> list[str]:
    """The areas that hold a project, in the areas' order."""
    held = {area for entry in repository.entries for area in entry.areas}
    return [area for area in repository.settings.areas if area in held]


def area_report(repository: Repository, names: Names, key: str) -> AreaReport:
    """The state of play of one area."""
    settings = repository.settings
    entries = tuple(entry for entry in repository.entries if key in entry.areas)
    within = Repository(entries, settings)
    amounts = [entry.project.ec_contribution for entry in entries if entry.project.ec_contribution is not None]
    counted = {facet.key: [(value.label, value.count) for value in facet.values] for facet in facets(within, names)
               if facet.key in ("programme", "status")}
    per_year, _, per_country = figures(within, names)
    everyone, civil = _organisations(entries, names, settings.civil_society)
    term = settings.areas[key]
    return AreaReport(key, term.label, term.description or "", len(entries), sum(amounts) if amounts else None,
                      len(entries) - len(amounts), counted["programme"], counted["status"],
                      sum(entry.civil_society for entry in entries), [per_year, per_country],
                      everyone[:TOP_ORGANISATIONS], civil, entries[:settings.report_projects])


def _organisations(entries: Sequence[Entry], names: Names,
                   rule: CivilSociety) -> tuple[list[Organisation], list[Organisation]]:
    """The organisations taking part in `entries`, and those of them the rule calls civil society,
    each in the most projects first."""
    found: dict[tuple[str, str], list] = {}  # (organisation id or name, country) -> [name, projects, amount, civil]
    for entry in entries:
        taking_part = {(p.organisation or p.name, p.country): p for p in entry.project.participants}  # each once
        for place, participant in taking_part.items():
            row = found.get(place)
            if row is None:
                row = found[place] = [participant.name, 0, None, is_civil_society(participant, rule)]
            row[1] += 1
            if participant.ec_contribution is not None:
                row[2] = (row[2] or 0.0) + participant.ec_contribution
    ranked = sorted(found.items(), key=lambda item: (-item[1][1], item[1][0]))
    made = [(Organisation(name, names.country(country), projects, amount), civil)
            for (_, country), (name, projects, amount, civil) in ranked]
    return [organisation for organisation, _ in made], [organisation for organisation, civil in made if civil]


def project_url(project: CordisProject) -> str:
    """A project's page: a file, not a folder with an index, since making tens of thousands of
    folders costs some seven times what the files themselves do (bench/README.md)."""
    return f"{EXPLORER_URL}{project.id}.html"


def listing_url(number: int) -> str:
    """The address of a page of the listing; the first is the explorer's home."""
    return EXPLORER_URL if number == 1 else f"{EXPLORER_URL}page-{number}.html"


@dataclass(frozen=True)
class Frame:
    """What every explorer page shares: the site's name, stylesheets and funding statement."""

    site_name: str
    stylesheets: tuple[str, ...]  # site-relative paths
    statement: str
    language: str = "en"
    body_attributes: tuple[tuple[str, str], ...] = ()  # Material's colour scheme, as the site's pages carry it
    icon: str | None = None  # the site's favicon, site-relative: without one a browser asks for /favicon.ico


def site_stylesheets(site_dir: Path) -> tuple[str, ...]:
    """Material's stylesheets as this build named them (their names carry a hash), then the site's own."""
    material = sorted(path.relative_to(site_dir).as_posix()
                      for path in (site_dir / "assets" / "stylesheets").glob("*.min.css"))
    return (*material, "assets/fonts/fonts.css", "assets/disseminate.css")


@dataclass(frozen=True)
class PageJob:
    """One page to write: where, the digest of all it is made from, and how to make it."""

    path: str
    key: str
    render: Callable[[], str]


def pages(repository: Repository, names: Names, frame: Frame, env: jinja2.Environment, root: Path,
          mentions: dict[str, list[tuple[str, str]]] | None = None) -> Iterator[PageJob]:
    """Every later page of the listing and every project's page, each with its key: a digest of
    its data, the frame, the templates and this module, so a page is rendered again only when one
    of them changed. `mentions` gives, by project id, the site's items that name it (title and
    site-relative address), which its page links to."""
    mentions = mentions or {}
    salt = _salt(frame, names, env)
    size = repository.settings.page_size
    total = max(1, -(-len(repository) // size))
    for number in range(2, total + 1):
        url = listing_url(number)
        chunk = repository.entries[(number - 1) * size:number * size]
        key = digest_of(salt, f"listing {number} {total}", *(entry.digest for entry in chunk))
        yield PageJob(url, key, functools.partial(
            render_template, env, "explorer_listing.html", root, "explorer", names=names, number=number, pages=total,
            entries=chunk, link=_linker(url), page_url=listing_url,
            relative=functools.partial(relative_url, from_url=url), **_frame_context(frame, url)))
    for entry in repository.entries:
        url = project_url(entry.project)
        named_by = [(title, relative_url(target, url)) for title, target in mentions.get(entry.project.id, [])]
        yield PageJob(url, digest_of(salt, entry.digest, *(part for mention in named_by for part in mention)),
                      functools.partial(render_template, env, "explorer_project.html", root, "explorer", entry=entry,
                                        project=entry.project, names=names, named_by=named_by,
                                        cordis=LAYOUT["project_page"].format(id=entry.project.id),
                                        **_frame_context(frame, url)))


def _salt(frame: Frame, names: Names, env: jinja2.Environment) -> str:
    """What every page depends on besides its data."""
    templates = [env.loader.get_source(env, name)[0] for name in sorted(env.list_templates())
                 if name.startswith("explorer_")] if env.loader else []
    return digest_of(repr(frame), repr(sorted(names.areas.items())), repr(sorted(names.programmes.items())),
                     names.euros(1234567.5), names.digest, Path(__file__).read_text("utf-8"), *templates)


def digest_of(*parts: str) -> str:
    """A digest of what a file is made from: the file is made again only when it changes."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _frame_context(frame: Frame, url: str) -> dict[str, Any]:
    return {"frame": frame, "url": url, **_frame_links(frame, url.count("/"))}


@functools.lru_cache(maxsize=8)
def _frame_links(frame: Frame, depth: int) -> dict[str, Any]:
    """The frame's links from a page `depth` folders down: the same for every project's page, so
    worked out once (relpath per link and page cost a tenth of the render)."""
    up = "../" * depth
    return {"home": up or "./", "explorer": f"{up}{EXPLORER_URL}",
            "stylesheets": [f"{up}{sheet}" for sheet in frame.stylesheets], "emblem": f"{up}assets/eu-emblem.svg",
            "icon": f"{up}{frame.icon}" if frame.icon else None}


def _linker(url: str) -> Callable[[CordisProject], str]:
    return lambda project: relative_url(project_url(project), url)


@dataclass(frozen=True)
class Written:
    pages: int
    rendered: int  # the others came from the cache


def write_pages(site_dir: Path, jobs: Iterator[PageJob], cache: Path) -> Written:
    """Put each page under `site_dir`, never over a file already there (FileExistsError): a page
    whose key the cache holds is linked from it, the others are rendered into it first. The cache
    keeps only this build's pages. Not the checked FileStore of the PDFs: its record beside each
    file and its digest of each file read on every use would double the files and add seconds at
    tens of thousands of pages; a page is only ever written whole (os.replace)."""
    cache.mkdir(parents=True, exist_ok=True)
    kept: set[str] = set()
    made_dirs: set[str] = set()
    rendered = 0
    for job in jobs:
        cached = cache / f"{job.key}{os.path.splitext(job.path)[1]}"
        if not cached.is_file():
            scratch = cache / f".{job.key}.{os.getpid()}"
            scratch.write_text(job.render(), "utf-8")
            os.replace(scratch, cached)  # whole or not at all: a stopped build leaves no half page
            rendered += 1
        folder = os.path.dirname(job.path)
        if folder not in made_dirs:
            (site_dir / folder).mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        _link_or_copy(cached, site_dir / job.path)
        kept.add(cached.name)
    for old in cache.iterdir():
        if old.name not in kept:
            old.unlink(missing_ok=True)
    return Written(len(kept), rendered)


def _link_or_copy(source: Path, target: Path) -> None:
    """A second name for the cached page (no copy: a link costs a third of a write), or a copy
    where the cache is on another file system."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        with open(target, "xb") as out:
            out.write(source.read_bytes())


DOWNLOAD_COLUMNS = ["id", "acronym", "title", "programme", "call", "topics", "funding_scheme", "status", "start",
                    "end", "total_cost", "ec_contribution", "areas", "coordinator", "countries", "participants",
                    "civil_society", "cordis"]


def download_rows(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """A row per project for the downloads, in the columns the README names."""
    rows = []
    for entry in entries:
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
