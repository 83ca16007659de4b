"""Placeholders in the analyst's narrative, e.g. ``{{stat: time_to_market.mean}}``.

Syntax: ``{{kind: argument key=value key=value}}``. Kinds::

    {{stat: NAME}}                                   a number from the survey analysis
    {{figure: NAME}}                                 a chart, numbered, with caption
    {{table: NAME}}                                  a table (e.g. groups, response)
    {{quote: Q-123}}                                 one verified quote
    {{quotes: code=KEY per_group=1 limit=N …}}      verified quotes, balanced across groups
    {{joint: AREA}}                                  what each group said, theme by theme
    {{comparison: AREA}}                             civil service beside comparison groups
    {{todo: what is still to be written}}            always a gap: the report is refused
                                                     until the analyst writes it

``stat`` may appear inside a sentence; the others stand alone as their own paragraph.
Parsing is pure; errors carry the line so the analyst can find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INLINE_KINDS = frozenset({"stat"})
BLOCK_KINDS = frozenset({"figure", "table", "quote", "quotes", "joint", "comparison", "todo"})
KINDS = INLINE_KINDS | BLOCK_KINDS

PATTERN = re.compile(r"\{\{\s*(?P<body>[^{}]*?)\s*\}\}")
_BODY = re.compile(r"^(?P<kind>[a-z]+)\s*:\s*(?P<rest>.*)$", re.DOTALL)
_PARAM = re.compile(r"^(?P<key>[a-z_]+)=(?P<value>\S+)$")


class PlaceholderError(ValueError):
    """A placeholder that cannot be understood; ``column`` is 1-based."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


@dataclass(frozen=True)
class Placeholder:
    kind: str
    argument: str
    params: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the placeholder as written, e.g. "{{stat: x}}"


def parse_placeholder(source: str) -> Placeholder:
    m = PATTERN.fullmatch(source.strip())
    if m is None:
        raise PlaceholderError(f"not a placeholder: {source!r}", source)
    body = _BODY.match(m.group("body"))
    if body is None:
        raise PlaceholderError(f"{source} needs a kind, like {{{{stat: NAME}}}}", source)
    kind, rest = body.group("kind"), body.group("rest").strip()
    if kind not in KINDS:
        raise PlaceholderError(
            f"unknown placeholder kind '{kind}' in {source} (one of: {', '.join(sorted(KINDS))})",
            source,
        )
    if kind == "todo":
        if not rest:
            raise PlaceholderError(f"{source} needs to say what is still to be written", source)
        return Placeholder(kind, " ".join(rest.split()), {}, source.strip())
    argument = ""
    params: dict[str, str] = {}
    for word in rest.split():
        pm = _PARAM.match(word)
        if pm is not None:
            params[pm.group("key")] = pm.group("value")
        elif not argument:
            argument = word
        else:
            raise PlaceholderError(f"unexpected '{word}' in {source}", source)
    if kind != "quotes" and not argument:
        raise PlaceholderError(f"{source} needs a name after '{kind}:'", source)
    return Placeholder(kind, argument, params, source.strip())


def find_placeholders(text: str) -> list[tuple[int, int, str]]:
    """(start, end, source) of every ``{{…}}`` in ``text``."""
    return [(m.start(), m.end(), m.group(0)) for m in PATTERN.finditer(text)]


def is_standalone(text: str) -> bool:
    """True when a paragraph is one placeholder and nothing else."""
    found = find_placeholders(text)
    return len(found) == 1 and text.strip() == found[0][2]
