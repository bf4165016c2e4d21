"""Search order: make Pagefind 1.5 output byte-identical across builds of the same HTML.

Pagefind 1.5.2 writes filter values, filter names, sorts and languages in Rust HashMap order, which
is random per process, so `filter/*.pf_filter`, `pagefind.*.pf_meta` and `pagefind-entry.json` differ
between identical builds. Upstream fixed this after 1.5.2 in "completion of deterministic output",
https://github.com/Pagefind/pagefind/pull/1124; this module rewrites a finished output folder into
what that fix writes. Delete it once a Pagefind release containing #1124 is pinned.

The decompressed contents and the file names equal upstream's; the gzip bytes come from Python's
zlib rather than Rust's flate2, which is equally deterministic but not byte-for-byte the same.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"  # Pagefind prefixes every compressed chunk with this before the CBOR
FILTER_HASH_LENGTH = 7
# Magic, deflate, no flags, mtime 0, "maximum compression", OS "unknown": what flate2 writes.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


class IndexFormatError(Exception):
    """The folder is not Pagefind 1.x output in the format this module knows; nothing was changed."""


def stabilise_index(folder: Path) -> None:
    """Rewrite the Pagefind output in `folder` in place into the order Pagefind with #1124 writes."""
    entry_path = folder / "pagefind-entry.json"
    entry = _read_entry(entry_path)
    writes: dict[Path, bytes] = {}
    replaced: set[Path] = set()
    # Everything is read and checked before the first write, so a surprise leaves the folder untouched.
    for language, about in entry["languages"].items():
        meta_path = folder / f"pagefind.{about['hash']}.pf_meta"
        meta = _read_chunk(meta_path, _is_meta)
        if meta[0] != entry["version"]:
            raise IndexFormatError(f"{meta_path} is from Pagefind {meta[0]}, its entry from {entry['version']}")
        taken: set[str] = set()
        filters = []
        # Upstream encodes filters in name order, which decides who keeps the short name on a collision.
        # Python orders str by code point, which is the UTF-8 byte order Rust uses for String.
        for name, old_hash in sorted(meta[3], key=lambda pair: pair[0]):
            old_path = folder / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read_chunk(old_path, _is_filter)
            if filter_name != name:
                raise IndexFormatError(f"{old_path} holds filter {filter_name!r}, the meta says {name!r}")
            body = cbor2.dumps([name, sorted(values, key=lambda value: value[0])])
            new_hash = _filter_hash(language, body, taken)
            writes[folder / "filter" / f"{new_hash}.pf_filter"] = _compress(body)
            replaced.add(old_path)
            filters.append([name, new_hash])
        body = cbor2.dumps([*meta[:3], filters, sorted(meta[4], key=lambda sort: sort[0]), meta[5]])
        about["hash"] = f"{language}_{_full_hash(body)[: len(language) + 8]}"  # not 7: upstream's own slice
        writes[folder / f"pagefind.{about['hash']}.pf_meta"] = _compress(body)
        replaced.add(meta_path)
    # Chunks first, entry next, old chunks last: an interruption leaves an entry whose files exist.
    # _read_entry checked the keys are in upstream's struct order; languages become a BTreeMap there.
    entry["languages"] = dict(sorted(entry["languages"].items()))
    writes[entry_path] = _dump_like_serde(entry).encode("utf-8")
    for path, data in writes.items():
        _write_if_changed(path, data)
    for path in replaced - set(writes):
        path.unlink()


def _full_hash(data: bytes) -> str:
    """SHA-1 as Pagefind's `full_hash` renders it: lowercase hex per byte, without zero padding."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _filter_hash(language: str, body: bytes, taken: set[str]) -> str:
    """Name a filter chunk as Pagefind does, lengthening the name while it collides with a taken one."""
    full = f"{language}_{_full_hash(body)}"
    short = full[: len(language) + 1 + FILTER_HASH_LENGTH]
    # Upstream re-slices `[0..=len + 1]`, so each collision adds two characters, up to the full hash.
    while short in taken and len(short) < len(full):
        short = full[: len(short) + 2]
    taken.add(short)
    return short


def _read_entry(path: Path) -> dict[str, Any]:
    """Read `pagefind-entry.json`, refusing anything but the Pagefind 1.x layout."""
    try:
        text = path.read_text("utf-8")
        entry = json.loads(text)
    except (OSError, ValueError) as error:
        raise IndexFormatError(f"cannot read {path}: {error}") from None
    if not (isinstance(entry, dict) and list(entry) == ["version", "languages", "include_characters"]
            and isinstance(entry["version"], str) and entry["version"].startswith("1.")
            and isinstance(entry["languages"], dict)
            and all(isinstance(about, dict) and list(about) == ["hash", "wasm", "page_count"]
                    and isinstance(about["hash"], str) for about in entry["languages"].values())):
        raise IndexFormatError(f"{path} is not a Pagefind 1.x entry file")
    # Unless re-serialising gives back Pagefind's own bytes, our rewrite would not be what serde_json writes.
    if _dump_like_serde(entry) != text:
        raise IndexFormatError(f"{path} is not written the way Pagefind 1.x writes it")
    return entry


def _dump_like_serde(value: Any) -> str:
    """Compact JSON with non-ASCII left as UTF-8, which is what `serde_json::to_string` produces."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _read_chunk(path: Path, shape_ok: Callable[[Any], bool]) -> list[Any]:
    """Decode a gzipped, signed CBOR chunk, refusing it unless its shape and encoding are as expected."""
    try:
        data = gzip.decompress(path.read_bytes())
        value = cbor2.loads(data[len(SIGNATURE):])
    except (OSError, EOFError, zlib.error, cbor2.CBORDecodeError) as error:
        raise IndexFormatError(f"cannot read {path}: {error}") from None
    # Hashes are taken over the CBOR bytes, so cbor2 must encode exactly as Pagefind's minicbor did.
    if not (data.startswith(SIGNATURE) and shape_ok(value) and cbor2.dumps(value) == data[len(SIGNATURE):]):
        raise IndexFormatError(f"{path} is not a Pagefind 1.x chunk of the expected kind")
    return value


def _is_filter(value: Any) -> bool:
    """Whether `value` is a filter chunk: [name, [[value, [page, ...]], ...]]."""
    return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and _are_pairs(value[1], list))


def _is_meta(value: Any) -> bool:
    """Whether `value` is a meta chunk: [version, pages, index_chunks, filters, sorts, meta_fields]."""
    return (isinstance(value, list) and len(value) == 6 and isinstance(value[0], str)
            and _are_pairs(value[3], str) and _are_pairs(value[4], list))


def _are_pairs(value: Any, second: type) -> bool:
    """Whether `value` is a list of [str, `second`] pairs with distinct first items."""
    return (isinstance(value, list)
            and all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                    and isinstance(pair[1], second) for pair in value)
            and len({pair[0] for pair in value}) == len(value))


def _compress(body: bytes) -> bytes:
    """Gzip a signed chunk at level 9 behind the fixed header flate2 writes for Pagefind."""
    data = SIGNATURE + body
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate: the header is ours
    # Built by hand because gzip.compress's header (OS byte, mtime handling) varies between Pythons.
    return GZIP_HEADER + packer.compress(data) + packer.flush() + struct.pack("<II", zlib.crc32(data), len(data))


def _write_if_changed(path: Path, data: bytes) -> None:
    """Replace `path` atomically with `data`, leaving it alone when it already holds exactly that."""
    if path.exists() and path.read_bytes() == data:
        return
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
