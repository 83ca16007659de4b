"""Facts about how the study was done, for the method section: sessions held and their
lengths, recordings, note-takers, attendance, withdrawals, refusals, redactions, coders,
model help and reliability. Every one is read from records (``fieldwork_facts``)."""

from __future__ import annotations

from innostudy.analysis import formatting
from innostudy.coding.agreement import Coefficient
from innostudy.coding.reliability import ReliabilityReport
from innostudy.reporting import fieldwork_facts as fw
from innostudy.reporting.fact_context import (
    Fact,
    FactContext,
    count,
    counted,
    day,
    share,
    words_list,
)
from innostudy.reporting.resolver import Unresolved


def _dates(ctx: FactContext) -> list[object]:
    dates = sorted(s.session_date for s in ctx.held if s.session_date is not None)
    if not dates:
        raise Unresolved(
            "no focus-group session has been held (a transcript or recording shows it)"
        )
    return list(dates)


def _minutes(ctx: FactContext) -> list[int]:
    minutes = sorted(s.minutes for s in ctx.held if s.minutes)
    if not minutes:
        raise Unresolved("no held session has its length recorded (`sessions add --minutes`)")
    return minutes


def minutes_range(ctx: FactContext) -> str:
    minutes = _minutes(ctx)
    unknown = len(ctx.held) - len(minutes)
    text = (
        f"{minutes[0]} minutes"
        if minutes[0] == minutes[-1]
        else (f"{minutes[0]} to {minutes[-1]} minutes")
    )
    return text + (f" (not recorded for {unknown})" if unknown else "")


def minutes_median(ctx: FactContext) -> str:
    minutes = _minutes(ctx)
    mid = len(minutes) // 2
    median = minutes[mid] if len(minutes) % 2 else (minutes[mid - 1] + minutes[mid]) / 2
    return f"{formatting.number(median)} minutes"


def _reliability(ctx: FactContext) -> ReliabilityReport:
    if ctx.reliability is None:
        raise Unresolved("no second coder has double-coded any transcript yet")
    return ctx.reliability


def _statistic(value: float | Coefficient | None, what: str) -> str:
    """A coefficient's value, or a gap that gives the reliability module's reason."""
    if isinstance(value, Coefficient):
        if value.value is None:
            raise Unresolved(f"{what} is not computable: {value.reason}")
        value = value.value
    if value is None:
        raise Unresolved(f"{what} is undefined for these codings (no variation)")
    return f"{value:.2f}"


def _agreement(ctx: FactContext) -> str:
    percent = _reliability(ctx).overall.percent
    if percent.value is None:
        raise Unresolved(f"agreement is not computable: {percent.reason or 'no shared turn'}")
    return formatting.pct(100 * percent.value)


def _models(ctx: FactContext) -> str:
    if not ctx.coding.models:
        raise Unresolved("no model has suggested codes")
    return words_list(ctx.coding.models)


def _met(ctx: FactContext) -> list[str]:
    return [g.label for g in ctx.groups if g.met]


def _side(ctx: FactContext, sector: str) -> list[str]:
    return [g.label for g in ctx.groups if g.sector == sector]


def _not_met(ctx: FactContext) -> str:
    missing = [g.label for g in ctx.groups if not g.met]
    return words_list(missing) if missing else "none"


