"""Starting points: `init` writes a new project that checks and builds at once, `new` writes one item
with its front matter laid out from the type's schema (what is required filled in, the rest as
comments saying what each field means). Both refuse to overwrite anything."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pydantic import ValidationError

from .config import ProjectFacts, SiteConfig
from .discover import discover_sources
from .explain import explain_errors
from .frontmatter import LinedData
from .layout import CONTENT_ROOT
from .read import salvage_identity
from .types import CONTENT_TYPES, Deliverable, Item, News, PolicyBrief, Recommendation, ValidationContext

STARTER = Path(__file__).resolve().parent / "data" / "starter"
# Files `init` writes: where, and from which starter template.
STARTER_FILES = {
    "mkdocs.yml": "mkdocs.yml.j2",
    ".gitignore": "gitignore.j2",
    f"{CONTENT_ROOT}/index.md": "index.md.j2",
    f"{CONTENT_ROOT}/about.md": "about.md.j2",
    "deliverables/d1-1.md": "deliverable.md.j2",
    "policy_briefs/01-example.md": "policy_brief.md.j2",
    f"{CONTENT_ROOT}/guides/example-guide.md": "guide.md.j2",
    f"{CONTENT_ROOT}/events/example-event.md": "event.md.j2",
    f"{CONTENT_ROOT}/news/example-news.md": "news.md.j2",
    f"{CONTENT_ROOT}/action-plan/example-recommendation.md": "recommendation.md.j2",
}
# What `init` asks, in order: (flag, ProjectFacts field, question, default).
QUESTIONS = [
    ("acronym", "acronym", "Project acronym", None),
    ("title", "title", "Full project title", None),
    ("programme", "programme", "Programme (FP7, H2020 or HE)", "HE"),
    ("grant", "grant_agreement", "Grant agreement number", None),
    ("start", "start", "Start month (YYYY-MM)", None),
    ("end", "end", "End month (YYYY-MM)", None),
    ("language", "language", "Language of the site (e.g. en)", "en"),
    ("timezone", "timezone", "Time zone (e.g. Europe/Brussels)", "Europe/Brussels"),
]
OPTIONAL_ANSWERS = {"start", "end"}
PLACEHOLDER = "Replace:"  # begins the value of a required field `new` cannot know
NOTES = {"dissemination": "  # CO keeps it off the site; PU publishes it"}


class ScaffoldError(Exception):
    """What stops `init` or `new`, one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def check_answers(answers: dict[str, str | None]) -> ProjectFacts:
    """The project's facts from `init`'s answers (by flag name); ScaffoldError naming each flag that
    is missing or wrong."""
    missing = [f"--{flag}: required (give it, or run init on a terminal to be asked)"
               for flag, _, _, default in QUESTIONS if not answers.get(flag) and default is None
               and flag not in OPTIONAL_ANSWERS]
    if missing:
        raise ScaffoldError(missing)
    values = {name: answers.get(flag) or default for flag, name, _, default in QUESTIONS
              if answers.get(flag) or default is not None}
    try:
        return ProjectFacts.model_validate(values)
    except ValidationError as error:
        flags = {name: flag for flag, name, _, _ in QUESTIONS}
        problems = explain_errors(error, "init", "project", LinedData(values, {}, 1), known_fields=None)
        raise ScaffoldError([f"--{flags.get(problem.field or '', problem.field)}: {problem.message}"
                             for problem in problems]) from None


