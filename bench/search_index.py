"""Search at scale: the Pagefind index of a large corpus, the bytes a browser downloads for a query,
and mkdocs-material's built-in lunr search on the same Markdown for comparison.

    .venv/bin/python bench/search_index.py --deliverables 10000
    .venv/bin/python bench/search_index.py --deliverables 10000 --keep /tmp/search-bench

Not a test: nothing is asserted. Steps:

1. Write a corpus with `corpus.write_corpus` and build it with `disseminate -C <dir> build --no-pdf`
   (wall time and peak RSS through the wrapper of build_time.py). The build indexes the site itself.
2. Delete `site/pagefind` and time `builder.outputs.search.index_site(site)` alone, in a fresh process.
   Report the index's size on disk, its file count and the pages indexed.
3. Serve the built site on 127.0.0.1 and open `/search/?q=WORD` in Debian's Chromium through
   Playwright. Wait until `#ds-search-status` is non-empty and results are listed, then add up the
   bytes of every response: all of them, and those under `/pagefind/`. Then run a second query in
   the same tab (typed into the form) and add up the responses it caused.
4. Copy the corpus's Markdown into a plain MkDocs project (theme material, `font: false`, the same
   Markdown extensions, a nav holding only the home page) and build it twice with the venv's
   mkdocs: with `plugins: [search]` (lunr) and with `plugins: []`. Report the size of
   `site/search/search_index.json`, which every visitor downloads before the first query.

Prints a Markdown table; `--json FILE` also writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

from build_time import BIN, count_html, measure
from corpus import REPO, write_corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")  # what a web server would typically gzip

_INDEX_ALONE = r"""
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from builder.outputs.search import index_site
imported = time.perf_counter()
pages = index_site(Path(sys.argv[1]))
done = time.perf_counter()
print(json.dumps({"import_seconds": imported - started, "index_seconds": done - imported, "pages": pages,
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


# ---------------------------------------------------------------------------------------------- sizes

def tree_size(folder: Path) -> dict:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files),
            "disk_kib": int(subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True,
                                           check=True).stdout.split()[0])}


def pagefind_breakdown(folder: Path) -> dict:
    """Bytes and files of the index by kind (index chunks, fragments, filters, ...)."""
    kinds: dict[str, dict] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            kind = _kind(path.name)
            entry = kinds.setdefault(kind, {"files": 0, "bytes": 0})
            entry["files"] += 1
            entry["bytes"] += path.stat().st_size
    return dict(sorted(kinds.items()))


def _kind(name: str) -> str:
    name = name.split("?", 1)[0]
    for suffix in (".pf_index", ".pf_fragment", ".pf_filter", ".pf_meta", ".pagefind"):
        if name.endswith(suffix):
            return suffix.lstrip(".")
    return name if name.count(".") <= 1 else name.split(".", 1)[1]


def doc_frequency(corpus: Path, words: list[str]) -> dict[str, int]:
    """In how many deliverable files (front matter and body) each word occurs, case-insensitively."""
    counts = Counter()
    patterns = {word: re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE) for word in words}
    for path in (corpus / "deliverables").glob("*.md"):
        text = path.read_text("utf-8")
        counts.update(word for word, pattern in patterns.items() if pattern.search(text))
    return {word: counts[word] for word in words}


# -------------------------------------------------------------------------------------------- browser

class _Counting(SimpleHTTPRequestHandler):
    """Serves the site quietly and notes (path, body bytes sent) for every file it serves, as a check
    on what the browser reports."""

    sent: list[tuple[str, int]]

    def send_head(self):
        source = super().send_head()
        if source is not None:
            try:
                size = os.fstat(source.fileno()).st_size
            except (AttributeError, OSError):  # a directory listing, held in memory
                size = len(source.getvalue())
            self.sent.append((self.path, size))
        return source

    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str, list[tuple[str, int]]]:
    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_Counting,), {"sent": sent})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}", sent


