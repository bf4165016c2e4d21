"""The seams hold: a new output is one module that registers itself, a new content type with a
unique key and a reference field is one module plus its templates. Each is written here as a
project would write it, loaded, used by a real build, and removed again."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
import textwrap

import pytest

from builder import CONTENT_TYPES, load_project
from builder.outputs import OUTPUTS, base

TITLE_LIST = '''
"""A plain-text list of every published title, one per line."""

from builder.outputs import Made, Output, OutputContext, register_output


@register_output
class TitleList(Output):
    name = "titles"
    stage = "site"
    writes = ("titles.txt",)

    def run(self, context: OutputContext) -> Made:
        titles = sorted(record.item.title for record in context.project.collection.published())
        path = context.site_dir / "titles.txt"
        path.write_text("\\n".join(titles) + "\\n", "utf-8")
        return Made(summary=len(titles))
'''

DATASET = '''
"""Data sets: what the project published as data, numbered DS<n>, drawn from deliverables."""

from typing import ClassVar

from pydantic import Field

from builder.types import ItemWithSummary


class Dataset(ItemWithSummary):
    """A published data set."""

    type_name: ClassVar[str] = "dataset"
    type_label: ClassVar[str] = "Dataset"
    folder: ClassVar[str] = "content/datasets"
    listing_title: ClassVar[str] = "Data sets"
    unique_key: ClassVar[str] = "id"
    references: ClassVar[dict[str, str]] = {"sources": "deliverable"}

    id: str = Field(pattern=r"^DS[0-9]+$", description="Data set number, e.g. DS1; unique.")
    sources: list[str] = Field([], description="Ids of the deliverables it was collected for.")
'''

LISTING = '{% import "_macros.html" as m with context %}\n<h1>{{ page.title }}</h1>\n{{ m.entries(records) }}\n'
CARD = ('<div class="ds-card__row"><dt>Sources</dt><dd>{% for source in collection.targets(record, "sources") %}'
        '<a href="{{ url(source) }}">{{ source.item.id }}</a>{% endfor %}</dd></div>\n')


@contextlib.contextmanager
def project_module(folder, name: str, source: str, registry: dict, entry: str):
    """A module a project would write, imported as Python imports it; its registry `entry` and the
    module are removed again afterwards, so that no other test sees them."""
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source), "utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    try:
        yield
    finally:
        registry.pop(entry)
        sys.modules.pop(name)


@pytest.fixture
def title_list(tmp_path):
    with project_module(tmp_path, "title_list_output", TITLE_LIST, OUTPUTS, "titles"):
        yield


@pytest.fixture
def dataset_type(tmp_path):
    with project_module(tmp_path, "dataset_type", DATASET, CONTENT_TYPES, "dataset"):
        yield


def dataset(ident: str, *sources: str) -> str:
    return f"---\ntitle: Data set {ident}\nid: {ident}\nsummary: Answers of the survey.\nsources: [{', '.join(sources)}]\n---\nText.\n"


def test_a_new_output_is_one_module(fixture_project, title_list):
    assert fixture_project.run("build", "--no-pdf") == 0
    assert (fixture_project.site / "titles.txt").read_text("utf-8") == "A report\nHome\n"
    assert OUTPUTS["titles"].writes == ("titles.txt",)


def test_what_a_new_output_writes_no_published_file_may_take(fixture_project, title_list, capsys):
    fixture_project.write("content/titles.txt", "A list by hand.\n")
    fixture_project.write("content/index.md", "---\ntitle: Home\n---\n[Titles](titles.txt)\n")
    assert fixture_project.run("check") == 1
    assert ("content/titles.txt:1: file: would be published as titles.txt, which belongs to the site itself"
            in capsys.readouterr().err)


def test_a_new_type_is_one_module_plus_its_templates(fixture_project, dataset_type, capsys):
    fixture_project.write("content/datasets/survey.md", dataset("DS1", "D1.1"))
    assert fixture_project.run("check") == 1  # its listing page has no template yet
    assert ("content/datasets/index.md (generated):1: template: needs the template listing_dataset.html"
            in capsys.readouterr().err)
    fixture_project.write("theme/disseminate/listing_dataset.html", LISTING)
    fixture_project.write("theme/disseminate/card_dataset.html", CARD)
    assert fixture_project.run("build", "--no-pdf") == 0
    listing = (fixture_project.site / "datasets/index.html").read_text("utf-8")
    assert "Data set DS1" in listing
    page = (fixture_project.site / "datasets/survey/index.html").read_text("utf-8")
    assert '<dt>Sources</dt><dd><a href="../../deliverables/d1-1/">D1.1</a></dd>' in page
    catalogue = json.loads((fixture_project.site / "catalogue.json").read_text("utf-8"))
    assert [(entry["title"], entry["id"]) for entry in catalogue["items"] if entry["type"] == "dataset"] == [
        ("Data set DS1", "DS1")]
    project = load_project(fixture_project.root)
    report = project.collection.deliverable("D1.1")
    assert [record.path for record in project.collection.referring(report, "dataset")] == ["content/datasets/survey.md"]


def test_a_new_types_key_and_references_are_checked(fixture_project, dataset_type, capsys):
    fixture_project.write("theme/disseminate/listing_dataset.html", LISTING)
    fixture_project.write("content/datasets/a.md", dataset("DS1", "D1.1"))
    fixture_project.write("content/datasets/b.md", dataset("DS1", "D9.9"))
    assert fixture_project.run("check") == 1
    said = capsys.readouterr().err
    assert "content/datasets/b.md:3: dataset 'id': 'DS1' is already used by content/datasets/a.md (each must be unique)" in said
    assert "content/datasets/b.md:5: dataset 'sources[0]': no deliverable 'D9.9' (known: D1.1)" in said


def test_outputs_run_after_what_they_need_whatever_order_they_register_in(monkeypatch):
    def output(name: str, needs: tuple[str, ...] = ()) -> type[base.Output]:
        return type(name, (base.Output,), {"name": name, "stage": "site", "needs": needs})
    monkeypatch.setattr(base, "OUTPUTS", {})
    for made in (output("report", needs=("figures",)), output("figures", needs=("tables",)), output("tables")):
        base.register_output(made)
    assert [made.name for made in base.in_order("site")] == ["tables", "figures", "report"]
    base.register_output(output("tables", needs=("report",)))  # now they need each other
    with pytest.raises(ValueError, match="need each other"):
        base.in_order("site")
