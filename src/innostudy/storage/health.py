"""Is the study usable right now, part by part: what ``/healthz`` reports.

A check never raises: each part says ``ok`` or what is wrong with it, in words a person
on call can act on, without host names, URLs or driver messages (the endpoint is public).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from innostudy.storage.store import StudyStore
from innostudy.storage.upgrade import current_revision, head_revision, known_revisions

OK = "ok"


@dataclass(frozen=True)
class Health:
    parts: dict[str, str]

    @property
    def ok(self) -> bool:
        return all(state == OK for state in self.parts.values())

    def as_json(self) -> dict[str, object]:
        return {"status": OK if self.ok else "unavailable", "checks": self.parts}


def check_health(store: StudyStore) -> Health:
    """The database (reachable), its schema (the one this version needs), the study folder."""
    parts = {"database": OK, "schema": OK, "study_folder": OK}
    try:
        with store.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        parts["database"] = "unreachable"
        parts["schema"] = "unknown (the database is unreachable)"
    else:
        parts["schema"] = _schema_state(store)
    if not store.setting_path("survey.instrument").is_file():
        parts["study_folder"] = "the instrument file is missing"
    return Health(parts)


def _schema_state(store: StudyStore) -> str:
    try:
        current = current_revision(store.engine)
    except SQLAlchemyError:
        return "unreadable"
    head = head_revision()
    if current == head:
        return OK
    if current not in known_revisions():
        return f"at revision {current}, written by a newer innostudy: upgrade innostudy"
    return f"at revision {current}, this innostudy needs {head}: run `innostudy db upgrade`"