def init_project(folder: Path, facts: ProjectFacts, force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write a new project into `folder`; return the files written. Refuses a folder that holds
    anything unless `force`, and never overwrites a file even then."""
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError([f"{folder} is a file, not a folder"])
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ScaffoldError([f"{folder} is not empty (choose an empty or new folder, or add --force to write "
                             "beside what is there)"])
    targets = {folder / name: template for name, template in STARTER_FILES.items()}
    if clashes := [str(path) for path in targets if path.exists()]:
        raise ScaffoldError([f"{path} exists already; nothing was written" for path in clashes])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(STARTER), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML scalar
    values = {"acronym": facts.acronym, "title": facts.title, "programme": facts.programme,
              "grant": facts.grant_agreement, "start": facts.start, "end": facts.end, "language": facts.language,
              "timezone": facts.timezone, "today": (today or dt.date.today()).isoformat()}
    for path, template in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(values), "utf-8")
    return list(targets)


@dataclass(frozen=True)
class NewItem:
    """What `new` was asked for: a type, a title and the values its options give."""

    type_name: str
    title: str
    values: dict[str, Any]
    path: str | None = None  # where, for a plain page


# What `new` offers, as a user names it, and the content type each writes.
NEW_KINDS = {"deliverable": "deliverable", "brief": "policy_brief", "guide": "guide", "event": "event",
             "news": "news", "recommendation": "recommendation", "video": "video", "page": "page"}


def new_request(kind: str, words: list[str], start: str | None = None, end: str | None = None,
                timezone: str | None = None, groups: list[str] | None = None,
                stages: list[str] | None = None) -> NewItem:
    """`new`'s words and options as a request; ScaffoldError when they do not fit the kind."""
    leading = {"deliverable": "ID", "page": "PATH", "video": "ADDRESS|FILE"}.get(kind)
    expected = 2 if leading else 1
    if len(words) != expected:
        usage = f"{leading} TITLE" if leading else "TITLE"
        raise ScaffoldError([f"{kind} takes {usage} (quote a title of several words: \"A title\")"])
    title = words[-1]
    values: dict[str, Any] = {}
    path = None
    if kind == "deliverable":
        values["id"] = words[0]
    elif kind == "page":
        path = _page_path(words[0])
    elif kind == "video":
        values.update(_video_source(words[0]))
    elif kind == "event":
        values.update({name: value for name, value in (("start", start), ("end", end), ("timezone", timezone)) if value})
    elif kind == "recommendation":
        if not groups:
            raise ScaffoldError(["recommendation needs --for GROUP: the stakeholder group it is addressed to"])
        values["stakeholders"] = groups
        if stages:
            values["stages"] = stages
    return NewItem(NEW_KINDS[kind], title, values, path)


def _video_source(given: str) -> dict[str, str]:
    """A video on a platform by its address, or a file beside the page with captions of the same name
    (which WCAG 1.2.2 requires; `check` says so until the file is there)."""
    if given.startswith(("https://", "http://")):
        return {"hosted": given}
    name = given.replace("\\", "/").rsplit("/", 1)[-1]
    return {"file": name, "captions": name.rsplit(".", 1)[0] + ".vtt"}


def _page_path(given: str) -> str:
    """A plain page's file under content/, from what the user typed (`team`, `about/team.md`)."""
    parts = [part for part in given.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts or parts[0] == CONTENT_ROOT and len(parts) == 1:
        raise ScaffoldError([f"'{given}' is not a page path inside {CONTENT_ROOT}/ (e.g. team or about/team)"])
    if parts[0] == CONTENT_ROOT:
        parts = parts[1:]
    name = parts[-1] if parts[-1].endswith(".md") else parts[-1] + ".md"
    return "/".join([CONTENT_ROOT, *parts[:-1], name])


def new_item(root: Path, config: SiteConfig, request: NewItem, today: dt.date | None = None) -> Path:
    """Write one new item as a draft and return its path; ScaffoldError on a clash or a bad value."""
    content_type = CONTENT_TYPES[request.type_name]
    taken = _taken_keys(root, content_type)
    values = _with_defaults(content_type, request.values, taken, today or dt.date.today())
    key = content_type.unique_key
    if key and str(values.get(key)) in taken:
        raise ScaffoldError([f"{content_type.type_label.lower()} {key} {values[key]} is already used (choose another)"])
    fields = _filled(content_type, request.title, values)
    _validate(content_type, fields, config)
    path = root / _file_for(content_type, request, values)
    if path.exists():
        raise ScaffoldError([f"{path.relative_to(root).as_posix()} exists already (choose another title or id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(content_type, fields), "utf-8")
    return path


def skeleton(content_type: type[Item], fields: dict[str, Any]) -> str:
    """Front matter from the type's schema: the fields filled in, then every other field the type
    takes as a comment saying what it means."""
    lines = ["---", "# New, and a draft: it is published once `draft: true` is removed."]
    for name, info in content_type.model_fields.items():
        if name in fields:
            note = "  # required: replace" if str(fields[name]).startswith(PLACEHOLDER) else NOTES.get(name, "")
            lines.append(f"{name}: {json.dumps(fields[name], ensure_ascii=False)}{note}")
        elif name not in ("type", "draft"):
            lines.append(f"# {name}:  # {info.description or ''}")
    lines += ["draft: true", "---", "", "Write the text here, in Markdown.", ""]
    return "\n".join(lines)



def slug(text: str) -> str:
    """A file name from a title: ASCII letters and digits, lower case, joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower())[:8]) or "item"


def _with_defaults(content_type: type[Item], given: dict[str, Any], taken: set[str], today: dt.date) -> dict[str, Any]:
    """What a new item of the type gets when not told: the next brief number, today's date for news,
    the next free id of the group for a recommendation, and a deliverable held confidential."""
    values = dict(given)
    if content_type is PolicyBrief:
        values.setdefault("number", max((int(key) for key in taken if key.isdigit()), default=0) + 1)
    elif content_type is News:
        values.setdefault("date", today.isoformat())
    elif content_type is Recommendation:
        group = values["stakeholders"][0]
        values.setdefault("id", next(f"{group}-{n}" for n in range(1, len(taken) + 2) if f"{group}-{n}" not in taken))
    elif content_type is Deliverable:
        values.setdefault("dissemination", "CO")  # published only once someone sets PU
    return values


def _filled(content_type: type[Item], title: str, values: dict[str, Any]) -> dict[str, Any]:
    """The fields a new item's front matter sets: the given ones, and a placeholder for every other
    required one (all are text)."""
    fields = {"title": title, **values}
    for name, info in content_type.model_fields.items():
        if info.is_required() and name not in fields:
            fields[name] = f"{PLACEHOLDER} {info.description or name}"
    return fields


def _validate(content_type: type[Item], fields: dict[str, Any], config: SiteConfig) -> None:
    try:
        content_type.model_validate(fields, context=ValidationContext(config))
    except ValidationError as error:
        problems = explain_errors(error, "new", content_type.type_name, LinedData(fields, {}, 1), None)
        raise ScaffoldError([f"{problem.field or content_type.type_name}: {problem.message}"
                             for problem in problems]) from None


def _file_for(content_type: type[Item], request: NewItem, values: dict[str, Any]) -> str:
    if request.path is not None:
        return request.path
    if content_type is Deliverable:
        return f"{content_type.folder}/{values['id'].lower().replace('.', '-')}.md"
    if content_type is PolicyBrief:
        return f"{content_type.folder}/{values['number']:02d}-{slug(request.title)}.md"
    if content_type is Recommendation:
        return f"{content_type.folder}/{values['id']}.md"
    dated = values.get("date") or (str(values["start"])[:10] if values.get("start") else None)
    return f"{content_type.folder}/{dated + '-' if dated else ''}{slug(request.title)}.md"


def _taken_keys(root: Path, content_type: type[Item]) -> set[str]:
    """The unique keys the type's files state, read line by line so that a broken file counts too."""
    if not content_type.unique_key:
        return set()
    sources, _ = discover_sources(root)
    return {identity[content_type.unique_key] for source in sources
            if source.is_page and source.path.startswith(f"{content_type.folder}/")
            and content_type.unique_key in (identity := salvage_identity(source))}
