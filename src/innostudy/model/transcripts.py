"""Transcripts split into speaker turns (segments).

``Segment.text`` is the analytic text: redacted, and the text every coding offset refers
to (offsets are Unicode code points, see ARCHITECTURE.md). The text as recorded lives in
SegmentRaw, a separate, access-controlled layer.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innostudy.model.base import Base, enum_type, utcnow
from innostudy.model.fieldwork import GroupSession, Participant


class TranscriptKind(enum.Enum):
    VERBATIM = "verbatim"
    NOTES = "notes"

    def is_quotable(self) -> bool:
        """Notes paraphrase what was said; only verbatim sources may give quotes."""
        return self is TranscriptKind.VERBATIM


class Transcript(Base):
    __tablename__ = "transcript"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("group_session.id"))
    name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[TranscriptKind] = mapped_column(
        enum_type(TranscriptKind), default=TranscriptKind.VERBATIM
    )
    source_file: Mapped[str] = mapped_column(sa.String(500), default="")
    source_format: Mapped[str] = mapped_column(sa.String(40), default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), default=None)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[GroupSession] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="transcript", order_by="Speaker.id"
    )
    segments: Mapped[list[Segment]] = relationship(
        back_populates="transcript", order_by="Segment.position"
    )


class SpeakerRole(enum.Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    NOTE_TAKER = "note_taker"
    UNKNOWN = "unknown"


class Speaker(Base):
    """A speaker label as it appeared in the source, mapped once to a participant code."""

    __tablename__ = "speaker"
    __table_args__ = (sa.UniqueConstraint("transcript_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(sa.ForeignKey("transcript.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[SpeakerRole] = mapped_column(enum_type(SpeakerRole), default=SpeakerRole.UNKNOWN)
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id"), default=None
    )

    transcript: Mapped[Transcript] = relationship(back_populates="speakers")
    participant: Mapped[Participant | None] = relationship()


class Segment(Base):
    __tablename__ = "segment"
    __table_args__ = (sa.UniqueConstraint("transcript_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(sa.ForeignKey("transcript.id", ondelete="CASCADE"))
    position: Mapped[int]
    speaker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("speaker.id"), default=None)
    start_ms: Mapped[int | None] = mapped_column(default=None)
    end_ms: Mapped[int | None] = mapped_column(default=None)
    text: Mapped[str] = mapped_column(sa.Text)

    transcript: Mapped[Transcript] = relationship(back_populates="segments")
    speaker: Mapped[Speaker | None] = relationship()
    raw: Mapped[SegmentRaw | None] = relationship(cascade="all, delete-orphan")


class SegmentRaw(Base):
    """The segment as recorded, before redaction. Access-controlled: never in exports by default."""

    __tablename__ = "segment_raw"

    segment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(sa.Text)


class Redaction(Base):
    """One replacement made in a segment's analytic text, so redaction can be reported."""

    __tablename__ = "redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("segment.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int]
    end: Mapped[int]
    tag: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(40))
    original: Mapped[str] = mapped_column(sa.String(300))


class SegmentEmbedding(Base):
    """Cached sentence embedding; a re-run embeds only text whose hash changed."""

    __tablename__ = "segment_embedding"

    segment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True
    )
    model_name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    text_sha256: Mapped[str] = mapped_column(sa.String(64))
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
