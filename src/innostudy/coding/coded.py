"""What counts as coded, and accepted codings as plain rows for matrices, reliability
and search.

Only a person's accepted judgement counts: a coding that is accepted and whose coder is
a person, not a model (a model's suggestion counts once a person accepts it, as that
person's own coding). The rule is here once, in two forms tested equal:
``counts_as_coded`` for a loaded coding and ``accepted_by_person`` for a query. Every
view that counts codings (matrices, reliability, search, the report, exports, the
workbench, suggestions' training examples) uses one of them. Rows are further limited
to segments whose speaker's words may be analysed (``coding.segments``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.config import Settings
from innostudy.errors import InputError, NotFoundError
from innostudy.model import Code, Coder, CoderKind, Coding, CodingStatus, Transcript


def counts_as_coded(coding: Coding) -> bool:
    """A person's accepted coding (the rule for a loaded row)."""
    return coding.status is CodingStatus.ACCEPTED and coding.coder.kind is CoderKind.PERSON


def accepted_by_person() -> sa.ColumnElement[bool]:
    """The same rule as a WHERE clause on ``Coding``; needs no join to ``Coder``."""
    people = sa.select(Coder.id).where(Coder.kind == CoderKind.PERSON)
    return sa.and_(Coding.status == CodingStatus.ACCEPTED, Coding.coder_id.in_(people))


@dataclass(frozen=True)
class CodedRow:
    segment: SegmentRow
    code: str
    coder: str


def coded_rows(
    session: Session,
    *,
    coders: Sequence[str] | None = None,
    segments: Sequence[SegmentRow] | None = None,
) -> list[CodedRow]:
    """Accepted codings by people on usable segments (one row per segment, code and coder).

    Pass ``segments`` (from ``codable_segments``) when the caller has them already.
    """
    usable = {s.id: s for s in (codable_segments(session) if segments is None else segments)}
    query = (
        sa.select(Coding.segment_id, Code.key, Coder.name)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(accepted_by_person())
        .distinct()
    )
    if coders:
        query = query.where(Coder.name.in_(coders))
    return [
        CodedRow(usable[sid], key, coder)
        for sid, key, coder in session.execute(query)
        if sid in usable
    ]


def judgements(
    session: Session, coders: list[str], *, transcript_id: int | None = None
) -> dict[str, dict[Hashable, frozenset[str]]]:
    """coder → segment → codes, over the transcripts each coder worked on.

    A segment in a transcript the coder worked on but left uncoded counts as the
    judgement "no code" (an empty set); transcripts a coder never opened are missing.
    A coder with nothing to compare (unknown, or no accepted codings there) is an error:
    an empty comparison would look like a result.
    """
    rows = coded_rows(session, coders=coders)
    segments = codable_segments(session, transcript_id=transcript_id)
    result: dict[str, dict[Hashable, frozenset[str]]] = {}
    for coder in coders:
        mine = [r for r in rows if r.coder == coder]
        if not any(transcript_id in (None, r.segment.transcript_id) for r in mine):
            _nothing_to_compare(session, coder, transcript_id)
        worked = {r.segment.transcript_id for r in mine}
        codes: dict[int, set[str]] = defaultdict(set)
        for r in mine:
            codes[r.segment.id].add(r.code)
        result[coder] = {
            s.id: frozenset(codes.get(s.id, set())) for s in segments if s.transcript_id in worked
        }
    return result


def _nothing_to_compare(session: Session, coder: str, transcript_id: int | None) -> None:
    if session.scalar(sa.select(Coder.id).where(Coder.name == coder)) is None:
        raise NotFoundError("coder", coder, listing="code coders")
    where = f" in transcript {transcript_id}" if transcript_id is not None else ""
    raise InputError(
        "--coder",
        None,
        "coder",
        f"'{coder}' has no accepted codings{where} to compare; "
        "see who coded what with `innostudy code coders`",
    )


@dataclass(frozen=True)
class CoderSummary:
    """A coder and how much of what counts they coded."""

    name: str
    kind: str  # person or model
    accepted: int  # codings that count (one per turn and code)
    transcripts: int  # transcripts with at least one of them


def coder_summaries(session: Session) -> list[CoderSummary]:
    """Every coder, by name, with the codings of theirs that count."""
    per_coder: dict[str, list[CodedRow]] = defaultdict(list)
    for row in coded_rows(session):
        per_coder[row.coder].append(row)
    return [
        CoderSummary(
            name,
            kind.value,
            len(per_coder[name]),
            len({r.segment.transcript_id for r in per_coder[name]}),
        )
        for name, kind in session.execute(sa.select(Coder.name, Coder.kind).order_by(Coder.name))
    ]


MAIN_CODERS_SETTING = "coding.main_coders"


@dataclass(frozen=True)
class MainCoding:
    """Whose codings the analysis counts, and who coded only to check agreement."""

    coders: list[str]  # the main (agreed) coding: these people's accepted codings
    reliability: list[str]  # other people who coded: compared, never counted


def configured_coders(value: object) -> list[str]:
    """The names in a ``coding.main_coders`` setting ("ana, ben" → ["ana", "ben"])."""
    return [n.strip() for n in str(value or "").split(",") if n.strip()]


def study_main_coding(session: Session, settings: Settings) -> MainCoding:
    """The main coding as the study's settings define it (what every view counts)."""
    return main_coding(session, configured_coders(settings[MAIN_CODERS_SETTING]))


def main_coding(session: Session, configured: Sequence[str] = ()) -> MainCoding:
    """The study's main coding, from ``coding.main_coders`` or, when that is empty, from
    who coded what.

    Unset, every person who coded is in the main coding as long as no transcript was
    coded by two of them (a team that split the transcripts). Two people on one
    transcript is double-coding for reliability, and pooling it would count turns twice
    over and mix a check into the result, so the study must say whose coding counts.
    """
    people = [c for c in coder_summaries(session) if c.kind == "person" and c.accepted]
    names = [c.name for c in people]
    if configured:
        known = dict(session.execute(sa.select(Coder.name, Coder.kind)).all())
        for name in configured:
            if known.get(name) is not CoderKind.PERSON:
                what = "is a model" if name in known else "has never coded"
                raise InputError(
                    "study.toml",
                    None,
                    MAIN_CODERS_SETTING,
                    f"'{name}' {what}; the main coding is people's accepted codings "
                    "(see `innostudy code coders`)",
                )
        return MainCoding(list(configured), [n for n in names if n not in configured])
    overlap = _double_coded(session, names)
    if overlap:
        transcript_id, coders = overlap
        transcript = session.get(Transcript, transcript_id)
        label = transcript.name if transcript else str(transcript_id)
        raise InputError(
            "study.toml",
            None,
            MAIN_CODERS_SETTING,
            f"{' and '.join(coders)} both coded transcript '{label}'; say whose coding the "
            f'report counts with {MAIN_CODERS_SETTING} = "NAME" (the others then count as '
            "reliability coders)",
        )
    return MainCoding(names, [])


def _double_coded(session: Session, names: list[str]) -> tuple[int, list[str]] | None:
    by_transcript: dict[int, set[str]] = defaultdict(set)
    for row in coded_rows(session, coders=names):
        by_transcript[row.segment.transcript_id].add(row.coder)
    for transcript, coders in sorted(by_transcript.items()):
        if len(coders) > 1:
            return transcript, sorted(coders)
    return None
