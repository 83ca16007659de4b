"""The column layout of a response table: what ``survey export`` writes and a plain CSV
import reads without a mapping file, so an export can always be imported again.

One row per response. Organisation columns first, then one column per answer part::

    text, choice, likert, number, date  ->  key
    multi_choice                        ->  key/choice   (1 = chosen, 0 = not, empty = unanswered)
    ranking                             ->  key/choice   (its rank, empty = not ranked)
    likert_matrix                       ->  key/item     (the level)
"""

from __future__ import annotations

from dataclasses import dataclass

from innostudy.survey.instrument import Instrument, Question, QuestionType

ORGANISATION = "organisation"
ORGANISATION_TYPE = "organisation_type"
EXTERNAL_ID = "external_id"
TOKEN = "token"
STATUS = "status"
REVISION = "revision"
STARTED_AT = "started_at"
SUBMITTED_AT = "submitted_at"
UPDATED_AT = "updated_at"

# Written by export, in this order, before the answers; import reads the first four and
# the respondent's times (started_at, submitted_at).
RECORD_COLUMNS = (
    ORGANISATION,
    ORGANISATION_TYPE,
    EXTERNAL_ID,
    STATUS,
    REVISION,
    STARTED_AT,
    SUBMITTED_AT,
    UPDATED_AT,
)
SEPARATOR = "/"


@dataclass(frozen=True)
class AnswerColumn:
    """One column of answers: a whole question, or one choice or item of it."""

    name: str
    question: Question
    part: str | None = None  # choice value (multi_choice, ranking) or item key (matrix)

    @property
    def label(self) -> str:
        """Question label, and the choice or item label, for spreadsheets and SPSS."""
        q = self.question
        if self.part is None:
            return q.label
        if q.type is QuestionType.LIKERT_MATRIX:
            sub = next(i.label for i in q.items if i.key == self.part)
        else:
            choice = q.choice(self.part)
            sub = choice.label if choice is not None else self.part
        return f"{q.label} - {sub}"


def answer_columns(instrument: Instrument) -> list[AnswerColumn]:
    columns: list[AnswerColumn] = []
    for q in instrument.questions():
        if q.type in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
            columns += [AnswerColumn(f"{q.key}{SEPARATOR}{c.value}", q, c.value) for c in q.choices]
        elif q.type is QuestionType.LIKERT_MATRIX:
            columns += [AnswerColumn(f"{q.key}{SEPARATOR}{i.key}", q, i.key) for i in q.items]
        else:
            columns.append(AnswerColumn(q.key, q))
    return columns
