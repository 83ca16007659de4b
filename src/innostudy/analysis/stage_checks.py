"""Answers that contradict each other: stage durations that add up to more than the total.

The survey asks months per stage (idea → approval → pilot → roll-out) and, separately,
the total time to market. A respondent whose stages add up to more than their total has
made a slip in one of the answers, and a report that quotes both medians side by side
would be built on it. The analysis does not guess which answer is wrong: it counts and
names these responses (``<total>.stages_exceed.*`` statistics, the ``stage_checks``
table, and a note that ``innostudy analyse`` prints).

Which questions are stages of which total is the study setting ``analysis.stage_totals``
("time_to_market = months_idea_to_approval + months_approval_to_pilot + …"; several
separated by ";"). A rule whose total is not in the instrument is skipped, so the default
setting does no harm to another instrument; one naming a stage that is not there is an
error.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from innostudy.analysis.frames import RESPONSE_ID, SurveyData
from innostudy.errors import InputError
from innostudy.survey.instrument import Instrument

SETTING = "analysis.stage_totals"
SCHEMA = pl.Schema(
    [
        ("total", pl.String()),
        ("stages", pl.String()),
        ("n", pl.Int64()),  # responses answering the total and every stage
        ("exceed", pl.Int64()),  # of which the stages add up to more than the total
        ("exceed_pct", pl.Float64()),
        ("response_ids", pl.String()),  # comma-separated, so every output format can hold it
    ]
)


@dataclass(frozen=True)
class StageRule:
    total: str
    stages: tuple[str, ...]


def parse_rules(text: str, instrument: Instrument) -> list[StageRule]:
    """The setting's rules that apply to this instrument."""
    rules: list[StageRule] = []
    keys = {q.key for q in instrument.questions()}
    for part in (p.strip() for p in text.split(";") if p.strip()):
        total, sep, rest = part.partition("=")
        stages = tuple(s.strip() for s in rest.split("+") if s.strip())
        if not sep or not total.strip() or len(stages) < 2:
            raise InputError(
                "study.toml", None, SETTING, f"'{part}' is not 'TOTAL = STAGE + STAGE + …'"
            )
        if total.strip() not in keys:
            continue
        missing = [s for s in stages if s not in keys]
        if missing:
            raise InputError(
                "study.toml", None, SETTING, f"'{missing[0]}' is not a question of the instrument"
            )
        rules.append(StageRule(total.strip(), stages))
    return rules


def stage_checks_table(data: SurveyData, rules: list[StageRule]) -> pl.DataFrame:
    rows = []
    for rule in rules:
        cols = [rule.total, *rule.stages]
        complete = data.answers.select(RESPONSE_ID, *cols).drop_nulls()
        over = complete.filter(pl.sum_horizontal(list(rule.stages)) > pl.col(rule.total))
        n, exceed = complete.height, over.height
        rows.append(
            (
                rule.total,
                " + ".join(rule.stages),
                n,
                exceed,
                100 * exceed / n if n else None,
                ", ".join(str(i) for i in over[RESPONSE_ID].to_list()),
            )
        )
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def stage_notes(table: pl.DataFrame) -> list[str]:
    return [
        f"{row['exceed']} of {row['n']} responses give stage durations ({row['stages']}) that "
        f"add up to more than {row['total']} (response ids: {_first(row['response_ids'])})"
        for row in table.iter_rows(named=True)
        if row["exceed"]
    ]


def _first(ids: str, shown: int = 20) -> str:
    parts = ids.split(", ")
    return ", ".join(parts[:shown]) + (" …" if len(parts) > shown else "")
