"""`disseminate deposit` against a loopback Zenodo: a server on 127.0.0.1 that answers the documented
deposit endpoints (and their errors) and checks every request body against the documented metadata
fields and vocabularies, written out here from https://developers.zenodo.org/ on their own, apart
from the package's model of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import socket
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FixtureProject

from builder import zenodo
from builder.frontmatter import with_front_matter_line

TOKEN = "loopback-token"
# The deposit API's metadata fields (developers.zenodo.org, "Deposit metadata"), the required ones,
# and the controlled vocabularies of those that have one.
DOCUMENTED = {"upload_type", "publication_type", "image_type", "publication_date", "title", "creators",
              "description", "access_right", "license", "embargo_date", "access_conditions", "doi", "prereserve_doi",
              "keywords", "notes", "related_identifiers", "contributors", "references", "communities", "grants",
              "journal_title", "journal_volume", "journal_issue", "journal_pages", "conference_title",
              "conference_acronym", "conference_dates", "conference_place", "conference_url", "conference_session",
              "conference_session_part", "imprint_publisher", "imprint_isbn", "imprint_place", "partof_title",
              "partof_pages", "thesis_supervisors", "thesis_university", "subjects", "version", "language",
              "locations", "dates", "method"}
REQUIRED = {"upload_type", "publication_date", "title", "creators", "description", "access_right"}
UPLOAD_TYPES = {"publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
                "physicalobject", "other"}
PUBLICATION_TYPES = {"annotationcollection", "book", "section", "conferencepaper", "datamanagementplan", "article",
                     "patent", "preprint", "deliverable", "milestone", "proposal", "report", "softwaredocumentation",
                     "taxonomictreatment", "technicalnote", "thesis", "workingpaper", "other"}
ACCESS_RIGHTS = {"open", "embargoed", "restricted", "closed"}
RELATIONS = {"isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
             "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "isNewVersionOf", "isPreviousVersionOf",
             "isPartOf", "hasPart", "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy",
             "compiles", "isVariantFormOf", "isOriginalFormof", "isIdenticalTo", "isAlternateIdentifier",
             "isReviewedBy", "reviews", "isDerivedFrom", "isSourceOf", "requires", "isRequiredBy", "isObsoletedBy",
             "obsoletes"}


def metadata_errors(metadata: object) -> list[dict[str, str]]:
    """What Zenodo's documentation says is wrong with a `metadata` object, as its 400 answer lists it."""
    if not isinstance(metadata, dict):
        return [{"field": "metadata", "message": "not an object"}]
    errors = [{"field": f"metadata.{name}", "message": "unknown field"} for name in sorted(set(metadata) - DOCUMENTED)]
    errors += [{"field": f"metadata.{name}", "message": "Missing data for required field."}
               for name in sorted(REQUIRED - set(metadata))]

    def wrong(name: str, message: str) -> None:
        errors.append({"field": f"metadata.{name}", "message": message})
    if metadata.get("upload_type") not in UPLOAD_TYPES:
        wrong("upload_type", "not in the vocabulary")
    if metadata.get("upload_type") == "publication" and metadata.get("publication_type") not in PUBLICATION_TYPES:
        wrong("publication_type", "required for a publication, from the vocabulary")
    if metadata.get("access_right") not in ACCESS_RIGHTS:
        wrong("access_right", "not in the vocabulary")
    if metadata.get("access_right") in ("open", "embargoed") and not metadata.get("license"):
        wrong("license", "required for open access")
    try:
        dt.date.fromisoformat(str(metadata.get("publication_date")))
    except ValueError:
        wrong("publication_date", "not an ISO 8601 date")
    creators = metadata.get("creators")
    if not (isinstance(creators, list) and creators and all(
            isinstance(c, dict) and isinstance(c.get("name"), str) and c["name"]
            and set(c) <= {"name", "affiliation", "orcid", "gnd"} for c in creators)):
        wrong("creators", "a list of {name, affiliation, orcid, gnd}, each with a name")
    for grant in metadata.get("grants", []):
        if not (isinstance(grant, dict) and set(grant) == {"id"} and re.fullmatch(r"10\.13039/\d+::\d+", grant["id"])):
            wrong("grants", "each {id: <funder DOI>::<grant number>}")
    for community in metadata.get("communities", []):
        if not (isinstance(community, dict) and set(community) == {"identifier"}):
            wrong("communities", "each {identifier}")
    for related in metadata.get("related_identifiers", []):
        if not (isinstance(related, dict) and related.get("relation") in RELATIONS and related.get("identifier")
                and set(related) <= {"identifier", "relation", "resource_type", "scheme"}):
            wrong("related_identifiers", "each {identifier, relation from the vocabulary}")
    if "language" in metadata and not re.fullmatch(r"[a-z]{3}", str(metadata["language"])):
        wrong("language", "an ISO 639-2 or 639-3 code")
    if not all(isinstance(word, str) for word in metadata.get("keywords", [])):
        wrong("keywords", "a list of text")
    if not isinstance(metadata.get("prereserve_doi", False), bool):
        wrong("prereserve_doi", "true or false")
    return errors