def _served(sent: list[tuple[str, int]]) -> dict:
    pagefind = [size for path, size in sent if "/pagefind/" in path]
    return {"responses": len(sent), "bytes": sum(size for _, size in sent),
            "pagefind_responses": len(pagefind), "pagefind_bytes": sum(pagefind)}


def _record(response) -> dict:
    """Sizes of one finished response. `body` is the bytes transferred: the Content-Length the server
    sent (http.server sends no Content-Encoding, so this is the file's size), or Chromium's encoded
    body size where there is none. Chromium reports 0 for the body of requests made by a worker, so
    its own figure is kept apart as `chromium_body`. Also the decoded body's length, and what the body
    would be gzipped (for text types a web server would typically compress)."""
    sizes = response.request.sizes()
    try:
        body = response.body()
    except Exception:  # redirects and failed loads have no body
        body = b""
    content_type = response.headers.get("content-type", "")
    compressible = any(kind in content_type for kind in TEXT_TYPES)
    return {"url": response.url, "status": response.status, "type": content_type,
            "body": int(response.headers.get("content-length", sizes["responseBodySize"])),
            "chromium_body": sizes["responseBodySize"], "headers": sizes["responseHeadersSize"],
            "decoded": len(body),
            "gzipped": len(gzip.compress(body, 6)) if compressible and body else len(body)}


def _sum(records: list[dict], only_pagefind: bool = False) -> dict:
    chosen = [r for r in records if "/pagefind/" in r["url"]] if only_pagefind else records
    return {"responses": len(chosen),
            "body_bytes": sum(r["body"] for r in chosen),
            "chromium_body_bytes": sum(r["chromium_body"] for r in chosen),
            "header_bytes": sum(r["headers"] for r in chosen),
            "decoded_bytes": sum(r["decoded"] for r in chosen),
            "gzip_if_served_bytes": sum(r["gzipped"] for r in chosen),
            "by_kind": _by_kind(chosen) if only_pagefind else None}


def _by_kind(records: list[dict]) -> dict:
    kinds: dict[str, dict] = {}
    for record in records:
        entry = kinds.setdefault(_kind(record["url"].rsplit("/", 1)[-1]), {"responses": 0, "body_bytes": 0})
        entry["responses"] += 1
        entry["body_bytes"] += record["body"]
    return dict(sorted(kinds.items()))


