"""The demo's analysis and briefing: the same two commands a user runs, on the demo study."""

from __future__ import annotations

from collections.abc import Callable

from innostudy.analysis import summary as analysis
from innostudy.analysis.outputs import write_analysis
from innostudy.briefing.build import build_briefing
from innostudy.storage.store import StudyStore


def analyse_and_brief(store: StudyStore, say: Callable[[str], None]) -> None:
    """Write analysis/ (tables and summary.json) and briefing/ (pptx, html, pdf, handout)."""
    result = analysis.load(store)
    write_analysis(result, store.path("analysis"))
    say(f"Analysis: {len(result.stats):,} statistics, {len(result.figures)} figures in analysis/")
    brief = build_briefing(store, summary=result)
    say(f"Briefing: {brief.slides} slides and a handout in briefing/ (pptx, html, pdf)")
