"""What a page shows of personal data: researchers see text as stored; coders see it through
the personal-data rule (``innostudy.personal_data``), like every export.

Templates call ``private(text)`` on anything people typed or that came from a file name
(session notes, transcript and session names); the rule is read from the study once per
page, and only if a coder is looking.
"""

from __future__ import annotations

from typing import Protocol

from innostudy.personal_data import PersonalData
from innostudy.storage.store import StudyStore


class _Viewer(Protocol):
    @property
    def can_see_personal_data(self) -> bool: ...


class Privacy:
    """``private(text)`` for one page; ``hidden`` counts what it replaced."""

    def __init__(self, store: StudyStore, viewer: _Viewer | None) -> None:
        self._store = store
        self.redacts = viewer is not None and not viewer.can_see_personal_data
        self._rule: PersonalData | None = None
        self.hidden = 0

    def __call__(self, text: str) -> str:
        if not self.redacts or not text:
            return text
        if self._rule is None:
            with self._store.session() as s:
                self._rule = PersonalData.of(s)
        redacted, n = self._rule.redact(text)
        self.hidden += n
        return redacted
