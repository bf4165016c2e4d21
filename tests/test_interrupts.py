"""Attacks on the build itself: interrupts, kills (also in the middle of the swap), two builds at
once, files that cannot be deleted, folders that cannot be written. Whatever happens, the published
site is a whole build (the previous one unless the new one was complete), no process outlives the
build, and the next build cleans up after the broken one and succeeds."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from builder.scratch import remove_tree

# Runs `disseminate` with a signal raised from inside the build at a chosen point (an exact place
# that no timing of an outside signal could hit reliably).
RUNNER = """
import os, signal, sys
import builder.plugin as plugin, builder.publish as publish
point, raised = sys.argv[1], getattr(signal, sys.argv[2])
def strike():
    os.kill(os.getpid(), raised)
if point == "indexing":
    import builder.outputs.search as search
    index_site = search.index_site
    search.index_site = lambda site_dir: (strike(), index_site(site_dir))[1]
elif point == "indexer-running":
    import subprocess, types
    import builder.outputs.search as search
    def run(argv, **options):
        subprocess.Popen(argv, preexec_fn=options["preexec_fn"])
        strike()  # lands while the indexer works
    search.subprocess = types.SimpleNamespace(run=run)
elif point in ("before-swap", "after-swap"):
    swap = publish.StagedSite._swap
    def patched(self):
        if point == "before-swap":
            strike()
        retired = swap(self)
        if point == "after-swap":
            strike()
        return retired
    publish.StagedSite._swap = patched
