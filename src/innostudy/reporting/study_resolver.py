"""Answer the report's placeholders from the study store."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy.orm import Session

from innostudy.analysis import summary as analysis
from innostudy.analysis.summary import Summary
from innostudy.areas import Area
from innostudy.coding.coded import MainCoding
from innostudy.coding.provenance import machine_assistance
from innostudy.reporting import method
from innostudy.reporting.discussion_table import discussion_table
from innostudy.reporting.document import Figure, QuoteItem, Table
from innostudy.reporting.fact_context import FactContext
from innostudy.reporting.facts import find_fact
from innostudy.reporting.facts_survey import survey_stat
from innostudy.reporting.joint import comparison_table, joint_table
from innostudy.reporting.quotes import QuoteSelection, load_quotes, pick, report_groups, select
from innostudy.reporting.resolver import Unresolved
from innostudy.reporting.survey_tables import (
    countable_questions,
    crosstab_names,
    crosstab_table,
    question_table,
    tests_table,
)
from innostudy.survey.instrument import Instrument
from innostudy.survey.responses import submitted_answers


def _unknown(kind: str, name: str, known: list[str]) -> LookupError:
    shown = ", ".join(sorted(known)[:12]) + (" …" if len(known) > 12 else "")
    return LookupError(f"unknown {kind} '{name}' (known: {shown or 'none yet'})")


class StudyResolver:
    def __init__(
        self,
        session: Session,
        areas: list[Area],
        instrument: Instrument,
        summary: Summary,
        main: MainCoding,
    ) -> None:
        self.session = session
        self.summary = summary
        self.areas = {a.key: a for a in areas}
        self.context = FactContext(session, summary, instrument, areas, main)
        self.stats = method.study_stats(self.context.study)
        answers = [a for _, a in submitted_answers(session)]
        self.tables: dict[str, Callable[[], Table]] = {
            "groups": lambda: method.groups_table(self.context.groups),
            "response": lambda: method.response_table(self.context.study),
            "tests": lambda: tests_table(summary),
            "coding": lambda: method.coding_table(machine_assistance(session)),
        }
        for area in areas:
            self.tables[f"discussion.{area.key}"] = partial(
                discussion_table, self.context, area.key, area.title
            )
        for key in countable_questions(instrument):
            self.tables[key] = partial(question_table, instrument, key, answers)
        for name, (question, item) in crosstab_names(summary).items():
            self.tables[name] = partial(crosstab_table, summary, question, item)
        self.records = load_quotes(session)
        self.groups = report_groups(session)

    def stat(self, name: str) -> str:
        found = find_fact(name)
        if found is not None:
            fact, arguments = found
            return fact.resolve(self.context, **arguments)
        if name in self.stats:
            return self.stats[name]
        try:
            analysis.stat(self.summary, name)
        except analysis.UnknownNameError as exc:
            raise LookupError(str(exc)) from None
        return survey_stat(self.context, name)

    def figure(self, name: str) -> Figure:
        try:
            spec = analysis.figure_spec(self.summary, name)
        except analysis.UnknownNameError as exc:
            raise LookupError(str(exc)) from None
        if not self.summary.respondents:
            raise Unresolved("no survey response has been submitted yet")
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

    def _area(self, area: str) -> str:
        if area not in self.areas:
            raise _unknown("area", area, list(self.areas))
        return self.areas[area].title

    def joint(self, area: str) -> Table:
        return joint_table(self.context.matrix, area, self._area(area), self.groups)

    def comparison(self, area: str) -> Table:
        return comparison_table(self.context.matrix, area, self._area(area), self.context.main)

    def quote(self, label: str) -> QuoteItem:
        return pick(self.records, label)

    def quotes(self, params: dict[str, str]) -> QuoteSelection:
        return select(self.records, params, self.groups)
