"""`disseminate`: check, build and preview a project. Exit 0 on success, 1 on content problems,
2 on a usage error, 130 when interrupted (Ctrl-C), 143 when stopped by SIGTERM, 70 on a bug."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .build_stamp import BuildStamp
from .catalogues import catalogue_warnings
from .config import CONFIG_FILE, load_site_config
from .layout import CACHE_ROOT
from .problems import ContentErrors, split_warnings
from .project import address_warnings, language_warnings, load_project
from .publish import describe_os_error
from .types import CONTENT_TYPES

if TYPE_CHECKING:  # the report's modules load only when a report is asked for
    from .audience import Audience
    from .dissemination import Period, Report
    from .forms import Forms
    from .project import Project
from .scaffold import (
    NEW_KINDS,
    OPTIONAL_ANSWERS,
    QUESTIONS,
    ScaffoldError,
    check_answers,
    init_project,
    new_item,
    new_request,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_BUG = 70  # EX_SOFTWARE: never caused by content, always a defect of the tool
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM
AFTER_INTERRUPT = "the published site is the last complete build"
AFTER_FAILURE = "the published site was left as it was."
# What MkDocs raises after it has logged a plugin's error itself: saying it again would add nothing.
MKDOCS_LOGGED_IT = "Aborted with a BuildError!"
GEOIP_HELP = ("a GeoIP database (MaxMind DB, .mmdb: GeoLite2 Country or City, DB-IP's IP to Country Lite) for the "
              "countries of daily visitors; only the country is kept")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup written for an interrupt runs for it too."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disseminate", description=__doc__.split("\n")[0])
    parser.add_argument("-C", "--project", type=Path, default=Path("."),
                        help="project folder holding mkdocs.yml (default: the current folder)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path(CONFIG_FILE),
                        help=f"the project's config file, relative to the project folder (default: {CONFIG_FILE})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", help="validate all content without rendering")
    build = commands.add_parser("build", help="check, then build the site and its PDFs into site/")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDFs for a quick preview")
    build.add_argument("-j", "--jobs", type=_positive, default=None, help="PDF worker processes (default: one per core)")
    build.add_argument("--always", action="store_true",
                       help="build even when nothing changed since the last build (which otherwise stops at once)")
    pdf = commands.add_parser("pdf", help="render the PDF of one item")
    pdf.add_argument("path", help="the item's source file, e.g. deliverables/d5-4.md")
    pdf.add_argument("-o", "--output", type=Path, default=None, help="where to write it (default: its own name here)")
    deposit = commands.add_parser("deposit", help="prepare Zenodo depositions of the public publications without a "
                                                  "DOI (and deposit them, with the token set)")
    deposit.add_argument("paths", nargs="*", metavar="PATH", help="only these items, e.g. deliverables/d5-4.md")
    deposit.add_argument("--archive", action="store_true",
                         help="prepare the end-of-project archive of the built site and its PDFs instead")
    deposit.add_argument("--version", dest="archive_version", metavar="VERSION",
                         help="--archive: its version (default: the date of the latest content)")
    deposit.add_argument("--publish", action="store_true",
                         help="publish on Zenodo at once instead of leaving drafts to review (cannot be undone)")
    deposit.add_argument("-j", "--jobs", type=_positive, default=None, help="PDF worker processes")
    report = commands.add_parser("report", help="the dissemination and communication activities of a period, "
                                                "counted from the content")
    report.add_argument("--from", dest="start", type=_month, metavar="YYYY-MM",
                        help="first month (default: the project's start)")
    report.add_argument("--to", dest="end", type=_month, metavar="YYYY-MM", help="last month (default: the project's end)")
    report.add_argument("--period", help="a reporting period named in mkdocs.yml (reporting_periods:)")
    report.add_argument("--logs", nargs="+", type=Path, default=None, metavar="ACCESS_LOG",
                        help="the web server's access logs (combined format, plain or gzip): page views, daily "
                             "visitors and downloads, no address kept")
    report.add_argument("--geoip", type=Path, default=None, metavar="PATH", help=GEOIP_HELP)
    report.add_argument("--format", choices=("md", "pdf", "csv", "xlsx"), default="md",
                        help="md: Markdown (default); pdf: a PDF with charts; csv: one file per table, into --output; "
                             "xlsx: a workbook, a sheet per table")
    report.add_argument("-o", "--output", type=Path, default=None,
                        help="md: the file (default: the terminal); pdf, xlsx: the file (default: "
                             "dissemination-report.pdf or .xlsx); csv: the folder (default: report)")
    stats = commands.add_parser("stats", help="the site's audience from the web server's access logs, no address kept")
    stats.add_argument("logs", nargs="+", type=Path, metavar="ACCESS_LOG", help="combined log format, plain or gzip")
    stats.add_argument("--from", dest="start", type=_month, metavar="YYYY-MM", help="first month (default: the "
                                                                                    "project's start)")
    stats.add_argument("--to", dest="end", type=_month, metavar="YYYY-MM", help="last month (default: the project's end)")
    stats.add_argument("--period", help="a reporting period named in mkdocs.yml (reporting_periods:)")
    stats.add_argument("--geoip", type=Path, default=None, metavar="PATH", help=GEOIP_HELP)
    forms = commands.add_parser("forms", help="the summary for publication and the key exploitable results, "
                                              "ready to paste into the Commission's forms")
    forms.add_argument("--format", choices=("md", "csv", "xlsx"), default="md",
                       help="md: Markdown (default); csv: a file per form, into --output; xlsx: a workbook")
    forms.add_argument("-o", "--output", type=Path, default=None,
                       help="md: the file (default: the terminal); xlsx: the file (default: forms.xlsx); "
                            "csv: the folder (default: forms)")
    imports = commands.add_parser("import", help="bring related projects from CORDIS's open data into the explorer's "
                                                 "data file")
    imports.add_argument("source", choices=("cordis",), help="where the data comes from")
    imports.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                         help="CORDIS exports: the downloaded archives, folders of their files, or project.csv and "
                              "organization.csv (or .json) themselves")
    letter = commands.add_parser("newsletter", help="an e-mail issue of what was published since a date, and its "
                                                    "page in the site's archive")
    letter.add_argument("--since", required=True, type=_day, metavar="YYYY-MM-DD", help="the first day it covers")
    letter.add_argument("-o", "--output", type=Path, default=Path("newsletter"),
                        help="folder for the .eml, .html and .txt (default: newsletter)")
    serve = commands.add_parser("serve", help="preview with live reload, drafts included")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.add_argument("--no-pdf", action="store_true", help="preview the pages without making the PDFs")
    init = commands.add_parser("init", help="start a new project in FOLDER (asks for what is not given)")
    init.add_argument("folder", type=Path)
    for flag, _, question, default in QUESTIONS:
        init.add_argument(f"--{flag}", help=question + (f" (default: {default})" if default else ""))
    init.add_argument("--force", action="store_true", help="write into a folder that is not empty (never over a file)")
    new = commands.add_parser("new", help="start a new item, as a draft: "
                                          "deliverable ID TITLE, brief TITLE, guide TITLE, event TITLE, news TITLE, "
                                          "recommendation TITLE --for GROUP, page PATH TITLE")
    new.add_argument("kind", choices=list(NEW_KINDS))
    new.add_argument("words", nargs="+", metavar="ID/PATH TITLE")
    new.add_argument("--start", help="event: start, YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    new.add_argument("--end", help="event: end")
    new.add_argument("--timezone", help="event: its time zone, e.g. Europe/Brussels")
    new.add_argument("--for", dest="groups", action="append", metavar="GROUP",
                     help="recommendation: a stakeholder group it is addressed to (repeat for more)")
    new.add_argument("--stage", dest="stages", action="append", help="recommendation: a stage it applies to")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console command."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if args.command == "init":
        return _init(args)
    config_file = (args.project / args.config_file).absolute()
    if not config_file.is_file():
        print(f"disseminate: no {args.config_file} in {args.project.resolve()}", file=sys.stderr)
        return EXIT_USAGE
    _log_to_console()
    command = {"check": _check, "build": _build, "serve": _serve, "pdf": _pdf, "new": _new,
               "deposit": _deposit, "report": _report, "stats": _stats, "forms": _forms,
               "import": _import, "newsletter": _newsletter}[args.command]
    with _sigterm_raises(), _collector_for_batch_work():
        try:
            return command(config_file, args)
        except ContentErrors as errors:  # a command's own handler says more where it has more to say
            print(errors.report(), file=sys.stderr)
            return EXIT_PROBLEMS
        except _Refused as refused:
            print(f"disseminate: {refused}", file=sys.stderr)
            return refused.status
        except Terminated:
            print(f"disseminate: stopped by SIGTERM; {AFTER_INTERRUPT}", file=sys.stderr)
            return EXIT_TERMINATED
        except KeyboardInterrupt:
            print(f"disseminate: interrupted; {AFTER_INTERRUPT}", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Exception as error:  # noqa: BLE001 - one line instead of a traceback, and a distinct status
            print(f"disseminate: internal error, please report it: {type(error).__name__}: {error}", file=sys.stderr)
            return EXIT_BUG


@contextlib.contextmanager
def _collector_for_batch_work():
    """Python's cyclic garbage collector woken a few hundred times less often while a command runs.
    A build makes millions of objects that live until it ends (a programme's related projects, the
    pages, the words of the search), and at the defaults the collector would scan them again and
    again: a rebuild of a site with 35,000 related projects takes 8.0 s instead of 10.2, in the
    same memory (the garbage is still collected, in fewer, larger rounds)."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def _sigterm_raises():
    """SIGTERM stops the command the way Ctrl-C does (Python's default would end it on the spot,
    skipping the cleanup that keeps the published site and the caches whole)."""
    def stop(_signal: int, _frame: object) -> None:
        raise Terminated()
    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals to whoever runs us
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _check(config_file: Path, args: argparse.Namespace) -> int:
    from .outputs import reserved_site_paths
    from .template_check import template_problems
    from .visibility import check_problems

    started = time.perf_counter()
    try:
        # As the build sees it, drafts checked too, and with the templates it will need.
        project = load_project(config_file, check_drafts=True, reserved=reserved_site_paths())
        if refused := template_problems(project) or check_problems(project):
            raise ContentErrors(refused)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        print(f"{errors}.", file=sys.stderr)
        return EXIT_PROBLEMS
    warnings = [*project.warnings, *address_warnings(project, config_file.name),
                *language_warnings(project, config_file.name), *catalogue_warnings(project.config.site_languages)]
    if warnings:
        print("\n".join(map(str, warnings)), file=sys.stderr)
    count, warned = project.pages_read, len(warnings)
    remark = f"no problems, {warned} warning{'s' if warned != 1 else ''}" if warned else "no problems"
    print(f"{count} pages checked, {remark} ({time.perf_counter() - started:.2f} s).")
    return EXIT_OK


