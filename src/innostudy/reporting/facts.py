"""The named facts a narrative may use in ``{{stat: NAME}}``: one table, name → resolver.

Every sentence of the default narrative that states a fact gets it from this table or
from the survey analysis' named statistics (``analysis.stat_names``), so nothing in the
report is typed from memory. A resolver returns the words that go into the sentence, or
raises ``Unresolved`` when the study has nothing to say yet (a gap that ``report``
refuses and ``report check`` names).

To add facts, write them as ``Fact`` rows (a name, what it says, an example of how it
reads, and a function of the ``FactContext``) in a ``facts_*.py`` module, add that
module's tuple to ``FACTS`` below, and add one row per fact to docs/report.md; a test
fails when a fact is not documented. A name may hold ``<area>`` or ``<code>``, which
match an area key or a code key and reach the resolver as keyword arguments.
"""

from __future__ import annotations

from innostudy.reporting.fact_context import Fact
from innostudy.reporting.facts_discussion import DISCUSSION_FACTS
from innostudy.reporting.facts_method import METHOD_FACTS
from innostudy.reporting.facts_survey import SURVEY_FACTS
from innostudy.reporting.facts_themes import THEME_FACTS

FACTS: tuple[Fact, ...] = (*METHOD_FACTS, *THEME_FACTS, *DISCUSSION_FACTS, *SURVEY_FACTS)


def find_fact(name: str) -> tuple[Fact, dict[str, str]] | None:
    """The fact a name refers to, with the values of its <area>/<code> parts."""
    for fact in FACTS:
        m = fact.pattern.fullmatch(name)
        if m is not None:
            return fact, m.groupdict()
    return None
