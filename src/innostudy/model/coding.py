"""Codebook, codes, codings on character spans, and quotes chosen for the report."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innostudy.model.base import Base, enum_type, utcnow
from innostudy.model.study import Coder
from innostudy.model.transcripts import Segment


class Codebook(Base):
    __tablename__ = "codebook"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    codes: Mapped[list[Code]] = relationship(back_populates="codebook", order_by="Code.position")


class CodeStatus(enum.Enum):
    ACTIVE = "active"
    MERGED = "merged"
    RETIRED = "retired"


class Code(Base):
    """A code; ``key`` is a dotted path such as ``barriers.culture`` (the parent's key first)."""

    __tablename__ = "code"
    __table_args__ = (sa.UniqueConstraint("codebook_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(sa.ForeignKey("codebook.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("code.id"), default=None)
    key: Mapped[str] = mapped_column(sa.String(200))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    include: Mapped[str] = mapped_column(sa.Text, default="")
    exclude: Mapped[str] = mapped_column(sa.Text, default="")
    examples: Mapped[list[str]] = mapped_column(default=list)
    colour: Mapped[str] = mapped_column(sa.String(9), default="")
    memo: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[CodeStatus] = mapped_column(enum_type(CodeStatus), default=CodeStatus.ACTIVE)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("code.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    codebook: Mapped[Codebook] = relationship(back_populates="codes")
    parent: Mapped[Code | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    @property
    def area(self) -> str:
        """The top-level key (one of the study's areas in the default codebook)."""
        return self.key.split(".", 1)[0]


class CodingStatus(enum.Enum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Stance(enum.Enum):
    """Where a coded turn stands toward its theme as the discussion had left it."""

    NEW = "new"  # raises the theme, or a new point on it
    AGREE = "agree"
    DISAGREE = "disagree"
    QUALIFY = "qualify"  # accepts it only in part, or with a condition

    @property
    def label(self) -> str:
        return _STANCE_LABELS[self]


_STANCE_LABELS = {
    Stance.NEW: "new point",
    Stance.AGREE: "agrees",
    Stance.DISAGREE: "disagrees",
    Stance.QUALIFY: "qualifies",
}


class Coding(Base):
    """A code on the span [start, end) of a segment's analytic text, by one coder.

    ``stance`` is that coder's judgement of how the turn stands toward the theme (set on
    a person's accepted coding; empty until someone sets it).
    """

    __tablename__ = "coding"
    __table_args__ = (
        sa.UniqueConstraint("segment_id", "code_id", "coder_id", "start", "end"),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("segment.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("code.id"), index=True)
    coder_id: Mapped[int] = mapped_column(sa.ForeignKey("coder.id"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    status: Mapped[CodingStatus] = mapped_column(
        enum_type(CodingStatus), default=CodingStatus.ACCEPTED
    )
    confidence: Mapped[float | None] = mapped_column(default=None)
    memo: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), default=None)
    stance: Mapped[Stance | None] = mapped_column(enum_type(Stance), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    segment: Mapped[Segment] = relationship()
    code: Mapped[Code] = relationship(foreign_keys=[code_id])
    coder: Mapped[Coder] = relationship()


class StanceSuggestion(Base):
    """The model's proposal for a person's coding's stance; it counts for nothing until
    that person (or another) sets the stance. Replaced on every run."""

    __tablename__ = "stance_suggestion"

    coding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("coding.id", ondelete="CASCADE"), primary_key=True
    )
    stance: Mapped[Stance] = mapped_column(enum_type(Stance))
    confidence: Mapped[float]
    reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coding: Mapped[Coding] = relationship()


class QuoteStatus(enum.Enum):
    SELECTED = "selected"
    DROPPED = "dropped"


class Quote(Base):
    """A span chosen for the report, as the reader sees it.

    An unedited quote is ``text`` = the segment text at [start, end) and no ``parts``. An
    edited one keeps its pieces in ``parts`` (verbatim spans, ". . .", [clarifications];
    ``coding.quote_text``) and ``text`` is their display; [start, end) then spans the
    first to the last verbatim piece. ``lead_in`` is the analyst's words before it.
    """

    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(sa.ForeignKey("segment.id"), index=True)
    coding_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coding.id", ondelete="SET NULL"), default=None
    )
    code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("code.id"), default=None)
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    parts: Mapped[list[Any]] = mapped_column(default=list)
    lead_in: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[QuoteStatus] = mapped_column(
        enum_type(QuoteStatus), default=QuoteStatus.SELECTED
    )
    selected_by: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    segment: Mapped[Segment] = relationship()
    coding: Mapped[Coding | None] = relationship()
    code: Mapped[Code | None] = relationship()

    @property
    def label(self) -> str:
        return f"Q-{self.id}"