METHOD_FACTS: tuple[Fact, ...] = (
    # Fieldwork: what happened, not what was planned.
    Fact(
        "study.groups", "focus groups in the study, met or not", "7", lambda c: count(len(c.groups))
    ),
    Fact(
        "groups.met",
        "focus groups with at least one session held",
        "2",
        lambda c: count(len(_met(c))),
    ),
    Fact(
        "groups.met_names",
        "the groups that met, in report order",
        "Senior civil servants and Business group",
        lambda c: words_list(_met(c)),
    ),
    Fact(
        "groups.not_met_names",
        "the groups that have not met, or 'none'",
        "Mid-level civil servants, …",
        _not_met,
    ),
    Fact(
        "groups.civil_service_count",
        "civil-service groups in the study",
        "3",
        lambda c: count(len(_side(c, "Civil service"))),
    ),
    Fact(
        "groups.civil_service_names",
        "their names, in report order",
        "Senior civil servants, …",
        lambda c: words_list(_side(c, "Civil service")),
    ),
    Fact(
        "groups.comparison_count",
        "comparison groups in the study",
        "4",
        lambda c: count(len(_side(c, "Comparison"))),
    ),
    Fact(
        "groups.comparison_names",
        "their names, in report order",
        "Business group, …",
        lambda c: words_list(_side(c, "Comparison")),
    ),
    Fact(
        "sessions.held",
        "sessions held (a transcript or recording shows it)",
        "7",
        lambda c: count(len(c.held)),
    ),
    Fact(
        "sessions.planned",
        "sessions entered but not (yet) held",
        "0",
        lambda c: count(len(c.sessions) - len(c.held)),
    ),
    Fact(
        "study.first_session",
        "the date of the first session held",
        "3 March 2026",
        lambda c: day(_dates(c)[0]),
    ),
    Fact(
        "study.last_session",
        "the date of the last session held",
        "24 March 2026",
        lambda c: day(_dates(c)[-1]),
    ),
    Fact(
        "sessions.minutes_range",
        "the shortest to the longest recorded session length",
        "72 to 95 minutes",
        minutes_range,
    ),
    Fact(
        "sessions.minutes_median",
        "the median recorded session length",
        "86 minutes",
        minutes_median,
    ),
    Fact(
        "sessions.recorded",
        "held sessions with an audio or video recording",
        "7",
        lambda c: count(sum(s.recorded for s in c.held)),
    ),
    Fact(
        "sessions.with_note_taker",
        "held sessions with a note-taker recorded",
        "7",
        lambda c: count(sum(s.note_taker for s in c.held)),
    ),
    Fact(
        "sessions.transcribed",
        "held sessions with a verbatim transcript",
        "7",
        lambda c: count(sum(s.verbatim for s in c.held)),
    ),
    Fact(
        "study.participants",
        "participants recruited to the groups (attended or not)",
        "64",
        lambda c: count(sum(g.recruited for g in c.groups)),
    ),
    Fact(
        "participants.attended",
        "participants who spoke in a held session",
        "52",
        lambda c: count(sum(g.attended for g in c.groups)),
    ),
    Fact(
        "participants.withdrawn",
        "participants who withdrew (their words are left out)",
        "1",
        lambda c: count(c.consent.withdrawn),
    ),
    Fact(
        "participants.quotation_not_recorded",
        "participants whose consent to quotation was never recorded (so never quoted)",
        "0",
        lambda c: count(c.consent.quotation_not_recorded),
    ),
    Fact(
        "participants.refused_quotation",
        "participants who did not agree to be quoted",
        "2",
        lambda c: count(c.consent.refused_quotation),
    ),
    Fact(
        "transcripts.redactions",
        "names and contact details replaced in transcripts",
        "143",
        lambda c: count(fw.redactions(c.session)),
    ),
    # Coding: whose, how much, with what help, how reliable.
    Fact(
        "coding.coders",
        "people whose coding is the main (agreed) coding",
        "1 coder",
        lambda c: counted(len(c.main.coders), "coder"),
    ),
    Fact(
        "coding.reliability_coders",
        "people who double-coded for reliability only",
        "1 coder",
        lambda c: counted(len(c.main.reliability), "coder"),
    ),
    Fact(
        "coding.turns",
        "participants' turns that may be analysed",
        "1,234",
        lambda c: count(c.coding.turns),
    ),
    Fact(
        "coding.turns_coded",
        "of those, turns with at least one code",
        "1,100",
        lambda c: count(c.coding.turns_coded),
    ),
    Fact(
        "coding.turns_coded_pct",
        "coded turns as a share of analysable turns",
        "89%",
        lambda c: share(c.coding.turns_coded, c.coding.turns),
    ),
    Fact(
        "coding.codings",
        "codes applied in the main coding (turn × code)",
        "1,302",
        lambda c: count(c.coding.codings),
    ),
    Fact(
        "coding.model_accepted",
        "main-coding codes a person accepted from a model's suggestion",
        "612",
        lambda c: count(c.coding.from_model),
    ),
    Fact(
        "coding.model_accepted_pct",
        "the same as a share of the main coding",
        "47%",
        lambda c: share(c.coding.from_model, c.coding.codings),
    ),
    Fact(
        "coding.suggestions_reviewed",
        "model suggestions a person accepted or rejected",
        "800",
        lambda c: count(c.coding.suggestions_reviewed),
    ),
    Fact(
        "coding.suggestions_accepted_pct",
        "reviewed suggestions that were accepted",
        "76%",
        lambda c: share(c.coding.suggestions_accepted, c.coding.suggestions_reviewed),
    ),
    Fact("coding.models", "the models that suggested codes", "autocoder", _models),
    Fact(
        "reliability.turns",
        "turns coded by both the main and a reliability coder",
        "312",
        lambda c: count(_reliability(c).overall.units),
    ),
    Fact(
        "reliability.kappa",
        "Cohen's kappa, mean over codes",
        "0.78",
        lambda c: _statistic(_reliability(c).mean_code_kappa, "kappa"),
    ),
    Fact(
        "reliability.alpha",
        "Krippendorff's alpha over all codes",
        "0.81",
        lambda c: _statistic(_reliability(c).overall.alpha, "alpha"),
    ),
    Fact("reliability.agreement", "turns given exactly the same codes", "91%", _agreement),
)
