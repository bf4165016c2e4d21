"""Strict reading of YAML (front matter and config) that keeps the line of every key.

MkDocs' own meta parser drops YAML errors silently; staff need to hear about them, with the
line, so everything here reports problems instead of guessing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.cyaml
from yaml_env_tag import construct_env_tag  # MkDocs' own reading of !ENV

Path = tuple[str | int, ...]

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


MAX_DEPTH = 20  # levels of nesting; front matter needs three or four, and deeper input only attacks
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and line ends


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates and decimals as text, so the schema judges them, and refuses to
    nest deeper than MAX_DEPTH (which would otherwise exhaust Python's recursion limit).

    PyYAML turns `2015-09-31` into a crash and `version: 1.10` into 1.1; as text, the first gets
    a clear message from validation and the second keeps its meaning.
    """

    depth = 0

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts
            raise yaml.constructor.ConstructorError(problem=f"the number {node.value[:20]}... is too long",
                                                    problem_mark=node.start_mark) from None

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=f"values nest more than {MAX_DEPTH} levels deep",
                                       problem_mark=self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class FrontMatterLoader(StrictLoader):
    """Front matter needs no anchors or aliases, and they are the stuff of "billion laughs" attacks
    (nine aliases of nine made check run for minutes) and of values that contain themselves."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem="anchors (&name) and aliases (*name) are not allowed here: "
                                               "write each value out", problem_mark=event.start_mark)
        if getattr(event, "tag", None) not in (None, "!"):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise yaml.MarkedYAMLError(problem=f"tags such as {tag} are not allowed here: write the value as plain "
                                               "text", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ConfigLoader(StrictLoader):
    """Reads mkdocs.yml as MkDocs reads it, so that `check` and the build see the same values:
    YAML's own types (dates, decimals) and `!ENV` tags resolved from the environment. Other tags
    (Python objects for Markdown extensions) are MkDocs' business and read as nothing."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:  # 2015-09-31: PyYAML's date constructor raises, MkDocs would crash
            raise yaml.constructor.ConstructorError(problem=f"'{node.value}' is not a real date ({error})",
                                                    problem_mark=node.start_mark) from None


ConfigLoader.yaml_implicit_resolvers = yaml.SafeLoader.yaml_implicit_resolvers
ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", ConfigLoader.construct_yaml_timestamp)
ConfigLoader.add_constructor("!ENV", construct_env_tag)
ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class FrontMatterLoaderInC(yaml.cyaml.CParser, FrontMatterLoader):
    """FrontMatterLoader with libyaml's parser in C making the events, a tenth of the time of
    PyYAML's own (which read front matter in half the time of `check`); the nodes are still made
    here, one level at a time, with every rule of FrontMatterLoader. Used only where the text
    reads without a problem: a text with one is read again by FrontMatterLoader, whose messages
    the project's staff know (libyaml words them otherwise)."""

    def __init__(self, stream: str) -> None:
        yaml.cyaml.CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def get_single_node(self) -> yaml.Node | None:  # the Python composer's, not the C one (no rules there)
        return yaml.composer.Composer.get_single_node(self)


class YamlProblem(Exception):
    """A YAML document that cannot be read: `line` is 1-based in the whole file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class LinedData:
    """A YAML mapping with the 1-based line of each key and list item."""

    data: dict[str, Any]
    lines: dict[Path, int]
    start_line: int

    def line_of(self, path: Path) -> int:
        """Line of the deepest part of `path` that exists, else the document start."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return self.start_line


def load_yaml(text: str, first_line: int = 1,
              loader: type[yaml.SafeLoader] = FrontMatterLoader) -> tuple[Any, dict[Path, int]]:
    """Parse one YAML document; return its value and the line of every key and item."""
    if loader is FrontMatterLoader and yaml.__with_libyaml__:
        with contextlib.suppress(YamlProblem):
            return _load_yaml(text, first_line, FrontMatterLoaderInC)
    return _load_yaml(text, first_line, loader)


