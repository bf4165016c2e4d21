"""A package from the npm registry, pinned by version and integrity, unpacked once into the build
cache: how the browser editor's scripts reach the site without a CDN, and without trusting what the
registry sends (a tarball whose SHA-512 differs from the pinned one is refused)."""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")


class PackageUnavailable(Exception):
    """The package could not be fetched or did not match its pin; the message says which and why."""


@dataclass(frozen=True)
class PinnedPackage:
    name: str
    version: str
    integrity: str  # "sha512-<base64>", as the registry and package-lock.json write it
    keep: tuple[str, ...]  # patterns (fnmatch) of the paths in the tarball to unpack

    @property
    def tarball_url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


def unpacked(package: PinnedPackage, cache: Path) -> Path:
    """The package's kept files under `cache`, fetched and checked on first use."""
    target = cache / f"{package.name.replace('/', '+')}-{package.version}"
    if (target / ".complete").is_file():
        return target
    data = _download(package)
    _check_integrity(package, data)
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".npm-", dir=cache))
    try:
        _extract(data, package.keep, staging)
        (staging / ".complete").write_text(package.integrity)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _download(package: PinnedPackage) -> bytes:
    try:
        with urllib.request.urlopen(package.tarball_url, timeout=60) as response:  # noqa: S310 - https registry
            return response.read()
    except OSError as error:
        raise PackageUnavailable(f"could not fetch {package.name} {package.version} from {REGISTRY} ({error})") from None


def _check_integrity(package: PinnedPackage, data: bytes) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    found = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if found != expected:
        raise PackageUnavailable(f"{package.name} {package.version} from {REGISTRY} is not the pinned one "
                                 f"({algorithm} {found[:16]}…, expected {expected[:16]}…): refused")


def _extract(data: bytes, keep: tuple[str, ...], into: Path) -> None:
    """Only regular files whose path matches a kept pattern, never outside `into`."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if not member.isfile() or not any(fnmatch.fnmatchcase(name, pattern) for pattern in keep):
                continue
            destination = (into / name).resolve()
            if not destination.is_relative_to(into.resolve()):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.extractfile(member).read())
