"""YAML files people edit by hand, loaded so that every error can name its line.

Mappings load as :class:`Node` (a dict that remembers the line of itself and of each
key), so a loader can say "instrument.yaml, line 42, field 'choices': unknown list".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from innostudy.errors import InputError
from innostudy.textfiles import read_text


class Node(dict[str, Any]):
    """A YAML mapping with 1-based line numbers for itself and its keys."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.1 reads yes/no/on/off as booleans, which turns a choice list like [yes, no]
# into [True, False]. Follow YAML 1.2 instead: only true/false are booleans.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def parse_yaml(text: str, source: str | Path) -> Any:
    """Parse YAML text; a syntax error becomes an InputError with its line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise InputError(source, line, None, f"not valid YAML: {problem}", unit="line") from None
    except yaml.YAMLError as exc:
        raise InputError(source, None, None, f"not valid YAML: {exc}", unit="line") from None


def load_yaml(path: Path) -> Any:
    return parse_yaml(read_text(path).text, path)


def line_of(node: Any, key: str | None = None) -> int | None:
    """Line of a mapping (or of one of its keys) if the loader recorded it."""
    if isinstance(node, Node):
        return node.line_of(key) if key is not None else node.line
    return None
