"""Zenodo's deposit REST API (https://developers.zenodo.org/), as much of it as `disseminate deposit`
uses: the metadata of a deposition, checked against the documented fields and vocabularies before
anything is sent, and a small client for the documented flow (create a deposition with a reserved
DOI, put its file into the deposition's bucket, publish only when asked).

Every failure becomes a ZenodoError carrying one line that says what went wrong and what to do; no
exception of the HTTP library gets past this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import requests
from pydantic import BaseModel, ConfigDict, Field, model_validator

PRODUCTION = "https://zenodo.org"
SANDBOX = "https://sandbox.zenodo.org"
DEPOSITIONS = "/api/deposit/depositions"
# Seconds to connect, and to wait for each answer (a PDF upload may take a while on a slow line).
TIMEOUT = (15, 300)

# The vocabularies of the legacy deposit API's metadata, as documented.
UploadType = Literal["publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
                     "physicalobject", "other"]
PublicationType = Literal["annotationcollection", "book", "section", "conferencepaper", "datamanagementplan",
                          "article", "patent", "preprint", "deliverable", "milestone", "proposal", "report",
                          "softwaredocumentation", "taxonomictreatment", "technicalnote", "thesis", "workingpaper",
                          "other"]
AccessRight = Literal["open", "embargoed", "restricted", "closed"]
Relation = Literal["isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
                   "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "isNewVersionOf",
                   "isPreviousVersionOf", "isPartOf", "hasPart", "isReferencedBy", "references", "isDocumentedBy",
                   "documents", "isCompiledBy", "compiles", "isVariantFormOf", "isOriginalFormof", "isIdenticalTo",
                   "isAlternateIdentifier", "isReviewedBy", "reviews", "isDerivedFrom", "isSourceOf", "requires",
                   "isRequiredBy", "isObsoletedBy", "obsoletes"]


class _Field(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Creator(_Field):
    name: str = Field(min_length=1)  # "Family name, Given names", or an organisation's name


class Community(_Field):
    identifier: str = Field(min_length=1)


class Grant(_Field):
    id: str = Field(pattern=r"^10\.13039/\d+::\S+$")  # <funder's Crossref Funder DOI>::<grant number>


class RelatedIdentifier(_Field):
    identifier: str = Field(min_length=1)
    relation: Relation


class DepositMetadata(_Field):
    """The `metadata` object of a deposition, as far as Disseminate fills it."""

    upload_type: UploadType
    publication_type: PublicationType | None = None
    publication_date: dt.date
    title: str = Field(min_length=1)
    creators: list[Creator] = Field(min_length=1)
    description: str = Field(min_length=1)
    access_right: AccessRight = "open"
    license: str | None = None
    communities: list[Community] = []
    grants: list[Grant] = []
    keywords: list[str] = []
    notes: str | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{3}$")  # ISO 639-2 or 639-3, e.g. eng
    related_identifiers: list[RelatedIdentifier] = []
    version: str | None = None
    prereserve_doi: bool = True

    @model_validator(mode="after")
    def _documented_dependencies(self) -> "DepositMetadata":
        if (self.upload_type == "publication") != (self.publication_type is not None):
            raise ValueError("publication_type is given with, and only with, upload_type publication")
        if self.access_right in ("open", "embargoed") and not self.license:
            raise ValueError("open access needs a licence")
        return self

    def as_json(self) -> dict[str, Any]:
        """The object as Zenodo takes it: fields left empty are left out."""
        return self.model_dump(mode="json", exclude_none=True,
                               exclude={name for name, value in self if value == []})


class ZenodoError(Exception):
    """One line saying what failed; `final` when trying the next deposition would fail alike (a bad
    token, no connection), so the command stops instead of repeating it."""

    def __init__(self, message: str, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


@dataclass(frozen=True)
class Deposition:
    """A deposition Zenodo created: its number, reserved DOI, file bucket and page for review."""

    id: int
    doi: str
    bucket: str
    html: str
    publish: str


class _Bearer(requests.auth.AuthBase):
    """The token as Zenodo documents it; given as auth, it also keeps a ~/.netrc entry from replacing it."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class Zenodo:
    """A session with one Zenodo server (production, sandbox, or a mirror)."""

    def __init__(self, base_url: str, token: str, user_agent: str = "disseminate") -> None:
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc or self.base_url
        self._session = requests.Session()
        self._session.auth = _Bearer(token)
        self._session.headers["User-Agent"] = user_agent

    def close(self) -> None:
        self._session.close()

    def create(self, metadata: DepositMetadata) -> Deposition:
        """A new draft deposition holding `metadata`, with its DOI reserved."""
        answer = self._call("POST", self.base_url + DEPOSITIONS, json={"metadata": metadata.as_json()},
                            expected=(201,))
        try:
            links, reserved = answer["links"], answer["metadata"]["prereserve_doi"]
            return Deposition(int(answer["id"]), str(reserved["doi"]), str(links["bucket"]),
                              str(links.get("html") or ""), str(links.get("publish") or ""))
        except (KeyError, TypeError, ValueError):
            raise ZenodoError(f"{self.host} answered without a deposition id, bucket and reserved DOI") from None

    def upload(self, deposition: Deposition, file: Path, name: str) -> None:
        """Put `file` into the deposition's bucket as `name`."""
        with file.open("rb") as data:
            self._call("PUT", f"{deposition.bucket}/{quote(name)}", data=data, expected=(200, 201),
                       headers={"Content-Type": "application/octet-stream"})

    def publish(self, deposition: Deposition) -> None:
        """Publish the deposition: its DOI is registered and the record can no longer be deleted."""
        target = deposition.publish or f"{self.base_url}{DEPOSITIONS}/{deposition.id}/actions/publish"
        self._call("POST", target, expected=(202,))

    def _call(self, method: str, url: str, expected: tuple[int, ...], **options: Any) -> dict[str, Any]:
        try:
            response = self._session.request(method, url, timeout=TIMEOUT, allow_redirects=False, **options)
        except requests.Timeout:
            raise ZenodoError(f"{self.host} did not answer within {TIMEOUT[1]} s (try again later)", final=True) \
                from None
        except requests.ConnectionError as error:
            reason = "connection refused" if "refused" in str(error).lower() else "no connection"
            raise ZenodoError(f"cannot reach {self.host}: {reason} (check the network, or the address in use)",
                              final=True) from None
        except requests.RequestException as error:
            raise ZenodoError(f"{method} {url} failed: {type(error).__name__}", final=True) from None
        if response.status_code not in expected:
            raise _refusal(response, self.host)
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            raise ZenodoError(f"{self.host} answered {response.status_code} with something other than JSON") from None
        return answer if isinstance(answer, dict) else {}


