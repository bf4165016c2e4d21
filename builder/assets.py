"""Which files beside the pages reach the site.

A file is published when a published page uses it (links to it, shows it), or when it lies in a
folder that config names under `assets`. Nothing else reaches the site, whatever folder it is in:
not the figures of a confidential deliverable or of a draft, even if a public page links to them,
nor a partner's stray working file, which `check` points out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .discover import SourceFile
from .links import local_target
from .problems import Problem
from .read import Record


@dataclass
class AssetSelection:
    """The files to publish, those held back with the item they belong to, and warnings."""

    published: list[SourceFile] = field(default_factory=list)
    withheld: dict[str, str] = field(default_factory=dict)  # path -> what holds it back
    problems: list[Problem] = field(default_factory=list)


def select_assets(files: list[SourceFile], published: list[Record], unpublished: dict[str, Record],
                  asset_folders: list[str]) -> AssetSelection:
    """Sort the non-page files; `unpublished` maps each held-back record's path to it."""
    used = _targets(published)
    mentioned = used | _targets(list(unpublished.values()))
    owners = {record.path.rsplit("/", 1)[0] + "/": _held_back_because(record)
              for record in unpublished.values() if _owns_its_folder(record.path)}
    selection = AssetSelection()
    for file in files:
        owner = next((reason for folder, reason in owners.items() if file.path.startswith(folder)), None)
        if owner:
            selection.withheld[file.path] = owner
        elif file.path in used or any(_inside(file.path, folder) for folder in asset_folders):
            selection.published.append(file)
        elif file.path not in mentioned:
            selection.problems.append(Problem(file.path, 1, "file", None, "no page uses it, so it is not published "
                                              "(link it from a page, or list its folder under assets in mkdocs.yml)",
                                              warning=True))
    return selection


def _targets(records: list[Record]) -> set[str]:
    """Project paths that the bodies of `records` link to or show."""
    return {target for record in records for link in record.markup.links
            if (target := local_target(link, record.path))}


def _owns_its_folder(path: str) -> bool:
    """Whether a page is the page of its folder (`deliverables/d1-3/index.md`), below a source root."""
    folder, _, name = path.rpartition("/")
    return name in ("index.md", "README.md") and "/" in folder


def _held_back_because(record: Record) -> str:
    item = record.item
    if not item.is_public:
        return f"a {item.type_label.lower()} that is not public"
    return f"a {item.type_label.lower()} that is a draft"


def _inside(path: str, folder: str) -> bool:
    folder = folder.strip("/")
    return path == folder or path.startswith(folder + "/")