from builder.cli import main
sys.exit(main(sys.argv[3:]))
"""

DELIVERABLE = "---\ntitle: Report {n}\nid: D1.{n}\nsummary: Summary {n}.\ndissemination: PU\n---\n## Part\n\n{text}\n"


def digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(root: Path) -> list[str]:
    """What a build may leave only while it runs: staging and retired folders, PDF scratch folders."""
    found = [path.name for path in root.glob(".site.*") if path.name != ".site.lock"]
    scratch = root / ".cache/tmp"
    return sorted(found + [f"tmp/{path.name}" for path in scratch.iterdir()] if scratch.is_dir() else found)


def survivors(marker: str) -> list[int]:
    """Live processes (zombies excepted) started by a run tagged with `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"DISSEMINATE_RUN={marker}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _sigint_by_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Run:
    """A `disseminate build` in a child process, tagged so that its descendants can be found."""

    def __init__(self, root: Path, *args: str, point: str | None = None, raised: str = "SIGINT",
                 mkdocs: bool = False) -> None:
        self.marker = uuid.uuid4().hex
        env = dict(os.environ, DISSEMINATE_RUN=self.marker)
        command = ["-C", str(root), "build", "--jobs", "2", *args]
        argv = ([sys.executable, "-c", RUNNER, point, raised, *command] if point
                else [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")] if mkdocs
                else [sys.executable, "-m", "builder", *command])
        # A job a shell starts in the background inherits SIGINT ignored (POSIX), and so would the
        # build: a terminal's Ctrl-C reaches a build in the foreground, which is what is tested here.
        self.process = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                        preexec_fn=_sigint_by_default)
        self.lines: list[str] = []

    def signal_on(self, pattern: str, signum: int, group: bool = False) -> None:
        """Send `signum` once stderr shows a line matching `pattern` (to the process group, like a terminal)."""
        for line in self.process.stderr:
            self.lines.append(line)
            if re.search(pattern, line):
                os.killpg(self.process.pid, signum) if group else self.process.send_signal(signum)
                return
        raise AssertionError(f"the build ended before '{pattern}':\n{''.join(self.lines)}")

    def finish(self) -> tuple[int, str]:
        """Wait for the build, note which of its processes outlived it, then read what it said.

        In that order: any survivor still holds stderr open, so reading first would wait for it."""
        code = self.process.wait(timeout=120)
        self.survivors = survivors(self.marker)
        self.lines.append(self.process.stderr.read())
        return code, "".join(self.lines)


@pytest.fixture
def project(fixture_project):
    for n in (2, 3, 4):
        fixture_project.write(f"deliverables/d1-{n}.md", DELIVERABLE.format(n=n, text="Findings. " * 200))
    assert fixture_project.run("build", "--jobs", "2") == 0
    fixture_project.write("deliverables/d1-5.md", DELIVERABLE.format(n=5, text="Added after the first build."))
    return fixture_project


def assert_recovers(project, before: dict[str, str] | None = None) -> None:
    """The next build cleans up and publishes everything, the late addition included."""
    code, err = Run(project.root).finish()
    assert code == 0, err
    assert "Traceback" not in err
    assert leftovers(project.root) == []
    assert (project.site / "deliverables/d1-5/index.html").is_file()
    if before is not None:
        assert digest(project.site) != before


@pytest.mark.parametrize(("pattern", "signum", "code", "last_line"), [
    (r"PDF 1/", signal.SIGINT, 130, "disseminate: interrupted; the published site is the last complete build"),
    (r"PDF 2/", signal.SIGTERM, 143, "disseminate: stopped by SIGTERM; the published site is the last complete build"),
    (r"PDFs: ", signal.SIGINT, 130, "disseminate: interrupted; the published site is the last complete build"),
    (r"PDFs: ", signal.SIGTERM, 143, "disseminate: stopped by SIGTERM; the published site is the last complete build"),
])
def test_interrupt_leaves_the_old_site_and_no_process(project, pattern, signum, code, last_line):
    shutil_rmtree_cache(project)
    before = digest(project.site)
    run = Run(project.root)
    run.signal_on(pattern, signum, group=signum == signal.SIGINT)  # Ctrl-C reaches the whole group
    status, err = run.finish()
    assert status == code, err
    assert err.strip().splitlines()[-1] == last_line
    assert "Traceback" not in err
    assert digest(project.site) == before
    assert run.survivors == []
    assert leftovers(project.root) == []  # an interrupted build cleans up itself
    assert_recovers(project, before)


def test_interrupting_a_plain_mkdocs_build_leaves_the_old_site(project):
    """`mkdocs build` runs the same plugin: Ctrl-C, which MkDocs does not report to plugins as a build
    error, must not publish the half-made site either."""
    shutil_rmtree_cache(project)
    before = digest(project.site)
    run = Run(project.root, mkdocs=True)
    run.signal_on(r"PDF 1/", signal.SIGINT, group=True)
    status, err = run.finish()
    assert status != 0, err
    assert digest(project.site) == before
    assert run.survivors == [] and leftovers(project.root) == []


@pytest.mark.parametrize("raised", ["SIGINT", "SIGTERM"])
def test_interrupt_while_indexing(project, raised):
    before = digest(project.site)
    run = Run(project.root, "--no-pdf", point="indexing", raised=raised)
    status, err = run.finish()
    assert status == 128 + getattr(signal, raised), err
    assert "Traceback" not in err
    assert digest(project.site) == before
    assert run.survivors == [] and leftovers(project.root) == []


def test_kill_while_pdfs_render_takes_the_workers_along(project):
    # Long tables keep both workers busy for seconds, so a worker that outlived the build would be seen.
    table = "| a | b |\n|---|---|\n" + "\n".join(f"| {row} | cell {row} |" for row in range(250))
    for n in (6, 7, 8):
        project.write(f"deliverables/d1-{n}.md", DELIVERABLE.format(n=n, text=table))
    before = digest(project.site)
    run = Run(project.root)
    run.signal_on(r"PDF 1/", signal.SIGKILL)
    status, _ = run.finish()
    assert status == -signal.SIGKILL
    assert digest(project.site) == before
    assert run.survivors == []
    assert leftovers(project.root) != []  # a killed build cannot clean up: the next one does
    assert_recovers(project, before)


def test_kill_while_indexing_takes_the_indexer_along(project):
    before = digest(project.site)
    run = Run(project.root, "--no-pdf", point="indexer-running", raised="SIGKILL")
    status, _ = run.finish()
    assert status == -signal.SIGKILL
    assert digest(project.site) == before
    assert run.survivors == []
    assert_recovers(project, before)


def test_kill_just_before_the_swap_keeps_the_old_site(project):
    before = digest(project.site)
    status, _ = Run(project.root, "--no-pdf", point="before-swap", raised="SIGKILL").finish()
    assert status == -signal.SIGKILL
    assert digest(project.site) == before
    assert_recovers(project, before)


def test_kill_just_after_the_swap_has_the_whole_new_site(project):
    status, _ = Run(project.root, "--no-pdf", point="after-swap", raised="SIGKILL").finish()
    assert status == -signal.SIGKILL
    assert (project.site / "deliverables/d1-5/index.html").is_file()  # the new build, complete
    assert (project.site / "pagefind/pagefind-entry.json").is_file()
    assert leftovers(project.root) != []  # the old site, which only the next build can remove
    assert_recovers(project)


def test_two_builds_at_once_take_turns(project):
    runs = [Run(project.root, "--no-pdf") for _ in range(2)]
    results = [run.finish() for run in runs]
    assert [status for status, _ in results] == [0, 0], results
    assert sum("waiting for it to finish" in err for _, err in results) == 1
    assert not any("Traceback" in err for _, err in results)
    assert leftovers(project.root) == []
    assert (project.site / "deliverables/d1-5/index.html").is_file()


def test_published_tree_is_readable_by_a_web_server(project):
    os.umask(previous := os.umask(0o022))
    for path in [project.site, *project.site.rglob("*")]:
        expected = (0o777 if path.is_dir() else 0o666) & ~previous
        assert path.stat().st_mode & 0o777 == expected, path


@pytest.fixture
def immutable():
    """Marks files so that not even their owner (nor root) can delete or add entries: chattr +i."""
    if os.geteuid() != 0:
        pytest.skip("making a file undeletable needs root (chattr +i); CI runs as root")
    marked: list[Path] = []

    def mark(path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        marked.append(path)
    yield mark
    for path in marked:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_an_undeletable_file_in_the_old_site_is_reported_once_and_never_fails_a_build(project, immutable):
    stuck = project.site / "stuck"
    stuck.mkdir()
    (stuck / "file.txt").write_text("kept by chattr +i")
    immutable(stuck / "file.txt")
    for _ in range(2):  # the leftover stays undeletable: the build after must succeed all the same
        code, err = Run(project.root, "--no-pdf").finish()
        assert code == 0, err
        warnings = [line for line in err.splitlines() if "could not be removed" in line]
        assert len(warnings) == 1 and "file.txt: Operation not permitted" in warnings[0], err
        assert "Traceback" not in err
    assert (project.site / "deliverables/d1-5/index.html").is_file()


def test_a_folder_that_cannot_be_written_is_one_clear_line(fixture_project, immutable, tmp_path):
    fixture_project.write("mkdocs.yml", (fixture_project.root / "mkdocs.yml").read_text()
                          + f"site_dir: {tmp_path / 'locked' / 'site'}\n")
    (tmp_path / "locked").mkdir()
    immutable(tmp_path / "locked")
    code, err = Run(fixture_project.root, "--no-pdf").finish()
    assert code == 1
    assert f"cannot build beside {tmp_path / 'locked' / 'site'}: Operation not permitted" in err
    assert "Traceback" not in err


def shutil_rmtree_cache(project) -> None:
    """Forget cached PDFs so that the build spends its time rendering, where the signal lands."""
    remove_tree(project.root / ".cache")
