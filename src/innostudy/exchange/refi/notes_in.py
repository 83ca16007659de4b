"""Notes coming in: attached where innostudy has a place for them, reported where it has none.

A note on a code becomes the code's memo; a note on a coding or selection (and a
selection's description) becomes the memo of each coding made from it; a note on a
source (and the source's description) joins the notes of the session the transcript
records. Notes on the project as a whole, notes nothing refers to, and annotations
(notes that mark a passage of a source) have no place in innostudy and are reported,
except innostudy's own note on machine assistance, which every export recomputes.
"""

from __future__ import annotations

from innostudy.exchange.refi.notes_out import ASSISTANCE
from innostudy.exchange.refi.project import RefiNote, RefiProject
from innostudy.exchange.refi.xmlutil import listing
from innostudy.model import GroupSession
from innostudy.wording import counted


class NoteIndex:
    def __init__(self, project: RefiProject) -> None:
        self.by_guid = {n.guid: n for n in project.notes}
        # innostudy's own note on machine assistance describes the study it came from and
        # is computed afresh on every export; there is nothing in it to keep.
        self.used: set[str] = {n.guid for n in project.notes if n.name == ASSISTANCE}

    def take(self, guids: list[str], *, annotations: bool = True) -> list[str]:
        """The texts of these notes (marked as used); annotations only when asked for."""
        texts: list[str] = []
        for guid in guids:
            note = self.by_guid[guid]
            if note.annotates and not annotations:
                continue
            self.used.add(guid)
            if note.text.strip():
                texts.append(note.text.strip())
        return texts

    def memo(self, guids: list[str]) -> str:
        return "\n\n".join(self.take(guids))

    @staticmethod
    def append_to_session(group_session: GroupSession, texts: list[str]) -> None:
        current = group_session.notes_md or ""
        for text in texts:
            if text not in current:
                current = f"{current}\n\n{text}" if current else text
        group_session.notes_md = current

    def unused(self) -> list[RefiNote]:
        return [n for guid, n in self.by_guid.items() if guid not in self.used]

    def warnings(self) -> list[str]:
        left = self.unused()
        annotations = [n for n in left if n.annotates]
        others = [n for n in left if not n.annotates]
        out: list[str] = []
        if annotations:
            out.append(
                f"{counted(len(annotations), 'annotation')} (notes on a passage of a source) "
                "not imported: "
                "innostudy has no annotations; code the passage with a memo instead"
            )
        if others:
            names = [n.name or "(untitled)" for n in others]
            out.append(
                f"{counted(len(others), 'note')} not imported ({listing(names)}): attached to the "
                "project as a whole or to nothing innostudy keeps"
            )
        return out