def _refusal(response: requests.Response, host: str) -> ZenodoError:
    """A failed request's answer as one line: Zenodo's own message and field errors, and what to do."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    said = str(body.get("message") or response.reason or "").strip()
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    details = "; ".join(_field_error(error) for error in errors if isinstance(error, dict))
    if status == 400:
        return ZenodoError(f"{host} refused the deposition (400 {said}){': ' + details if details else ''}")
    if status == 401:
        return ZenodoError(f"{host} did not accept the token (401): check that it is valid for this server "
                           "(the sandbox and zenodo.org issue separate tokens)", final=True)
    if status == 403:
        return ZenodoError(f"{host} refused the token (403 {said}): it needs the scopes deposit:write and "
                           "deposit:actions", final=True)
    if status == 404:
        return ZenodoError(f"{host} has no {urlsplit(response.url).path} (404 {said})")
    if status == 429:
        wait = response.headers.get("Retry-After")
        return ZenodoError(f"{host} asks to slow down (429 too many requests); try again "
                           f"{f'in {wait} s' if wait else 'later'}", final=True)
    if status >= 500:
        return ZenodoError(f"{host} failed ({status} {said}); try again later")
    return ZenodoError(f"{host} answered {status} {said}".rstrip())


def _field_error(error: dict[str, Any]) -> str:
    """`metadata.creators: Missing data` from one entry of a 400 answer's `errors`."""
    messages = error.get("messages") if isinstance(error.get("messages"), list) else [error.get("message", "")]
    return f"{error.get('field', '?')}: {'; '.join(str(message) for message in messages)}".strip()
