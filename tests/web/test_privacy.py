"""Coders see session notes and names from file names through the personal-data rule."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.model import GroupSession, ParticipantContact, Transcript
from tests.web.conftest import WebStudy, login, texts


def _plant(web: WebStudy) -> tuple[int, int, str, str]:
    """A session whose notes and transcript name carry a registered person's details."""
    with web.store.session() as s:
        contact = s.scalars(
            sa.select(ParticipantContact).where(ParticipantContact.phone != "")
        ).first()
        assert contact is not None and contact.email
        transcript = s.scalars(sa.select(Transcript).order_by(Transcript.id)).first()
        assert transcript is not None
        gs = s.get(GroupSession, transcript.session_id)
        assert gs is not None
        digits = "".join(c for c in contact.phone if c.isdigit())
        gs.notes_md = f"{contact.full_name} left early; phone {digits}, mail {contact.email}."
        transcript.name = f"interview {contact.full_name.upper()}"
        return gs.id, transcript.id, contact.full_name, contact.email


def test_a_coder_sees_notes_and_transcript_names_redacted(web: WebStudy) -> None:
    session_id, transcript_id, name, email = _plant(web)
    login(web.client, "cody")
    page = web.client.get(f"/sessions/{session_id}")
    assert page.status_code == 200
    assert name not in page.text and name.upper() not in page.text and email not in page.text
    assert texts(page, "//div[@class='notes']") == [
        "[PERSON] left early; phone [PHONE], mail [EMAIL]."
    ]
    assert "interview [PERSON]" in texts(page, "//main//li/a")
    assert texts(page, "//p[@class='muted']") == [
        "4 personal details (names, email addresses, phone numbers) hidden: "
        "coders see pseudonymised text only."
    ]
    for path in ("/coding", f"/coding/transcripts/{transcript_id}"):
        other = web.client.get(path)
        assert other.status_code == 200 and name.upper() not in other.text, path
        assert "interview [PERSON]" in other.text, path


def test_a_researcher_sees_them_as_written(web: WebStudy) -> None:
    session_id, _, name, email = _plant(web)
    login(web.client, "rita")
    page = web.client.get(f"/sessions/{session_id}")
    assert name in page.text and email in page.text
    assert texts(page, "//p[@class='muted']") == []