class LoopbackZenodo(ThreadingHTTPServer):
    """The deposit endpoints on 127.0.0.1; `fail` makes every request answer with that status."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.depositions: dict[int, dict] = {}
        self.files: dict[str, bytes] = {}
        self.fail: int | None = None
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (the timeout test) leaves a broken pipe: nothing to report."""


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackZenodo

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read(self) -> bytes:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        return body

    def _refused(self) -> bool:
        time.sleep(self.server.delay)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(401, {"status": 401, "message": "The server could not verify that you are authorized."})
            return True
        if self.server.fail:
            self._answer(self.server.fail, {"status": self.server.fail, "message": "Internal Server Error"})
            return True
        return False

    def do_POST(self) -> None:
        body = self._read()
        if self._refused():
            return
        if self.path == "/api/deposit/depositions":
            try:
                request = json.loads(body)
            except ValueError:
                return self._answer(400, {"status": 400, "message": "Invalid JSON"})
            if errors := metadata_errors(request.get("metadata") if isinstance(request, dict) else None):
                return self._answer(400, {"status": 400, "message": "Validation error.", "errors": errors})
            number = 1000 + len(self.server.depositions)
            bucket = f"{self.server.url}/api/files/{hashlib.md5(str(number).encode()).hexdigest()}"
            reserved = {"doi": f"10.5072/zenodo.{number}", "recid": number}
            self.server.depositions[number] = {"metadata": request["metadata"], "published": False}
            return self._answer(201, {"id": number, "metadata": {**request["metadata"], "prereserve_doi": reserved},
                                      "links": {"bucket": bucket, "html": f"{self.server.url}/deposit/{number}",
                                                "publish": f"{self.server.url}/api/deposit/depositions/{number}"
                                                           "/actions/publish"}, "state": "unsubmitted"})
        if found := re.fullmatch(r"/api/deposit/depositions/(\d+)/actions/publish", self.path):
            if int(found.group(1)) not in self.server.depositions:
                return self._answer(404, {"status": 404, "message": "PID does not exist."})
            self.server.depositions[int(found.group(1))]["published"] = True
            return self._answer(202, {"id": int(found.group(1)), "state": "done", "submitted": True})
        self._answer(404, {"status": 404, "message": "The requested URL was not found on the server."})

    def do_PUT(self) -> None:
        body = self._read()
        if self._refused():
            return
        if not re.fullmatch(r"/api/files/[0-9a-f]{32}/[^/]+", self.path):
            return self._answer(404, {"status": 404, "message": "The requested URL was not found on the server."})
        self.server.files[self.path] = body
        self._answer(201, {"key": self.path.rsplit("/", 1)[1], "size": len(body),
                           "checksum": f"md5:{hashlib.md5(body).hexdigest()}"})


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch):
    server = LoopbackZenodo()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DISSEMINATE_ZENODO_URL", server.url)
    monkeypatch.delenv("ZENODO_TOKEN", raising=False)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)  # the loopback server is reached directly
    yield server
    server.shutdown()
    server.server_close()


DEPOSITED = """\
---
# Written by hand: this comment, the quoting and the order must survive.
title: "Findings: a report"
id: D1.1
summary: What the report found, <b>in short</b> & more.
dissemination: PU
date: 2015-09-30
version: "1.0"
authors:
  - Doe, Jane
  - Roe, Richard   # lead author's colleague
topics: [privacy]
---
## Findings

Civil society was rarely involved.
"""
LICENSED = "      licence: CC-BY-4.0\n      deposit: {communities: [fix-community]}\n"


