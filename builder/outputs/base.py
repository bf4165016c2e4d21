"""What an output is, and the registry the outputs enter themselves into.

An output is everything a build makes besides the pages: the PDFs, the catalogue, the search index.
Each declares when it runs, what it needs and what it writes; the build runs them in order and
keeps what they made in one `Results`, which templates read as `outputs` and later outputs as
`results`. Models: Pelican's generators, Lektor's build programs, Hugo's output formats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..layout import MKDOCS_OUTPUTS

if TYPE_CHECKING:
    from ..project import Project

# "files": before the pages are written; its files are published with them, and the pages show what
# it made (a PDF's link). "site": once every page is in the site folder (the search index reads them).
Stage = Literal["files", "site"]
OUTPUTS: dict[str, type["Output"]] = {}


@dataclass
class Made:
    """What one output made."""

    files: dict[str, Path | bytes] = field(default_factory=dict)  # site path -> a file to publish, or its bytes
    pages: dict[str, Any] = field(default_factory=dict)  # source path -> what that page's templates read
    summary: Any = None  # what later outputs read


@dataclass
class OutputContext:
    """What an output works with."""

    project: "Project"
    results: "Results"
    log: logging.Logger
    site_dir: Path | None = None  # the folder being built; set for the "site" stage


class OutputFailed(Exception):
    """An output could not be made for a reason other than the content (content problems are
    ContentErrors); the message says why, in one line."""


class Output:
    """One output. Subclasses set the class variables and `run`; `@register_output` enters them."""

    name: ClassVar[str]
    stage: ClassVar[Stage]
    needs: ClassVar[tuple[str, ...]] = ()  # outputs whose results this one reads: they run before it
    writes: ClassVar[tuple[str, ...]] = ()  # site paths it writes (a folder ends in /): no published file may take them
    last: ClassVar[bool] = False  # runs after every other output of its stage (the search index reads them all)

    def wanted(self, project: "Project") -> bool:
        """Whether this build makes it (settings may turn it off)."""
        return True

    def run(self, context: OutputContext) -> Made:
        raise NotImplementedError


def register_output(output: type[Output]) -> type[Output]:
    """Enter an output into the registry."""
    OUTPUTS[output.name] = output
    return output


def in_order(stage: Stage) -> list[type[Output]]:
    """The outputs of a stage in the order they run: each after those it needs, otherwise in the
    order they registered, and those marked `last` at the end."""
    ordered: list[type[Output]] = []

    def place(output: type[Output], waiting: tuple[str, ...]) -> None:
        if output in ordered:
            return
        for name in output.needs:
            if name not in OUTPUTS:
                raise ValueError(f"output {output.name} needs {name}, which no output makes")
            if name in waiting:
                raise ValueError(f"outputs {' and '.join((*waiting, name))} need each other")
            place(OUTPUTS[name], (*waiting, output.name))
        ordered.append(output)
    def late(output: type[Output]) -> bool:  # last, or after one that is: it waits for every other
        return output.last or any(OUTPUTS[name].last for name in output.needs if name in OUTPUTS)
    for output in sorted(OUTPUTS.values(), key=late):  # stable: registration order kept
        place(output, ())
    return [output for output in ordered if output.stage == stage]


class Results:
    """What the outputs of a build have made so far, by output name."""

    def __init__(self) -> None:
        self._made: dict[str, Made] = {}

    def add(self, name: str, made: Made) -> None:
        self._made[name] = made

    def summary(self, name: str) -> Any:
        """What an output made, as a whole (None when it did not run)."""
        made = self._made.get(name)
        return made.summary if made else None

    def for_page(self, path: str) -> "PageOutputs":
        """What the outputs made for one page: `outputs.pdf` in its templates."""
        return PageOutputs({name: made.pages[path] for name, made in self._made.items() if path in made.pages})

    def files(self) -> dict[str, Path | bytes]:
        """Every file the outputs made to publish: site path -> a file, or the bytes to write."""
        return {site_path: source for made in self._made.values() for site_path, source in made.files.items()}


class PageOutputs(dict):
    """A page's outputs; one that made nothing for the page reads as None (templates test `if outputs.pdf`)."""

    def __missing__(self, name: str) -> None:
        return None


def run_stage(stage: Stage, context: OutputContext) -> None:
    """Run the outputs of one stage that this build wants, each adding what it made to the results."""
    for output_type in in_order(stage):
        output = output_type()
        if output.wanted(context.project):
            context.results.add(output.name, output.run(context))


def reserved_site_paths() -> tuple[str, ...]:
    """Every site path the build writes itself: MkDocs' own, and each output's."""
    return (*MKDOCS_OUTPUTS, *(path for output in OUTPUTS.values() for path in output.writes))
