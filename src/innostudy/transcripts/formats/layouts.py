"""The layouts of speaker turns in text, Markdown and Word transcripts, one per way
people and tools mark who speaks.

A layout is only a way to recognise the line that starts a turn (its speaker, its time,
any words on the same line); the words that follow on other lines continue the turn.
Which layout a file uses is decided from the whole file (``evidence.py``), or named by
the user (``--layout``), or given as a regular expression (``--speaker-pattern``).
Every layout, with an example, is listed in docs/transcripts.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from innostudy.errors import InputError

# A speaker label: starts with a letter, then letters, digits, spaces, apostrophes,
# full stops and hyphens ("Speaker 2", "Siân O'Neill", "Dr. Smith-Jones").
NAME = r"[^\W\d_][\w .'’-]{0,58}?"
TIME = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_TIMEISH = r"[\d:.,]+"  # read loosely here; a bad time is refused with its line later
MAX_LABEL_WORDS = 4


@dataclass(frozen=True)
class TurnStart:
    """A line that starts a turn. ``speaker`` is None for a time-only label such as
    ``(00:01:27):``, which continues the current speaker's turn."""

    speaker: str | None
    time_text: str | None
    text: str


def _anything(line: str) -> bool:
    return True


@dataclass(frozen=True)
class Layout:
    name: str
    summary: str
    example: str
    patterns: tuple[re.Pattern[str], ...]
    could_start: Callable[[str], bool] = _anything  # a cheap test before the patterns

    def match(self, line: str) -> TurnStart | None:
        """The turn this line starts, if it starts one."""
        if not self.could_start(line):
            return None
        for pattern in self.patterns:
            m = pattern.match(line)
            if m is None:
                continue
            groups = m.groupdict()
            name = (groups.get("name") or groups.get("speaker") or "").strip() or None
            if name is not None and len(name.split()) > MAX_LABEL_WORDS:
                continue
            if name is None and not groups.get("time"):
                continue
            text = groups["text"] if "text" in groups else line[m.end() :]
            return TurnStart(name, groups.get("time") or groups.get("bare"), (text or "").strip())
        return None


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_COLON = _compile(
    # [00:01:02] Name: text   00:01:02 Name: text   Name: text   (or the label alone)
    rf"^(?:\[(?P<time>{_TIMEISH})\]\s*|(?P<bare>{TIME})\s+)?(?P<name>{NAME})\s*:(?:\s+(?P<text>\S.*))?$",
    # Name (00:01:02): text   Name [00:01:02] text   NAME (00:01:02)
    rf"^(?P<name>{NAME})\s*[\[(](?P<time>{_TIMEISH})[\])]\s*:?(?:\s*(?P<text>\S.*))?$",
    # (00:01:27):  a time alone: the same speaker goes on
    rf"^[\[(](?P<time>{_TIMEISH})[\])]\s*:?(?:\s+(?P<text>\S.*))?$",
)


def _colon_near(line: str) -> bool:
    head = line[:90]
    return ":" in head or "(" in head or "[" in head


