"""Submitted responses as analysis-ready polars frames: one typed column per question.

::

    response.answers (JSON text) ──decode──> answers frame: response_id, org_type,
                                              one column per question (typed below)
    skip rules ───────────────────────────> asked frame: one Boolean column per question
    organisations × response status ───────> population frame: in scope, invited, submitted

Column types follow the answer shapes fixed in survey/answers.py: text answers are
strings, single choices an Enum of the instrument's values, multi-choice and ranking
answers lists of that Enum (a ranking in rank order), a Likert matrix a struct of
item → level, numbers Float64. A missing answer is null. Only ``submitted`` responses
are analysed.

Decoding goes through Arrow's JSON reader (C++), a chunk of responses at a time, because
the JSON is the slow part at scale; if a stored answer no longer fits the instrument's
type (the instrument changed after people answered), the careful Python path takes over
for that chunk, drops what does not fit and says so in ``notes``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.json as pa_json
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.model import Organisation, Response, ResponseStatus
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.organisations import ORG_TYPE_LABELS, org_type_label
from innostudy.survey.relevance import is_relevant, references

RESPONSE_ID = "response_id"
ORG_TYPE = "org_type"
_LIST_TYPES = (QuestionType.MULTI_CHOICE, QuestionType.RANKING)
BLOCK_SIZE = 1 << 22  # bytes of JSON per Arrow block: measured fastest of 1–64 MiB here
POPULATION_SCHEMA = {
    ORG_TYPE: pl.String,
    "in_scope": pl.Int64,
    "invited": pl.Int64,
    "draft": pl.Int64,
    "submitted": pl.Int64,
}


@dataclass(frozen=True)
class SurveyData:
    """Everything the tables are computed from; no database handle, no instrument file."""

    instrument: Instrument
    answers: pl.DataFrame
    asked: pl.DataFrame
    population: pl.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def respondents(self) -> int:
        return self.answers.height


def org_type_order(org_types: Iterable[str]) -> list[str]:
    """Organisation types in the order of ORG_TYPE_LABELS, unknown ones after, A–Z."""
    known = list(ORG_TYPE_LABELS)
    distinct = set(org_types)
    return [t for t in known if t in distinct] + sorted(distinct.difference(known))


def with_org_type_label(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``org_type_label`` next to ``org_type``."""
    mapping = {t: org_type_label(t) for t in frame[ORG_TYPE].unique().drop_nulls().to_list()}
    return frame.with_columns(
        pl.col(ORG_TYPE).cast(pl.String),
        pl.col(ORG_TYPE)
        .cast(pl.String)
        .replace_strict(mapping, return_dtype=pl.String)
        .alias("org_type_label"),
    )


def answer_dtype(q: Question) -> pl.DataType:
    if q.type in _LIST_TYPES:
        return pl.List(pl.String)
    if q.type is QuestionType.LIKERT_MATRIX:
        return pl.Struct({item.key: pl.String for item in q.items})
    if q.type.is_numeric:
        return pl.Float64()
    return pl.String()


def answers_schema(instrument: Instrument) -> dict[str, pl.DataType]:
    return {q.key: answer_dtype(q) for q in instrument.questions()}


def analysis_dtype(q: Question) -> pl.DataType:
    """The column type analysis works on: choices as an Enum of the instrument's values.

    Grouping and exploding Enum columns is several times faster than strings at scale,
    and an Enum cannot hold a value the instrument does not know.
    """
    if not q.type.uses_choices:
        return answer_dtype(q)
    enum = pl.Enum(q.choice_values)
    if q.type in _LIST_TYPES:
        return pl.List(enum)
    if q.type is QuestionType.LIKERT_MATRIX:
        return pl.Struct({item.key: enum for item in q.items})
    return enum


def _arrow_type(q: Question) -> pa.DataType:
    if q.type in _LIST_TYPES:
        return pa.list_(pa.string())
    if q.type is QuestionType.LIKERT_MATRIX:
        return pa.struct([(item.key, pa.string()) for item in q.items])
    return pa.float64() if q.type.is_numeric else pa.string()


