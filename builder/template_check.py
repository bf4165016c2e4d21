"""Templates checked before anything is rendered: every page and every PDF has its template, and
every template parses and finds the templates it extends, imports and includes. A fault shows in
`check` as `template:line: ...`, never as a traceback halfway through a build."""

from __future__ import annotations

import jinja2
from jinja2 import nodes

from .outputs import Results
from .pdf.document import first_document_of_each_template, print_environment
from .problems import Problem
from .project import Project
from .templating import shown_template_path
from .themes import PRINT_SUBFOLDER, WEB_OVERRIDES
from .web_pages import WebPages


def template_problems(project: Project, web_pages: WebPages | None = None) -> list[Problem]:
    """Missing templates and templates that do not parse, in the web namespace (the build's own
    `web_pages`, when it has them) and in print."""
    web = (web_pages or WebPages(project, Results())).env
    printing = print_environment(project)
    theme = shown_template_path(str(project.theme.project), project.root)
    return [*_namespace_problems(web, _web_needs(project), project, f"{theme}/{WEB_OVERRIDES}"),
            *_namespace_problems(printing, _print_needs(project, printing), project, f"{theme}/{PRINT_SUBFOLDER}")]


def _web_needs(project: Project) -> dict[str, str]:
    """Template -> the first page that needs it."""
    needs: dict[str, str] = {}
    for page in project.virtual_pages:
        needs.setdefault(page.template, f"{page.path} (generated)")
    for record in project.collection.published():
        needs.setdefault("page.html" if record.item.plain_page else "item.html", record.path)
    return needs


def _print_needs(project: Project, env: jinja2.Environment) -> dict[str, str]:
    generated = {page.path for page in project.virtual_pages}
    return {template: f"{path} (generated)" if path in generated else path
            for template, path in first_document_of_each_template(project, set(env.loader.list_templates())).items()}


def _namespace_problems(env: jinja2.Environment, needs: dict[str, str], project: Project,
                        folder: str) -> list[Problem]:
    """Follow each needed template through what it extends, imports and includes."""
    problems: list[Problem] = []
    seen: set[str] = set()
    pending = [(name, needed_by, 1) for name, needed_by in needs.items()]  # (template, where it is named, line)
    while pending:
        name, named_in, line = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(named_in, line, "template", None, f"needs the template {name}, which neither "
                                    f"{folder}/ nor Disseminate's own templates have (add it there)"))
            continue
        shown = shown_template_path(filename, project.root)
        try:
            tree = env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(shown, error.lineno or 1, "template", None, error.message or "syntax error"))
            continue
        pending += [(reference, shown, reference_line) for reference, reference_line in _references(tree)]
    return problems


def _references(tree: nodes.Template) -> list[tuple[str, int]]:
    """Templates a template names by a constant: extends, import, from-import, include (unless
    `ignore missing`)."""
    found = []
    for node in tree.find_all((nodes.Extends, nodes.Import, nodes.FromImport, nodes.Include)):
        if isinstance(node, nodes.Include) and node.ignore_missing:
            continue
        if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
            found.append((node.template.value, node.lineno))
    return found