def _load_yaml(text: str, first_line: int, loader: type[yaml.SafeLoader]) -> tuple[Any, dict[Path, int]]:
    try:
        instance = loader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, anywhere in the text
        line = first_line + text.count("\n", 0, error.position)
        raise YamlProblem(line, f"character U+{error.character:04X} is not allowed (remove it)") from None
    try:
        node = instance.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Path, int] = {}
        _collect_lines(node, (), lines, first_line)
        return instance.construct_document(node), lines
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlProblem(line, _describe_yaml_error(error)) from None
    except yaml.YAMLError as error:
        raise YamlProblem(first_line, str(error)) from None
    finally:
        instance.dispose()


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "could not be read"
    if error.context and "duplicate" not in problem:
        return f"{error.context}, {problem}"
    return problem


def _collect_lines(node: yaml.Node, path: Path, lines: dict[Path, int], first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(problem="a field name must be a word, not a list or a group",
                                           problem_mark=key_node.start_mark)
            key = key_node.value
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"'{key}' is given twice", problem_mark=key_node.start_mark)
            seen.add(key)
            lines[path + (key,)] = first_line + key_node.start_mark.line
            _collect_lines(value_node, path + (key,), lines, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = first_line + item.start_mark.line
            _collect_lines(item, path + (index,), lines, first_line)


@dataclass
class SourceText:
    """A Markdown source split into front matter and body, with the body's first line."""

    front_matter: LinedData | None
    body: str
    body_line: int
    problems: list[tuple[int, str]] = field(default_factory=list)
    absent: bool = False  # the file has no front matter at all (not a broken one)


def split_source(text: str) -> SourceText:
    """Split `---` front matter from the body; report (line, message) pairs, never raise."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return SourceText(None, text, 1, [(1, "no front matter (start the file with a '---' line, "
                                              "then 'title: ...', then '---')")], absent=True)
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return _parse_front_matter(yaml_text, body, index + 2)
    return SourceText(None, "", 1, [(1, "front matter is not closed (add a '---' line after the fields)")])


def with_front_matter_line(text: str, line: str) -> str | None:
    """`text` with `line` added as the last line of its front matter and every other character as it
    was (comments, quoting, line ends: re-dumping the YAML would lose them); None when the text has
    no closed front matter. Lines are found as `split_source` finds them."""
    lines = text.split("\n")
    if not _FENCE.match(lines[0].lstrip("\ufeff").removesuffix("\r")):
        return None
    for index in range(1, len(lines)):
        if _END.match(lines[index].removesuffix("\r")):
            ending = "\r" if lines[index - 1].endswith("\r") else ""  # a file written with CRLF stays so
            return "\n".join([*lines[:index], line + ending, *lines[index:]])
    return None


def _parse_front_matter(yaml_text: str, body: str, body_line: int) -> SourceText:
    try:
        data, lines = load_yaml(yaml_text, first_line=2)
    except YamlProblem as problem:
        return SourceText(None, body, body_line, [(problem.line, f"front matter is not valid YAML: {problem.message}")])
    if data is None:
        return SourceText(None, body, body_line, [(1, "front matter is empty (at least 'title' is required)")])
    if not isinstance(data, dict):
        return SourceText(None, body, body_line, [(2, "front matter must be 'field: value' lines, "
                                                      f"not {describe_value(data)}")])
    front_matter = LinedData(data, lines, 1)
    problems = [(front_matter.line_of(path), f"'{dotted_path(path)}' contains the control character U+{ord(char):04X}, "
                                             "which cannot be shown (remove it)")
                for path, char in _control_characters(data, ())]
    body_line_of = {body_line + body.count("\n", 0, found.start()): found.group() for found in CONTROL_CHARACTERS.finditer(body)}
    problems += [(line, f"the text contains the control character U+{ord(char):04X}, which cannot be shown "
                        "(remove it)") for line, char in body_line_of.items()]
    return SourceText(None if problems else front_matter, body, body_line, problems)


def _control_characters(value: Any, path: Path) -> list[tuple[Path, str]]:
    """(where, which) for every text value that holds a control character."""
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        return [(path, found.group())] if found else []
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in _control_characters(item, path + (key,))]
    if isinstance(value, list):
        return [hit for index, item in enumerate(value) for hit in _control_characters(item, path + (index,))]
    return []


def dotted_path(path: Path) -> str:
    """`history[0].date`: where a value stands, the way messages name it."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def describe_value(value: Any) -> str:
    """A short, staff-readable name for the kind of a YAML value."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__
