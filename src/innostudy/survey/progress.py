"""Fieldwork progress of the survey: who was invited, who started, who submitted.

Counts only (no answers, no contacts), so every signed-in role may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.model import Organisation, Response, ResponseStatus
from innostudy.survey.organisations import org_type_label


@dataclass(frozen=True)
class TypeProgress:
    org_type: str
    label: str
    invited: int  # not started: no response yet, or status "invited"
    draft: int
    submitted: int

    @property
    def total(self) -> int:
        return self.invited + self.draft + self.submitted

    @property
    def submitted_percent(self) -> float:
        return round(100.0 * self.submitted / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class SurveyProgress:
    by_type: list[TypeProgress]
    last_submitted_at: datetime | None

    @property
    def totals(self) -> TypeProgress:
        return TypeProgress(
            "all",
            "All organisations",
            sum(t.invited for t in self.by_type),
            sum(t.draft for t in self.by_type),
            sum(t.submitted for t in self.by_type),
        )


def survey_progress(session: Session) -> SurveyProgress:
    """Organisations per type and response status, largest types first."""
    rows = session.execute(
        sa.select(Organisation.org_type, Response.status, sa.func.count())
        .select_from(Organisation)
        .outerjoin(Response, Response.organisation_id == Organisation.id)
        .group_by(Organisation.org_type, Response.status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for org_type, status, n in rows:
        key = status.value if status is not None else ResponseStatus.INVITED.value
        bucket = counts.setdefault(org_type, {s.value: 0 for s in ResponseStatus})
        bucket[key] += int(n)
    by_type = [
        TypeProgress(
            t,
            org_type_label(t),
            c[ResponseStatus.INVITED.value],
            c[ResponseStatus.DRAFT.value],
            c[ResponseStatus.SUBMITTED.value],
        )
        for t, c in counts.items()
    ]
    by_type.sort(key=lambda t: (-t.total, t.label))
    last = session.scalar(
        sa.select(sa.func.max(Response.submitted_at)).where(
            Response.status == ResponseStatus.SUBMITTED
        )
    )
    return SurveyProgress(by_type, last)


def submission_times(session: Session) -> list[datetime]:
    """When each submitted response was submitted (UTC), oldest first: the arrival curve."""
    times = session.scalars(
        sa.select(Response.submitted_at)
        .where(Response.status == ResponseStatus.SUBMITTED, Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at)
    ).all()
    return [t for t in times if t is not None]