def _decode_fast(instrument: Instrument, texts: Sequence[str]) -> pl.DataFrame:
    schema = pa.schema([(q.key, _arrow_type(q)) for q in instrument.questions()])
    text = "\n".join(texts)
    if text.count("\n") != len(texts) - 1:
        # Valid JSON has raw newlines only as whitespace, so flattening them is safe.
        text = "\n".join(t.replace("\n", " ") for t in texts)
    body = text.encode("utf-8")
    table = pa_json.read_json(
        io.BytesIO(body),
        read_options=pa_json.ReadOptions(block_size=BLOCK_SIZE),
        parse_options=pa_json.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="ignore"
        ),
    )
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(answers_schema(instrument))  # type: ignore[arg-type]


def _coerce(q: Question, value: Any) -> Any:
    """The value in the shape ``q`` expects, or None when it does not fit."""
    if value is None:
        return None
    if q.type in _LIST_TYPES:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value if ok and value else None
    if q.type is QuestionType.LIKERT_MATRIX:
        if not isinstance(value, dict):
            return None
        kept = {i.key: value.get(i.key) for i in q.items}
        kept = {k: v if isinstance(v, str) else None for k, v in kept.items()}
        return kept if any(v is not None for v in kept.values()) else None
    if q.type.is_numeric:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and math.isfinite(value) else None
    return value if isinstance(value, str) else None


def _decode_careful(
    instrument: Instrument, texts: Sequence[str]
) -> tuple[pl.DataFrame, dict[str, int]]:
    questions = list(instrument.questions())
    columns: dict[str, list[Any]] = {q.key: [] for q in questions}
    misfits: dict[str, int] = {}
    for text in texts:
        answers = json.loads(text)
        for q in questions:
            raw = answers.get(q.key)
            value = _coerce(q, raw)
            if raw is not None and value is None:
                misfits[q.key] = misfits.get(q.key, 0) + 1
            columns[q.key].append(value)
    return pl.DataFrame(columns, schema=answers_schema(instrument)), misfits


def _decode_chunk(
    instrument: Instrument, texts: Sequence[str]
) -> tuple[pl.DataFrame, dict[str, int]]:
    if not texts:
        return pl.DataFrame(schema=answers_schema(instrument)), {}
    try:
        return _decode_fast(instrument, texts), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, pl.exceptions.PolarsError):
        return _decode_careful(instrument, texts)


def _misfit_notes(misfits: Mapping[str, int]) -> list[str]:
    return [
        f"{key}: {count} stored answer(s) do not fit the instrument's question type "
        "and are left out"
        for key, count in misfits.items()
    ]


