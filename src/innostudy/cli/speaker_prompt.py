"""The interactive speaker mapping: ask, for each label, which participant or role it is."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session

from innostudy.cli.common import console
from innostudy.model import SpeakerRole, Transcript
from innostudy.transcripts.roles import role_word
from innostudy.transcripts.speakers import SpeakerMap, speaker_rows
from innostudy.wording import counted


def prompt_for_speakers(
    session: Session, transcript: Transcript, *, all_speakers: bool = False
) -> SpeakerMap:
    """Answers become a speaker map; Enter leaves a speaker as it is. Names are not shown."""
    group = transcript.session.focus_group
    people = list(group.participants) if group is not None else []
    codes = {p.code.casefold(): p.code for p in people}
    if people:
        listed = ", ".join(f"{p.code} ({p.role or '-'})" for p in people)
        console.print(f"Participants of {group.name if group else ''}: {listed}", markup=False)
    console.print("Roles: facilitator, note_taker, unknown. Enter leaves a speaker as it is.")
    mapping = SpeakerMap(source="prompt")
    for row in speaker_rows(session, transcript):
        if not all_speakers and row.role is not SpeakerRole.UNKNOWN:
            continue
        example = next((seg.text for seg in transcript.segments if seg.speaker_id == row.id), "")
        question = f"'{row.label}' ({counted(row.turns, 'turn')}, e.g. \"{example[:60]}\")"
        while True:
            answer = str(typer.prompt(question, default="", show_default=False)).strip()
            if not answer:
                break
            if role_word(answer) is not None or answer.casefold() in codes or not people:
                mapping.entries[row.label] = codes.get(answer.casefold(), answer)
                break
            console.print(f"Not a code of this group or a role: {answer}", markup=False)
    return mapping
