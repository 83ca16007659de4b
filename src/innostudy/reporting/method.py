"""Facts about how the study was run, straight from the store, for the method section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.provenance import MachineAssistance
from innostudy.model import (
    FocusGroup,
    GroupSession,
    Organisation,
    Participant,
    Response,
    ResponseStatus,
)
from innostudy.reporting.document import Table
from innostudy.survey.organisations import UNIDENTIFIED

if TYPE_CHECKING:
    from innostudy.reporting.fieldwork_facts import GroupAttendance


@dataclass(frozen=True)
class GroupFacts:
    label: str
    sector: str
    participants: int
    dates: list[date]


@dataclass(frozen=True)
class StudyFacts:
    invited: int
    submitted: int
    drafts: int
    not_started: int
    groups: list[GroupFacts]
    # anonymous responses: not among the invited, so outside the response rate
    unidentified: int = 0
    # the respondents' own first and last submission days (not when files were imported)
    submissions: tuple[date, date] | None = None

    @property
    def response_rate(self) -> float:
        return 100.0 * self.submitted / self.invited if self.invited else 0.0

    @property
    def participants(self) -> int:
        return sum(g.participants for g in self.groups)

    @property
    def session_dates(self) -> list[date]:
        return sorted(d for g in self.groups for d in g.dates)


def study_facts(session: Session) -> StudyFacts:
    known = Organisation.org_type != UNIDENTIFIED
    counts = {
        status: int(n)
        for status, n in session.execute(
            sa.select(Response.status, sa.func.count())
            .join(Organisation, Organisation.id == Response.organisation_id)
            .where(known)
            .group_by(Response.status)
        )
    }
    unidentified = session.scalar(
        sa.select(sa.func.count())
        .select_from(Response)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(~known)
    )
    first, last = session.execute(
        sa.select(sa.func.min(Response.submitted_at), sa.func.max(Response.submitted_at)).where(
            Response.status == ResponseStatus.SUBMITTED
        )
    ).one()
    groups = []
    for group in session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)):
        n = session.scalar(
            sa.select(sa.func.count())
            .select_from(Participant)
            .where(Participant.focus_group_id == group.id)
        )
        dates = session.scalars(
            sa.select(GroupSession.session_date)
            .where(GroupSession.focus_group_id == group.id, GroupSession.session_date.is_not(None))
            .order_by(GroupSession.session_date)
        ).all()
        groups.append(
            GroupFacts(
                group.label, group.group_type.sector.label, int(n or 0), [d for d in dates if d]
            )
        )
    return StudyFacts(
        invited=sum(counts.values()),
        submitted=counts.get(ResponseStatus.SUBMITTED, 0),
        drafts=counts.get(ResponseStatus.DRAFT, 0),
        not_started=counts.get(ResponseStatus.INVITED, 0),
        groups=groups,
        unidentified=int(unidentified or 0),
        submissions=(first.date(), last.date()) if first and last else None,
    )


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def study_stats(facts: StudyFacts) -> dict[str, str]:
    """``study.*`` stats for sentences in the narrative."""
    dates = facts.session_dates
    return {
        "study.invited": str(facts.invited),
        "study.submitted": str(facts.submitted),
        "study.drafts": str(facts.drafts),
        "study.not_started": str(facts.not_started),
        "study.response_rate": f"{facts.response_rate:.0f}%",
        "study.groups": str(len(facts.groups)),
        "study.participants": str(facts.participants),
        "study.first_session": _day(dates[0]) if dates else "not yet held",
        "study.last_session": _day(dates[-1]) if dates else "not yet held",
        "study.unidentified": str(facts.unidentified),
        "study.first_submission": _day(facts.submissions[0]) if facts.submissions else "none yet",
        "study.last_submission": _day(facts.submissions[1]) if facts.submissions else "none yet",
    }


def groups_table(groups: list[GroupAttendance]) -> Table:
    """The focus groups: recruited, attended (spoke in a held session), and whether they met."""
    from innostudy.reporting.resolver import Unresolved

    if not groups:
        raise Unresolved("the study has no focus groups yet (`innostudy groups add`)")
    rows = [
        [
            g.label,
            g.sector,
            str(g.recruited),
            str(g.attended) if g.met else "–",
            "yes" if g.met else "not yet",
        ]
        for g in groups
    ]
    return Table(
        caption="The focus groups",
        header=["Group", "Sector", "Recruited", "Attended", "Met"],
        rows=rows,
        numeric=[False, False, True, True, False],
        notes=[
            "Attended: participants who spoke in a session held (a transcript or recording "
            "shows it). Quotes are attributed by group only."
        ],
    )


def response_table(facts: StudyFacts) -> Table:
    def pct(n: int) -> str:
        return f"{100.0 * n / facts.invited:.1f}" if facts.invited else "0.0"

    rows = [
        ["Submitted a response", str(facts.submitted), pct(facts.submitted)],
        ["Started but did not submit", str(facts.drafts), pct(facts.drafts)],
        ["Did not start", str(facts.not_started), pct(facts.not_started)],
        ["Invited", str(facts.invited), "100.0" if facts.invited else "0.0"],
    ]
    return Table("Survey response", ["", "Organisations", "%"], rows, numeric=[False, True, True])


def coding_table(assistance: MachineAssistance) -> Table:
    """How the transcripts were coded: by hand, with a model's suggestions, and agreement."""
    return Table(
        caption="How the transcripts were coded",
        header=["", "Figures"],
        rows=[[what, value] for what, value in assistance.rows()],
        numeric=[False, False],
    )
