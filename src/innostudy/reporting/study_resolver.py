"""Answer the report's placeholders from the study store."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy.orm import Session

from innostudy.analysis import summary as analysis
from innostudy.analysis.summary import Summary
from innostudy.areas import Area
from innostudy.coding.group_matrix import CodeGroupMatrix, code_group_matrix
from innostudy.coding.provenance import machine_assistance
from innostudy.reporting import method
from innostudy.reporting.document import Figure, QuoteItem, Table
from innostudy.reporting.joint import joint_table
from innostudy.reporting.quotes import load_quotes, pick, select
from innostudy.reporting.survey_tables import countable_questions, question_table
from innostudy.survey.instrument import Instrument
from innostudy.survey.responses import submitted_answers


def _unknown(kind: str, name: str, known: list[str]) -> LookupError:
    shown = ", ".join(sorted(known)[:12]) + (" …" if len(known) > 12 else "")
    return LookupError(f"unknown {kind} '{name}' (known: {shown or 'none yet'})")


class StudyResolver:
    def __init__(
        self, session: Session, areas: list[Area], instrument: Instrument, summary: Summary
    ) -> None:
        self.session = session
        self.summary = summary
        self.areas = {a.key: a for a in areas}
        self.facts = method.study_facts(session)
        self.stats = method.study_stats(self.facts)
        answers = [a for _, a in submitted_answers(session)]
        self.tables: dict[str, Callable[[], Table]] = {
            "groups": lambda: method.groups_table(self.facts),
            "response": lambda: method.response_table(self.facts),
            "coding": lambda: method.coding_table(machine_assistance(session)),
        }
        for key in countable_questions(instrument):
            self.tables[key] = partial(question_table, instrument, key, answers)
        self.records = load_quotes(session)
        self._matrix: CodeGroupMatrix | None = None

    def stat(self, name: str) -> str:
        if name in self.stats:
            return self.stats[name]
        try:
            return analysis.format_stat(self.summary, name)
        except analysis.UnknownNameError as exc:
            raise LookupError(str(exc)) from None

    def figure(self, name: str) -> Figure:
        try:
            spec = analysis.figure_spec(self.summary, name)
        except analysis.UnknownNameError as exc:
            raise LookupError(str(exc)) from None
        return Figure(
            name=name,
            caption=spec.title,
            alt=spec.description or spec.title,
            svg=analysis.figure(self.summary, name, "svg"),
            png=analysis.figure(self.summary, name, "png"),
        )

    def table(self, name: str) -> Table:
        if name in self.tables:
            return self.tables[name]()
        raise _unknown("table", name, list(self.tables))

    def joint(self, area: str) -> Table:
        if area not in self.areas:
            raise _unknown("area", area, list(self.areas))
        if self._matrix is None:
            self._matrix = code_group_matrix(self.session)
        return joint_table(self.session, area, self.areas[area].title, self._matrix)

    def quote(self, label: str) -> QuoteItem:
        return pick(self.records, label)

    def quotes(self, params: dict[str, str]) -> list[QuoteItem]:
        return select(self.records, params)
