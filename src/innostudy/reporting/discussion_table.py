"""The report's "how the discussion developed" table for one area: per focus group, who
raised the area first, whether the moderator had just named it, how many people took it
up and how long the first stretch of talk on it held.

The figures are ``discussion.flow``'s (its docstring has the rules), read from the
group's first session in which the area came up; a group with several transcripts is
read in session order.
"""

from __future__ import annotations

from innostudy.discussion.flow import GAP, ThemeFlow
from innostudy.reporting.document import Table
from innostudy.reporting.fact_context import FactContext
from innostudy.reporting.resolver import Unresolved

HEADER = ["Group", "Raised first by", "Moderator had named it", "Took it up", "Turns held"]


def discussion_table(ctx: FactContext, area: str, title: str) -> Table:
    if not ctx.flows:
        raise Unresolved("no focus group has a verbatim transcript yet")
    rows = []
    for scope, flows in ctx.flows:
        first = _first(area, flows)
        if first is None:
            rows.append([scope.label, "not raised", "–", "–", "–"])
            continue
        rows.append(
            [
                scope.label,
                first.raised_by,
                "yes" if first.prompted else "no",
                str(first.participants),
                str(first.held_turns),
            ]
        )
    return Table(
        caption=f"{title}: how the discussion developed in each group",
        header=HEADER,
        rows=rows,
        numeric=[False, False, False, True, True],
        notes=[
            "Raised first by: the participant (by code) whose turn was the first coded with "
            "the area or a theme below it in the main coding. Moderator had named it: the "
            "moderator's latest turn before it named the area or one of its themes. Took it "
            "up: participants with a turn on it in that session. Turns held: participants' "
            f"turns on it before the talk left it for more than {GAP} participant turns."
        ],
    )


def _first(area: str, flows: list[list[ThemeFlow]]) -> ThemeFlow | None:
    for flow in flows:
        row = next((f for f in flow if f.code == area), None)
        if row is not None:
            return row
    return None
