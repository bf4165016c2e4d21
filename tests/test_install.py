"""The tool as another project gets it: a wheel and an sdist built from this repository, installed
into a new virtual environment outside it, starting a project in another folder by the README's
"Start your own project" commands, run as they are written there."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    made = subprocess.run([sys.executable, "-m", "build", "--outdir", str(folder), str(REPO)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-3000:]
    return folder


def readme_commands() -> list[str]:
    """The shell block under "## Start your own project", a command a line."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Start your own project", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_wheel_carries_the_theme_templates_and_starter_files_and_not_the_demo(dist):
    wheel = next(dist.glob("disseminate-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("builder/theme/main.html", "builder/theme/print/print.css", "builder/theme/print/fonts/OFL.txt",
                   "builder/theme/assets/eu-emblem.svg", "builder/theme/assets/fonts/OFL.txt",
                   "builder/templates/item.html", "builder/templates/shared/_history.html",
                   "builder/data/programmes.yml", "builder/data/starter/mkdocs.yml.j2"):
        assert needed in names, needed
    # Every file of the package, whatever it is (the preview's reload script, the newsletter's templates).
    package = {path.relative_to(REPO).as_posix() for path in (REPO / "builder").rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert sorted(package - names) == []
    assert not [name for name in names if name.startswith(("deliverables/", "content/", "tests/", "theme/"))]
    assert next(dist.glob("disseminate-*.tar.gz")).stat().st_size > 0


def test_readme_start_your_own_project_runs_as_written(dist, tmp_path):
    (tmp_path / "dist").symlink_to(dist)
    home = tmp_path / "home"
    home.mkdir()
    environment = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    for command in readme_commands():
        ran = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=environment, capture_output=True, text=True)
        assert ran.returncode == 0, f"{command}\n{ran.stdout[-2000:]}\n{ran.stderr[-3000:]}"
    tool = home / "disseminate/bin"
    where = subprocess.run([str(tool / "python"), "-c", "import builder; print(builder.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path).stdout
    assert where.startswith(str(home / "disseminate")), where  # the installed package, not this repository's
    project = tmp_path / "my-project"
    assert not (project / "theme").exists()  # the package's theme, nothing copied
    site = project / "site"
    page = html.unescape((site / "index.html").read_text("utf-8"))
    assert "<title>My research project - MYPROJ</title>" in page
    assert "Funded by the European Union under grant agreement No 101000001." in page
    assert (site / "assets/eu-emblem.svg").read_bytes() == (REPO / "builder/theme/assets/eu-emblem.svg").read_bytes()
    assert (site / "pdf/MYPROJ_D1.1_Example-deliverable.pdf").read_bytes().startswith(b"%PDF-")
    assert (site / "accessibility/index.html").is_file()
    for words in (["deliverable", "D2.1", "First report"], ["brief", "A brief"], ["guide", "A guide"],
                  ["event", "Kick-off", "--start", "2026-03-10", "--timezone", "Europe/Brussels"],
                  ["recommendation", "Do this", "--for", "policy"], ["page", "team", "Our team"]):
        ran = subprocess.run([str(tool / "disseminate"), "-C", str(project), "new", *words],
                             capture_output=True, text=True, env=environment)
        assert ran.returncode == 0, ran.stderr
    built = subprocess.run([str(tool / "disseminate"), "-C", str(project), "build"], capture_output=True, text=True,
                           env=environment)
    assert built.returncode == 0, built.stderr[-3000:]
