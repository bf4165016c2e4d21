"""Write a synthetic Disseminate project for benchmarks: the demo's config and theme, a home page,
stand-ins for the plain pages the nav names, and N public deliverables with generated prose.

    python bench/corpus.py /tmp/corpus --deliverables 1000
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORK_PACKAGES = range(1, 8)

# Words for titles and table rows: short, on the project's subjects.
_WORDS = (
    "civil society organisations security research participation consortium stakeholders programme "
    "workshop evaluation proposal citizens trust capacity dialogue foresight policy recommendation "
    "analysis survey interview network agency commission national contact point coordinator crisis "
    "management privacy rights communication outreach barrier enabler method institution funding call "
    "topic project result uptake review stage agenda design application society technology field "
    "experience partner report action plan engagement public benefit risk resilience community local "
    "regional european member state volunteer emergency service relief association think tank"
).split()
_HEADINGS = (
    "Background", "Approach", "Methods", "Findings", "Stakeholder views", "Barriers and enablers",
    "Recommendations", "Next steps", "Lessons learned", "Context", "Results by stage", "Outlook",
)
_TITLE_HEADS = ("Report on", "Analysis of", "Review of", "Guidelines for", "Survey of", "Action plan for")


DEMO_TEXT = ("deliverables", "policy_briefs", "content")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")


@functools.cache
def _prose_words() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The words of the demo's own Markdown bodies and their cumulative counts.

    Prose drawn from this follows the word frequencies of real project writing: function words on
    every page, subject words on some, a long tail on few. Drawing evenly from a short word list
    instead would put every word on nearly every page, which makes each word's part of a search
    index as large as it can be.
    """
    counts: Counter[str] = Counter()
    for folder in DEMO_TEXT:
        for path in sorted((REPO / folder).rglob("*.md")):
            body = path.read_text("utf-8").split("\n---", 1)[-1]  # front matter keys are not prose
            counts.update(re.findall(r"[a-z]+(?:'[a-z]+)?", _LINK_TARGET.sub("]", body.lower())))
    words = sorted(counts, key=lambda word: (-counts[word], word))
    return tuple(words), tuple(itertools.accumulate(counts[word] for word in words))


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words, cumulative = _prose_words()
    return " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(low, high))).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _body(rng: random.Random, target_words: int = 600) -> str:
    """About `target_words` words: 3-4 `##` sections, one table, one list, the rest paragraphs."""
    headings = rng.sample(_HEADINGS, rng.randint(3, 4))
    table_at, list_at = rng.sample(range(len(headings)), 2)
    sections = []
    for index, heading in enumerate(headings):
        blocks = [f"## {heading}"]
        if index == table_at:
            rows = ["| Group | Responses | Share |", "|---|---:|---:|"]
            for _ in range(4):
                rows.append(f"| {rng.choice(_WORDS).capitalize()} {rng.choice(_WORDS)} "
                            f"| {rng.randint(3, 400)} | {rng.randint(1, 99)} % |")
            blocks.append("\n".join(rows))
        if index == list_at:
            blocks.append("\n".join(f"- {_sentence(rng, 5, 10)}" for _ in range(rng.randint(4, 6))))
        sections.append(blocks)
    # Fill with paragraphs, round-robin over the sections, until the word target is reached.
    words = sum(len(block.split()) for blocks in sections for block in blocks[1:])
    index = 0
    while words < target_words:
        paragraph = _paragraph(rng, rng.randint(3, 5))
        sections[index % len(sections)].insert(1, paragraph)
        words += len(paragraph.split())
        index += 1
    return "\n\n".join("\n\n".join(blocks) for blocks in sections) + "\n"


def _plugin_settings(config_file: Path) -> dict:
    data = yaml.safe_load(config_file.read_text("utf-8"))
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "disseminate" in plugin:
            return plugin["disseminate"]
    raise ValueError(f"no disseminate plugin entry in {config_file}")


def _nav_paths(nav: object) -> list[tuple[str, str]]:
    """(title, path) of every page entry in a MkDocs nav, depth first."""
    found = []
    for entry in nav if isinstance(nav, list) else []:
        for title, value in (entry.items() if isinstance(entry, dict) else [(None, entry)]):
            if isinstance(value, list):
                found += _nav_paths(value)
            elif isinstance(value, str) and value.endswith(".md"):
                found.append((title or value, value))
    return found


def _pick(rng: random.Random, keys: list[str], low: int, high: int) -> list[str]:
    return sorted(rng.sample(keys, rng.randint(low, min(high, len(keys)))), key=keys.index)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


LANGUAGES = ("en", "de", "fr", "el", "pl")


