"""Organisations in scope, their personal contacts (kept apart), and their responses.

A response is one organisation's answers. Every change writes a ResponseRevision first,
so an import or a web save can never overwrite answers without a trace.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innostudy.model.base import Base, enum_type, utcnow


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    org_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(120), unique=True, default=None)
    token_hash: Mapped[str | None] = mapped_column(sa.String(128), unique=True, default=None)
    invited_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[OrganisationContact | None] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    response: Mapped[Response | None] = relationship(back_populates="organisation")


class OrganisationContact(Base):
    """Personal data: who at the organisation was invited. Never read by analysis or reports."""

    __tablename__ = "organisation_contact"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(60), default="")
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="contact")


class ResponseStatus(enum.Enum):
    INVITED = "invited"
    DRAFT = "draft"
    SUBMITTED = "submitted"

    def is_final(self) -> bool:
        """A submitted response is read-only for the respondent."""
        return self is ResponseStatus.SUBMITTED

    def counts_in_analysis(self) -> bool:
        return self is ResponseStatus.SUBMITTED


class ResponseSource(enum.Enum):
    WEB = "web"
    IMPORT = "import"
    API = "api"


class Response(Base):
    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), unique=True
    )
    status: Mapped[ResponseStatus] = mapped_column(enum_type(ResponseStatus), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    instrument_version: Mapped[str] = mapped_column(sa.String(60), default="")
    revision: Mapped[int] = mapped_column(default=1)
    source: Mapped[ResponseSource] = mapped_column(enum_type(ResponseSource))
    source_file: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    source_row: Mapped[int | None] = mapped_column(default=None)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The respondent's own times: when they started and submitted (the web form's clock,
    # or the file's StartDate/EndDate, startdate/submitdate, start/end…), and when their
    # survey tool recorded the response (RecordedDate, _submission_time, SubmissionDate).
    # Empty when a file does not say; never the time of an import, which is kept apart.
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    imported_at: Mapped[datetime | None] = mapped_column(default=None)

    organisation: Mapped[Organisation] = relationship(back_populates="response")
    revisions: Mapped[list[ResponseRevision]] = relationship(
        back_populates="response", order_by="ResponseRevision.revision"
    )


class ResponseRevision(Base):
    """A response as it was at one revision; the newest not ``beside_submission`` equals
    the Response row.

    ``beside_submission`` marks an imported version kept next to what a respondent
    submitted (``survey import --beside-submitted``): recorded, never applied, so the
    submission and its receipt code stay as they were.

    ``answers`` may be NULL on the newest revision only: "the answers of the Response
    row" (a bulk import stores them once, not twice). Whatever revises a response fills
    the previous newest revision in first (``responses.keep_answers_of_newest``).
    """

    __tablename__ = "response_revision"
    __table_args__ = (sa.UniqueConstraint("response_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    revision: Mapped[int]
    status: Mapped[ResponseStatus] = mapped_column(enum_type(ResponseStatus))
    answers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True), default=dict)
    source: Mapped[ResponseSource] = mapped_column(enum_type(ResponseSource))
    source_file: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    source_row: Mapped[int | None] = mapped_column(default=None)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), default=None)
    actor: Mapped[str] = mapped_column(sa.String(120), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    beside_submission: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    response: Mapped[Response] = relationship(back_populates="revisions")
