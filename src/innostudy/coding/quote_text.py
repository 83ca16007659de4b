"""Edited quotes: verbatim pieces of one turn joined by ". . ." and [clarifications].

Qualitative reports shorten quotes with an ellipsis and add words in square brackets
("We tried . . . but [the department] would not fund it"). The reader trusts that every
word outside the brackets was said, in that order, and that nothing was left out
without an ellipsis. These pure functions hold the tool to that:

* ``parse_edited`` aligns the analyst's edited text with the turn and returns its pieces:
  ``text`` pieces (verbatim, with their code-point offsets), ``elision`` (". . .") and
  ``insertion`` ("[…]"). A bracket that the turn itself contains (a redaction tag such as
  ``[PARTICIPANT]``) is verbatim text, not a clarification.
* ``check_pieces`` proves stored pieces against the turn every time a report is made:
  each text piece equals the turn at its offsets, pieces keep the turn's order, any words
  between two pieces are declared by an ellipsis or replaced by a clarification, and an
  ellipsis stands only where something was left out.

Offsets are code points into ``Segment.text`` (ARCHITECTURE.md, "Text offsets").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

ELLIPSIS = ". . ."
# An ellipsis is ". . ." standing between spaces, "..." or "…"; a sentence's own full stop
# before it ("honestly. . . . I'd") stays with the sentence.
_TOKEN = re.compile(r"((?<!\S)\. \. \.(?!\S)|(?<!\.)\.\.\.(?!\.)|…|\[[^\[\]\n]*\])")
Kind = Literal["text", "elision", "insertion"]


class QuoteTextError(ValueError):
    """An edited quote that the turn does not support; the message says which piece."""


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str  # verbatim text, ". . .", or "[clarification]"
    start: int | None = None  # text pieces: offsets into the turn
    end: int | None = None
    space: bool = False  # shown after a space

    def shown(self) -> str:
        return (" " if self.space else "") + self.text

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {"kind": self.kind, "text": self.text, "space": self.space}
        if self.kind == "text":
            row |= {"start": self.start, "end": self.end}
        return row

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Piece:
        return cls(row["kind"], row["text"], row.get("start"), row.get("end"), row["space"])


def display(pieces: Sequence[Piece]) -> str:
    """The quote as the reader sees it."""
    return "".join(p.shown() for p in pieces)


def whole(turn: str, start: int, end: int) -> list[Piece]:
    """An unedited quote: one verbatim piece."""
    return [Piece("text", turn[start:end], start, end)]


def parse_edited(edited: str, turn: str, lo: int, hi: int) -> list[Piece]:
    """Align ``edited`` with ``turn[lo:hi]``; raise QuoteTextError naming what does not fit."""
    raw = " ".join(edited.split())
    if not raw:
        raise QuoteTextError("the edited quote is empty")
    pieces: list[Piece] = []
    cursor, gap_ok, pending = lo, True, False
    for chunk in _TOKEN.split(raw):
        if not chunk.strip():
            pending = pending or bool(chunk)
            continue
        space = bool(pieces) and (pending or chunk[0] == " ")
        pending = chunk[-1] == " "
        word = chunk.strip()
        if _is_elision(word):
            pieces.append(Piece("elision", ELLIPSIS, space=space))
            gap_ok = True
            continue
        if word.startswith("[") and _clarifies(word, turn, cursor, hi, pieces, gap_ok):
            pieces.append(Piece("insertion", word, space=space))
            gap_ok = True
            continue
        span = _locate(word, turn, cursor, hi, anywhere=gap_ok)
        if span is None:
            raise QuoteTextError(_not_found(word, turn, lo, cursor, hi, pieces, gap_ok))
        start, end = span
        pieces.append(Piece("text", turn[start:end], start, end, space))
        cursor, gap_ok = end, False
    merged = _merge(pieces, turn)
    problem = check_pieces(merged, turn) or _cut_words(merged, turn)
    if problem:
        raise QuoteTextError(problem)
    return merged


def _clarifies(
    word: str, turn: str, cursor: int, hi: int, pieces: list[Piece], gap_ok: bool
) -> bool:
    """A bracket is the analyst's unless the turn has it right here (a redaction tag)."""
    if pieces and gap_ok:
        return True
    return _locate(word, turn, cursor, hi, anywhere=not pieces) is None


def _is_elision(word: str) -> bool:
    return word in ("…", "...", ELLIPSIS)


