"""Time `disseminate serve`'s edit-to-preview: from saving one deliverable to the browser showing it.

    .venv/bin/python bench/preview.py --deliverables 1000 --edits 10

Serves a generated corpus (`--no-pdf`; `--pdf` to make PDFs too), opens one deliverable's page in
Debian's Chromium (Playwright), and for each edit writes a new sentence into the deliverable's
file, then waits until the page the server reloaded shows it. The time runs from just before the
write to the DOMContentLoaded event of the reloaded page that shows the new text. Each edit waits until the preview is done with the last one
(its search index too): what is timed is a save to an idle preview. Edits alternate between the deliverable's body and its title
(the title shows in the listings too). Prints a Markdown table and the preview's own log lines of
what it made again.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_time import BIN, machine
from corpus import write_corpus

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_server(server: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while "Serving on" not in log.read_text("utf-8", "replace"):
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the preview did not start:\n{log.read_text('utf-8', 'replace')}")
        time.sleep(0.2)


def wait_until_idle(log: Path, edits: int) -> None:
    """Wait until the preview has done all it does after `edits` edits (the search index included):
    the time measured is that of a save to an idle preview."""
    while log.read_text("utf-8", "replace").count("Reloading browsers") < edits:
        time.sleep(0.1)


def shown_at(page, marker: str) -> float:
    """When the reloaded page that shows `marker` was parsed with its stylesheets, on the machine's
    clock: its DOMContentLoaded, as the browser recorded it (polling the page for the text from
    here would add Playwright's back-off, up to half a second)."""
    page.get_by_text(marker).first.wait_for(timeout=120_000)
    page.wait_for_load_state("domcontentloaded")
    return page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0]"
                         ".domContentLoadedEventEnd") / 1000


def edit(path: Path, marker: str, where: str) -> None:
    """Put `marker` into the body's first paragraph, or the title, of the page at `path`."""
    text = path.read_text("utf-8")
    if where == "title":
        text = re.sub(r"^title: .*$", f"title: 'Deliverable {marker}'", text, count=1, flags=re.M)
    else:
        front, body = text.split("\n---\n", 1)
        text = f"{front}\n---\n\n{marker} is the sentence this edit adds.\n\n{body.lstrip()}"
    path.write_text(text, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliverables", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--pdf", action="store_true", help="make the PDFs too (the first build makes them all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="disseminate-preview-bench-") as temp:
        root = Path(temp) / "corpus"
        write_corpus(root, args.deliverables)
        target = sorted((root / "deliverables").glob("*.md"))[len(list((root / "deliverables").glob("*.md"))) // 2]
        port, log = free_port(), Path(temp) / "serve.log"
        command = [str(BIN / "disseminate"), "-C", str(root), "serve", "-a", f"127.0.0.1:{port}",
                   *([] if args.pdf else ["--no-pdf"])]
        started = time.perf_counter()
        with log.open("w") as output:
            server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for_server(server, log)
            first_build = time.perf_counter() - started
            url = f"http://127.0.0.1:{port}/deliverables/{target.stem}/"
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page()
                page.goto(url)
                for number in range(args.edits):
                    page.wait_for_load_state("load")
                    wait_until_idle(log, number)
                    time.sleep(0.5)  # the page's reload script is waiting on the server, as a visitor's would
                    marker = f"Edit{number:03d}x{time.monotonic_ns() % 100000}"
                    begun = time.time()  # the browser's clock is the machine's wall clock too
                    edit(target, marker, "title" if number % 2 else "body")
                    times.append(shown_at(page, marker) - begun)
                browser.close()
        finally:
            server.terminate()
            server.wait()
        made = [line.split("INFO    -  ", 1)[-1] for line in log.read_text("utf-8").splitlines()
                if "Made again" in line or "whole site" in line]
    print(f"Corpus: {args.deliverables} deliverables; PDFs {'on' if args.pdf else 'off'}; machine: {machine()}")
    print(f"First build and start: {first_build:.1f} s")
    print()
    print("| Edits | Min (s) | Median (s) | Max (s) |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(times)} | {min(times):.2f} | {statistics.median(times):.2f} | {max(times):.2f} |")
    print()
    print("Per edit (s): " + ", ".join(f"{seconds:.2f}" for seconds in times))
    print("The preview's log: " + "; ".join(dict.fromkeys(made)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
