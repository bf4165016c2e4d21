"""The explorer of related projects at programme scale: a generated CORDIS-shaped export of N
projects (about 7 participations each, as Horizon 2020's has), imported, then the site built with
the explorer and rebuilt after one project changed; against the same projects served as the site's
normal pages (one Markdown page each, through MkDocs, Material and Pagefind).

    .venv/bin/python bench/explorer.py --projects 1000 10000 35000
    .venv/bin/python bench/explorer.py --projects 1000 10000 --baseline
    .venv/bin/python bench/explorer.py --write-export /tmp/export --projects 1000   # only the export

Every project, organisation and figure of the export is generated (acronyms GEN<n>): none is real.
Prints a Markdown table; timing and peak memory as bench/build_time.py measures them. The first
query is a search for one word, opened in Debian's Chromium with an empty cache: the bytes of the
explorer's script and the index files it read (or, for the normal pages, Pagefind's script and
files), then in brackets those of the page itself and of everything the browser fetched.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
from pathlib import Path

from build_time import BIN, machine, measure
from corpus import _paragraph, write_corpus

PROJECT_COLUMNS = ["id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
                   "topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall", "fundingScheme", "nature",
                   "objective", "contentUpdateDate", "rcn", "grantDoi", "keywords", "Human-validated", "legalBasis"]
ORGANISATION_COLUMNS = ["projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
                        "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
                        "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role", "ecContribution",
                        "netEcContribution", "totalCost", "endOfParticipation", "active"]
TOPICS = ["SU-DRS01-2018-2019-2020", "SU-DRS02-2018-2019-2020", "SU-FCT01-2018-2019-2020", "SU-FCT02-2018-2019-2020",
          "SU-BES01-2018-2019-2020", "SU-BES02-2018-2019-2020", "SU-DS01-2018", "SU-DS04-2018-2020", "SU-GM01-2018-2019-2020",
          "SU-INFRA01-2018-2019-2020"]
SCHEMES = ["RIA", "IA", "CSA"]
COUNTRIES = ["DE", "FR", "IT", "ES", "BE", "NL", "PT", "EL", "PL", "SE", "AT", "IE", "FI", "DK", "CZ", "RO", "HU",
             "UK", "NO", "CH", "IL", "SI", "SK", "HR", "BG", "LT", "LV", "EE", "CY", "LU", "MT", "TR", "RS", "UA"]
KINDS = ["HES", "REC", "PRC", "PUB", "OTH"]
ORGANISATIONS = 20_000  # distinct organisations the participations are drawn from


def write_export(folder: Path, projects: int, seed: int = 1) -> int:
    """project.csv and organization.csv in CORDIS's layout; returns the number of participations."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    participations = 0
    with (folder / "project.csv").open("w", encoding="utf-8", newline="") as project_file, \
            (folder / "organization.csv").open("w", encoding="utf-8", newline="") as organisation_file:
        project_rows = csv.writer(project_file, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        organisation_rows = csv.writer(organisation_file, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        project_rows.writerow(PROJECT_COLUMNS)
        organisation_rows.writerow(ORGANISATION_COLUMNS)
        for n in range(projects):
            identifier, acronym = str(800_000 + n), f"GEN{n}"
            year, month = rng.randint(2014, 2021), rng.randint(1, 12)
            topic = rng.choice(TOPICS)
            contribution = round(rng.uniform(0.3, 8.0) * 1e6, 2)
            project_rows.writerow([
                identifier, acronym, rng.choice(["CLOSED", "SIGNED", "TERMINATED"]),
                f"Generated project {n} on {topic.split('-')[1].lower()}", f"{year}-{month:02d}-01",
                f"{year + rng.randint(2, 4)}-{month:02d}-01", f"{contribution * 1.2:.2f}".replace(".", ","),
                f"{contribution:.2f}".replace(".", ","), topic, f"{year}-01-15", "H2020",
                f"H2020-SU-{topic.split('-')[1]}-{year}", "", rng.choice(SCHEMES), "",
                _paragraph(rng, rng.randint(6, 10)), "2024-01-01 10:00:00", str(n), f"10.3030/{identifier}", "", "NA",
                "H2020-EU.3.7."])
            members = rng.randint(3, 12)
            for order in range(1, members + 1):
                organisation = rng.randrange(ORGANISATIONS)
                share = contribution / members
                organisation_rows.writerow([
                    identifier, acronym, str(900_000_000 + organisation), "", f"GENERATED ORGANISATION {organisation}",
                    f"ORG{organisation}", "false", KINDS[organisation % len(KINDS)], "", "", f"City {organisation % 500}",
                    COUNTRIES[organisation % len(COUNTRIES)], "", "", "", "", "2024-01-01 10:00:00", "1", str(order),
                    "coordinator" if order == 1 else "participant", f"{share:.2f}", f"{share:.2f}",
                    f"{share * 1.2:.2f}".replace(".", ","), "false", ""])
            participations += members
    return participations


def write_baseline(target: Path, export: Path) -> None:
    """The same projects as the site's normal pages: one Markdown page each, with its facts and its
    consortium as tables, under content/related/."""
    folder = target / "content" / "related"
    folder.mkdir(parents=True)
    members: dict[str, list[list[str]]] = {}
    with (export / "organization.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter=";"):
            members.setdefault(row["projectID"], []).append([row["name"], row["country"], row["role"],
                                                            row["activityType"], row["ecContribution"]])
    with (export / "project.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter=";"):
            consortium = "\n".join(f"| {' | '.join(member)} |" for member in members.get(row["id"], []))
            (folder / f"{row['id']}.md").write_text(
                f"---\ntitle: \"{row['acronym']}: {row['title']}\"\n---\n\n"
                f"| Programme | Topic | Scheme | Start | End | EU contribution |\n|---|---|---|---|---|---|\n"
                f"| {row['frameworkProgramme']} | {row['topics']} | {row['fundingScheme']} | {row['startDate']} | "
                f"{row['endDate']} | {row['ecMaxContribution']} |\n\n## Objective\n\n{row['objective']}\n\n"
                f"## Consortium\n\n| Organisation | Country | Role | Type | EU contribution |\n|---|---|---|---|---|\n"
                f"{consortium}\n", "utf-8")


def folder_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


QUERY = "resilience"  # a word of the generated objectives, in about half of them


def first_query(site: Path, address: str, ready: str, counted: str) -> dict:
    """Open `address` of the site, served on 127.0.0.1, in Debian's Chromium with an empty cache and
    wait for `ready` (a selector): the bytes of the responses whose address holds one of the
    `counted` parts (space-separated), of the page itself, and of all."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sizes: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_context().new_page()
            page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes()["responseBodySize"])))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{address}")
            page.wait_for_selector(ready, timeout=120_000)
            page.wait_for_load_state("networkidle")
            status = page.inner_text(".ds-explorer-status, #ds-search-status")
            browser.close()
    finally:
        httpd.shutdown()
    parts = counted.split()
    page_url = address.split("?")[0]
    return {"counted": sum(size for url, size in sizes if any(part in url for part in parts)),
            "page": sum(size for url, size in sizes if url.split("?")[0].endswith(page_url)),
            "all": sum(size for _, size in sizes), "status": status}


def bench_explorer(projects: int, work: Path) -> dict:
    export = work / "export"
    participations = write_export(export, projects)
    site = write_corpus(work / "site", 0)
    imported = measure([str(BIN / "disseminate"), "import", "cordis", str(export)], site)
    built = measure([str(BIN / "disseminate"), "build", "--no-pdf"], site)
    files, size = folder_size(site / "site" / "projects")
    home = (site / "site" / "projects" / "index.html").stat().st_size
    query = first_query(site / "site", f"projects/?q={QUERY}", ".ds-explorer-results li", "explorer.js /projects/data/")
    data = site / "data" / "cordis-projects.json"
    data.write_text(data.read_text("utf-8").replace('"title":"Generated project 7 on', '"title":"Changed project 7 on',
                                                    1), "utf-8")
    rebuilt = measure([str(BIN / "disseminate"), "build", "--no-pdf"], site)
    assert "Changed project 7" in (site / "site" / "projects" / "800007.html").read_text("utf-8")
    return {"projects": projects, "participations": participations, "import": imported, "build": built,
            "rebuild": rebuilt, "files": files, "bytes": size, "home": home, "query": query}


def bench_baseline(projects: int, work: Path) -> dict:
    export = work / "export"
    write_export(export, projects)
    site = write_corpus(work / "baseline", 0)
    write_baseline(site, export)
    built = measure([str(BIN / "disseminate"), "build", "--no-pdf"], site)
    files, size = folder_size(site / "site" / "related")
    query = first_query(site / "site", f"search/?q={QUERY}", ".ds-search__result", "/pagefind/ search.js")
    return {"projects": projects, "build": built, "files": files, "bytes": size, "query": query}


def kilobytes(query: dict) -> str:
    return f"{query['counted'] / 1000:.0f} ({query['page'] / 1000:.0f}, {query['all'] / 1000:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, nargs="+", default=[1000, 10000, 35000])
    parser.add_argument("--baseline", action="store_true", help="also build the same projects as normal pages")
    parser.add_argument("--write-export", type=Path, help="only write the export of the first size here")
    args = parser.parse_args()
    if args.write_export:
        print(f"{args.write_export}: {write_export(args.write_export, args.projects[0])} participations")
        return 0
    print(f"Machine: {machine()}\n")
    print("| Projects | Participations | Import (s) | Build (s) | Build peak RSS (MiB) | Rebuild, one changed (s) "
          "| Explorer files | Explorer MB | Home page KB | First query KB: script and index (page, all) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    baselines = []
    for projects in args.projects:
        with tempfile.TemporaryDirectory(prefix="explorer-bench-") as work:
            row = bench_explorer(projects, Path(work))
            print(f"| {projects:,} | {row['participations']:,} | {row['import']['seconds']:.1f} | "
                  f"{row['build']['seconds']:.1f} | {row['build']['maxrss_kib'] / 1024:.0f} | "
                  f"{row['rebuild']['seconds']:.1f} | {row['files']:,} | {row['bytes'] / 1e6:.0f} | "
                  f"{row['home'] / 1000:.0f} | {kilobytes(row['query'])} |", flush=True)
            if args.baseline:
                shutil.rmtree(Path(work) / "site")
                baselines.append((row, bench_baseline(projects, Path(work))))
    if baselines:
        print("\nThe same projects as the site's normal pages (content/related/<id>.md):\n")
        print("| Projects | Build (s) | Peak RSS (MiB) | Pages' files | Pages' MB | Build time, normal pages / explorer "
              "| First query KB: Pagefind (page, all) |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for explorer, baseline in baselines:
            print(f"| {baseline['projects']:,} | {baseline['build']['seconds']:.1f} | "
                  f"{baseline['build']['maxrss_kib'] / 1024:.0f} | {baseline['files']:,} | "
                  f"{baseline['bytes'] / 1e6:.0f} | {baseline['build']['seconds'] / explorer['build']['seconds']:.1f} | "
                  f"{kilobytes(baseline['query'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
