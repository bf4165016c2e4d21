"""Compare our PDF stage with the mkdocs-to-pdf plugin on the same deliverables.

    .venv/bin/python bench/pdf_vs_mkdocs_to_pdf.py --setup-venv          # once: make the other venv
    .venv/bin/python bench/pdf_vs_mkdocs_to_pdf.py --runs 3

Ours: `build_pdfs(project)` renders one PDF per deliverable in a process pool and caches them by
input hash. Each run is a fresh Python process that loads the project, deletes `.cache/pdf` and
times `build_pdfs` alone; it reports its own peak RSS (RUSAGE_SELF) and that of its largest
worker (RUSAGE_CHILDREN). The no-change rebuild is the same in a fresh process without deleting
the cache. For context it also times `disseminate -C <dir> build` cold (no site/, no .cache/pdf),
warm (nothing changed) and with `--no-pdf`.

Theirs: `mkdocs build` with the `to-pdf` plugin (mkdocs-to-pdf), one combined PDF of copies of
the same deliverable Markdown, run from a separate venv (default /tmp/bench-mkdocs-to-pdf-venv) so
this project's pinned venv is untouched. The same build without the plugin is timed too, so the
PDF part is `with - without`. Each build runs in a fresh wrapper process that times it and reads
its peak RSS from RUSAGE_CHILDREN.

This is a benchmark, not a test: it asserts nothing, it prints a Markdown table and the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import yaml
from build_time import measure
from corpus import REPO, write_corpus
from pypdf import PdfReader

BIN = Path(sys.executable).parent  # the venv's bin/, not resolved: that would leave the venv
THEIRS_VENV = Path("/tmp/bench-mkdocs-to-pdf-venv")
THEIRS_PACKAGES = ("mkdocs-to-pdf==0.12.1", "mkdocs==1.6.1", "mkdocs-material==9.8.1")
DEFAULT_WORDS = 1000  # minimum words per deliverable body: 5 printed pages each with our print theme

# One timed build_pdfs in a fresh process. argv: project root, "cold" or "warm", jobs (0 = default).
_OURS = r"""
import json, resource, shutil, sys, time
from pathlib import Path
from builder import load_project
from builder.pdf.stage import build_pdfs
root, mode, jobs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]) or None
started = time.perf_counter()
project = load_project(root)
loaded = time.perf_counter()
if mode == "cold":
    shutil.rmtree(root / ".cache" / "pdf", ignore_errors=True)
began = time.perf_counter()
report = build_pdfs(project, jobs)
seconds = time.perf_counter() - began
print(json.dumps({
    "seconds": seconds, "load_seconds": loaded - started,
    "pdfs": len(report.pdfs), "rendered": len(report.rendered), "reused": report.reused,
    "pages": [info.pages for info in report.pdfs.values()],
    "self_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def ours_run(root: Path, mode: str, jobs: int | None) -> dict:
    done = subprocess.run([sys.executable, "-c", _OURS, str(root), mode, str(jobs or 0)],
                          cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"FAILED: build_pdfs ({mode})", done.stdout, done.stderr, sep="\n", file=sys.stderr)
        sys.exit(1)
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_theirs(root: Path, target: Path) -> tuple[Path, Path]:
    """mkdocs.yml with and without the to-pdf plugin, over copies of the corpus's deliverables."""
    docs = target / "docs"
    shutil.copytree(root / "deliverables", docs / "deliverables",
                    ignore=shutil.ignore_patterns("index.md"))
    pages = sorted((path.name for path in (docs / "deliverables").glob("d*-*.md")),
                   key=lambda name: tuple(int(part) for part in name[1:-3].split("-")))
    ours = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    base = {
        "site_name": "Benchmark deliverables",
        "docs_dir": "docs",
        "use_directory_urls": True,
        # font: false, as in our own config: no Google Fonts, so no network use at all.
        "theme": {"name": "material", "language": "en", "font": False},
        "markdown_extensions": ours["markdown_extensions"],  # the same Markdown as our site and print
        "nav": [f"deliverables/{name}" for name in pages],
    }
    with_pdf = dict(base, site_dir="site-with-pdf",
                    plugins=[{"to-pdf": {"output_path": "pdf/deliverables.pdf", "cover": True,
                                         "cover_subtitle": "All deliverables", "toc_level": 2}}])
    without = dict(base, site_dir="site-without-pdf", plugins=[])
    files = target / "mkdocs-with-pdf.yml", target / "mkdocs-without-pdf.yml"
    for path, data in zip(files, (with_pdf, without), strict=True):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return files


def setup_venv(venv: Path) -> None:
    python = shutil.which("python3") or "python3"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *THEIRS_PACKAGES], check=True)


def theirs_versions(venv: Path) -> dict:
    code = ("import importlib.metadata as m, json, platform; print(json.dumps({n: m.version(n) for n in "
            "('mkdocs-to-pdf', 'weasyprint', 'mkdocs', 'mkdocs-material')} | {'python': platform.python_version()}))")
    return json.loads(subprocess.run([str(venv / "bin" / "python"), "-c", code],
                                     capture_output=True, text=True, check=True).stdout)


def timed(label: str, cmd: list[str], cwd: Path, runs: int, before=None) -> dict:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(cmd, cwd))
    return _row(label, results)


