"""A study's reliability as plain text lines (the command line's table and lists)."""

from __future__ import annotations

from innostudy.coding.agreement import Coefficient
from innostudy.coding.double_coding import StudyReliability
from innostudy.coding.reliability import Agreement

HEADER = f"{'code':<32} {'units':>5} {'prev.':>6} {'agree':>6} {'kappa':>6} {'alpha':>6} {'AC1':>6}"


def _cell(c: Coefficient) -> str:
    return f"{c.value:6.2f}" if c.value is not None else f"{'n/c':>6}"


def _row(a: Agreement) -> str:
    prevalence = f"{a.prevalence:6.2f}" if a.prevalence is not None else f"{'–':>6}"
    return (
        f"{a.code:<32} {a.units:>5} {prevalence} {_cell(a.percent)} {_cell(a.kappa)} "
        f"{_cell(a.alpha)} {_cell(a.ac1)}"
    )


def units_sentence(result: StudyReliability) -> str:
    r = result.report
    who = " and ".join(r.coders) if len(r.coders) == 2 else ", ".join(r.coders)
    return (
        f"{who}: {r.double_coded} turns judged by two or more coders and coded by at least "
        f"one; left out: {r.uncoded} that every coder who saw them left uncoded, "
        f"{r.single} seen by one coder only."
    )


def report_lines(result: StudyReliability, show: int) -> list[str]:
    r = result.report
    lines = [units_sentence(result), "", HEADER, _row(r.overall), *map(_row, r.per_code)]
    missing = [f"  {code} {name}: {reason}" for code, name, reason in r.not_computable()]
    if missing:
        lines += ["", "n/c = not computable:", *missing]
    lines += ["", f"{len(r.disagreements)} disagreements, by code then position"]
    for d in r.disagreements[:show]:
        others = "; ".join(f"{c}: {', '.join(sorted(d.codes[c])) or '(none)'}" for c in d.not_by)
        lines.append(
            f"  {d.code} — {result.places.get(d.unit, d.unit)} (segment {d.unit}): "  # type: ignore[call-overload]
            f"{', '.join(d.applied_by)} applied it, {', '.join(d.not_by)} did not ({others})"
        )
    return lines
