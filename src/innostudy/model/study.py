"""The study itself, the people who work on it, and the coders (people or models)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innostudy.model.base import Base, enum_type, utcnow


class StudyInfo(Base):
    """One row: what this database holds. One database holds one study."""

    __tablename__ = "study"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Role(enum.Enum):
    ADMIN = "admin"
    RESEARCHER = "researcher"
    CODER = "coder"

    def can_see_personal_data(self) -> bool:
        """Coders work on pseudonymised text only; contact details are for researchers."""
        return self in (Role.ADMIN, Role.RESEARCHER)

    def can_manage_users(self) -> bool:
        return self is Role.ADMIN

    def can_edit_study(self) -> bool:
        return self in (Role.ADMIN, Role.RESEARCHER)


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class CoderKind(enum.Enum):
    PERSON = "person"
    MODEL = "model"


class Coder(Base):
    """Who applied a code: a person (maybe with a login) or an automatic coder."""

    __tablename__ = "coder"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[CoderKind] = mapped_column(enum_type(CoderKind), default=CoderKind.PERSON)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