def _row(label: str, results: list[dict]) -> dict:
    return {"label": label, "times": [r["seconds"] for r in results],
            "rss_mib": max(r["maxrss_kib"] for r in results) / 1024, "last": results[-1]}


def stats(times: list[float]) -> str:
    return f"{min(times):.2f} | {statistics.median(times):.2f} | {max(times):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliverables", type=int, default=100)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="minimum words per deliverable body")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="timed runs per measurement")
    parser.add_argument("--jobs", type=int, default=None, help="our PDF workers (default: one per core)")
    parser.add_argument("--venv", type=Path, default=THEIRS_VENV, help="venv with mkdocs-to-pdf")
    parser.add_argument("--setup-venv", action="store_true", help=f"create --venv with {' '.join(THEIRS_PACKAGES)}")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR (must be empty) and keep it")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner on every build
    if args.setup_venv:
        setup_venv(args.venv)
    if not (args.venv / "bin" / "mkdocs").is_file():
        print(f"no mkdocs in {args.venv}; run with --setup-venv first", file=sys.stderr)
        return 1

    temp = None if args.keep else tempfile.TemporaryDirectory(prefix="disseminate-pdf-bench-")
    work = (args.keep or Path(temp.name)).resolve()
    try:
        root = write_corpus(work / "corpus", args.deliverables, args.seed, args.words)
        with_yml, without_yml = write_theirs(root, work / "theirs")

        mkdocs = str(args.venv / "bin" / "mkdocs")
        theirs_with_cmd = [mkdocs, "build", "-f", str(with_yml)]
        theirs_without_cmd = [mkdocs, "build", "-f", str(without_yml)]

        # Our PDF stage alone and their build with and without the plugin, interleaved run by run, so
        # that a machine which speeds up or slows down during the benchmark affects both sides alike.
        cold, with_runs, without_runs = [], [], []
        for _ in range(args.runs):
            cold.append(ours_run(root, "cold", args.jobs))
            with_runs.append(measure(theirs_with_cmd, work))
            without_runs.append(measure(theirs_without_cmd, work))
        warm = [ours_run(root, "warm", args.jobs) for _ in range(args.runs)]
        pages = cold[-1]["pages"]
        theirs_with = _row("mkdocs build + to-pdf", with_runs)
        theirs_without = _row("mkdocs build, no plugin", without_runs)

        # Ours in context: the whole site build.
        disseminate = [str(BIN / "disseminate"), "-C", str(root), "build"]

        def clean() -> None:
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache" / "pdf", ignore_errors=True)
        site_cold = timed("disseminate -C <dir> build (cold)", disseminate, work, args.runs, clean)
        site_warm = timed("disseminate -C <dir> build (warm)", disseminate, work, args.runs)
        site_nopdf = timed("disseminate -C <dir> build --no-pdf", disseminate + ["--no-pdf"], work, args.runs)

        their_pdf = work / "theirs" / "site-with-pdf" / "pdf" / "deliverables.pdf"
        their_pages = len(PdfReader(their_pdf).pages)
        their_bytes = their_pdf.stat().st_size
        their_log = theirs_with["last"]["stderr"]
    finally:
        if temp:
            temp.cleanup()

    theirs = theirs_versions(args.venv)
    ours_time = [r["seconds"] for r in cold]
    warm_time = [r["seconds"] for r in warm]
    ours_self = max(r["self_rss_kib"] for r in cold + warm) / 1024
    ours_worker = max(r["worker_rss_kib"] for r in cold) / 1024
    their_pdf_part = [w - wo for w, wo in zip(theirs_with["times"], theirs_without["times"], strict=True)]
    their_pdf_best = min(theirs_with["times"]) - min(theirs_without["times"])
    site_pdf_part = min(site_cold["times"]) - min(site_nopdf["times"])

    print(f"Corpus: {args.deliverables} deliverables, seed {args.seed}, at least {args.words} words per body")
    print(f"Machine: nproc {len(os.sched_getaffinity(0))}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"Ours: weasyprint {version('weasyprint')}, disseminate {version('disseminate')}, "
          f"jobs {args.jobs or os.cpu_count()}")
    print(f"Theirs ({args.venv}): " + ", ".join(f"{k} {v}" for k, v in theirs.items()))
    print(f"Our PDFs: {cold[-1]['pdfs']}, pages per PDF mean {statistics.mean(pages):.2f} "
          f"(min {min(pages)}, max {max(pages)}), total {sum(pages)}; "
          f"load_project {statistics.median(r['load_seconds'] for r in cold):.2f} s (not in the times below)")
    print(f"No-change rebuild: rendered {warm[-1]['rendered']}, reused {warm[-1]['reused']}")
    print(f"Their PDF: 1 file, {their_pages} pages, {their_bytes / 2**20:.1f} MiB")
    notable = [line for line in their_log.splitlines() if any(w in line for w in ("WARNING", "ERROR", " took "))]
    print("Their build log (last run), warnings and timing:\n" + "\n".join(notable))
    print()
    print("| What | Runs | Min (s) | Median (s) | Max (s) | Peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| Ours: `build_pdfs(project)`, cold | {args.runs} | {stats(ours_time)} "
          f"| parent {max(r['self_rss_kib'] for r in cold) / 1024:.0f}, largest worker {ours_worker:.0f} |")
    print(f"| Ours: `build_pdfs(project)`, no change | {args.runs} | {stats(warm_time)} "
          f"| {max(r['self_rss_kib'] for r in warm) / 1024:.0f} (no workers) |")
    for row in (site_cold, site_warm, site_nopdf):
        print(f"| Ours: `{row['label']}` | {args.runs} | {stats(row['times'])} | {row['rss_mib']:.0f} |")
    for row in (theirs_with, theirs_without):
        print(f"| Theirs: `{row['label']}` | {args.runs} | {stats(row['times'])} | {row['rss_mib']:.0f} |")
    print(f"| Theirs: PDF part (with - without, per run) | {args.runs} | {stats(their_pdf_part)} | |")
    paired = [ours / theirs for ours, theirs in zip(ours_time, their_pdf_part, strict=True)]
    print(f"| Ratio ours / theirs, run by run | {args.runs} | {stats(paired)} | |")
    print()
    ours_best, warm_best = min(ours_time), min(warm_time)
    print("Targets (best runs):")
    print(f"- our PDF stage {ours_best:.2f} s vs their PDF part {their_pdf_best:.2f} s: "
          f"ratio {ours_best / their_pdf_best:.2f} (target <= 0.5): "
          f"{'holds' if ours_best <= their_pdf_best / 2 else 'MISSED'}")
    print(f"  (whole-build view: our cold build - --no-pdf = {site_pdf_part:.2f} s, "
          f"ratio {site_pdf_part / their_pdf_best:.2f})")
    ours_peak = max(ours_self, ours_worker, site_cold["rss_mib"], site_warm["rss_mib"])
    print(f"- our largest process {ours_peak:.0f} MiB vs their peak {theirs_with['rss_mib']:.0f} MiB: "
          f"ratio {ours_peak / theirs_with['rss_mib']:.2f} (target <= 0.5): "
          f"{'holds' if ours_peak <= theirs_with['rss_mib'] / 2 else 'MISSED'}")
    print(f"- no-change rebuild {warm_best:.2f} s vs full PDF build {ours_best:.2f} s: "
          f"ratio {warm_best / ours_best:.3f} (target <= 0.1): "
          f"{'holds' if warm_best <= ours_best / 10 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
