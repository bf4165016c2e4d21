"""Time `disseminate check` and the site build on a generated corpus or on the demo project.

    .venv/bin/python bench/build_time.py --deliverables 1000 --runs 3
    .venv/bin/python bench/build_time.py --demo --runs 3

Each run of each command starts in a fresh wrapper process that times the command with
time.perf_counter() and reads the command's peak RSS from getrusage(RUSAGE_CHILDREN), so one
command's memory never hides another's. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import REPO, write_corpus

BIN = Path(sys.executable).parent  # the venv's bin/, not resolved: that would leave the venv

_WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd, cwd = json.loads(sys.argv[1]), sys.argv[2]
started = time.perf_counter()
done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}))
"""


def measure(cmd: list[str], cwd: Path) -> dict:
    """One timed run of `cmd` in a fresh wrapper process; exits with its output if it fails."""
    wrapper = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(cmd), str(cwd)],
                             capture_output=True, text=True, check=True)
    result = json.loads(wrapper.stdout)
    if result["returncode"] != 0:
        print(f"FAILED (exit {result['returncode']}): {' '.join(cmd)}  [cwd {cwd}]", file=sys.stderr)
        print(result["stdout"], result["stderr"], sep="\n", file=sys.stderr)
        sys.exit(1)
    return result


def write_plain_material(corpus: Path) -> Path:
    """A plain MkDocs project over the corpus's deliverables, for the comparison the issue on build
    speed asks for: Material with its own (lunr) search, the demo's Markdown extensions, a one-line
    nav, no plugin of ours. Returns its folder."""
    import yaml

    demo = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    folder = corpus.parent / "plain-material"
    folder.mkdir(exist_ok=True)
    first = sorted(path.name for path in (corpus / "deliverables").glob("*.md"))[0]
    settings = {"site_name": "Plain Material", "docs_dir": str(corpus / "deliverables"),
                "site_dir": str(folder / "site"), "theme": {"name": "material"}, "plugins": ["search"],
                "markdown_extensions": demo["markdown_extensions"], "nav": [{"Deliverables": first}]}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    return folder


def count_html(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def bench(commands: list[tuple[str, list[str]]], cwd: Path, runs: int) -> list[dict]:
    rows = []
    for label, cmd in commands:
        results = [measure(cmd, cwd) for _ in range(runs)]
        times = [r["seconds"] for r in results]
        rows.append({"label": label, "runs": runs, "min": min(times), "median": statistics.median(times),
                     "max": max(times), "rss_mib": max(r["maxrss_kib"] for r in results) / 1024,
                     "last_stdout": results[-1]["stdout"].strip()})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| Command | Runs | Min (s) | Median (s) | Max (s) | Peak RSS (MiB) |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| `{row['label']}` | {row['runs']} | {row['min']:.2f} | {row['median']:.2f} "
                     f"| {row['max']:.2f} | {row['rss_mib']:.0f} |")
    return "\n".join(lines)


def machine() -> str:
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliverables", type=int, default=1000, help="deliverables in the generated corpus")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpus")
    parser.add_argument("--demo", action="store_true",
                        help=f"time the demo project in {REPO} (rebuilds its site/) instead of a corpus")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the corpus into DIR (must be empty) and keep it, instead of a temp dir")
    args = parser.parse_args()

    disseminate = str(BIN / "disseminate")
    if args.demo:
        root = REPO
        commands = [("disseminate check", [disseminate, "check"]),
                    ("disseminate build --always", [disseminate, "build", "--always"])]
        rows = bench(commands, root, args.runs)
        pages = count_html(root / "site")
        print(f"Demo project: {root}")
    else:
        temp = None if args.keep else tempfile.TemporaryDirectory(prefix="disseminate-bench-")
        root = (args.keep or Path(temp.name) / "corpus").resolve()
        write_corpus(root, args.deliverables, args.seed)
        plain = write_plain_material(root)
        commands = [("disseminate -C <dir> check", [disseminate, "-C", str(root), "check"]),
                    # PDFs have their own benchmark (pdf_vs_mkdocs_to_pdf.py); timed here, the first run
                    # would render them all and the others would reuse the cache.
                    # --always: each run builds everything, as if something had changed.
                    ("disseminate -C <dir> build --no-pdf --always",
                     [disseminate, "-C", str(root), "build", "--no-pdf", "--always"]),
                    ("disseminate -C <dir> build --no-pdf, nothing changed",
                     [disseminate, "-C", str(root), "build", "--no-pdf"]),
                    ("mkdocs build (plain Material, the same deliverables)",
                     [str(BIN / "mkdocs"), "build", "-q", "-f", str(plain / "mkdocs.yml")])]
        try:
            rows = bench(commands, root.parent, args.runs)
        finally:
            pages = count_html(root / "site")
            if temp:
                temp.cleanup()
        print(f"Corpus: {args.deliverables} deliverables, seed {args.seed}, in {root}")
    print(f"Machine: {machine()}")
    print(f"check reports: {rows[0]['last_stdout']}")
    print(f"Built site: {pages} HTML files")
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
