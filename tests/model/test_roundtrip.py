"""Every table round-trips through a real database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innostudy import model as m
from innostudy.storage.upgrade import create_schema


@pytest.fixture
def engine(database_url: str, engines: Callable[[str], sa.Engine]) -> sa.Engine:
    engine = engines(database_url)
    create_schema(engine)
    return engine


def _graph(s: Session) -> dict[str, int]:
    org = m.Organisation(name="Agency for Tidal Energy", org_type="executive_agency")
    org.contact = m.OrganisationContact(contact_name="Zoë Hartley", email="z@example.org")
    batch = m.ImportBatch(
        kind=m.ImportKind.RESPONSES, file_name="r.csv", file_sha256="0" * 64, file_format="csv"
    )
    s.add_all([org, batch, m.StudyInfo(name="Round trip", settings={"study.name": "Round trip"})])
    s.flush()
    s.add(
        m.RejectedRow(
            batch_id=batch.id, row_number=3, field="category", value="x", reason="unknown choice"
        )
    )
    response = m.Response(
        organisation=org,
        status=m.ResponseStatus.SUBMITTED,
        answers={
            "category": "it_web",
            "origin": ["ministers"],
            "impacts": {"efficiency": "high"},
            "note": "Siân’s ✓",
        },
        source=m.ResponseSource.IMPORT,
        batch_id=batch.id,
    )
    s.add(response)
    s.flush()
    s.add(
        m.ResponseRevision(
            response_id=response.id,
            revision=1,
            status=response.status,
            answers=response.answers,
            source=response.source,
        )
    )
    gtype = m.GroupType(
        key="business",
        label="Innovative businesses",
        short_label="Business group",
        sector=m.Sector.COMPARISON,
        code_prefix="BUS",
    )
    group = m.FocusGroup(name="Business", group_type=gtype, label="Business group")
    participant = m.Participant(code="BUS-01", focus_group=group, response_id=response.id)
    participant.contact = m.ParticipantContact(full_name="Łukasz Wróbel")
    participant.consent = m.Consent(
        quotation=m.ConsentChoice.GRANTED, consent_date=date(2026, 3, 3)
    )
    session = m.GroupSession(
        focus_group=group, name="Business session", session_date=date(2026, 3, 3)
    )
    s.add_all([group, participant, session])
    s.flush()
    s.add(
        m.Recording(session_id=session.id, file_path="files/a.m4a", sha256="a" * 64, size_bytes=10)
    )
    transcript = m.Transcript(session_id=session.id, name="business", source_format="txt")
    s.add(transcript)
    s.flush()
    speaker = m.Speaker(
        transcript_id=transcript.id,
        label="Łukasz",
        role=m.SpeakerRole.PARTICIPANT,
        participant_id=participant.id,
    )
    s.add(speaker)
    s.flush()
    segment = m.Segment(
        transcript_id=transcript.id,
        position=0,
        speaker_id=speaker.id,
        start_ms=1000,
        text="Budgets 😀 run yearly.",
    )
    segment.raw = m.SegmentRaw(text="Budgets 😀 run yearly.")
    s.add(segment)
    s.flush()
    s.add(
        m.Redaction(
            segment_id=segment.id,
            start=0,
            end=1,
            tag="[PARTICIPANT]",
            kind="participant",
            original="Ł",
        )
    )
    s.add(
        m.SegmentEmbedding(
            segment_id=segment.id,
            model_name="mini",
            text_sha256="b" * 64,
            dim=2,
            vector=b"\x00\x01",
        )
    )
    book = m.Codebook(name="Default")
    s.add(book)
    s.flush()
    parent = m.Code(codebook_id=book.id, key="costs", name="Costs")
    s.add(parent)
    s.flush()
    child = m.Code(
        codebook_id=book.id,
        key="costs.budgeting",
        name="Budgeting",
        parent_id=parent.id,
        examples=["ex"],
    )
    coder = m.Coder(name="analyst-a")
    user = m.User(username="ana", role=m.Role.CODER, password_hash="x")
    s.add_all([child, coder, user])
    s.flush()
    s.add(
        m.LoginSession(
            token_hash="f" * 64, user_id=user.id, expires_at=datetime(2030, 1, 1, tzinfo=UTC)
        )
    )
    coding = m.Coding(
        segment_id=segment.id,
        code_id=child.id,
        coder_id=coder.id,
        start=0,
        end=7,
        confidence=0.8,
        reason={"nearest": [1]},
    )
    s.add(coding)
    s.flush()
    quote = m.Quote(
        segment_id=segment.id, coding_id=coding.id, code_id=child.id, start=0, end=7, text="Budgets"
    )
    s.add_all(
        [quote, m.AuditEvent(actor="t", action="test", entity_type="coding", entity_id=coding.id)]
    )
    s.add(
        m.StanceSuggestion(
            coding_id=coding.id, stance=m.Stance.QUALIFY, confidence=0.5, reason={"why": "ü"}
        )
    )
    text = "areas:\n  - {key: costs, title: Kosten – Zeitrahmen ✓}\n"
    s.add(m.DefinitionRevision(name="areas", number=1, content=text, sha256="0" * 64, actor="t"))
    s.flush()
    return {
        "response": response.id,
        "coding": coding.id,
        "quote": quote.id,
        "segment": segment.id,
        "participant": participant.id,
    }


def test_every_table_round_trips(engine: sa.Engine) -> None:
    with Session(engine) as s, s.begin():
        ids = _graph(s)
    with Session(engine) as s:
        for table in m.Base.metadata.sorted_tables:
            if table.name != "alembic_version":
                assert s.scalar(sa.select(sa.func.count()).select_from(table)) >= 1, table.name
        response = s.get_one(m.Response, ids["response"])
        assert response.answers["note"] == "Siân’s ✓"
        assert response.answers["impacts"] == {"efficiency": "high"}
        assert response.organisation.contact is not None
        assert response.organisation.contact.contact_name == "Zoë Hartley"
        assert response.created_at.tzinfo is UTC
        coding = s.get_one(m.Coding, ids["coding"])
        assert coding.segment.text[coding.start : coding.end] == "Budgets"
        assert coding.code.parent is not None and coding.code.parent.key == "costs"
        assert coding.code.area == "costs"
        assert coding.status is m.CodingStatus.ACCEPTED
        segment = s.get_one(m.Segment, ids["segment"])
        assert segment.text == "Budgets 😀 run yearly."
        assert segment.speaker is not None and segment.speaker.participant is not None
        assert segment.speaker.participant.code == "BUS-01"
        assert s.get_one(m.Quote, ids["quote"]).label == f"Q-{ids['quote']}"
        revision = s.scalars(sa.select(m.DefinitionRevision)).one()
        assert revision.content.endswith("Zeitrahmen ✓}\n") and revision.created_at.tzinfo is UTC


def test_datetimes_are_stored_as_utc(engine: sa.Engine) -> None:
    local = datetime(2026, 3, 3, 14, 0, tzinfo=UTC).astimezone()
    with Session(engine) as s, s.begin():
        s.add(m.AuditEvent(actor="t", action="a", entity_type="x", at=local))
    with Session(engine) as s:
        at = s.scalars(sa.select(m.AuditEvent.at)).one()
    assert at == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    assert at.tzinfo is UTC


def test_naive_datetimes_are_refused(engine: sa.Engine) -> None:
    with Session(engine) as s:
        s.add(m.AuditEvent(actor="t", action="a", entity_type="x", at=datetime(2026, 1, 1)))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            s.flush()


def test_foreign_keys_are_enforced(engine: sa.Engine) -> None:
    with Session(engine) as s:
        s.add(m.Segment(transcript_id=999_999, position=0, text="orphan"))
        with pytest.raises(IntegrityError):
            s.flush()


def test_a_coding_span_must_not_be_empty(engine: sa.Engine) -> None:
    with Session(engine) as s, s.begin():
        _graph(s)
    with Session(engine) as s:
        segment_id = s.scalars(sa.select(m.Segment.id)).first()
        code_id = s.scalars(sa.select(m.Code.id)).first()
        coder_id = s.scalars(sa.select(m.Coder.id)).first()
        s.add(m.Coding(segment_id=segment_id, code_id=code_id, coder_id=coder_id, start=5, end=5))
        with pytest.raises(IntegrityError):
            s.flush()
