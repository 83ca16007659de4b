"""The study's definitions (instrument, codebook, group types, areas, report outline) with
their history: every version ever adopted, who adopted it, when, and what changed.

A definition is stored as the YAML text people read and edit, so a revision is exactly
what someone saw; the folder's files are views of the newest revision (definitions/).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from innostudy.model.base import Base, utcnow


class DefinitionRevision(Base):
    """One version of one definition; the highest ``number`` per ``name`` is in force."""

    __tablename__ = "definition_revision"
    __table_args__ = (sa.UniqueConstraint("name", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[int]
    content: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(120))
    source: Mapped[str] = mapped_column(sa.String(500), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