def decode_answers(instrument: Instrument, texts: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """Answers JSON (one document per response) → one typed column per question."""
    frame, misfits = _decode_chunk(instrument, texts)
    return frame, _misfit_notes(misfits)


def _keep_known(col: pl.Expr, q: Question) -> pl.Expr:
    """Null out choice values the instrument no longer has (they cannot be labelled)."""
    known = q.choice_values
    if q.type in _LIST_TYPES:
        kept = col.list.eval(pl.element().filter(pl.element().is_in(known)))
        return pl.when(kept.list.len() > 0).then(kept)
    if q.type is QuestionType.LIKERT_MATRIX:
        fields = [
            pl.when(col.struct.field(i.key).is_in(known)).then(col.struct.field(i.key)).alias(i.key)
            for i in q.items
        ]
        return pl.struct(fields)
    return pl.when(col.is_in(known)).then(col)


def _unknown_count(col: pl.Expr, q: Question) -> pl.Expr:
    known = q.choice_values
    if q.type in _LIST_TYPES:
        return col.explode().is_in(known).not_().sum()
    if q.type is QuestionType.LIKERT_MATRIX:
        return pl.sum_horizontal(col.struct.field(i.key).is_in(known).not_().sum() for i in q.items)
    return col.is_in(known).not_().sum()


def clean_choices(instrument: Instrument, answers: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Drop choice values unknown to the instrument, with a note per question."""
    choice_qs = [q for q in instrument.questions() if q.type.uses_choices]
    if not choice_qs or answers.height == 0:
        return answers, []
    counts = answers.select(_unknown_count(pl.col(q.key), q).alias(q.key) for q in choice_qs)
    dirty = [q for q in choice_qs if counts[q.key][0]]
    notes = [
        f"{q.key}: {counts[q.key][0]} answer value(s) are not among the instrument's "
        "choices and are left out"
        for q in dirty
    ]
    if dirty:
        answers = answers.with_columns(_keep_known(pl.col(q.key), q).alias(q.key) for q in dirty)
    return answers, notes


def _as_answer(value: Any) -> Any:
    """A frame value back in the stored answer shape, for the skip-rule evaluator."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None}
    return value


def asked_masks(instrument: Instrument, answers: pl.DataFrame) -> pl.DataFrame:
    """One Boolean column per question: did the skip rules show it to this respondent?

    A rule is evaluated once per distinct combination of the answers it reads (a handful,
    whatever the number of responses) by the same evaluator the form uses, so analysis
    and the form can never disagree about who was asked.
    """
    columns: list[pl.Series] = []
    for q in instrument.questions():
        expr = q.relevance
        if expr is None:
            columns.append(pl.Series(q.key, [True] * answers.height, dtype=pl.Boolean))
            continue
        refs = [r for r in references(expr) if r in answers.columns]
        if not refs:
            value = is_relevant(expr, {})
            columns.append(pl.Series(q.key, [value] * answers.height, dtype=pl.Boolean))
            continue
        combos = answers.select(refs).unique()
        flags = [
            is_relevant(expr, {k: _as_answer(v) for k, v in row.items() if v is not None})
            for row in combos.iter_rows(named=True)
        ]
        combos = combos.with_columns(pl.Series("__asked", flags, dtype=pl.Boolean))
        joined = answers.select(refs).join(
            combos, on=refs, how="left", nulls_equal=True, maintain_order="left"
        )
        columns.append(joined["__asked"].alias(q.key))
    return pl.DataFrame(columns) if columns else pl.DataFrame()


def _drop_unasked(
    instrument: Instrument, answers: pl.DataFrame, asked: pl.DataFrame
) -> tuple[pl.DataFrame, list[str]]:
    ruled = [q.key for q in instrument.questions() if q.relevant]
    if not ruled or answers.height == 0:
        return answers, []
    stray = answers.select(
        (pl.col(k).is_not_null() & asked[k].not_()).sum().alias(k) for k in ruled
    )
    dirty = [k for k in ruled if stray[k][0]]
    notes = [
        f"{k}: {stray[k][0]} answer(s) given although the skip rule hides the question; left out"
        for k in dirty
    ]
    if dirty:
        answers = answers.with_columns(pl.when(asked[k]).then(pl.col(k)).alias(k) for k in dirty)
    return answers, notes


@dataclass
class _Chunks:
    """Decoded pieces of a stream of responses, put together once all have arrived."""

    ids: list[int]
    org_types: list[str]
    frames: list[pl.DataFrame]
    misfits: dict[str, int]

    def add(
        self, instrument: Instrument, ids: Sequence[int], types: Sequence[str], texts: Sequence[str]
    ) -> None:
        frame, misfits = _decode_chunk(instrument, texts)
        self.ids += ids
        self.org_types += types
        self.frames.append(frame)
        for key, count in misfits.items():
            self.misfits[key] = self.misfits.get(key, 0) + count

    def finish(self, instrument: Instrument, population: pl.DataFrame) -> SurveyData:
        """Clean, type and mark who was asked what: the one path every source goes through."""
        decoded = (
            pl.concat(self.frames)
            if self.frames
            else pl.DataFrame(schema=answers_schema(instrument))
        )
        cleaned, unknown = clean_choices(instrument, decoded)
        asked = asked_masks(instrument, cleaned)
        kept, stray = _drop_unasked(instrument, cleaned, asked)
        ids = pl.DataFrame(
            {RESPONSE_ID: self.ids, ORG_TYPE: self.org_types},
            schema={RESPONSE_ID: pl.Int64, ORG_TYPE: pl.Enum(org_type_order(self.org_types))},
        )
        typed = kept.cast({q.key: analysis_dtype(q) for q in instrument.questions()})
        answers = pl.concat([ids, typed], how="horizontal")
        notes = _misfit_notes(self.misfits) + unknown + stray
        return SurveyData(instrument, answers, asked, population, tuple(notes))


def survey_data(
    instrument: Instrument,
    response_ids: Sequence[int],
    org_types: Sequence[str],
    texts: Sequence[str],
    population: pl.DataFrame,
) -> SurveyData:
    """Survey data from answers given as JSON text, one document per response."""
    chunks = _Chunks([], [], [], {})
    chunks.add(instrument, response_ids, org_types, texts)
    return chunks.finish(instrument, population)


def population_from(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """A population frame from rows of org_type, in_scope, invited, draft, submitted."""
    frame = pl.DataFrame(list(rows), schema=POPULATION_SCHEMA)
    return frame.sort(ORG_TYPE)


def from_answers(
    instrument: Instrument,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    population: pl.DataFrame | None = None,
) -> SurveyData:
    """Survey data from (org_type, answers) pairs, as if each were a submitted response.

    Without a population, every organisation in scope is taken to have submitted.
    """
    if population is None:
        counts: dict[str, int] = {}
        for org_type, _ in rows:
            counts[org_type] = counts.get(org_type, 0) + 1
        population = population_from(
            {ORG_TYPE: t, "in_scope": c, "invited": c, "draft": 0, "submitted": c}
            for t, c in counts.items()
        )
    return survey_data(
        instrument,
        list(range(1, len(rows) + 1)),
        [org_type for org_type, _ in rows],
        [json.dumps(dict(answers)) for _, answers in rows],
        population,
    )


def load_population(session: Session) -> pl.DataFrame:
    """Organisations in scope per type, and how far each got with the survey."""
    status = Response.status
    invited = sa.or_(Organisation.invited_at.is_not(None), Response.id.is_not(None))
    rows = session.execute(
        sa.select(
            Organisation.org_type,
            sa.func.count(Organisation.id),
            sa.func.count(sa.case((invited, 1))),
            sa.func.count(sa.case((status == ResponseStatus.DRAFT, 1))),
            sa.func.count(sa.case((status == ResponseStatus.SUBMITTED, 1))),
        )
        .outerjoin(Response, Response.organisation_id == Organisation.id)
        .group_by(Organisation.org_type)
    ).all()
    return population_from(
        {ORG_TYPE: t, "in_scope": n, "invited": i, "draft": d, "submitted": s}
        for t, n, i, d, s in rows
    )


def load_survey_data(
    session: Session, instrument: Instrument, *, chunk: int = 50_000
) -> SurveyData:
    """The submitted responses of the study, ready for the tables.

    Rows are fetched and decoded ``chunk`` at a time, so the JSON text of a large study
    is never all in memory at once.
    """
    # A Core result (not the ORM's): plain rows, without per-row ORM bookkeeping.
    result = session.connection().execute(
        sa.select(Response.id, Organisation.org_type, sa.cast(Response.answers, sa.Text))
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.id)
        .execution_options(yield_per=chunk)
    )
    chunks = _Chunks([], [], [], {})
    for part in result.partitions():
        chunks.add(
            instrument, [r[0] for r in part], [r[1] for r in part], [r[2] or "{}" for r in part]
        )
    return chunks.finish(instrument, load_population(session))
