"""The EU's visibility rules, checked: every page, PDF, share image, feed and calendar entry carries
what the programme requires of it (the emblem, the funding statement or its one-line form, the
disclaimer: `visibility` in the programme data, with the provisions behind each), and a publication
with a DOI has a licence and an open-access copy.

A build checks what it made, before the site is published: one page of each web template (the
footer that carries the emblem and the statement is the template's, never the content's: a
project's theme override is what could lose it), the print HTML of one document of each print
template, every feed, every calendar entry and every share image. `check` renders nothing through
the site generator: it holds the print templates to the rules, which a project's theme may override,
and leaves the rest to the build (feeds, calendars and share images are made by the package alone,
the same for every project).
"""

from __future__ import annotations

from pathlib import Path

import icalendar
import lxml.html
from lxml import etree

from .explorer import project_url
from .outputs import Results
from .pdf import plan_documents
from .pdf.document import first_document_of_each_template, print_environment
from .problems import Problem
from .project import Project

EMBLEM_FILE = "eu-emblem.svg"  # the emblem's file in the theme, by whichever layer it is served
MARK_NAMES = {"emblem": "the EU emblem", "statement": "the funding statement",
              "short": "the funding line (\"{short}\")", "disclaimer": "the disclaimer"}


def check_problems(project: Project) -> list[Problem]:
    """What `check` can hold to the rules without building: the print templates."""
    return print_problems(project)


def build_problems(project: Project, results: Results, site_dir: Path) -> list[Problem]:
    """Everything a build made that the rules cover."""
    return [*page_problems(project, site_dir), *print_problems(project),
            *made_problems(project, _from_site(results, site_dir)), *share_problems(project, results)]


def page_problems(project: Project, site_dir: Path) -> list[Problem]:
    """One built page of each web template, the explorer's light frame included."""
    wanted = project.config.funding_marks("pages")
    problems = []
    for template, path in _page_per_template(project).items():
        page = site_dir / _built_file(project, path)
        if page.is_file():
            missing = [mark for mark in wanted if mark not in html_marks(page.read_text("utf-8"), project)]
            # The footer that carries them is the theme's: the page names where to look.
            problems += _missing(project, path, 1, f"its page {project.url_of(path) or '/'} (from {template} and the "
                                 "theme's footer)", missing, "pages")
    if project.repository is not None and project.repository.entries:
        url = project_url(project.repository.entries[0].project)
        page = site_dir / _built_file_of_url(url)
        if page.is_file():
            missing = [mark for mark in wanted if mark not in html_marks(page.read_text("utf-8"), project)]
            problems += _missing(project, "explorer_project.html", 1, f"its page {url} (from explorer_project.html "
                                 "and explorer_frame.html)", missing, "pages")
    return problems


def print_problems(project: Project) -> list[Problem]:
    """The print HTML of one document of each print template."""
    wanted = project.config.funding_marks("publications")
    samples = first_document_of_each_template(project, set(print_environment(project).loader.list_templates()))
    if not samples:
        return []
    documents = {document.path: document for document in plan_documents(project, set(samples.values()))}
    problems = []
    for template, path in samples.items():
        missing = [mark for mark in wanted if mark not in html_marks(documents[path].job.html, project)]
        problems += _missing(project, f"print/{template}", 1, f"the PDF of {path}", missing, "publications")
    return problems


def made_problems(project: Project, made: dict[str, bytes]) -> list[Problem]:
    """Every feed (its description) and every calendar entry (its own description)."""
    problems = []
    for site_path, content in sorted(made.items()):
        if site_path.endswith((".atom", ".rss")):
            missing = [mark for mark in project.config.funding_marks("feeds")
                       if mark not in text_marks(_feed_description(content), project)]
            problems += _missing(project, site_path, 1, f"the feed {site_path}", missing, "feeds")
        elif site_path.endswith(".ics"):
            for event in icalendar.Calendar.from_ical(content).walk("VEVENT"):
                missing = [mark for mark in project.config.funding_marks("calendars")
                           if mark not in text_marks(str(event.get("description", "")), project)]
                problems += _missing(project, site_path, 1, f"the calendar entry '{event.get('summary')}'", missing,
                                     "calendars")
    return problems


def share_problems(project: Project, results: Results) -> list[Problem]:
    """Every share image: the emblem drawn, and the funding line beside it."""
    report = results.summary("share")
    wanted = project.config.funding_marks("share_images")
    problems = []
    for image in (report.images.values() if report else []):
        shown = {"emblem"} if image.emblem[2] > 0 and image.emblem[3] > 0 else set()
        shown |= text_marks(image.funding, project)
        problems += _missing(project, image.path, 1, f"the share image {image.path}",
                             [mark for mark in wanted if mark not in shown], "share_images")
    return problems


def html_marks(html: str, project: Project) -> set[str]:
    """Which of the marks an HTML document shows: the emblem as an image, the texts as text."""
    if not html.strip():
        return set()
    document = lxml.html.document_fromstring(html)
    for hidden in document.xpath("//*[@hidden] | //template | //noscript | //script | //style"):
        hidden.drop_tree()
    shown = text_marks(document.text_content(), project)
    if any(image.get("src", "").split("?")[0].endswith(EMBLEM_FILE) for image in document.iter("img")):
        shown.add("emblem")
    return shown


def text_marks(text: str, project: Project) -> set[str]:
    """Which of the funding texts a text holds, whatever its line breaks."""
    funding = project.config.funding_text
    flat = _flat(text)
    return {mark for mark in ("statement", "short", "disclaimer") if _flat(getattr(funding, mark)) in flat}


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _missing(project: Project, path: str, line: int, what: str, missing: list[str], place: str) -> list[Problem]:
    if not missing:
        return []
    short = project.config.funding_text.short
    names = " and ".join(MARK_NAMES[mark].format(short=short) for mark in missing)
    source = project.config.visibility["sources"][0].split(",")[0]
    return [Problem(path, line, "visibility", None, f"{what} lacks {names}, which the {project.config.project.programme} "
                                                    f"rules require in {place.replace('_', ' ')} ({source}, ...)")]


def _page_per_template(project: Project) -> dict[str, str]:
    """Web template -> the first page built from it."""
    pages: dict[str, str] = {}
    for record in project.collection.published():
        pages.setdefault("page.html" if record.item.plain_page else "item.html", record.path)
    for page in project.virtual_pages:
        pages.setdefault(page.template, page.path)
    return pages


def _built_file(project: Project, path: str) -> str:
    return _built_file_of_url(project.url_of(path))


def _built_file_of_url(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url


def _from_site(results: Results, site_dir: Path) -> dict[str, bytes]:
    return {path: (site_dir / path).read_bytes() for path in results.files()
            if path.endswith((".atom", ".rss", ".ics")) and (site_dir / path).is_file()}


def _feed_description(content: bytes) -> str:
    """An Atom feed's subtitle or an RSS channel's description."""
    root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    found = root.xpath("/*[local-name()='feed']/*[local-name()='subtitle'] | /rss/channel/description")
    return " ".join(element.text or "" for element in found)
