"""The README's field reference is generated from the schemas and must match them."""

from conftest import REPO

from builder.reference import END, START, field_reference


def test_readme_field_reference_is_current():
    readme = (REPO / "README.md").read_text("utf-8")
    current = readme.split(START, 1)[1].split(END, 1)[0]
    assert current == "\n" + field_reference(), "run `make docs` to regenerate the README field reference"


def test_reference_names_every_field_of_every_type():
    reference = field_reference()
    for name in ("`dissemination`", "`history`", "`number`", "`related`", "`audience`", "`timezone`",
                 "`registration`", "`stakeholders`"):
        assert name in reference
