"""The measures as a reader asks for them: per session, per group or per sector.

One place composes the pure measures (``talk``, ``flow``, ``positions``) over what
``study.load_discussions`` reads, so the CLI and the web session page show the same
figures from the same code. A session may hold several verbatim transcripts (a recording
split in two); a scope pools them, and themes in the flow stay per transcript (the order
of turns is a transcript's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.discussion.flow import ThemeFlow, theme_flow
from innostudy.discussion.naming import Namer
from innostudy.discussion.positions import ThemePosition, theme_positions
from innostudy.discussion.study import load_discussions
from innostudy.discussion.talk import TalkBalance, talk_balance
from innostudy.discussion.turns import Discussion
from innostudy.errors import InputError
from innostudy.fieldwork.sessions import find_session
from innostudy.model import Code

By = Literal["session", "group", "sector"]
BY: tuple[By, ...] = ("session", "group", "sector")


@dataclass(frozen=True)
class Scope:
    """A session, a group's sessions or a sector's groups, with its discussions."""

    kind: By
    label: str  # "senior.vtt session (Senior civil servants)", a group's label, a sector's
    discussions: tuple[Discussion, ...]

    @property
    def sessions(self) -> int:
        return len({d.session_id for d in self.discussions})

    def talk(self) -> TalkBalance:
        return talk_balance(self.discussions)

    def flows(self, namer: Namer) -> list[tuple[Discussion, list[ThemeFlow]]]:
        return [(d, theme_flow(d, namer)) for d in self.discussions]

    def positions(self) -> list[ThemePosition]:
        return theme_positions(self.discussions)


def study_namer(session: Session) -> Namer:
    """What a moderator's turn can name: every code of the study's codebook."""
    return Namer.from_codes(session.execute(sa.select(Code.key, Code.name)).all())


def scopes(
    session: Session,
    *,
    by: str = "session",
    session_id: int | None = None,
    coders: Sequence[str] | None = None,
) -> list[Scope]:
    """The study's verbatim discussions grouped by ``by`` (narrowed to one session, which
    must exist), in group-type order."""
    kind = next((b for b in BY if b == by), None)
    if kind is None:
        raise InputError("--by", None, "by", f"{by!r} is not one of {', '.join(BY)}")
    if session_id is not None:
        find_session(session, session_id)
    found = load_discussions(session, coders=coders, session_id=session_id)
    pooled: dict[object, tuple[str, list[Discussion]]] = {}
    for d in found:
        key, label = _key(d, by)
        pooled.setdefault(key, (label, []))[1].append(d)
    return [Scope(kind, label, tuple(ds)) for label, ds in pooled.values()]


def _key(d: Discussion, by: str) -> tuple[object, str]:
    if by == "session":
        return d.session_id, f"{d.name} ({d.group})" if d.group else d.name
    if by == "group":
        return d.group_id, d.group or "No group"
    return d.sector, d.sector.label if d.sector else "No sector"


@dataclass(frozen=True)
class TimedTurn:
    """A turn placed on the session's clock (or in turn order where there is no clock)."""

    segment_id: int
    transcript_id: int
    speaker: str
    role: str
    words: int
    start_ms: int | None
    length_ms: int | None


@dataclass(frozen=True)
class SessionDiscussion:
    """Everything the web's discussion page shows for one session."""

    scope: Scope | None  # None: no verbatim transcript yet
    talk: TalkBalance | None
    turns: tuple[TimedTurn, ...]
    flows: tuple[tuple[Discussion, tuple[ThemeFlow, ...]], ...]
    positions: tuple[ThemePosition, ...]
    code_names: dict[str, str]


def session_discussion(
    session: Session, session_id: int, *, coders: Sequence[str] | None = None
) -> SessionDiscussion:
    """One session's talk, themes in the flow and positions (the session must exist)."""
    from innostudy.discussion.talk import turn_lengths

    found = scopes(session, session_id=session_id, coders=coders)
    names: dict[str, str] = dict(session.execute(sa.select(Code.key, Code.name)).all())
    if not found:
        return SessionDiscussion(None, None, (), (), (), names)
    (scope,) = found
    namer = study_namer(session)
    turns = tuple(
        TimedTurn(t.segment_id, d.transcript_id, t.speaker, t.role, t.words, t.start_ms, ms)
        for d in scope.discussions
        for t, ms in zip(d.turns, turn_lengths(d.turns, end_times=d.end_times), strict=True)
    )
    flows = tuple((d, tuple(f)) for d, f in scope.flows(namer))
    return SessionDiscussion(scope, scope.talk(), turns, flows, tuple(scope.positions()), names)