def _build(config_file: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        load_site_config(config_file)  # a missing or broken plugin entry is reported as `check` reports it
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    console = _log_to_console()
    try:
        config = load_config(str(config_file), strict=args.strict)
        settings = config.plugins["disseminate"].config
        settings["pdf"] = {**(settings.get("pdf") or {}), **({"enabled": False} if args.no_pdf else {}),
                           **({"jobs": args.jobs} if args.jobs else {})}  # the command's choices win for this build
        root = config_file.parent
        explorer = settings.get("explorer") or {}
        elsewhere = [root / name for name in (explorer.get("data"), explorer.get("area_overrides")) if name]
        stamp = BuildStamp.of(root, config_file, Path(config.site_dir), root / CACHE_ROOT,
                              [f"config={config_file}", f"no-pdf={args.no_pdf}", f"strict={args.strict}"],
                              [*elsewhere, *([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])])
        if (warnings := stamp.unchanged()) is not None and not args.always:
            for line in warnings:
                print(line, file=sys.stderr)
            logging.getLogger(__name__).info("Nothing changed since the last build: %s is up to date "
                                             "(--always builds it again)", config.site_dir)
            return EXIT_OK
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        if not console.errors:  # MkDocs goes on after some errors: such a build is no state to keep
            stamp.record(console.warnings, _next_change(config.plugins["disseminate"].project))
    except MkDocsException as error:
        if not console.problems and str(error) != MKDOCS_LOGGED_IT:
            print(f"disseminate: {error}", file=sys.stderr)
        print(f"Build failed; {AFTER_FAILURE}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:  # the disk, not the content: full, read-only, gone
        print(f"disseminate: {describe_os_error(error)}", file=sys.stderr)
        print(f"Build failed; {AFTER_FAILURE}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _next_change(project: "Project | None") -> dt.datetime | None:
    """The first moment after the build when a listing would show its items otherwise (an upcoming
    event has ended): the site would then change with nothing else changed."""
    if project is None:
        return None
    moments = [content_type.listing_changes_at(project.collection.of_type(content_type), project.built_at)
               for content_type in CONTENT_TYPES.values()]
    return min((moment for moment in moments if moment is not None), default=None)


def _pdf(config_file: Path, args: argparse.Namespace) -> int:
    from .pdf import build_pdfs

    root = config_file.parent.resolve()
    try:
        project = load_project(config_file, include_drafts=True)
        target = project.record(Path(args.path).resolve().relative_to(root).as_posix()) \
            if Path(args.path).resolve().is_relative_to(root) else None
        if target is None or not target.item.wants_pdf:
            print(f"disseminate: {args.path} is not an item with a PDF", file=sys.stderr)
            return EXIT_USAGE
        report = build_pdfs(project, jobs=1, only={target.path})
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    pdf = report.pdfs[target.path]
    output = args.output or Path(pdf.file_name)
    output.write_bytes(pdf.cache_path.read_bytes())
    state = "rendered" if report.rendered else "unchanged, from the cache"
    print(f"{output} ({pdf.pages} pages, {pdf.bytes} bytes; {state})")
    return EXIT_OK


class _Refused(Exception):
    """A command's request that cannot be met: one line, and the status to end with."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _report(config_file: Path, args: argparse.Namespace, audience_only: bool = False) -> int:
    project, report = _report_of(config_file, args)
    written = _write_report(project, report, args, audience_only)
    if written:
        print(written)
    return EXIT_OK


def _forms(config_file: Path, args: argparse.Namespace) -> int:
    """Write the forms; a problem stops them, a warning (an empty part, one too long) does not."""
    from .forms import NoLayout, build_forms

    try:
        forms = build_forms(load_project(config_file))
    except NoLayout as missing:
        raise _Refused(str(missing)) from None
    errors, warnings = split_warnings(forms.problems)
    if forms.problems:
        print("\n".join(map(str, [*errors, *warnings])), file=sys.stderr)
    if errors:
        return EXIT_PROBLEMS
    written = _write_forms(forms, args)
    if written:
        print(written)
    return EXIT_OK


def _write_forms(forms: Forms, args: argparse.Namespace) -> str:
    """Write the forms where and as asked; the line that says where they went ("" for the terminal)."""
    from .forms import csv_files, markdown, workbook

    if args.format == "md" and args.output is None:
        sys.stdout.write(markdown(forms))
        return ""
    if args.format == "csv":
        folder = args.output or Path("forms")
        tables = csv_files(forms)
        _write_csv_folder(folder, tables)
        return f"{folder}: {', '.join(tables)}"
    output = args.output or Path(f"forms.{args.format}")
    output.write_bytes(markdown(forms).encode() if args.format == "md" else workbook(forms))
    return f"{output}: the {forms.report} report's summary and the key results"


def _write_csv_folder(folder: Path, tables: dict[str, str]) -> None:
    """Each CSV into `folder`, made if need be; a file in its place is refused."""
    if folder.exists() and not folder.is_dir():
        raise _Refused(f"{folder} is a file; --output takes a folder for CSV")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / name).write_text(text, "utf-8", newline="")


def _stats(config_file: Path, args: argparse.Namespace) -> int:
    """The audience part of the report alone."""
    return _report(config_file, args, audience_only=True)


def _report_of(config_file: Path, args: argparse.Namespace) -> tuple[Project, Report]:
    """The project and the report its arguments ask for."""
    from .dissemination import build_report, period_of

    if args.period and (args.start or args.end):
        raise _Refused("give --period or --from/--to, not both")
    project = load_project(config_file)
    try:
        period = period_of(project.config, args.start, args.end, args.period)
    except ValueError as error:
        raise _Refused(str(error)) from None
    if period.end < period.start:
        raise _Refused(f"the period ends before it starts ({period.label})")
    return project, build_report(project, period, _audience(project, args.logs, period, args.geoip))


def _audience(project: Project, logs: list[Path] | None, period: Period, geoip: Path | None) -> Audience | None:
    """What the access logs say of the period, with countries when `geoip` is given; None without logs."""
    from urllib.parse import urlsplit

    from .audience import CountryLookup, GeoIPError, read_audience

    if not logs:
        if geoip is not None:
            raise _Refused("--geoip goes with --logs: the countries come from the access logs")
        return None
    if missing := [str(path) for path in logs if not path.is_file()]:
        raise _Refused(f"no such log file: {', '.join(missing)}")
    site = urlsplit(project.config.site_url or "/")
    try:
        with CountryLookup(geoip) if geoip is not None else contextlib.nullcontext() as countries:
            return read_audience(logs, period.start, period.end, site.path.rstrip("/") + "/", site.hostname,
                                 countries)
    except GeoIPError as error:
        raise _Refused(str(error)) from None


def _write_report(project: Project, report: Report, args: argparse.Namespace, audience_only: bool) -> str:
    """Write the report where and as asked; the line that says where it went ("" for the terminal)."""
    from .report_formats import audience_markdown, csv_tables, markdown, pdf, workbook

    label = report.period.label
    if audience_only:
        sys.stdout.write("\n".join([f"# Audience on the web: {report.project}, {label}", "",
                                     *audience_markdown(report)[2:]]))
        return ""
    if args.format == "md" and args.output is None:
        sys.stdout.write(markdown(report))
        return ""
    if args.format in ("md", "pdf", "xlsx"):
        output = args.output or Path(f"dissemination-report.{args.format}")
        made = {"md": lambda: markdown(report).encode(), "pdf": lambda: pdf(project, report),
                "xlsx": lambda: workbook(report)}[args.format]
        output.write_bytes(made())
        return f"{output}: the report for {label}"
    folder = args.output or Path("report")
    tables = csv_tables(report)
    _write_csv_folder(folder, tables)
    return f"{folder}: {', '.join(tables)} for {label}"


def _import(config_file: Path, args: argparse.Namespace) -> int:
    """Read the exports, select, and rewrite the data file, or write nothing at all on a problem."""
    from .cordis import read_exports
    from .repository import RepositoryError, merged, read_repository, select, write_repository

    config = load_site_config(config_file)
    export = read_exports(args.paths)
    errors, warnings = split_warnings(export.problems)
    for problem in [*errors, *warnings]:
        print(problem, file=sys.stderr)
    if errors:
        print(f"disseminate: nothing imported: {len(errors)} problem{'s' if len(errors) != 1 else ''}", file=sys.stderr)
        return EXIT_PROBLEMS
    path = config_file.parent / config.explorer.data
    try:
        before = read_repository(path)
    except RepositoryError as error:  # an earlier layout, or a file spoilt by hand: the import writes it anew
        print(f"disseminate: warning: {error.args[0].split(': import the export again')[0]}; written anew",
              file=sys.stderr)
        before = {}
    chosen = select(export.projects, config.explorer.select)
    programmes = {project.programme for project in export.projects.values()}
    after, changes = merged(before, chosen, programmes)
    write_repository(path, after)
    print(f"{config.explorer.data}: {changes.total} projects; from {len(export.projects)} in the exports of "
          f"{', '.join(sorted(programmes))}, {len(chosen)} selected")
    for what, ids in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
        named = ", ".join(f"{after.get(key, before.get(key)).acronym} ({key})" for key in ids[:10])
        more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
        print(f"  {what}: {len(ids)}" + (f": {named}{more}" if ids else ""))
    return EXIT_OK


def _newsletter(config_file: Path, args: argparse.Namespace) -> int:
    from .newsletter import archive_page, archive_path, compose, emblem_png, message

    try:
        project = load_project(config_file)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    today = project.built_at.date()
    issue = compose(project, args.since, today)
    if not issue.count:
        print(f"disseminate: nothing was published since {args.since.isoformat()}; no issue written", file=sys.stderr)
        return EXIT_PROBLEMS
    page = project.root / archive_path(today)
    if page.exists():
        print(f"disseminate: {archive_path(today)} exists already (one issue a day; remove it to write it again)",
              file=sys.stderr)
        return EXIT_USAGE
    folder = args.output
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"newsletter-{today.isoformat()}"
    emblem = emblem_png()
    stem.with_suffix(".eml").write_bytes(message(project, issue, today, emblem))
    stem.with_suffix(".html").write_text(issue.html("eu-emblem.png"), "utf-8")
    stem.with_suffix(".txt").write_text(issue.text, "utf-8")
    (folder / "eu-emblem.png").write_bytes(emblem)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(archive_page(project, issue, today), "utf-8")
    print(f"{stem}.eml, .html and .txt: {issue.count} items since {args.since.isoformat()}; "
          f"archived as {archive_path(today)}")
    return EXIT_OK


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _not_a_day(text)
    except ValueError:
        return _not_a_day(text)


def _not_a_day(text: str) -> dt.date:
    raise argparse.ArgumentTypeError(f"'{text}' is not a date (write YYYY-MM-DD, e.g. 2015-09-14)")


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a month (write YYYY-MM, e.g. 2015-09)")
    return text


def _deposit(config_file: Path, args: argparse.Namespace) -> int:
    from .deposit import deposit_archive, deposit_publications

    if args.archive and args.paths or args.archive_version and not args.archive:
        print("disseminate deposit: --archive takes no PATH, and --version goes with --archive", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.archive:
            config = load_site_config(config_file)
            outcome = deposit_archive(config, config_file.parent.resolve(), _site_dir(config_file), os.environ,
                                      args.archive_version, args.publish)
        else:
            outcome = deposit_publications(config_file, args.paths, os.environ, args.publish, args.jobs)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        print(f"{errors}; nothing was deposited.", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"disseminate: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print("\n".join(outcome.lines))
    if outcome.failed:
        print("\n".join(outcome.failures), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _site_dir(config_file: Path) -> Path:
    """The site folder as MkDocs resolves it (`!ENV`, `INHERIT`), where the build put the site."""
    from mkdocs.config import load_config

    return Path(load_config(str(config_file)).site_dir)


def _init(args: argparse.Namespace) -> int:
    answers = {flag: getattr(args, flag) for flag, _, _, _ in QUESTIONS}
    asking = sys.stdin.isatty()
    while True:
        if asking:
            _ask(answers)
        try:
            facts = check_answers(answers)
            written = init_project(args.folder, facts, force=args.force)
            break
        except ScaffoldError as error:
            print("\n".join(f"disseminate init: {line}" for line in error.lines), file=sys.stderr)
            wrong = [flag for flag, *_ in QUESTIONS if any(line.startswith(f"--{flag}:") for line in error.lines)]
            if not (asking and wrong):
                return EXIT_USAGE
            for flag in wrong:
                answers[flag] = None
    folder = args.folder
    print(f"Wrote {len(written)} files into {folder}. Next: `disseminate -C {folder} serve` to preview, "
          f"`disseminate -C {folder} build` to build; replace the files marked EXAMPLE with your own.")
    return EXIT_OK


def _ask(answers: dict[str, str | None]) -> None:
    """Ask for each value not given yet (None); one left out on purpose is kept as ''."""
    for flag, _, question, default in QUESTIONS:
        if answers.get(flag) is None:
            suffix = f" [{default}]" if default else (" (Enter to leave out)" if flag in OPTIONAL_ANSWERS else "")
            answers[flag] = input(f"{question}{suffix}: ").strip() or default or ""


def _new(config_file: Path, args: argparse.Namespace) -> int:
    try:
        config = load_site_config(config_file)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        request = new_request(args.kind, args.words, start=args.start, end=args.end, timezone=args.timezone,
                              groups=args.groups, stages=args.stages)
        path = new_item(config_file.parent, config, request)
    except ScaffoldError as error:
        print("\n".join(f"disseminate new: {line}" for line in error.lines), file=sys.stderr)
        return EXIT_USAGE
    print(path.relative_to(config_file.parent).as_posix())
    return EXIT_OK


def _serve(config_file: Path, args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .preview import serve

    console = _log_to_console()
    try:
        serve(config_file, args.dev_addr, {"pdf": {"enabled": False}} if args.no_pdf else {})
    except MkDocsException as error:  # the first build failed: there is nothing to serve
        if not console.problems and str(error) != MKDOCS_LOGGED_IT:
            print(f"disseminate: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _log_to_console() -> "ConsoleHandler":
    """The console handler of this run, in place of an earlier run's (whose stream may be gone)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, ConsoleHandler)]:
        root.removeHandler(handler)
    console = ConsoleHandler()
    root.addHandler(console)
    root.setLevel(logging.INFO)
    return console


class ConsoleHandler(logging.StreamHandler):
    """What the build logs, as the command shows it: content problems as bare `file:line: ...`
    lines (as `check` prints them), PDF progress as one updating line on a terminal, the rest as
    MkDocs shows it."""

    def __init__(self, stream=None) -> None:
        super().__init__(stream or sys.stderr)  # looked up now, not when this module was imported
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        self.live = self.stream.isatty()
        self.problems = 0
        self.warnings: list[str] = []  # as shown, for a build with nothing to do to show them again
        self.errors = 0  # of any kind, a content problem or MkDocs' own

    def emit(self, record: logging.LogRecord) -> None:
        if progress := getattr(record, "progress", None):
            self._progress(*progress)
        elif problem := getattr(record, "problem", None):
            self.problems += not problem.warning
            self.errors += not problem.warning
            self.stream.write(f"{problem}\n")
            if problem.warning:
                self.warnings.append(str(problem))
        else:
            super().emit(record)
            if record.levelno == logging.WARNING:
                self.warnings.append(self.format(record))
            self.errors += record.levelno >= logging.ERROR

    def _progress(self, done: int, total: int, path: str) -> None:
        if self.live:
            end = "\n" if done == total else ""
            self.stream.write(f"\r\033[KPDF {done}/{total} {path}{end}")
        else:
            self.stream.write(f"PDF {done}/{total} {path}\n")
        self.stream.flush()
