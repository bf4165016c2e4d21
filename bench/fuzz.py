"""The long fuzz run: many generated content files through `check` and `build`, counting how each
ended. The bounded run in tests/test_fuzz.py uses the same strategies; this one explores further
(a fresh random seed per run unless --seed is given) and records its figures for bench/README.md.

    .venv/bin/python bench/fuzz.py --check-cases 5000 --build-cases 300 --pdf-every 10 --json out.json
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import FixtureProject  # noqa: E402
from strategies import content_file  # noqa: E402
from test_fuzz import answered, place, run  # noqa: E402


def fuzz(project: FixtureProject, command: list[str], cases: int, run_seed: int, pdf_every: int = 0) -> dict:
    """Run `command` on `cases` generated files; count exit codes and collect any unanswered case."""
    codes: collections.Counter[int] = collections.Counter()
    failures: list[dict] = []
    started = time.monotonic()

    @seed(run_seed)
    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(content_file())
    def one(file: tuple[str, str]) -> None:
        place(project, *file)
        args = list(command)
        if args[0] == "build" and not (pdf_every and sum(codes.values()) % pdf_every == 0):
            args.append("--no-pdf")
        code, said = run(project, *args)
        codes[code] += 1
        if not answered(code, said):
            failures.append({"path": file[0], "text": file[1], "code": code, "said": said[-2000:]})

    one()
    return {"command": " ".join(command), "cases": sum(codes.values()), "exit_codes": dict(codes),
            "unanswered": len(failures), "seconds": round(time.monotonic() - started, 1), "failures": failures[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check-cases", type=int, default=2000)
    parser.add_argument("--build-cases", type=int, default=200)
    parser.add_argument("--pdf-every", type=int, default=10, help="render PDFs on every n-th build (0: never)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    root = Path(__import__("tempfile").mkdtemp(prefix="disseminate-fuzz-")) / "project"
    project = FixtureProject(root)
    results = {"seed": seed, "runs": [fuzz(project, ["check"], args.check_cases, seed),
                                      fuzz(project, ["build", "--jobs", "1"], args.build_cases, seed, args.pdf_every)]}
    for outcome in results["runs"]:
        print(f"{outcome['command']}: {outcome['cases']} cases in {outcome['seconds']} s, exit codes "
              f"{outcome['exit_codes']}, unanswered {outcome['unanswered']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 1 if any(outcome["unanswered"] for outcome in results["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