def _first_query(browser, base: str, query: str, sent: list, timeout_s: float):
    """Open `/search/?q=QUERY` in a fresh context (empty cache) and wait for its results. Returns the
    page, the list of finished requests (still growing) and the query's figures."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: print(f"request failed: {request.url} {request.failure}",
                                                   file=sys.stderr))
    sent_before = len(sent)
    started = time.perf_counter()
    page.goto(f"{base}/search/?{urlencode({'q': query})}", wait_until="load", timeout=timeout_s * 1000)
    page.wait_for_selector("#ds-search-status:not(:empty)", timeout=timeout_s * 1000)
    page.wait_for_selector(".ds-search__result", timeout=timeout_s * 1000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
    page.wait_for_timeout(1000)  # let any straggling fetch finish before counting
    return page, finished, _query_figures(page, query, seconds, finished, sent[sent_before:])


def _query_figures(page, query: str, seconds: float, requests: list, served: list) -> dict:
    """What one query showed and what its requests downloaded."""
    records = [_record(request.response()) for request in requests if request.response()]
    return {"query": query, "status": page.inner_text("#ds-search-status"),
            "results_listed": len(page.query_selector_all(".ds-search__result")),
            "seconds_to_results": seconds, "all": _sum(records),
            "pagefind": _sum(records, only_pagefind=True), "served": _served(served), "responses": records}


def browser_bytes(site: Path, first: str, second: str, others: list[str], timeout_s: float) -> dict:
    """The first query and a second one typed in the same tab; then each of `others` as a first query
    in a fresh context."""
    from playwright.sync_api import sync_playwright

    httpd, base, sent = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page, finished, first_figures = _first_query(browser, base, first, sent, timeout_s)
                count_before, sent_before = len(finished), len(sent)
                started = time.perf_counter()
                page.fill("#ds-search-q", second)
                page.press("#ds-search-q", "Enter")
                page.wait_for_function(
                    """word => {
                        const marks = [...document.querySelectorAll('.ds-search__result mark')];
                        return marks.length > 0 && marks.every(mark => mark.textContent.toLowerCase().startsWith(word.slice(0, 5)));
                    }""", arg=second.lower(), timeout=timeout_s * 1000)
                page.wait_for_selector("#ds-search-status:not(:empty)", timeout=timeout_s * 1000)
                second_seconds = time.perf_counter() - started
                page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
                page.wait_for_timeout(1000)
                second_figures = _query_figures(page, second, second_seconds, finished[count_before:],
                                                sent[sent_before:])
                page.context.close()
                other_figures = []
                for query in others:
                    page, _, figures = _first_query(browser, base, query, sent, timeout_s)
                    other_figures.append(figures)
                    page.context.close()
            finally:
                browser.close()
    finally:
        httpd.shutdown()
    return {"first": first_figures, "second": second_figures, "others": other_figures}


# ----------------------------------------------------------------------------------------------- lunr

def lunr_project(corpus: Path, target: Path) -> Path:
    """A plain MkDocs project with the corpus's Markdown: the deliverables and the plain pages."""
    docs = target / "docs"
    shutil.copytree(corpus / "deliverables", docs / "deliverables")
    shutil.copytree(corpus / "content", docs / "content")
    (docs / "index.md").write_text("# Benchmark corpus\n\nThe corpus's Markdown, built with mkdocs-material's "
                                   "built-in search for comparison.\n", "utf-8")
    ours = json.loads(json.dumps(_load_yaml(corpus / "mkdocs.yml")))
    base = {"site_name": "Benchmark corpus (lunr)", "docs_dir": "docs", "use_directory_urls": True,
            "theme": {"name": "material", "font": False},
            "markdown_extensions": ours.get("markdown_extensions", []),
            "nav": [{"Home": "index.md"}]}
    for name, plugins in (("mkdocs-lunr.yml", ["search"]), ("mkdocs-nosearch.yml", [])):
        config = dict(base, plugins=plugins, site_dir=f"site-{name.split('-')[1].split('.')[0]}")
        (target / name).write_text(json.dumps(config, indent=2), "utf-8")  # JSON is valid YAML
    return target


def _load_yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))


def lunr_figures(project: Path) -> dict:
    mkdocs = str(BIN / "mkdocs")
    lunr = measure([mkdocs, "build", "-q", "-f", str(project / "mkdocs-lunr.yml")], project)
    plain = measure([mkdocs, "build", "-q", "-f", str(project / "mkdocs-nosearch.yml")], project)
    index = project / "site-lunr" / "search" / "search_index.json"
    raw = index.read_bytes()
    data = json.loads(raw)
    return {"build_seconds": lunr["seconds"], "build_rss_mib": lunr["maxrss_kib"] / 1024,
            "nosearch_build_seconds": plain["seconds"], "nosearch_build_rss_mib": plain["maxrss_kib"] / 1024,
            "html_files": count_html(project / "site-lunr"),
            "index_bytes": len(raw), "index_gzip6_bytes": len(gzip.compress(raw, 6)),
            "index_gzip9_bytes": len(gzip.compress(raw, 9)), "index_docs": len(data.get("docs", [])),
            "pages_in_index": len({doc["location"].split("#")[0] for doc in data.get("docs", [])}),
            "search_folder": tree_size(project / "site-lunr" / "search")}


# ----------------------------------------------------------------------------------------------- main

