"""A newsletter issue from what the project published since a date: an e-mail (HTML with inline
styles, as mail clients keep them, and a plain-text part, in one .eml with the EU emblem inside it),
and the same issue archived as a page of the site. Sending stays with the project's mail tool, which
replaces the unsubscribe placeholder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import jinja2

from .catalogues import translations
from .dissemination import reported_records
from .layout import CONTENT_ROOT
from .project import Project
from .read import Record
from .share_image import emblem_image
from .templating import I18N, Wording, install_translations
from .types import CONTENT_TYPES

TEMPLATES = Path(__file__).parent / "data" / "newsletter"
ARCHIVE_FOLDER = f"{CONTENT_ROOT}/newsletters"


@dataclass(frozen=True)
class Entry:
    title: str
    summary: str
    when: str  # the item's date as the site writes it, or ""
    address: str  # the item's page, as a full address when the site's is known
    source: str  # the item's source file, for the archived page's links


@dataclass(frozen=True)
class Issue:
    subject: str
    since: dt.date
    groups: list[tuple[str, list[Entry]]]  # (type's listing title, its entries), in the site's type order
    wording: dict[str, Any]  # what the templates say besides the entries: project, funding, unsubscribe

    @property
    def count(self) -> int:
        return sum(len(entries) for _, entries in self.groups)

    def html(self, emblem_address: str) -> str:
        """The HTML part, the emblem's image at `emblem_address` (cid: in the e-mail, a file beside it)."""
        return _render("email.html.j2", {**self.wording, "emblem": emblem_address}, escape=True)

    @property
    def text(self) -> str:
        return _render("email.txt.j2", self.wording, escape=False)


def compose(project: Project, since: dt.date, today: dt.date) -> Issue:
    """The issue of what was published from `since` on: public items only, by their dates, newest
    first within each type."""
    config = project.config
    wording = Wording(config, today)
    published = [record for record in reported_records(project) if record.item.is_public
                 and record.item.sort_date and record.item.sort_date >= since]
    groups = []
    # Publications first, as the site's menu has them, then the rest in the order the types are known.
    for name, content_type in sorted(CONTENT_TYPES.items(), key=lambda pair: not pair[1].prints):
        mine = sorted((r for r in published if r.item.type_name == name),
                      key=lambda r: (r.item.sort_date, r.item.title), reverse=True)
        if mine:
            title = content_type.listing_title or content_type.plural_label or f"{content_type.type_label}s"
            groups.append((wording.gettext(title), [_entry(project, wording, record) for record in mine]))
    subject = wording.gettext("%(acronym)s news, %(date)s") % {"acronym": config.project.acronym,
                                                               "date": wording.format_date(today, "long")}
    funding = config.funding_text
    values = {"acronym": config.project.acronym, "subject": subject, "since": wording.format_date(since, "long"),
              "groups": groups, "statement": funding.statement, "disclaimer": funding.disclaimer,
              "unsubscribe": config.newsletter.unsubscribe, "language": config.project.language}
    return Issue(subject, since, groups, values)


def message(project: Project, issue: Issue, today: dt.date, emblem: bytes) -> bytes:
    """The issue as one e-mail: multipart/alternative, plain text first, then the HTML with the
    emblem (`emblem_png`) attached inline (cid:), so that opening it fetches nothing."""
    config = project.config
    emblem_id = make_msgid(domain=project.id_host)
    mail = EmailMessage()
    mail["Subject"] = issue.subject
    mail["From"] = f"{config.project.acronym} <newsletter@{project.id_host}>"
    mail["Date"] = format_datetime(dt.datetime.combine(today, dt.time(9), tzinfo=dt.timezone.utc))
    mail["Message-ID"] = make_msgid(idstring=f"newsletter-{today.isoformat()}", domain=project.id_host)
    mail.set_content(issue.text)
    mail.add_alternative(issue.html(f"cid:{emblem_id[1:-1]}"), subtype="html")
    mail.get_payload()[1].add_related(emblem, "image", "png", cid=emblem_id, filename="eu-emblem.png")
    return bytes(mail)


def archive_page(project: Project, issue: Issue, today: dt.date) -> str:
    """The issue as a page of the site: Markdown whose links are the items' source files, so that
    the site's link checks hold it like any page."""
    lines = ["---", f"title: {json.dumps(issue.subject, ensure_ascii=False)}", f"date: {today.isoformat()}", "---", "",
             translations(project.config.project.language).gettext("What %(acronym)s published since %(date)s.")
             % {"acronym": project.config.project.acronym, "date": issue.since.isoformat()}]
    for group, entries in issue.groups:
        lines += ["", f"## {group}", ""]
        for entry in entries:
            target = posixpath.relpath(entry.source, ARCHIVE_FOLDER)
            summary = " ".join(entry.summary.split())
            lines.append(f"- [{_markdown_text(entry.title)}]({target}): {_markdown_text(summary)}")
    return "\n".join(lines) + "\n"


def archive_path(today: dt.date) -> str:
    return f"{ARCHIVE_FOLDER}/{today.isoformat()}.md"


def _entry(project: Project, wording: Wording, record: Record) -> Entry:
    item = record.item
    url = project.url_of(record.path)
    return Entry(item.title, item.summary or "", wording.format_date(item.sort_date, "long"),
                 project.absolute_url(url) or f"/{url}", record.path)


def _render(name: str, values: dict, escape: bool) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=escape,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, extensions=[I18N],
                             trim_blocks=not escape, lstrip_blocks=not escape)  # plain text: tags leave no lines
    install_translations(env, translations(values["language"]), escaped=escape)
    return env.get_template(name).render(**values)


def emblem_png() -> bytes:
    """The EU emblem as a small PNG: mail clients show no SVG."""
    out = io.BytesIO()
    emblem_image(120, 80).save(out, "PNG", optimize=True)
    return out.getvalue()


def _markdown_text(text: str) -> str:
    """Text as Markdown shows it literally: no link, emphasis or HTML of its own."""
    # Only what acts inside a line: the page puts each text after "- [title](link): ", never at a
    # line's start, where # + - . would act too.
    return "".join("\\" + char if char in "\\`*_[]<>|~" else "&amp;" if char == "&" else char for char in text)
