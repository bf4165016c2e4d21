"""Problems found in a project's content, reported one line each, all at once."""

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

    def __str__(self) -> str:
        subject = f"{self.kind} '{self.field}'" if self.field else self.kind
        return f"{self.path}:{self.line}: {subject}: {self.message}"


class ContentErrors(Exception):
    """Raised when content has problems; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found in the content")

    def report(self) -> str:
        """All problems, one per line, in file and line order."""
        return "\n".join(str(problem) for problem in self.problems)