def write_corpus(target: Path, deliverables: int, seed: int = 1, words: int = 600, languages: int = 1) -> Path:
    """Create a standalone project folder at `target` (missing or empty) and return it.

    Each deliverable body is filled with paragraphs until it has at least `words` words; the
    default of 600 keeps the corpus as it always was.

    Deliverable i goes to work package i % 7 + 1 with number i // 7 + 1, so ids are unique and
    spread evenly over work packages 1-7.

    The site is in the first `languages` of LANGUAGES, and every deliverable has a translation into
    each but the first (a title, summary and body drawn as the original's are): the most a site in
    that many languages can hold. One language (the default) is a site in English alone.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; the corpus is written into a fresh folder")
    target.mkdir(parents=True, exist_ok=True)
    _write_config(target / "mkdocs.yml", LANGUAGES[:languages])
    # The file of the explorer's area overrides, which the demo's settings name beside them.
    if overrides := (_plugin_settings(target / "mkdocs.yml").get("explorer") or {}).get("area_overrides"):
        (target / overrides).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / overrides, target / overrides)

    content = target / "content"
    content.mkdir(exist_ok=True)
    (content / "index.md").write_text(
        "---\ntitle: Benchmark corpus\n---\n\n"
        f"A synthetic project of {deliverables} public deliverables, generated for build benchmarks. "
        "See the [deliverables](../deliverables/index.md) and the [topics](topics/index.md).\n",
        "utf-8")

    # The nav (copied unchanged) also names three plain pages of the demo: About, Consortium and
    # Dissemination materials. Every nav target that is a real source file in the demo gets a
    # one-paragraph stand-in here, so the nav has no dangling entries; generated pages need none.
    nav = yaml.safe_load((target / "mkdocs.yml").read_text("utf-8")).get("nav")
    for title, path in _nav_paths(nav):
        stand_in = target / path
        if (REPO / path).is_file() and not stand_in.exists():
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text(f"---\ntitle: {_quoted(title)}\n---\n\n"
                                "A stand-in page of the benchmark corpus, kept so that the nav is complete.\n",
                                "utf-8")

    settings = _plugin_settings(target / "mkdocs.yml")
    stakeholders = list(settings.get("stakeholders") or {})
    stages = [str(key) for key in settings.get("stages") or {}]
    topics = list(settings.get("topics") or {})

    rng = random.Random(seed)
    folder = target / "deliverables"
    folder.mkdir(exist_ok=True)
    for i in range(deliverables):
        wp, n = i % len(WORK_PACKAGES) + 1, i // len(WORK_PACKAGES) + 1
        subject = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 6)))
        title = f"{rng.choice(_TITLE_HEADS)} {subject}"
        summary = _sentence(rng, 14, 26)
        front = [
            "---",
            f"title: {_quoted(title)}",
            f"id: D{wp}.{n}",
            f"summary: {_quoted(summary)}",
            "nature: R",
            "dissemination: PU",
            f"stakeholders: [{', '.join(_pick(rng, stakeholders, 1, 3))}]",
            f"stages: [{', '.join(_pick(rng, stages, 1, 3))}]",
            f"topics: [{', '.join(_pick(rng, topics, 1, 3))}]",
            "---",
            "",
        ]
        (folder / f"d{wp}-{n}.md").write_text("\n".join(front) + "\n" + _body(rng, words), "utf-8")
        for language in LANGUAGES[1:languages]:
            translated = ["---", f"title: {_quoted(f'{title} ({language})')}",
                          f"summary: {_quoted(_sentence(rng, 14, 26))}", "---", ""]
            (folder / f"d{wp}-{n}.{language}.md").write_text("\n".join(translated) + "\n" + _body(rng, words), "utf-8")
    return target


def _write_config(path: Path, languages: tuple[str, ...]) -> None:
    """The demo's mkdocs.yml in `languages`: as it is (its comments kept) when they are the demo's
    own, else with the plugin's `languages` set and the config's words in no other language."""
    demo = REPO / "mkdocs.yml"
    if list(languages) == (_plugin_settings(demo).get("languages") or ["en"]):
        shutil.copy2(demo, path)
        return
    data = yaml.safe_load(demo.read_text("utf-8"))
    settings = next(plugin["disseminate"] for plugin in data["plugins"]
                    if isinstance(plugin, dict) and "disseminate" in plugin)
    settings["languages"] = list(languages)
    settings.pop("translations", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--deliverables", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, default=600, help="minimum words per deliverable body")
    parser.add_argument("--languages", type=int, default=1, choices=range(1, len(LANGUAGES) + 1),
                        help=f"languages of the site, from {', '.join(LANGUAGES)}; every deliverable translated")
    args = parser.parse_args()
    print(write_corpus(args.target, args.deliverables, args.seed, args.words, args.languages))


if __name__ == "__main__":
    main()
