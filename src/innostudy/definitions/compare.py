"""How two versions of a definition differ: in meaning, in a sentence, and line by line.

Meaning is the YAML document (comments and layout aside), so reformatting a file or
adding a comment never counts as a change a command must refuse over. The sentence is
built from keyed lists (sections, questions, codes, group types, areas): what was
added, removed or changed, by key.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from innostudy.errors import InputError
from innostudy.yamldoc import parse_yaml

MAX_DIFF_LINES = 80
MAX_SUMMARY = 400
_NOUNS = {
    "sections": "section",
    "questions": "question",
    "codes": "code",
    "children": "code",
    "group_types": "group type",
    "areas": "area",
    "items": "item",
}
_NO_DOCUMENT = object()


def document(text: str) -> Any:
    """The YAML document of ``text``, or a marker that never equals one when it is not YAML."""
    try:
        return parse_yaml(text, "definition")
    except InputError:
        return _NO_DOCUMENT


def same_meaning(a: str, b: str) -> bool:
    if a == b:
        return True
    doc = document(a)
    return doc is not _NO_DOCUMENT and doc == document(b)


def change_summary(old: str | None, new: str) -> str:
    """One line saying what changed from ``old`` to ``new`` (for the history)."""
    if old is None:
        return "first revision"
    if old == new:
        return "no change"
    before, after = document(old), document(new)
    if before is _NO_DOCUMENT or after is _NO_DOCUMENT:
        return "text changed"
    parts = _changes(before, after, "")
    text = "; ".join(parts) if parts else "comments or layout only"
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def _keyed(items: Any) -> dict[str, Any] | None:
    """A list of mappings that each have a key (or a name), by that key; else None."""
    if not isinstance(items, list) or not items:
        return None
    keys = [i.get("key", i.get("name")) if isinstance(i, dict) else None for i in items]
    if any(not isinstance(k, str) for k in keys) or len(set(keys)) != len(keys):
        return None
    return {str(k): item for k, item in zip(keys, items, strict=True)}


def _changes(before: Any, after: Any, where: str) -> list[str]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return [] if before == after else [f"changed {where or 'the whole document'}"]
    parts: list[str] = []
    for field in [*before, *[f for f in after if f not in before]]:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        noun = _NOUNS.get(field)
        old_items, new_items = _keyed(old), _keyed(new)
        if noun and old_items is not None and new_items is not None:
            parts += _list_changes(noun, old_items, new_items)
        else:
            parts.append(f"changed {field}")
    return parts


def _list_changes(noun: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    parts = [f"added {noun} '{k}'" for k in added] + [f"removed {noun} '{k}'" for k in removed]
    for key in (k for k in before if k in after and before[k] != after[k]):
        old, new = before[key], after[key]
        nested = [f for f in [*old, *[f for f in new if f not in old]] if old.get(f) != new.get(f)]
        plain: list[str] = []
        inner: list[str] = []
        for f in nested:
            old_list, new_list = _keyed(old.get(f)), _keyed(new.get(f))
            if f in _NOUNS and old_list is not None and new_list is not None:
                inner += _list_changes(_NOUNS[f], old_list, new_list)
            else:
                plain.append(f)
        if plain:
            parts.append(f"changed {noun} '{key}' ({', '.join(plain)})")
        parts += inner
    if list(before) != list(after) and not added and not removed:
        parts.append(f"reordered {noun}s")
    return parts


def unified(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """A readable line diff (``-`` the first text, ``+`` the second), cut at 80 lines.

    When the two are laid out differently (a hand-written file against one innostudy wrote
    from the database), the texts differ on every line; the data is then compared as YAML
    written one way, which shows only what changed.
    """
    lines = _diff(old, new, old_label, new_label)
    before, after = document(old), document(new)
    if before is not _NO_DOCUMENT and after is not _NO_DOCUMENT:
        as_data = _diff(
            _canonical(before),
            _canonical(after),
            f"{old_label} (as data: comments and layout aside)",
            f"{new_label} (as data)",
        )
        if as_data and 2 * len(as_data) < len(lines):
            lines = as_data
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"… {more} more lines"]
    return lines


def _diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=2
        )
    )


def _canonical(data: Any) -> str:
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def _plain(data: Any) -> Any:
    """Mappings that remember their lines (yamldoc.Node) as plain dicts, for dumping."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data
