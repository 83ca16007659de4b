"""The named figures of a study, derived from its instrument: a stable, listable contract.

Names (``{{figure: …}}`` in the report, ``innostudy analyse chart NAME``)::

    <q>_bars          single, multi-choice, cost-band and single Likert questions
    <q>               ranking questions (e.g. ``barriers_ranked``)
    <q>_diverging     Likert matrices (e.g. ``impacts_diverging``)
    <q>_distribution  numbers and months
    stage_durations   every months question in one box-and-strip chart
    <q>_by_org_type   small multiples by organisation type, for each of the above
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from innostudy.errors import InnostudyError
from innostudy.survey.instrument import Instrument, Question, QuestionType

BARS, RANKING, DIVERGING = "bars", "ranking", "diverging"
DISTRIBUTION, DURATIONS, BY_ORG_TYPE = "distribution", "durations", "by_org_type"
KINDS = (BARS, RANKING, DIVERGING, DISTRIBUTION, DURATIONS, BY_ORG_TYPE)
STAGE_DURATIONS = "stage_durations"

_BAR_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTI_CHOICE,
    QuestionType.MONEY_BAND,
    QuestionType.LIKERT,
)


@dataclass(frozen=True)
class FigureSpec:
    name: str
    kind: str
    area: str
    questions: tuple[str, ...]
    title: str
    description: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["questions"] = list(self.questions)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureSpec:
        return cls(**{**data, "questions": tuple(data["questions"])})


def _main_figure(q: Question) -> FigureSpec | None:
    if q.type in _BAR_TYPES:
        how = "share choosing each option" if q.type is QuestionType.MULTI_CHOICE else "answers"
        return FigureSpec(
            f"{q.key}_bars", BARS, q.area, (q.key,), q.label, f"{how}, with 95% Wilson intervals"
        )
    if q.type is QuestionType.RANKING:
        return FigureSpec(
            q.key, RANKING, q.area, (q.key,), q.label, "how often each item took each rank"
        )
    if q.type is QuestionType.LIKERT_MATRIX:
        return FigureSpec(
            f"{q.key}_diverging",
            DIVERGING,
            q.area,
            (q.key,),
            q.label,
            "distribution of levels per item, centred on the scale's middle",
        )
    if q.type.is_numeric:
        return FigureSpec(
            f"{q.key}_distribution",
            DISTRIBUTION,
            q.area,
            (q.key,),
            q.label,
            "how many gave each value, with median and quartiles",
        )
    return None


def figure_specs(instrument: Instrument) -> dict[str, FigureSpec]:
    """Every figure the instrument gives rise to, by name, in instrument order."""
    specs: list[FigureSpec] = []
    months = [q for q in instrument.questions() if q.type is QuestionType.MONTHS]
    for q in instrument.questions():
        main = _main_figure(q)
        if main is None:
            continue
        if q is (months[0] if months else None):
            specs.append(
                FigureSpec(
                    STAGE_DURATIONS,
                    DURATIONS,
                    q.area,
                    tuple(m.key for m in months),
                    "Months per stage, and in total",
                    "box plot (median, quartiles, whiskers at 1.5 IQR) with every answer as a dot",
                )
            )
        specs.append(main)
        specs.append(
            FigureSpec(
                f"{q.key}_by_org_type",
                BY_ORG_TYPE,
                q.area,
                (q.key,),
                f"{q.label} — by organisation type",
                "one panel per organisation type",
            )
        )
    by_name: dict[str, FigureSpec] = {}
    for spec in specs:
        if spec.name in by_name:
            raise InnostudyError(
                f"two figures would be named '{spec.name}'; rename one of the questions"
            )
        by_name[spec.name] = spec
    return by_name
