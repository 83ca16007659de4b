"""A suggestion's stored reason in words (its JSON is for machines, not for reviewers).

The reason is whatever the auto-coder stored (coding/auto/suggest.py: model, learned_from,
ranked, nearest); these functions turn any such value into text without assuming more
than its shape, so a new key still reads as words rather than as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

LABELS = {
    "model": "Model",
    "learned_from": "Accepted codings it learned from",
    "ranked": "Codes it considered, most likely first",
}


def reason_label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def reason_text(value: Any) -> str:
    """``[["costs.speed", 0.62], ["costs", 0.2]]`` → ``costs.speed (62%), costs (20%)``."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{reason_label(str(k)).lower()}: {reason_text(v)}" for k, v in value.items()
        )
    if isinstance(value, Sequence):
        return ", ".join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    """A ranked pair reads as a name and its share; anything else as text."""
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], float | int)
        and not isinstance(value[1], bool)
        and 0 <= value[1] <= 1
    ):
        return f"{value[0]} ({100 * value[1]:.0f}%)"
    return reason_text(value)


__all__ = ["reason_label", "reason_text"]