INLINE = Layout(
    "inline",
    "the label and the words on one line",
    "Zoë Hartley: Budgets run yearly.\n[00:01:02] Facilitator: Say more?",
    _COLON,
    _colon_near,
)
LABEL_LINE = Layout(
    "label-line",
    "the label alone on its line, one or more paragraphs below",
    "Interviewer:\n\nHow did the pilot start?\n\nLenny (00:01:01):\nToday my guest is…",
    _COLON,
    _colon_near,
)
OTTER = Layout(
    "otter",
    "name and time on one line (Otter.ai, Zoom's text transcript), the words below",
    "Zoë Hartley  0:03\nBudgets run yearly.\n\n**Siân Price**  1:02:07\nAgreed.",
    _compile(
        rf"^(?:\*\*|__)?(?P<name>{NAME})(?:\*\*|__)?\s+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)$",
        rf"^\[(?P<name>{NAME})\]\s+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)$",
    ),
    lambda line: line[-1:].isdigit() and len(line) < 90,
)
BOLD = Layout(
    "bold",
    "a bold label, with the words after it or below",
    "**Zoë Hartley:** Budgets run yearly.\n**Facilitator**: Say more?",
    _compile(
        rf"^(?:\[(?P<time>{_TIMEISH})\]\s*)?(\*\*|__)(?P<name>{NAME}):\3(?:\s*(?P<text>\S.*))?$",
        rf"^(?:\[(?P<time>{_TIMEISH})\]\s*)?(\*\*|__)(?P<name>{NAME})\3\s*:?(?:\s*(?P<text>\S.*))?$",
    ),
    lambda line: line[:1] in "*_[",
)
BRACKETED = Layout(
    "bracketed",
    "the label in square brackets",
    "[Zoë Hartley] Budgets run yearly.\n[Facilitator]: Say more?",
    _compile(rf"^\[(?P<name>{NAME})\]\s*:?(?:\s+(?!{TIME}$)(?P<text>\S.*))?$"),
    lambda line: line.startswith("["),
)
HEADING = Layout(
    "heading",
    "each label a Markdown heading, the words below",
    "## Zoë Hartley (00:03:10)\nBudgets run yearly.",
    _compile(
        rf"^#{{1,6}}\s+(?:\*\*)?(?P<name>{NAME})(?:\*\*)?"
        rf"(?:\s*[-–—]?\s*[\[(]?(?P<time>{TIME})[\])]?)?\s*:?$"
    ),
    lambda line: line.startswith("#"),
)
PARAGRAPHS = Layout(
    "paragraphs",
    "no speaker labels: each paragraph is a turn without a speaker",
    "Budgets run yearly.\n\nSay more?",
    (),
)
LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (INLINE, LABEL_LINE, OTTER, BOLD, BRACKETED, HEADING, PARAGRAPHS)
}
LAYOUT_NAMES = tuple(LAYOUTS)
#: Families that read the same lines; evidence picks a family, the name says which
#: shape most of its labels had.
LABELLED = (INLINE, OTTER, BOLD, BRACKETED, HEADING)


def layout_named(name: str, source: str = "--layout") -> Layout:
    layout = LAYOUTS.get(name)
    if layout is None:
        raise InputError(
            source, None, None, f"unknown layout '{name}' (one of: {', '.join(LAYOUT_NAMES)})"
        )
    return layout


def pattern_layout(pattern: str, source: str = "--speaker-pattern") -> Layout:
    """A layout from a user's regular expression: a ``speaker`` group, optional ``time``
    and ``text`` groups; without ``text`` the rest of the line is the turn's words."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InputError(source, None, None, f"not a regular expression: {exc}") from None
    if "speaker" not in compiled.groupindex:
        raise InputError(
            source, None, None, "needs a group named speaker, e.g. '^(?P<speaker>[^:]+):'"
        )
    return Layout("pattern", f"your pattern {pattern!r}", "", (compiled,))


#: Layouts of files that have only one way to mark turns, named in summaries.
FIXED_LAYOUTS = {
    "webvtt": "WebVTT cues; consecutive cues of one speaker are one turn",
    "srt": "SRT cues; consecutive cues of one speaker are one turn",
    "teams": "Teams' Word export: a timing, the speaker, the words",
    "table": "a Word table of speaker and words (and times)",
    "notes": "a note-taker's points, not verbatim",
    "audio": "transcribed from the recording",
    "pattern": "turns start where your --speaker-pattern matches",
}


def describe(name: str) -> str:
    """``label-line`` → ``label-line (the label alone on its line, …)``, for summaries."""
    summary = LAYOUTS[name].summary if name in LAYOUTS else FIXED_LAYOUTS.get(name, "")
    return f"{name} ({summary})" if summary else name
