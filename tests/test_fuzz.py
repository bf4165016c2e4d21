"""Property-based fuzzing of front matter and bodies: whatever a content file holds, `check` and
`build` answer with exit status 0 or 1 and lines about the content, never a traceback or an
internal error. A bounded, derandomised run here; the long run is bench/fuzz.py."""

from __future__ import annotations

import contextlib
import io
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import FOLDERS, content_file

from builder.cli import main


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from conftest import FixtureProject

    return FixtureProject(tmp_path_factory.mktemp("fuzz") / "project")


def place(project, path: str, text: str) -> None:
    """Put the one fuzzed file in the project, in place of the last one."""
    for folder in FOLDERS.values():
        (project.root / folder / "fuzz.md").unlink(missing_ok=True)
        shutil.rmtree(project.root / folder / "fuzz", ignore_errors=True)
    target = project.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))


def run(project, *args: str) -> tuple[int, str]:
    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
        code = main(["-C", str(project.root), *args])
    return code, said.getvalue()


def answered(code: int, said: str) -> bool:
    """Whether a command ended as it should: status 0 or 1, no traceback, no internal error. (The
    words alone may occur in a message quoting generated content.)"""
    return code in (0, 1) and not any(line.startswith(("Traceback (most recent call last)", "disseminate: internal error"))
                                      for line in said.splitlines())


def assert_answered(code: int, said: str) -> None:
    assert answered(code, said), said


FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(FUZZ, max_examples=300)
@given(content_file())
def test_check_answers_every_content_file(project, file):
    place(project, *file)
    assert_answered(*run(project, "check"))


@settings(FUZZ, max_examples=20)
@given(content_file())
def test_build_answers_every_content_file(project, file):
    place(project, *file)
    assert_answered(*run(project, "build", "--jobs", "1"))
