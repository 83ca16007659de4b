"""A trace of every change a person or import made, so nothing is overwritten silently."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from innostudy.model.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(60))
    entity_type: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int | None] = mapped_column(default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ImportKind:
    """Kinds of import batch; plain strings so new importers need no migration."""

    RESPONSES = "responses"
    ORGANISATIONS = "organisations"
    TRANSCRIPT = "transcript"
    CODEBOOK = "codebook"
    PROJECT = "project"


class ImportBatch(Base):
    """One file brought into the study: what, when, how many rows in and rejected."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    file_name: Mapped[str] = mapped_column(sa.String(500))
    file_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_format: Mapped[str] = mapped_column(sa.String(40))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(120), default="")
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_imported: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RejectedRow(Base):
    """A row an import did not take, kept with its reason (nothing is lost)."""

    __tablename__ = "rejected_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(200), default="")
    value: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