def _not_found(
    word: str, turn: str, lo: int, cursor: int, hi: int, pieces: list[Piece], gap_ok: bool
) -> str:
    """Say where the words part from the turn, not just that they do."""
    words = word.split()
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        found = _locate(head, turn, cursor, hi, anywhere=gap_ok)
        if found is not None and not (found[1] < len(turn) and turn[found[1]].isalnum()):
            said = turn[found[1] :].lstrip()[:30]
            return (
                f"after {head[-30:]!r} the turn says {said!r}, not "
                f"{' '.join(words[n:])[:30]!r} (mark a cut with '{ELLIPSIS}')"
            )
    where = "in the coded span" if not pieces else f"after {turn[lo:cursor][-30:]!r}"
    return f"{word[:40]!r} is not {where}" + _hint(gap_ok)


def _hint(gap_ok: bool) -> str:
    return "" if gap_ok else f" straight after the previous words (mark a cut with '{ELLIPSIS}')"


def _locate(
    word: str, turn: str, cursor: int, hi: int, *, anywhere: bool
) -> tuple[int, int] | None:
    """Where ``word`` is in the turn (spaces match any whitespace), from ``cursor``."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in word.split()))
    if anywhere:
        found = pattern.search(turn, cursor, hi)
    else:
        pos = cursor
        while pos < hi and turn[pos].isspace():
            pos += 1
        found = pattern.match(turn, pos, hi)
    return None if found is None else (found.start(), found.end())


def _cut_words(pieces: list[Piece], turn: str) -> str | None:
    """A verbatim piece may not start or end inside a word unless a [bracket] completes it."""
    for i, piece in enumerate(pieces):
        if piece.kind != "text":
            continue
        assert piece.start is not None
        assert piece.end is not None
        before = pieces[i - 1].kind if i else None
        after = pieces[i + 1].kind if i + 1 < len(pieces) else None
        s, e = piece.start, piece.end
        if before != "insertion" and s > 0 and turn[s - 1].isalnum() and turn[s].isalnum():
            return f"{piece.text[:30]!r} starts inside the word {_word_at(turn, s)!r}"
        if after != "insertion" and e < len(turn) and turn[e - 1].isalnum() and turn[e].isalnum():
            return f"{piece.text[-30:]!r} ends inside the word {_word_at(turn, e - 1)!r}"
    return None


def _word_at(turn: str, at: int) -> str:
    lo, hi = at, at
    while lo > 0 and turn[lo - 1].isalnum():
        lo -= 1
    while hi < len(turn) and turn[hi].isalnum():
        hi += 1
    return turn[lo:hi]


def _merge(pieces: list[Piece], turn: str) -> list[Piece]:
    """Adjacent verbatim pieces with only spaces between them become one piece."""
    out: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        if (
            piece.kind == "text"
            and last is not None
            and last.kind == "text"
            and last.end is not None
            and piece.start is not None
            and not turn[last.end : piece.start].strip()
        ):
            out[-1] = Piece("text", turn[last.start : piece.end], last.start, piece.end, last.space)
        else:
            out.append(piece)
    return out


def check_pieces(pieces: Sequence[Piece], turn: str) -> str | None:
    """None when every piece holds against ``turn``; else what is wrong, for one line."""
    texts = [p for p in pieces if p.kind == "text"]
    if not texts:
        return "the quote has no words from the transcript"
    previous: Piece | None = None
    between: list[Piece] = []
    for piece in pieces:
        if piece.kind != "text":
            between.append(piece)
            continue
        assert piece.start is not None
        assert piece.end is not None
        problem = _check_text(piece, turn) or _check_gap(previous, piece, between, turn)
        if problem:
            return problem
        previous, between = piece, []
    return None


def _check_text(piece: Piece, turn: str) -> str | None:
    start, end = piece.start, piece.end
    assert start is not None
    assert end is not None
    if not 0 <= start < end <= len(turn):
        return f"span {start}-{end} no longer fits the turn ({len(turn)} characters)"
    current = turn[start:end]
    if current == piece.text:
        return None
    at = next((i for i, (a, b) in enumerate(zip(piece.text, current, strict=False)) if a != b), 0)
    return (
        f"differs at character {start + at + 1} of the turn: quote has "
        f"{piece.text[at : at + 20]!r}, transcript has {current[at : at + 20]!r}"
    )


def _check_gap(previous: Piece | None, piece: Piece, between: list[Piece], turn: str) -> str | None:
    if previous is None:
        return None
    assert previous.end is not None
    assert piece.start is not None
    if piece.start < previous.end:
        return f"{piece.text[:30]!r} comes before the words shown ahead of it"
    left_out = turn[previous.end : piece.start].strip()
    kinds = {p.kind for p in between}
    if left_out and not kinds:
        return f"{left_out[:30]!r} is left out without '{ELLIPSIS}' or a [clarification]"
    if not left_out and kinds == {"elision"}:
        return f"'{ELLIPSIS}' before {piece.text[:30]!r} leaves nothing out"
    return None
