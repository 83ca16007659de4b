"""Focus groups, their participants (pseudonymous codes, contacts kept apart), consent, sessions."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innostudy.model.base import Base, enum_type, utcnow


class Sector(enum.Enum):
    CIVIL_SERVICE = "civil_service"
    COMPARISON = "comparison"

    @property
    def label(self) -> str:
        return "Civil service" if self is Sector.CIVIL_SERVICE else "Comparison"


class GroupType(Base):
    """A kind of focus group (e.g. senior civil servants); data, loaded from group_types.yaml."""

    __tablename__ = "group_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    short_label: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    min_size: Mapped[int] = mapped_column(default=6)
    max_size: Mapped[int] = mapped_column(default=12)
    code_prefix: Mapped[str] = mapped_column(sa.String(10))
    level: Mapped[str] = mapped_column(sa.String(80), default="")
    recruit_from: Mapped[str] = mapped_column(sa.String(40), default="contacts")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class FocusGroup(Base):
    __tablename__ = "focus_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    group_type_id: Mapped[int] = mapped_column(sa.ForeignKey("group_type.id"))
    label: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group_type: Mapped[GroupType] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="focus_group", order_by="Participant.code"
    )
    sessions: Mapped[list[GroupSession]] = relationship(back_populates="focus_group")

    @property
    def sector(self) -> Sector:
        return self.group_type.sector


class Participant(Base):
    """A person in a group, known in analysis only by a pseudonymous code such as SCS-03."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    focus_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_group.id"), default=None
    )
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    level: Mapped[str] = mapped_column(sa.String(80), default="")
    organisation_type: Mapped[str] = mapped_column(sa.String(80), default="")
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("response.id"), default=None)
    # Case variables brought in from a QDA project: name -> {"type": REFI type, "value": ...}.
    # innostudy's own fields (role, level, organisation type, group) are never repeated here.
    variables: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    focus_group: Mapped[FocusGroup | None] = relationship(back_populates="participants")
    contact: Mapped[ParticipantContact | None] = relationship(cascade="all, delete-orphan")
    consent: Mapped[Consent | None] = relationship(cascade="all, delete-orphan")


class ParticipantContact(Base):
    """Personal data; analytic views, exports and reports never read this table by default."""

    __tablename__ = "participant_contact"

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(60), default="")
    organisation_name: Mapped[str] = mapped_column(sa.String(300), default="")


class ConsentChoice(enum.Enum):
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"


class Consent(Base):
    """What a participant agreed to; the rules that read it live in fieldwork/consent.py."""

    __tablename__ = "consent"

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    audio: Mapped[ConsentChoice] = mapped_column(
        enum_type(ConsentChoice), default=ConsentChoice.NOT_ASKED
    )
    video: Mapped[ConsentChoice] = mapped_column(
        enum_type(ConsentChoice), default=ConsentChoice.NOT_ASKED
    )
    notes: Mapped[ConsentChoice] = mapped_column(
        enum_type(ConsentChoice), default=ConsentChoice.NOT_ASKED
    )
    quotation: Mapped[ConsentChoice] = mapped_column(
        enum_type(ConsentChoice), default=ConsentChoice.NOT_ASKED
    )
    consent_date: Mapped[date | None] = mapped_column(default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupSession(Base):
    """One meeting of a focus group; a session may sit outside any group until assigned."""

    __tablename__ = "group_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("focus_group.id"), default=None
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    session_date: Mapped[date | None] = mapped_column(default=None)
    duration_minutes: Mapped[int | None] = mapped_column(default=None)
    facilitator: Mapped[str] = mapped_column(sa.String(200), default="")
    note_taker: Mapped[str] = mapped_column(sa.String(200), default="")
    notes_md: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    focus_group: Mapped[FocusGroup | None] = relationship(back_populates="sessions")
    recordings: Mapped[list[Recording]] = relationship(back_populates="session")


class Recording(Base):
    """An audio or video file kept in the study folder, with its checksum for integrity."""

    __tablename__ = "recording"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("group_session.id", ondelete="CASCADE"))
    file_path: Mapped[str] = mapped_column(sa.String(500))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    media_type: Mapped[str] = mapped_column(sa.String(100), default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[GroupSession] = relationship(back_populates="recordings")
