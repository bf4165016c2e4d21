"""`disseminate`: check, build and preview a project. Exit 0 on success, 1 on content problems,
2 on a usage error."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .config import CONFIG_FILE
from .problems import ContentErrors
from .project import load_project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disseminate", description=__doc__.split("\n")[0])
    parser.add_argument("-C", "--project", type=Path, default=Path("."),
                        help="project folder holding mkdocs.yml (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", help="validate all content without rendering")
    build = commands.add_parser("build", help="check, then build the site into site/")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    serve = commands.add_parser("serve", help="preview with live reload, drafts included")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console command."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    root = args.project.resolve()
    if not (root / CONFIG_FILE).is_file():
        print(f"disseminate: no {CONFIG_FILE} in {root}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
    return {"check": _check, "build": _build, "serve": _serve}[args.command](root, args)


def _check(root: Path, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        project = load_project(root, include_drafts=True)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        print(f"{errors}.", file=sys.stderr)
        return EXIT_PROBLEMS
    count = len(project.collection.records)
    print(f"{count} pages checked, no problems ({time.perf_counter() - started:.2f} s).")
    return EXIT_OK


def _build(root: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet_plugin_errors()
    config = None
    try:
        config = load_config(str(root / CONFIG_FILE), strict=args.strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        plugin = config.plugins.get("disseminate") if config else None
        problems = getattr(plugin, "problems", None) or _content_problems(root)
        print("\n".join(map(str, problems)) if problems else f"disseminate: {error}", file=sys.stderr)
        print("Build failed; the published site was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _serve(root: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    serve(str(root / CONFIG_FILE), dev_addr=args.dev_addr, livereload=True)
    return EXIT_OK


def _content_problems(root: Path) -> list:
    try:
        load_project(root)
    except ContentErrors as errors:
        return errors.problems
    return []


def _quiet_plugin_errors() -> None:
    # The CLI prints every problem itself, one line each; MkDocs' copies would double them.
    logging.getLogger("mkdocs.plugins.disseminate").setLevel(logging.CRITICAL)