def licensed(project: FixtureProject) -> FixtureProject:
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    project.write("mkdocs.yml", config.replace("  - disseminate:\n", "  - disseminate:\n" + LICENSED))
    project.write("deliverables/d1-1.md", DEPOSITED)
    return project


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDF cache of the deposited deliverable, rendered once: its key does not depend on the
    project's folder, so each test's copy of the project finds its PDF there."""
    project = licensed(FixtureProject(tmp_path_factory.mktemp("rendered") / "project"))
    assert project.run("pdf", str(project.root / "deliverables/d1-1.md"), "-o", str(project.root / "out.pdf")) == 0
    return project.root / ".cache"


@pytest.fixture
def project(fixture_project, rendered):
    shutil.copytree(rendered, fixture_project.root / ".cache")
    return licensed(fixture_project)


def deposit(project, capsys, *args: str) -> tuple[int, str, str]:
    status = project.run("deposit", *args)
    out, err = capsys.readouterr()
    return status, out, err


def test_without_a_token_nothing_is_sent_and_the_metadata_is_the_front_matter(project, loopback, capsys):
    status, out, err = deposit(project, capsys)
    assert status == 0, err
    assert loopback.requests == []
    assert "deliverables/d1-1.md: prepared deposit/D1.1/" in out and "nothing was sent" in out
    folder = project.root / "deposit" / "D1.1"
    metadata = json.loads((folder / "metadata.json").read_text("utf-8"))
    assert metadata_errors(metadata) == []
    assert metadata == {
        "upload_type": "publication", "publication_type": "deliverable", "access_right": "open",
        "title": "Findings: a report", "publication_date": "2015-09-30", "version": "1.0",
        "creators": [{"name": "Doe, Jane"}, {"name": "Roe, Richard"}],
        "description": "<p>What the report found, &lt;b&gt;in short&lt;/b&gt; &amp; more.</p>",
        "license": "cc-by-4.0", "communities": [{"identifier": "fix-community"}],
        "grants": [{"id": "10.13039/501100000780::123456"}],  # H2020: the European Commission's Funder ID
        "keywords": ["Privacy"], "language": "eng", "prereserve_doi": True,
        "notes": "Deliverable D1.1 of the FIX project. This project has received funding from the European Union's "
                 "Horizon 2020 research and innovation programme under grant agreement No 123456.",
    }
    pdfs = list(folder.glob("*.pdf"))
    assert [pdf.name for pdf in pdfs] == ["FIX_D1.1_Findings-a-report_v1.0.pdf"]
    assert pdfs[0].read_bytes().startswith(b"%PDF-")


def test_without_authors_the_consortium_is_the_creator_and_the_page_is_related(project, loopback, capsys):
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    project.write("mkdocs.yml", "site_url: https://fix.example.eu/\n" + config)
    project.write("deliverables/d1-1.md", DEPOSITED.replace("authors:\n  - Doe, Jane\n  - Roe, Richard   # lead "
                                                            "author's colleague\n", ""))
    assert deposit(project, capsys)[0] == 0
    metadata = json.loads((project.root / "deposit/D1.1/metadata.json").read_text("utf-8"))
    assert metadata["creators"] == [{"name": "FIX consortium"}]
    assert metadata["related_identifiers"] == [{"identifier": "https://fix.example.eu/deliverables/d1-1/",
                                                "relation": "isAlternateIdentifier"}]


def test_with_a_token_the_reserved_doi_is_written_back_and_nothing_else_changes(project, loopback, capsys,
                                                                             monkeypatch):
    monkeypatch.setenv("ZENODO_TOKEN", TOKEN)
    source = project.root / "deliverables" / "d1-1.md"
    source.write_bytes(DEPOSITED.replace("\n", "\r\n").encode())  # written on Windows: CRLF stays CRLF
    before = source.read_bytes()
    status, out, err = deposit(project, capsys)
    assert status == 0, err
    assert [(method, path.split("/api/")[1].split("/")[0]) for method, path, _, _ in loopback.requests] == \
        [("POST", "deposit"), ("PUT", "files")]  # and no publishing without --publish
    assert all(headers["Authorization"] == f"Bearer {TOKEN}" for _, _, headers, _ in loopback.requests)
    uploaded = loopback.requests[1]
    assert uploaded[1].endswith("/FIX_D1.1_Findings-a-report_v1.0.pdf")
    assert uploaded[3] == (project.root / "deposit/D1.1/FIX_D1.1_Findings-a-report_v1.0.pdf").read_bytes()
    assert "DOI 10.5072/zenodo.1000 reserved; draft 1000 awaits review" in out
    assert source.read_bytes() == before.replace(b"topics: [privacy]\r\n", b"topics: [privacy]\r\ndoi: 10.5072/zenodo.1000\r\n")
    record = json.loads((project.root / "deposit/D1.1/deposition.json").read_text("utf-8"))
    assert record["doi"] == "10.5072/zenodo.1000" and record["published"] is False
    assert project.run("check") == 0
    capsys.readouterr()
    loopback.requests.clear()
    status, out, _ = deposit(project, capsys)  # deposited once: not again
    assert status == 0 and "Nothing to deposit" in out and loopback.requests == []


def test_publish_is_asked_for(project, loopback, capsys, monkeypatch):
    monkeypatch.setenv("ZENODO_TOKEN", TOKEN)
    status, out, err = deposit(project, capsys, "--publish")
    assert status == 0, err
    assert loopback.depositions[1000]["published"] is True
    assert "DOI 10.5072/zenodo.1000 published" in out


@pytest.mark.parametrize("failure, message", [
    ("bad token", "did not accept the token (401)"),
    (400, "refused the deposition (400"),
    (500, "failed (500 Internal Server Error); try again later"),
    ("refused", "connection refused"),
    ("timeout", "did not answer within"),
])
def test_errors_are_one_line_naming_the_file_and_nothing_is_written_back(project, loopback, capsys, monkeypatch,
                                                                          failure, message):
    monkeypatch.setenv("ZENODO_TOKEN", "wrong" if failure == "bad token" else TOKEN)
    if isinstance(failure, int):
        loopback.fail = failure
    elif failure == "refused":
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            monkeypatch.setenv("DISSEMINATE_ZENODO_URL", f"http://127.0.0.1:{closed.getsockname()[1]}")
    elif failure == "timeout":
        monkeypatch.setattr(zenodo, "TIMEOUT", (5, 0.2))
        loopback.delay = 0.5
    before = (project.root / "deliverables/d1-1.md").read_bytes()
    status, out, err = deposit(project, capsys)
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("deliverables/d1-1.md: ") and message in lines[0], err
    assert "Traceback" not in err
    assert (project.root / "deliverables/d1-1.md").read_bytes() == before


def test_zenodos_validation_errors_are_named(project, loopback, capsys, monkeypatch):
    """What the loopback server refuses (a field Zenodo does not know), the command reports field by field."""
    monkeypatch.setenv("ZENODO_TOKEN", TOKEN)
    monkeypatch.setattr(zenodo.DepositMetadata, "as_json",
                        lambda self: {**self.model_dump(mode="json", exclude_none=True), "colour": "blue"})
    status, _, err = deposit(project, capsys)
    assert status == 1
    assert "deliverables/d1-1.md: 127.0.0.1" in err and "metadata.colour: unknown field" in err


def test_a_bad_token_stops_before_the_next_item(project, loopback, capsys, monkeypatch):
    project.write("deliverables/d1-2.md", DEPOSITED.replace("D1.1", "D1.2").replace("Findings:", "More findings:"))
    monkeypatch.setenv("ZENODO_TOKEN", "wrong")
    status, _, err = deposit(project, capsys)
    assert status == 1 and len(loopback.requests) == 1
    assert err.splitlines()[1] == "deliverables/d1-2.md: not sent (stopped after the error above)"


@pytest.mark.parametrize("token", [None, TOKEN])
def test_confidential_drafts_and_deposited_items_are_never_deposited(fixture_project, loopback, capsys, monkeypatch,
                                                                     token):
    licensed(fixture_project)
    fixture_project.write("deliverables/d1-1.md", DEPOSITED.replace("dissemination: PU", "dissemination: CO"))
    fixture_project.write("deliverables/d1-2.md", DEPOSITED.replace("D1.1", "D1.2").replace(
        "date: 2015-09-30", "date: 2015-09-30\ndoi: 10.5281/zenodo.42"))
    fixture_project.write("deliverables/d1-3.md", DEPOSITED.replace("D1.1", "D1.3").replace("---\n##", "draft: true\n---\n##"))
    if token:
        monkeypatch.setenv("ZENODO_TOKEN", token)
    status, out, _ = deposit(fixture_project, capsys)
    assert status == 0 and "Nothing to deposit" in out
    assert loopback.requests == [] and not (fixture_project.root / "deposit").exists()
    status, _, err = deposit(fixture_project, capsys, "deliverables/d1-1.md")  # even when named
    assert status == 1 and "deliverables/d1-1.md:1: deposit: is not a public publication" in err
    status, _, err = deposit(fixture_project, capsys, "deliverables/d1-2.md")
    assert status == 1 and "has a DOI already (10.5281/zenodo.42)" in err
    assert loopback.requests == [] and not (fixture_project.root / "deposit").exists()


def test_missing_facts_are_reported_not_invented(fixture_project, loopback, capsys):
    status, _, err = deposit(fixture_project, capsys)  # the fixture's deliverable has no date, no licence
    assert status == 1
    assert "deliverables/d1-1.md:1: deliverable 'date': a deposit needs the date it was published" in err
    assert "deliverable 'licence': an open-access deposit needs a licence" in err
    assert not (fixture_project.root / "deposit").exists() and loopback.requests == []


def test_the_archive_is_reproducible_and_holds_the_site_and_its_pdfs(project, loopback, capsys, monkeypatch):
    status, _, err = deposit(project, capsys, "--archive")
    assert status == 1 and "run `disseminate build` first" in err
    assert project.run("build") == 0
    capsys.readouterr()
    status, out, err = deposit(project, capsys, "--archive")
    assert status == 0, err
    folder = project.root / "deposit" / "archive"
    archive = folder / "FIX-site-2015-09-30.zip"
    first = archive.read_bytes()
    assert deposit(project, capsys, "--archive")[0] == 0
    assert archive.read_bytes() == first and loopback.requests == []
    names = zipfile.ZipFile(archive).namelist()
    assert names == sorted(names)
    assert {"FIX-site-2015-09-30/index.html", "FIX-site-2015-09-30/catalogue.json",
            "FIX-site-2015-09-30/pdf/FIX_D1.1_Findings-a-report_v1.0.pdf"} <= set(names)
    site_files = {path.relative_to(project.site).as_posix() for path in project.site.rglob("*") if path.is_file()}
    assert {name.split("/", 1)[1] for name in names} == site_files
    metadata = json.loads((folder / "metadata.json").read_text("utf-8"))
    assert metadata_errors(metadata) == []
    assert metadata["upload_type"] == "other" and metadata["version"] == "2015-09-30"
    assert metadata["title"] == "A fixture project (FIX): project website and publications, archived"
    assert "D1.1: Findings: a report" in metadata["description"]
    monkeypatch.setenv("ZENODO_TOKEN", TOKEN)
    status, out, err = deposit(project, capsys, "--archive", "--version", "final")
    assert status == 0, err
    assert loopback.files[loopback.requests[1][1]] == (folder / "FIX-site-final.zip").read_bytes()
    assert "FIX-site-final.zip: DOI 10.5072/zenodo.1000 reserved" in out


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: A\n---\nBody\n", "---\ntitle: A\ndoi: X\n---\nBody\n"),
    ("\ufeff---\r\ntitle: A # kept\r\n...\r\n", "\ufeff---\r\ntitle: A # kept\r\ndoi: X\r\n...\r\n"),
    ("---\ntitle: A\n", None),  # never closed
    ("title: A\n", None),  # no front matter
])
def test_a_line_is_added_to_front_matter_as_written(text, expected):
    assert with_front_matter_line(text, "doi: X") == expected


def test_an_archive_version_must_make_a_file_name(project, loopback, capsys):
    assert project.run("build", "--no-pdf") == 0
    capsys.readouterr()
    status, _, err = deposit(project, capsys, "--archive", "--version", "../final")
    assert status == 1 and "--version:1: deposit 'version': '../final' cannot name a file" in err
    assert not (project.root / "deposit" / "archive").exists()
