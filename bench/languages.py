"""Time the build of one corpus in one, two and three languages, every deliverable translated.

    .venv/bin/python bench/languages.py --deliverables 1000 --runs 3

The corpus is `corpus.py`'s (N deliverables of ~640 words) with each deliverable translated into
every language but the first, so that the pages grow with the languages as fast as they can; the
generated pages (listings, groups, topics, the action plan) exist in every language anyway. Each
build is `build --no-pdf --always` in a fresh wrapper process (see build_time.py). Prints a
Markdown table with the time per language, which stays flat if the build grows linearly.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from build_time import BIN, count_html, machine, measure
from corpus import LANGUAGES, write_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliverables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--languages", type=int, default=3, choices=range(1, len(LANGUAGES) + 1),
                        help="time 1, 2, ... up to this many languages")
    args = parser.parse_args()
    disseminate = str(BIN / "disseminate")
    rows = []
    for languages in range(1, args.languages + 1):
        with tempfile.TemporaryDirectory(prefix="disseminate-languages-") as temp:
            root = write_corpus(Path(temp) / "corpus", args.deliverables, languages=languages)
            command = [disseminate, "-C", str(root), "build", "--no-pdf", "--always"]
            results = [measure(command, root.parent) for _ in range(args.runs)]
            times = [result["seconds"] for result in results]
            rows.append((languages, count_html(root / "site"), min(times), statistics.median(times), max(times),
                         max(result["maxrss_kib"] for result in results) / 1024))
    print(f"Corpus: {args.deliverables} deliverables, every one translated; machine: {machine()}")
    print()
    print("| Languages | HTML files | Min (s) | Median (s) | Max (s) | Median per language (s) | Peak RSS (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for languages, pages, low, median, high, rss in rows:
        print(f"| {languages} ({', '.join(LANGUAGES[:languages])}) | {pages} | {low:.2f} | {median:.2f} | {high:.2f} "
              f"| {median / languages:.2f} | {rss:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
