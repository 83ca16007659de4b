"""Assemble the briefing from the analysis and the study's areas: title, overview, area slides."""

from __future__ import annotations

from datetime import date

from innostudy.analysis.summary import Summary
from innostudy.areas import Area
from innostudy.briefing.content import (
    HOW_TO_READ,
    SYNTHETIC_NOTE,
    AreaBrief,
    Briefing,
    Fact,
    RateRow,
    Slide,
    count_ref,
    fact,
    pct_ref,
)
from innostudy.briefing.headlines import BUILDERS, Headline


def _count(summary: Summary, name: str) -> int:
    return int(summary.stats[name] or 0)


def response_fact(summary: Summary) -> Fact:
    rate = summary.stats["response.rate"]
    return fact(
        "survey of ",
        count_ref("response.in_scope", _count(summary, "response.in_scope")),
        " organisations; ",
        count_ref("response.submitted", _count(summary, "response.submitted")),
        " submitted a response (",
        pct_ref("response.rate", None if rate is None else float(rate)),
        ").",
    )


def rate_rows(summary: Summary) -> tuple[RateRow, ...]:
    rows = []
    for row in summary.tables["response_rates"].iter_rows(named=True):
        prefix = "response" if row["org_type"] == "all" else f"response.{row['org_type']}"
        rows.append(
            RateRow(
                row["org_type_label"],
                count_ref(f"{prefix}.in_scope", row["in_scope"]),
                count_ref(f"{prefix}.submitted", row["submitted"]),
                pct_ref(f"{prefix}.rate", row["rate"]),
            )
        )
    return tuple(rows)


def _notes(area: Area, headline: Headline) -> tuple[str, ...]:
    lines = ["Discussion prompts:", *(f"• {p}" for p in area.prompts), "", "On this slide:"]
    if headline.big is not None:
        lines.append(f"• {headline.big.text} {headline.caption.text}")
    else:
        lines.append(f"• {headline.caption.text}")
    lines += [f"• {f.text}" for f in headline.facts]
    lines += [f"• {c}" for c in headline.caveats]
    return tuple(lines)


def area_slides(summary: Summary, area: Area, number: int, figure_names: list[str]) -> list[Slide]:
    slides = []
    for name in figure_names:
        spec = summary.figures[name]
        headline = BUILDERS[spec.kind](summary, spec)
        labels = [summary.question_label(k) for k in spec.questions]
        question = (
            f"Survey question: {labels[0]}"
            if len(labels) == 1
            else f"Survey questions: {len(labels)}, from “{labels[0]}” to “{labels[-1]}”"
        )
        slides.append(
            Slide(
                area.key,
                area.title,
                number,
                headline.title,
                question,
                headline.big,
                headline.caption,
                headline.facts,
                headline.caveats,
                name,
                _notes(area, headline),
            )
        )
    return slides


def _handout_facts(slides: list[Slide]) -> tuple[Fact, ...]:
    facts = []
    for slide in slides:
        if slide.big is None:
            facts.append(fact(f"{slide.question} ", *slide.caption.parts))
        else:
            facts.append(fact(slide.big, " ", *slide.caption.parts))
    return tuple(facts)


def compose(
    summary: Summary,
    areas: list[Area],
    figures_by_area: dict[str, list[str]],
    *,
    organisation: str = "",
    today: date | None = None,
) -> Briefing:
    slides: list[Slide] = []
    briefs: list[AreaBrief] = []
    for number, area in enumerate(areas, start=1):
        mine = area_slides(summary, area, number, figures_by_area.get(area.key, []))
        slides += mine
        briefs.append(
            AreaBrief(
                area.key, number, area.title, area.summary, _handout_facts(mine), area.prompts
            )
        )
    notes = tuple(summary.notes) + ((SYNTHETIC_NOTE,) if summary.synthetic else ())
    return Briefing(
        study_name=summary.study_name,
        organisation=organisation,
        date=(today or date.today()).strftime("%-d %B %Y"),
        synthetic=summary.synthetic,
        response=response_fact(summary),
        rates=rate_rows(summary),
        how_to_read=HOW_TO_READ,
        slides=tuple(slides),
        areas=tuple(briefs),
        notes=notes,
    )
