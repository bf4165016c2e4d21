"""The package's floors, as README's "How the package is laid out" describes them: a module imports
only from its own floor or those below, and no two modules import each other, even by a detour or
from inside a function. Imports for type annotations only (under TYPE_CHECKING) do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "builder"

# Top to bottom. A module belongs to the first floor that names it or a package holding it.
FLOORS = [
    ("commands", ["builder.cli", "builder.plugin", "builder.preview", "builder.__main__", "builder.reference",
                  "builder.scaffold", "builder.editor_backend", "builder.deposit",
                  "builder.site_navigation"]),
    ("checks across outputs", ["builder.template_check", "builder.visibility"]),
    ("outputs", ["builder.outputs"]),
    ("web pages and print", ["builder.web_pages", "builder.pdf", "builder.templating", "builder.facets",
                             "builder.share_image", "builder.dissemination", "builder.report_formats",
                             "builder.newsletter", "builder.forms", "builder.explorer",
                             "builder.explorer_index", "builder.charts"]),
    ("project", ["builder.project", "builder.impact"]),
    ("content", ["builder.pages", "builder.action_plan", "builder.collection", "builder.assets", "builder.read",
                 "builder.discover", "builder.repository", "builder.translations"]),
    ("markup", ["builder.convert", "builder.drawings", "builder.markup", "builder.links"]),
    ("configuration", ["builder.config", "builder.layout", "builder.themes"]),
    ("content types", ["builder.types"]),
    ("foundations", ["builder.fields", "builder.explain", "builder.frontmatter", "builder.problems",
                     "builder.deadline", "builder.scratch", "builder.publish", "builder.search_order", "builder.npm",
                     "builder.zenodo", "builder.stored", "builder.audience", "builder.cordis",
                     "builder.csv_safe", "builder.build_stamp", "builder.catalogues"]),
]


def module_name(path: Path) -> str:
    parts = path.with_suffix("").relative_to(PACKAGE.parent).parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The package's modules `path` imports, wherever in the file, outside TYPE_CHECKING blocks."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1])
                if child.module:
                    found.add(f"{base}.{child.module}")
                else:
                    found.update(f"{base}.{alias.name}" for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and (child.module or "").startswith("builder."):
                found.add(child.module)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name.startswith("builder."))
            visit(child)
    visit(ast.parse(path.read_text("utf-8")))
    return found - {name}


GRAPH = {module_name(path): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}
MODULES = sorted(name for name in GRAPH if name != "builder")  # the package face imports lazily, on use


def floor_of(module: str) -> int:
    for number, (_, members) in enumerate(FLOORS):
        if any(module == member or module.startswith(member + ".") for member in members):
            return number
    raise LookupError(module)


def test_every_module_has_a_floor():
    unplaced = []
    for module in MODULES:
        try:
            floor_of(module)
        except LookupError:
            unplaced.append(module)
    assert unplaced == [], "add these to FLOORS (and to README's package layout)"


@pytest.mark.parametrize("module", MODULES)
def test_no_import_reaches_a_higher_floor(module):
    upward = [f"{target} ({FLOORS[floor_of(target)][0]})" for target in sorted(GRAPH[module])
              if target in GRAPH and floor_of(target) < floor_of(module)]
    assert upward == [], f"{module} ({FLOORS[floor_of(module)][0]}) imports from above"


def test_no_import_cycles():
    """Depth-first search over the graph of modules; an edge back to a module on the path is a cycle."""
    def edges(module: str) -> list[str]:
        # A package's __init__ runs before any of its modules: importing a.b imports a too.
        targets = set(GRAPH[module])
        targets |= {target.rsplit(".", 1)[0] for target in GRAPH[module] if target.rsplit(".", 1)[0] in GRAPH}
        return sorted(target for target in targets if target in GRAPH and target not in ("builder", module)
                      and not module.startswith(target + "."))  # a module's own package is being imported
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def walk(module: str, path: list[str]) -> None:
        state[module] = "on path"
        for target in edges(module):
            if state.get(target) == "on path":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                walk(target, path + [target])
        state[module] = "done"
    for module in MODULES:
        if module not in state:
            walk(module, [module])
    assert cycles == []


def test_the_graph_is_read():
    """The test reads real imports: a module known to import another is seen to."""
    assert "builder.project" in GRAPH["builder.outputs.catalogue"]
    assert "builder.pdf.fetcher" in GRAPH["builder.pdf.engine"]  # imported inside a function
    assert "builder.outputs" not in GRAPH["builder.web_pages"]  # for annotations only
