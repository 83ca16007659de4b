"""View models for the survey pages: what each template needs, built from plain values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from innostudy.config import Settings
from innostudy.survey.answers import AnswerProblem
from innostudy.survey.form import FormValue, Page, form_value, question_states
from innostudy.survey.form_text import describe_rule, display_answer, respondent_message
from innostudy.survey.instrument import Instrument, Question


@dataclass
class QuestionBlock:
    q: Question
    mode: str  # shown | conditional (hidden questions are not rendered)
    relevant: bool
    rule_text: str
    value: FormValue
    errors: list[str] = field(default_factory=list)
    error_items: list[str | None] = field(default_factory=list)  # matrix item per error
    elsewhere: list[str] = field(default_factory=list)  # saved by another tab, on conflict

    @property
    def type(self) -> str:
        return self.q.type.value

    @property
    def error_id(self) -> str:
        return f"{self.q.key}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.q.key}-hint"

    def error_id_at(self, index: int) -> str:
        return self.error_id if index == 0 else f"{self.error_id}-{index + 1}"

    def error_ids(self) -> str:
        return " ".join(self.error_id_at(i) for i in range(len(self.errors)))

    def item_error_ids(self, item_key: str) -> str:
        """The messages about one matrix item, and those about the whole question."""
        return " ".join(
            self.error_id_at(i)
            for i, item in enumerate(self.error_items)
            if item is None or item == item_key
        )

    def describedby(self) -> str:
        ids = []
        if self.q.hint or self.mode == "conditional":
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_ids())
        return " ".join(ids)

    def rank_options(self) -> list[int]:
        limit = self.q.max_selected or len(self.q.choices)
        return list(range(1, min(limit, len(self.q.choices)) + 1))


def question_blocks(
    instrument: Instrument,
    page: Page,
    answers: Mapping[str, Any],
    *,
    values: Mapping[str, FormValue] | None = None,
    problems: Sequence[AnswerProblem] = (),
    elsewhere: Mapping[str, Any] | None = None,
) -> list[QuestionBlock]:
    """Blocks for the questions to show; ``values`` are what was typed, if re-shown."""
    blocks = []
    for state in question_states(instrument, page, answers):
        if state.mode == "hidden":
            continue
        q = state.question
        value = values[q.key] if values and q.key in values else form_value(q, answers.get(q.key))
        expr = q.relevance
        rule = (
            f"Answer this only if {describe_rule(instrument, expr)}."
            if state.mode == "conditional" and expr is not None
            else ""
        )
        block = QuestionBlock(q, state.mode, state.relevant, rule, value)
        mine = [p for p in problems if p.field.split("/", 1)[0] == q.key]
        block.errors = [respondent_message(p, q) for p in mine]
        block.error_items = [p.field.split("/", 1)[1] if "/" in p.field else None for p in mine]
        if elsewhere is not None and q.key in elsewhere:
            block.elsewhere = display_answer(q, elsewhere.get(q.key)) or ["(no answer)"]
        blocks.append(block)
    return blocks


@dataclass(frozen=True)
class AnswerLine:
    key: str
    label: str
    lines: list[str]


@dataclass(frozen=True)
class AnswerSection:
    number: int
    title: str
    answers: list[AnswerLine]


def answer_sections(
    instrument: Instrument, pages: Sequence[Page], answers: Mapping[str, Any]
) -> list[AnswerSection]:
    """Every relevant question with its answer in words, page by page (review, receipt)."""
    out = []
    for page in pages:
        lines = [
            AnswerLine(
                s.question.key,
                s.question.label,
                display_answer(s.question, answers.get(s.question.key)),
            )
            for s in question_states(instrument, page, answers)
            if s.relevant
        ]
        out.append(AnswerSection(page.number, page.title, lines))
    return out


@dataclass(frozen=True)
class SummaryItem:
    """One line of the error summary: the question, what it needs, and where it is."""

    key: str
    label: str
    message: str
    page: int | None = None  # on the review page: the page that asks the question

    @property
    def joiner(self) -> str:
        """What goes between label and message, so they read as two sentences, not one
        glued run ("called?: Type…"): nothing after a label's own end mark, else a colon."""
        return "" if self.label.rstrip().endswith(("?", ".", "!", ":")) else ":"


def error_summary(
    instrument: Instrument,
    problems: Sequence[AnswerProblem],
    page_of: Mapping[str, int] | None = None,
) -> list[SummaryItem]:
    """The box at the top of a page; ``page_of`` (key → page) links each to its page."""
    rows = []
    for p in problems:
        key = p.field.split("/", 1)[0]
        q = instrument.question(key) if instrument.has_question(key) else None
        rows.append(
            SummaryItem(
                key,
                q.label if q else key,
                respondent_message(p, q) if q else p.message,
                page_of.get(key) if page_of is not None else None,
            )
        )
    return rows


@dataclass(frozen=True)
class AboutStudy:
    """What respondents are told about who asks and why: only what the settings say.

    Each part is empty when its setting is, and the templates then say nothing about it
    rather than something invented ("contact the study team" with no way to).
    """

    organiser: str
    contact: str
    contact_href: str  # mailto: or https: for the contact, or "" to show it as text
    privacy: list[str]  # paragraphs of the privacy notice
    privacy_url: str  # http(s) only
    minutes: int


_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")


def _web_address(text: str) -> str:
    return text if re.fullmatch(r"https?://[^\s<>\"']+", text) else ""


def about_study(settings: Settings) -> AboutStudy:
    contact = str(settings["survey.contact"]).strip()
    href = f"mailto:{contact}" if _EMAIL.fullmatch(contact) else _web_address(contact)
    notice = str(settings["survey.privacy_notice"]).replace("\r\n", "\n").strip()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", notice) if p.strip()]
    return AboutStudy(
        organiser=str(settings["study.organisation"]).strip(),
        contact=contact,
        contact_href=href,
        privacy=paragraphs,
        privacy_url=_web_address(str(settings["survey.privacy_url"]).strip()),
        minutes=max(0, int(settings["survey.minutes"])),
    )
