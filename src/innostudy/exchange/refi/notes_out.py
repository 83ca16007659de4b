"""Memos and notes on their way out: code memos, coding memos and session notes as REFI notes."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.exchange.refi.ids import Guids
from innostudy.exchange.refi.project import RefiNote
from innostudy.model import Code, Coding, GroupSession

CODE_MEMO = "Memo: "
CODING_MEMO = "Coding memo"
SESSION_NOTES = "Session notes: "
ASSISTANCE = "Machine assistance in coding"


class NoteBook:
    """Collects notes in the order they are met; each returns the GUIDs to reference it by."""

    def __init__(self, guids: Guids) -> None:
        self.guids = guids
        self.notes: list[RefiNote] = []
        self._sessions: dict[int, list[str]] = {}

    def _add(self, key: tuple[object, ...], name: str, text: str) -> list[str]:
        if not text.strip():
            return []
        guid = self.guids("note", *key)
        self.notes.append(RefiNote(guid=guid, name=name, text=text))
        return [guid]

    def code_memo(self, code: Code) -> list[str]:
        return self._add(("code", code.id), f"{CODE_MEMO}{code.name}", code.memo)

    def coding_memo(self, coding: Coding) -> list[str]:
        return self._add(("coding", coding.id), CODING_MEMO, coding.memo)

    def session_notes(self, group_session: GroupSession) -> list[str]:
        if group_session.id not in self._sessions:
            self._sessions[group_session.id] = self._add(
                ("session", group_session.id),
                f"{SESSION_NOTES}{group_session.name}",
                group_session.notes_md,
            )
        return self._sessions[group_session.id]

    def project_note(self, name: str, text: str) -> list[str]:
        """A note on the project itself (what was machine-assisted, for one)."""
        return self._add(("project", name), name, text)

    def project_note_guids(self, session: Session) -> list[str]:
        """Notes of sessions that have no transcript hang off the project itself."""
        rows = session.scalars(
            sa.select(GroupSession).where(GroupSession.notes_md != "").order_by(GroupSession.id)
        )
        out: list[str] = []
        for row in rows:
            if row.id not in self._sessions:
                out += self.session_notes(row)
        return out
