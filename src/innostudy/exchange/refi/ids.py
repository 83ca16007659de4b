"""Deterministic REFI-QDA GUIDs: the same study exported twice names everything the same.

Every GUID is a UUID version 5 over a namespace of the study, itself derived from the
study's creation time (a value that never changes once the study exists). So a code,
coder, source or coding keeps its GUID across exports, and a QDA tool that re-imports a
newer export can recognise what it already has. Nothing random, nothing from the clock.
"""

from __future__ import annotations

import uuid
from datetime import datetime

# A fixed UUID for innostudy itself; every study namespace hangs off it.
INNOSTUDY_NAMESPACE = uuid.UUID("6f1d0c8e-9a57-5b1e-8f43-2a7c1e0b9d35")


def study_namespace(created_at: datetime) -> uuid.UUID:
    return uuid.uuid5(INNOSTUDY_NAMESPACE, f"study:{created_at.isoformat()}")


class Guids:
    """GUIDs for one study: ``guids("code", "barriers.culture")`` is always the same."""

    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace

    def __call__(self, kind: str, *key: object) -> str:
        # U+001F (unit separator) cannot occur in keys, so ("a", "b:c") != ("a:b", "c").
        name = "\x1f".join([kind, *(str(k) for k in key)])
        return str(uuid.uuid5(self.namespace, name))


def normalise_guid(value: str) -> str:
    """REFI allows ``{...}`` and either letter case; compare GUIDs in one spelling."""
    return value.strip().strip("{}").lower()
