"""Plain-text transcripts in any of the layouts of ``layouts.py``, decided from the whole
file unless the user names one (``--layout``) or gives a pattern (``--speaker-pattern``).

Transcribers, transcription services and meeting tools all save ``.txt``: ``Name: text``
lines, a label alone on its line with paragraphs below, Otter's ``Name  0:03`` headers,
``[Name] 11:02:09`` from Zoom, bracketed and bold labels. YAML front matter, title and
header lines are skipped and said so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.cues import looks_like_teams, teams_turns
from innostudy.transcripts.formats.evidence import choose_layout
from innostudy.transcripts.formats.layouts import Layout
from innostudy.transcripts.formats.limits import MAX_TRANSCRIPT_BYTES, TOO_BIG, check_lines
from innostudy.transcripts.formats.lines import Line, read_turns


def read_lines(path: Path) -> list[Line]:
    """A transcript's numbered lines, within the transcript size and line limits."""
    return check_lines(numbered_lines(path, limit=MAX_TRANSCRIPT_BYTES, advice=TOO_BIG), path)


def turns_from_lines(
    lines: Sequence[Line],
    source: Path,
    layout: Layout | None = None,
    *,
    unit: str = "line",
    check: bool = True,
    found: Layout | None = None,
) -> TranscriptDraft:
    """Turns in ``layout``, or in the layout the lines themselves show best (``found``,
    when the caller has weighed them already)."""
    chosen = layout or found or choose_layout(lines).layout
    draft = read_turns(lines, source, chosen, unit=unit, check=check)
    if layout is None and not chosen.patterns:
        draft.warnings.append(
            "no speaker labels found: each paragraph is a turn without a speaker "
            "(name the layout with --layout or --speaker-pattern if there are labels)"
        )
    return draft


def parse(path: Path, layout: Layout | None = None) -> TranscriptDraft:
    lines = read_lines(path)
    if layout is None and looks_like_teams(lines):
        return teams_turns(lines, path)
    return turns_from_lines(lines, path, layout)