def versions() -> dict:
    found = {}
    for name in ("pagefind", "pagefind_bin", "mkdocs", "mkdocs-material", "playwright", "disseminate"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    found["chromium"] = chromium.stdout.strip() or chromium.stderr.strip()
    return found


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True,
                                text=True).stdout.strip())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "memory_gib": round(memory / 1024 ** 2, 1),
            "python": platform.python_version(), "kernel": f"{platform.system()} {platform.release()}",
            "commit": commit, "uncommitted_changes": dirty}


def _words(queries: list[str]) -> list[str]:
    return sorted({word for query in queries for word in query.split()})


def _brief(figure: dict) -> dict:
    return {key: value for key, value in figure.items() if key != "responses"}


def kb(value: float) -> str:
    return f"{value / 1000:,.1f} KB"


def table(figures: dict) -> str:
    build, alone, index, browser, lunr = (figures[key] for key in ("build", "index_alone", "index", "browser",
                                                                     "lunr"))
    first, second = browser["first"], browser["second"]
    rows = [
        ("Corpus", f"{figures['corpus']['deliverables']:,} deliverables, `words={figures['corpus']['words']}`, "
                   f"{figures['corpus']['pages']:,} Markdown files, {figures['corpus']['markdown_bytes'] / 1e6:.1f} MB"),
        ("`disseminate -C <dir> build --no-pdf`, wall time (includes indexing)",
         f"{build['seconds']:.1f} s (peak RSS {build['rss_mib']:.0f} MiB)"),
        ("Built site", f"{build['html_files']:,} HTML files, {build['site']['bytes'] / 1e6:,.0f} MB"),
        ("`index_site(site)` alone, fresh process", f"{alone['index_seconds']:.1f} s "
                                                     f"(+ {alone['import_seconds']:.2f} s imports; peak RSS pagefind "
                                                     f"{alone['children_maxrss_kib'] / 1024:.0f} MiB)"),
        ("Pages indexed", f"{alone['pages']:,} (the build's own run: {build['pages_indexed']})"),
        ("Pagefind index on disk", f"{index['files']:,} files, {index['bytes'] / 1e6:.1f} MB "
                                   f"({index['disk_kib'] / 1024:.0f} MiB in blocks)"),
        (f"First query `{first['query']}`: `/pagefind/` bytes",
         f"{kb(first['pagefind']['body_bytes'])} in {first['pagefind']['responses']} responses"),
        (f"First query `{first['query']}`: whole page load",
         f"{kb(first['all']['body_bytes'])} in {first['all']['responses']} responses "
         f"({kb(first['all']['gzip_if_served_bytes'])} if text were gzipped)"),
        *[(f"First query `{other['query']}` (fresh tab): `/pagefind/` bytes",
           f"{kb(other['pagefind']['body_bytes'])} in {other['pagefind']['responses']} responses")
          for other in browser["others"]],
        (f"Second query `{second['query']}`, same tab: `/pagefind/` bytes",
         f"{kb(second['pagefind']['body_bytes'])} in {second['pagefind']['responses']} responses "
         f"(all responses: {kb(second['all']['body_bytes'])})"),
        ("lunr: `mkdocs build` with `plugins: [search]`", f"{lunr['build_seconds']:.1f} s "
                                                          f"(peak RSS {lunr['build_rss_mib']:.0f} MiB)"),
        ("lunr: `mkdocs build` with `plugins: []`", f"{lunr['nosearch_build_seconds']:.1f} s"),
        ("lunr: `search/search_index.json`", f"{kb(lunr['index_bytes'])} "
                                            f"({kb(lunr['index_gzip6_bytes'])} gzipped), "
                                            f"{lunr['pages_in_index']:,} pages, {lunr['index_docs']:,} entries"),
    ]
    lines = ["| What | Figure |", "|---|---|"] + [f"| {what} | {value} |" for what, value in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliverables", type=int, default=10000)
    parser.add_argument("--words", type=int, default=600, help="minimum words per deliverable body")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", nargs=2, default=["privacy", "resilience"], metavar=("FIRST", "SECOND"))
    parser.add_argument("--also", nargs="*", default=["research", "privacy and security"], metavar="QUERY",
                        help="more first queries, each in a fresh browser context")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the browser")
    parser.add_argument("--skip-lunr", action="store_true")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR (must be empty or missing) and keep it, instead of a temp dir")
    args = parser.parse_args()

    temp = None if args.keep else tempfile.TemporaryDirectory(prefix="disseminate-search-bench-")
    work = (args.keep or Path(temp.name)).resolve()
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    figures: dict = {"machine": machine(), "versions": versions()}
    try:
        started = time.perf_counter()
        write_corpus(corpus, args.deliverables, args.seed, args.words)
        markdown = [path for path in corpus.rglob("*.md")]
        figures["corpus"] = {"deliverables": args.deliverables, "words": args.words, "seed": args.seed,
                             "pages": len(markdown), "markdown_bytes": sum(p.stat().st_size for p in markdown),
                             "write_seconds": time.perf_counter() - started,
                             "doc_frequency": doc_frequency(corpus, _words(args.queries + args.also))}
        print(f"corpus: {figures['corpus']}", file=sys.stderr)

        build = measure([str(BIN / "disseminate"), "-C", str(corpus), "build", "--no-pdf"], work)
        site = corpus / "site"
        indexed = re.search(r"Search: (\d+) pages indexed", build["stderr"] + build["stdout"])
        figures["build"] = {"seconds": build["seconds"], "rss_mib": build["maxrss_kib"] / 1024,
                            "html_files": count_html(site), "site": tree_size(site),
                            "pages_indexed": int(indexed.group(1)) if indexed else None}
        figures["index_from_build"] = tree_size(site / "pagefind")
        print(f"build: {figures['build']}", file=sys.stderr)

        shutil.rmtree(site / "pagefind")
        alone = subprocess.run([sys.executable, "-c", _INDEX_ALONE, str(site)], cwd=REPO, capture_output=True,
                               text=True)
        if alone.returncode != 0:
            print(alone.stdout, alone.stderr, sep="\n", file=sys.stderr)
            return 1
        figures["index_alone"] = json.loads(alone.stdout.strip().splitlines()[-1])
        figures["index"] = tree_size(site / "pagefind")
        figures["index_kinds"] = pagefind_breakdown(site / "pagefind")
        print(f"index alone: {figures['index_alone']}, {figures['index']}", file=sys.stderr)

        figures["browser"] = browser_bytes(site, *args.queries, args.also, args.timeout)
        for figure in (figures["browser"]["first"], figures["browser"]["second"], *figures["browser"]["others"]):
            print(f"browser: {figure['query']!r}: {_brief(figure)}", file=sys.stderr)

        if not args.skip_lunr:
            figures["lunr"] = lunr_figures(lunr_project(corpus, work / "lunr"))
            print(f"lunr: {figures['lunr']}", file=sys.stderr)
    finally:
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), "utf-8")
        if temp:
            temp.cleanup()

    print(f"Machine: {figures['machine']}")
    print(f"Versions: {figures['versions']}")
    print(f"Query words occur in {figures['corpus']['doc_frequency']} of {args.deliverables} deliverables")
    print(f"Pagefind files by kind: {figures['index_kinds']}")
    browser = figures["browser"]
    print(f"First query, /pagefind/ by kind: {browser['first']['pagefind']['by_kind']}")
    print(f"Second query, /pagefind/ by kind: {browser['second']['pagefind']['by_kind']}")
    for figure in [browser["first"], *browser["others"]]:
        met = figure["pagefind"]["body_bytes"] < 300_000
        print(f"First query {figure['query']!r}: {kb(figure['pagefind']['body_bytes'])} from /pagefind/, "
              f"under 300 KB: {'yes' if met else 'NO'}; by kind: {figure['pagefind']['by_kind']}")
    print()
    if "lunr" in figures:
        print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
