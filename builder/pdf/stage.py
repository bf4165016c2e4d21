"""The PDF stage: plan a PDF per publication, reuse cached ones, render the rest in a process pool."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..discover import links_among
from ..explorer import Names, area_report, areas_with_projects
from ..layout import PDF_FOLDER
from ..problems import ContentErrors, Problem
from ..project import Project
from .cache import CACHE_FOLDER, PdfCache
from .document import AREA_DOCUMENTS, PrintDocument, PrintDocuments, readable_files
from .pool import SCRATCH_FOLDER, RenderLimits, render_all

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PdfInfo:
    """A publication's PDF as the site and the catalogue describe it."""

    source_path: str
    file_name: str
    pages: int
    bytes: int
    cache_path: Path
    language: str
    version: str | None

    @property
    def url(self) -> str:
        return f"{PDF_FOLDER}/{self.file_name}"


@dataclass
class PdfReport:
    """What the stage produced and how much work it took."""

    pdfs: dict[str, PdfInfo] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source path, WeasyPrint's message)

    def warning_lines(self) -> list[str]:
        """One line per distinct message: `path: PDF: message`, or, for a message many PDFs share (a
        missing font subsetter, say), the message once with how many PDFs gave it."""
        paths: dict[str, list[str]] = {}
        for path, message in self.warnings:
            paths.setdefault(message, [])
            if path not in paths[message]:
                paths[message].append(path)
        return [f"{found[0]}: PDF: {message}" if len(found) == 1 else f"{len(found)} PDFs: {message}"
                for message, found in paths.items()]


def plan_documents(project: Project, only: set[str] | None = None) -> list[PrintDocument]:
    """Print documents of every published record that wants a PDF and of the action plan's pages
    (or only of the `only` paths)."""
    printer = PrintDocuments(project)
    wanted = [(record.path, lambda record=record: printer.document(record))
              for record in project.collection.every_published_page() if record.item.wants_pdf]
    wanted += [(page.path, lambda page=page: printer.plan_document(page.item, page.data["plan"]))
               for page in project.virtual_pages if page.item and page.item.wants_pdf]
    if project.repository is not None:
        names = Names(project.config, printer.wording)
        wanted += [(f"{AREA_DOCUMENTS}{key}", lambda key=key: printer.area_document(
            area_report(project.repository, names, key), names)) for key in areas_with_projects(project.repository)]
    documents, problems = [], []
    for path, make in wanted:
        if only is None or path in only:
            try:
                documents.append(make())
            except ContentErrors as errors:  # a template fault: every document's, in one run
                problems += [problem for problem in errors.problems if problem not in problems]
    if problems:
        raise ContentErrors(problems)
    return documents


def build_pdfs(project: Project, jobs: int | None = None, progress: Progress | None = None,
               only: set[str] | None = None) -> PdfReport:
    """Make sure every PDF exists in the cache; raise ContentErrors naming each item that failed."""
    # The cache is written and cleaned by every build: through a link, that would happen elsewhere.
    if refused := links_among([project.root / CACHE_FOLDER, project.root / SCRATCH_FOLDER], project.root):
        raise ContentErrors(refused)
    documents = plan_documents(project, only)
    problems = _duplicate_names(documents)
    cache, report = PdfCache(project.root), PdfReport()
    cached = {doc.path: found for doc in documents if (found := cache.get(doc.job.key))}
    missing = [doc for doc in documents if doc.path not in cached]
    report.reused = len(cached)
    by_path = {doc.path: doc for doc in documents}
    settings = project.config.pdf
    limits = RenderLimits(settings.time_limit, settings.memory_limit)
    workers = jobs or os.cpu_count() or 1
    rendered = render_all([doc.job for doc in missing], workers, limits, project.root, readable_files(project))
    for done, result in enumerate(rendered, start=1):
        if progress:
            progress(done, len(missing), result.source_path)
        report.warnings += [(result.source_path, message) for message in result.warnings]
        if result.data is None:
            kind = by_path[result.source_path].kind
            problems.append(Problem(result.source_path, 1, kind, None, f"PDF could not be rendered: {result.error}"))
        else:
            cached[result.source_path] = cache.put(result.key, result.data, result.pages)
            report.rendered.append(result.source_path)
    if problems:
        raise ContentErrors(problems)
    for doc in documents:
        stored = cached[doc.path]
        report.pdfs[doc.path] = PdfInfo(doc.path, doc.file_name, stored.pages, stored.bytes, stored.path,
                                        doc.language, doc.version)
    return report


def _duplicate_names(documents: list[PrintDocument]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for doc in documents:
        if doc.file_name in seen:
            problems.append(Problem(doc.path, 1, doc.kind, "title",
                                    f"PDF name {doc.file_name} is already used by {seen[doc.file_name]} "
                                    "(give the item a distinct title or version)"))
        seen.setdefault(doc.file_name, doc.path)
    return problems
