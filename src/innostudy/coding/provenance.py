"""What was machine-assisted in a study's coding, for every export and the report.

One function gathers the facts (which model and version suggested codes, how many of its
suggestions people accepted or rejected and who, what people coded by hand, and the
agreement between people who double-coded); exports and the report's method section
print :meth:`MachineAssistance.rows`, so they all say the same thing, computed from the
study each time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy import __version__
from innostudy.coding.double_coding import study_reliability
from innostudy.coding.segments import codable_segments
from innostudy.errors import InputError
from innostudy.model import AuditEvent, Coder, CoderKind, Coding, CodingStatus

NOT_RECORDED = "version not recorded (suggested before innostudy recorded versions)"


@dataclass(frozen=True)
class ModelUse:
    model: str
    version: str
    suggested: int
    accepted: int
    rejected: int
    open: int


@dataclass(frozen=True)
class PairAgreement:
    coders: tuple[str, str]
    units: int
    kappa: float | None
    alpha: float | None
    ac1: float | None
    percent: float | None


@dataclass(frozen=True)
class MachineAssistance:
    codings: int  # people's accepted codings on turns that may be analysed
    by_hand: dict[str, int]  # person → codings they made themselves
    models: list[ModelUse]
    accepted_by: dict[str, int]  # reviewer → suggestions they accepted
    rejected_by: dict[str, int]  # reviewer → suggestions they rejected
    agreement: list[PairAgreement] = field(default_factory=list)
    innostudy: str = __version__

    def rows(self) -> list[tuple[str, str]]:
        """The facts as (what, value) pairs, in the words every export uses."""
        out = [("Accepted codings (by people)", str(self.codings))]
        out.append(("Coded by hand", _people(self.by_hand) or "none"))
        if not self.models:
            out.append(("Suggested by a model", "none: no model suggested codes in this study"))
        for m in self.models:
            out.append(
                (
                    f"Suggested by {m.model}",
                    f"{m.suggested} suggestions: {m.accepted} accepted, {m.rejected} rejected, "
                    f"{m.open} not yet reviewed; {m.version}",
                )
            )
        if self.models:
            out.append(("Suggestions accepted, by reviewer", _people(self.accepted_by) or "none"))
            out.append(("Suggestions rejected, by reviewer", _people(self.rejected_by) or "none"))
        for a in self.agreement:
            out.append((f"Agreement, {a.coders[0]} and {a.coders[1]}", _agreement(a)))
        if not self.agreement:
            out.append(("Agreement between coders", "no turn was coded by two people"))
        out.append(("innostudy version", self.innostudy))
        return out

    def lines(self) -> list[str]:
        return [f"{what}: {value}" for what, value in self.rows()]


def _people(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def _figure(value: float | None) -> str:
    return "not computable" if value is None else f"{value:.2f}"


def _agreement(a: PairAgreement) -> str:
    share = "not computable" if a.percent is None else f"{100 * a.percent:.0f}%"
    return (
        f"{a.units} turns coded by both; Cohen's kappa {_figure(a.kappa)}, Krippendorff's "
        f"alpha {_figure(a.alpha)}, Gwet's AC1 {_figure(a.ac1)}, agreement {share}"
    )


def machine_assistance(session: Session) -> MachineAssistance:
    """The machine-assisted part of the study's coding, gathered from the store."""
    usable = {s.id for s in codable_segments(session)}
    people = session.execute(
        sa.select(Coder.name, Coding.reason, Coding.segment_id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coder.kind == CoderKind.PERSON, Coding.status == CodingStatus.ACCEPTED)
    ).all()
    mine = [(name, reason or {}) for name, reason, sid in people if sid in usable]
    accepted_by = Counter(name for name, reason in mine if "accepted_suggestion" in reason)
    by_hand = Counter(name for name, reason in mine if "accepted_suggestion" not in reason)
    return MachineAssistance(
        codings=len(mine),
        by_hand=dict(by_hand),
        models=_models(session, usable),
        accepted_by=dict(accepted_by),
        rejected_by=_rejected_by(session),
        agreement=_agreement_of_pairs(session, sorted(by_hand.keys() | accepted_by.keys())),
    )


def _models(session: Session, usable: set[int]) -> list[ModelUse]:
    rows = session.execute(
        sa.select(Coding.reason, Coding.status, Coding.segment_id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coder.kind == CoderKind.MODEL)
    ).all()
    tally: dict[tuple[str, str], Counter[CodingStatus]] = {}
    for reason, status, sid in rows:
        if sid not in usable:
            continue
        reason = reason or {}
        key = (
            str(reason.get("model", "an unnamed model")),
            str(reason.get("model_version", NOT_RECORDED)),
        )
        tally.setdefault(key, Counter())[status] += 1
    return [
        ModelUse(
            model,
            version,
            sum(c.values()),
            c[CodingStatus.ACCEPTED],
            c[CodingStatus.REJECTED],
            c[CodingStatus.SUGGESTED],
        )
        for (model, version), c in sorted(tally.items())
    ]


def _rejected_by(session: Session) -> dict[str, int]:
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "suggestion.review")
    ).all()
    return dict(Counter(e.actor for e in events if (e.detail or {}).get("verdict") == "rejected"))


def _agreement_of_pairs(session: Session, people: list[str]) -> list[PairAgreement]:
    out = []
    for a, b in combinations(people, 2):
        try:
            report = study_reliability(session, [a, b]).report
        except InputError:
            continue
        if not report.double_coded:
            continue
        o = report.overall
        out.append(
            PairAgreement(
                (a, b), o.units, o.kappa.value, o.alpha.value, o.ac1.value, o.percent.value
            )
        )
    return out
