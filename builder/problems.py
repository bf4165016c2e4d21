"""Problems found in a project's content, reported one line each, all at once.

An error stops the build; a warning is reported and the build goes on (`--strict` makes it fail).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: `path:line: kind 'field': message`."""

    path: str
    line: int
    kind: str
    field: str | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        subject = f"{self.kind} '{self.field}'" if self.field else self.kind
        severity = "warning: " if self.warning else ""
        # One line, and nothing a terminal would act on: control characters (in a file name, say) are shown.
        return f"{self.path}:{self.line}: {severity}{subject}: {self.message}".translate(_SHOWN_CONTROLS)


_SHOWN_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7f, 0xa0)]}


class ContentErrors(Exception):
    """Raised when content has errors; carries every problem found in the run, warnings too."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = sum(not problem.warning for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found in the content")

    def report(self) -> str:
        """All problems, one per line, in file and line order."""
        return "\n".join(str(problem) for problem in self.problems)


def split_warnings(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings), each in file and line order."""
    ordered = sorted(problems)
    return [p for p in ordered if not p.warning], [p for p in ordered if p.warning]
