"""What a named fact is (``Fact``) and what facts are computed from (``FactContext``).

The table of facts itself is ``reporting/facts.py``; the facts are written in
``facts_method.py`` (fieldwork and coding), ``facts_themes.py`` (what groups raised) and
``facts_survey.py`` (survey headlines with their base and interval).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session

from innostudy.analysis import formatting
from innostudy.analysis.summary import Summary
from innostudy.areas import Area
from innostudy.coding.coded import MainCoding, judgements
from innostudy.coding.group_matrix import CodeGroupMatrix, code_group_matrix
from innostudy.coding.reliability import ReliabilityReport, reliability
from innostudy.discussion.flow import ThemeFlow, theme_flow
from innostudy.discussion.overview import Scope, scopes, study_namer
from innostudy.reporting import fieldwork_facts as fw
from innostudy.reporting import method
from innostudy.reporting.resolver import Unresolved
from innostudy.survey.instrument import Instrument
from innostudy.wording import plural


class FactContext:
    """What facts are computed from, each part computed once and only when asked for."""

    def __init__(
        self,
        session: Session,
        summary: Summary,
        instrument: Instrument,
        areas: list[Area],
        main: MainCoding,
    ) -> None:
        self.session = session
        self.summary = summary
        self.instrument = instrument
        self.areas = {a.key: a for a in areas}
        self.main = main

    @cached_property
    def study(self) -> method.StudyFacts:
        return method.study_facts(self.session)

    @cached_property
    def sessions(self) -> list[fw.SessionFacts]:
        return fw.session_facts(self.session)

    @cached_property
    def held(self) -> list[fw.SessionFacts]:
        return [s for s in self.sessions if s.held]

    @cached_property
    def groups(self) -> list[fw.GroupAttendance]:
        return fw.attendance(self.session, self.sessions)

    @cached_property
    def consent(self) -> fw.ConsentFacts:
        return fw.consent_facts(self.session)

    @cached_property
    def matrix(self) -> CodeGroupMatrix:
        return code_group_matrix(self.session, coders=self.main.coders)

    @cached_property
    def reliability(self) -> ReliabilityReport | None:
        """Main coding against the reliability coders, on what they both coded."""
        if not self.main.reliability:
            return None
        coders = [*self.main.coders, *self.main.reliability]
        return reliability(judgements(self.session, coders))

    @cached_property
    def coding(self) -> fw.CodingFacts:
        turns = sum(c.units for c in self.matrix.columns if c.group_id is not None)
        return fw.coding_facts(self.session, self.main, turns)

    @cached_property
    def discussions(self) -> list[Scope]:
        """Each focus group's verbatim discussions in the main coding, in report order."""
        found = scopes(self.session, by="group", coders=self.main.coders)
        return [g for g in found if g.discussions[0].group_id is not None]

    @cached_property
    def flows(self) -> list[tuple[Scope, list[list[ThemeFlow]]]]:
        """Themes in the flow of talk, per group and per transcript."""
        namer = study_namer(self.session)
        return [(g, [theme_flow(d, namer) for d in g.discussions]) for g in self.discussions]


Resolve = Callable[..., str]


@dataclass(frozen=True)
class Fact:
    name: str  # may hold <area> or <code>
    says: str
    example: str
    resolve: Resolve  # (context, **arguments) -> words; raises Unresolved

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        text = re.escape(self.name)
        text = text.replace("<area>", r"(?P<area>[a-z0-9_]+)")
        text = text.replace("<code>", r"(?P<code>[a-z0-9_.]+)")
        text = text.replace("<stat>", r"(?P<stat>[A-Za-z0-9_.]+)")
        return re.compile(text)


def count(n: int) -> str:
    return formatting.count(n)


def counted(n: int, noun: str) -> str:
    """3, "coder" → "3 coders"; 1 → "1 coder" (thousands separated, as counts are)."""
    return f"{count(n)} {plural(noun, n)}"


def share(part: int, whole: int) -> str:
    """ "40%" of a whole that is not empty; a gap when there is nothing to divide by."""
    if not whole:
        raise Unresolved("there is nothing to take a share of yet")
    return formatting.pct(100 * part / whole)


def words_list(items: list[str]) -> str:
    """["a"] → "a"; ["a", "b", "c"] → "a, b and c"."""
    if not items:
        raise Unresolved("the list is empty")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def day(d: object) -> str:
    from datetime import date

    assert isinstance(d, date)
    return f"{d.day} {d:%B %Y}"
