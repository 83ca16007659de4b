"""The instrument as plain text for people to read (``innostudy survey show``)."""

from __future__ import annotations

from innostudy.survey.instrument import Instrument, Question, QuestionType


def _describe(q: Question) -> list[str]:
    flags = [q.type.value] + (["required"] if q.required else [])
    lines = [f"  {q.key}  [{', '.join(flags)}]", f"      {q.label}"]
    if q.relevant:
        lines.append(f"      shown if: {q.relevant}")
    if q.type is QuestionType.LIKERT_MATRIX:
        lines.append("      items: " + "; ".join(i.label for i in q.items))
    if q.choices:
        lines.append(
            "      "
            + ("scale" if q.type.is_ordered_scale else "choices")
            + ": "
            + "; ".join(c.label for c in q.choices)
        )
    bounds = [
        f"min {q.minimum}" if q.minimum is not None else "",
        f"max {q.maximum}" if q.maximum is not None else "",
    ]
    if q.min_selected:
        bounds.append(f"at least {q.min_selected}")
    if q.max_selected:
        bounds.append(f"at most {q.max_selected}")
    if any(bounds):
        lines.append("      " + ", ".join(b for b in bounds if b))
    return lines


def instrument_as_text(instrument: Instrument) -> str:
    out = [f"{instrument.title} (id {instrument.id}, version {instrument.version})", ""]
    for number, section in enumerate(instrument.sections, start=1):
        out.append(f"{number}. {section.title}  (area: {section.area})")
        for q in section.questions:
            out += _describe(q)
        out.append("")
    total = sum(1 for _ in instrument.questions())
    out.append(f"{len(instrument.sections)} sections, {total} questions")
    return "\n".join(out)
