"""What the CLI (and later the web workbench) asks of coding, by ids and keys."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import study_codebook
from innostudy.coding.codebook_ops import code_by_key
from innostudy.coding.coded import coded_rows
from innostudy.coding.manual import apply_code, coder_named, coding_by_id, set_memo
from innostudy.coding.segments import codable_segments
from innostudy.coding.spans import trim_span
from innostudy.errors import InputError, NotFoundError
from innostudy.model import AuditEvent, Code, CodeStatus, Coding, CodingStatus, Segment


def apply_by_ids(
    session: Session,
    segment_id: int,
    key: str,
    coder_name: str,
    start: int | None,
    end: int | None,
    memo: str,
) -> Coding:
    """A person codes a segment; the whole (trimmed) turn unless a span is given."""
    if not any(s.id == segment_id for s in codable_segments(session, segment_ids=[segment_id])):
        if session.get(Segment, segment_id) is None:
            raise NotFoundError("segment", segment_id, listing="transcripts show TRANSCRIPT")
        raise InputError(
            f"segment {segment_id}",
            None,
            "segment",
            "is not a participant's turn that may be analysed (facilitator, or consent withdrawn)",
        )
    segment = session.get_one(Segment, segment_id)
    code = code_by_key(session, key)
    if code.status is not CodeStatus.ACTIVE:
        raise InputError(
            "codebook", None, "code", f"'{key}' is {code.status.value}; use an active code"
        )
    whole = trim_span(segment.text, 0, len(segment.text))
    coding = apply_code(
        session,
        segment,
        code,
        coder_named(session, coder_name),
        whole[0] if start is None else start,
        whole[1] if end is None else end,
        memo=memo,
    )
    if memo:
        set_memo(session, coding, memo, actor=coder_name)
    return coding


def parse_status(value: str | None) -> CodingStatus | None:
    if value is None:
        return None
    try:
        return CodingStatus(value)
    except ValueError:
        raise InputError(
            "--status", None, "status", f"'{value}' is not one of suggested, accepted, rejected"
        ) from None


def write_memo(session: Session, target: str, text: str, actor: str) -> str:
    if target.isdigit():
        set_memo(session, coding_by_id(session, int(target)), text, actor=actor)
        return f"coding {target}"
    code = code_by_key(session, target)
    session.add(
        AuditEvent(
            actor=actor,
            action="code.memo",
            entity_type="code",
            entity_id=code.id,
            detail={"from": code.memo, "to": text},
        )
    )
    code.memo = text
    return f"code {code.key}"


def codebook_lines(session: Session) -> list[str]:
    """The codebook as an indented tree: key, name, accepted codings, status if not active."""
    book = study_codebook(session)
    counts = Counter(
        r.code for r in {(r.segment.id, r.code): r for r in coded_rows(session)}.values()
    )
    codes = session.scalars(
        sa.select(Code).where(Code.codebook_id == book.id).order_by(Code.position)
    ).all()
    lines = [book.name]
    for code in codes:
        depth = code.key.count(".")
        status = "" if code.status is CodeStatus.ACTIVE else f"  ({code.status.value})"
        n = counts.get(code.key, 0)
        lines.append(
            f"{'  ' * (depth + 1)}{code.key:<{34 - 2 * depth}} {code.name:<48} {n:>4}{status}"
        )
    return lines


def parse_pairs(values: list[str], option: str, *, int_keys: bool = False) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if (
            not sep
            or not key.strip()
            or not rest.strip()
            or (int_keys and not key.strip().isdigit())
        ):
            form = "CODING_ID=KEY" if int_keys else "KEY=NAME"
            raise InputError(f"--{option}", None, option, f"'{value}' is not of the form {form}")
        pairs.append((key.strip(), rest.strip()))
    return pairs
