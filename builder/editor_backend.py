"""The editor's local server: what `serve` answers when the browser editor saves, so that it reads and
writes the working tree itself. It speaks Decap CMS's local backend protocol (the one its
`decap-server` proxy speaks: POST /api/v1 with {action, params}), and nothing more.

It listens on 127.0.0.1 only, answers only the preview's own origin, takes only JSON (which a page
of another site cannot send without asking first), and reads or writes only Markdown and media
files inside the project's source folders: never a path outside them, through `..` or a link.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from .layout import source_roots

EDITABLE_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".csv"}
MAX_REQUEST = 50_000_000  # bytes: a figure or two, base64-encoded


class Refused(Exception):
    """A request the server will not carry out; the message says why."""


class WorkingTree:
    """The project's source folders as the editor may see and change them."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.roots = source_roots()

    def _in_sources(self, given: str) -> PurePosixPath:
        """A path a request gives, if it lies in one of the source folders (no `..`, not absolute)."""
        parts = PurePosixPath(str(given).replace("\\", "/"))
        if parts.is_absolute() or ".." in parts.parts or not parts.parts or parts.parts[0] not in self.roots:
            raise Refused(f"'{given}' is not inside the project's sources ({', '.join(self.roots)})")
        return parts

    def resolve(self, path: str) -> Path:
        """The file a request names, if the editor may touch it."""
        parts = self._in_sources(path)
        if parts.suffix.lower() not in EDITABLE_SUFFIXES:
            raise Refused(f"'{path}' is not a kind of file the editor writes")
        target = (self.root / parts).resolve()  # links resolved: one leading out of the project is caught here
        if not target.is_relative_to(self.root / parts.parts[0]) or (self.root / parts).is_symlink():
            raise Refused(f"'{path}' leads outside its folder")
        return target

    def folder(self, folder: str) -> Path:
        return self.root / self._in_sources(folder)

    def entries(self, paths: list[str]) -> list[dict[str, Any]]:
        return [self.entry(path) for path in paths]

    def entry(self, path: str) -> dict[str, Any]:
        target = self.resolve(path)
        if not target.is_file():
            return {"data": None, "file": {"path": path, "id": None}}
        content = target.read_bytes()
        return {"data": content.decode("utf-8", "replace"), "file": {"path": path, "id": _sha256(content)}}

    def listing(self, folder: str, extension: str, depth: int) -> list[str]:
        base = self.folder(folder)
        if not base.is_dir():
            return []
        found = []
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(self.root)
            if (path.is_file() and not path.is_symlink() and path.name.endswith(extension)
                    and len(path.relative_to(base).parts) <= max(depth, 1)):
                found.append(relative.as_posix())
        return found

    def write(self, path: str, content: bytes) -> None:
        target = self.resolve(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.editor")
        staged.write_bytes(content)
        staged.replace(target)  # whole or not at all: the preview never reads a half-written file

    def media(self, path: str) -> dict[str, Any]:
        content = self.resolve(path).read_bytes()
        return {"id": _sha256(content), "content": base64.b64encode(content).decode(), "encoding": "base64",
                "path": path, "name": PurePosixPath(path).name}


def handle(tree: WorkingTree, action: str, params: dict[str, Any]) -> Any:
    """One request of the protocol."""
    if action == "info":
        return {"repo": tree.root.name, "publish_modes": ["simple"], "type": "local_fs"}
    if action == "entriesByFolder":
        return tree.entries(tree.listing(params["folder"], params.get("extension", ""), int(params.get("depth", 1))))
    if action == "entriesByFiles":
        return tree.entries([file["path"] for file in params["files"]])
    if action == "getEntry":
        return tree.entry(params["path"])
    if action == "persistEntry":
        for data_file in params.get("dataFiles") or [params["entry"]]:
            tree.write(data_file["path"], data_file["raw"].encode("utf-8"))
        for asset in params.get("assets", []):
            tree.write(asset["path"], base64.b64decode(asset["content"]) if asset.get("encoding") == "base64"
                       else asset["content"].encode("utf-8"))
        return {"message": "entry persisted"}
    if action == "getMedia":  # a folder not made yet holds nothing
        return [tree.media(path) for path in tree.listing(params["mediaFolder"], "", 1)
                if PurePosixPath(path).suffix.lower() in EDITABLE_SUFFIXES - {".md"}]
    if action == "getMediaFile":
        return tree.media(params["path"])
    if action == "persistMedia":
        asset = params["asset"]
        tree.write(asset["path"], base64.b64decode(asset["content"]))
        return tree.media(asset["path"])
    if action in ("deleteFile", "deleteFiles"):
        for path in params.get("paths") or [params["path"]]:
            tree.resolve(path).unlink(missing_ok=True)
        return {"message": "deleted"}
    if action == "getDeployPreview":
        return None
    raise Refused(f"unknown action {action!r}")


def serve_editor(root: Path, port: int, allowed_origins: set[str],
                 report: Callable[[str], None] = print) -> ThreadingHTTPServer:
    """Start the server in a daemon thread; it ends with the process."""
    tree = WorkingTree(root)

    class Handler(BaseHTTPRequestHandler):
        def do_OPTIONS(self) -> None:  # noqa: N802 - the browser's question before a JSON POST
            self._respond(HTTPStatus.NO_CONTENT, None)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if self.path.rstrip("/") != "/api/v1" or self.headers.get_content_type() != "application/json":
                return self._respond(HTTPStatus.NOT_FOUND, {"error": "POST JSON to /api/v1"})
            if length > MAX_REQUEST or self.headers.get("Origin", "") not in allowed_origins:
                return self._respond(HTTPStatus.FORBIDDEN, {"error": "refused"})
            try:
                body = json.loads(self.rfile.read(length))
                result = handle(tree, str(body.get("action")), body.get("params") or {})
            except Refused as error:
                report(f"editor: refused: {error}")
                return self._respond(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(error)})
            except (KeyError, TypeError, ValueError, OSError) as error:
                return self._respond(HTTPStatus.BAD_REQUEST, {"error": f"{type(error).__name__}: {error}"})
            self._respond(HTTPStatus.OK, result)

        def _respond(self, status: HTTPStatus, payload: Any) -> None:
            data = b"" if status == HTTPStatus.NO_CONTENT else json.dumps(payload).encode()
            self.send_response(status)
            origin = self.headers.get("Origin", "")
            if origin in allowed_origins:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type")
                self.send_header("Vary", "Origin")
            if data:
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, name="editor-backend", daemon=True).start()
    return server


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
