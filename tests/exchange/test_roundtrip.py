"""Export → import into an empty study → export gives the same project; the coding is reproduced.

This is the issue's "done when": the demo study's export validates, and a study created
from it (``innostudy init DIR --from study.qdpx``) holds exactly the same coding.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.demo.build import DemoSummary
from innostudy.exchange.refi.sources_out import WITHHELD_TEXT
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import (
    Code,
    CoderKind,
    Coding,
    CodingStatus,
    FocusGroup,
    GroupSession,
    Participant,
    Transcript,
)
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.exchange.helpers import canonical


def code_path(code: Code) -> tuple[str, ...]:
    return (*code_path(code.parent), code.name) if code.parent else (code.name,)


def coding_rows(session: Session) -> Counter[tuple[object, ...]]:
    """Every coding by where it sits: transcript, turn, speaker code, span, words, code, coder."""
    rows: Counter[tuple[object, ...]] = Counter()
    for c in session.scalars(sa.select(Coding)):
        if c.coder.kind is not CoderKind.PERSON or c.status is not CodingStatus.ACCEPTED:
            continue  # exports carry people's accepted judgements only
        seg = c.segment
        participant = seg.speaker.participant if seg.speaker else None
        if participant is not None and has_withdrawn(participant.consent):
            continue
        rows[
            (
                seg.transcript.name,
                seg.position,
                participant.code if participant else None,
                c.start,
                c.end,
                seg.text[c.start : c.end],
                code_path(c.code),
                c.coder.name,
                c.status.value,
                c.memo,
            )
        ] += 1
    return rows


def people(session: Session) -> dict[str, tuple[object, ...]]:
    return {
        p.code: (
            p.focus_group.name if p.focus_group else None,
            p.role,
            p.level,
            p.organisation_type,
            may_quote(p.consent),
        )
        for p in session.scalars(sa.select(Participant))
        if not has_withdrawn(p.consent)
    }


def test_a_study_made_from_the_demo_export_reproduces_its_coding(
    demo_study: DemoSummary, tmp_path: Path, cli: Cli
) -> None:
    exported = demo_study.folder / "exchange" / "study.qdpx"
    result = cli("init", tmp_path / "copy", "--from", exported)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # nothing the study could not hold
    with (
        StudyStore.open(demo_study.folder) as original,
        StudyStore.open(tmp_path / "copy") as copy,
        original.session() as a,
        copy.session() as b,
    ):
        assert coding_rows(b) == coding_rows(a)
        assert sum(coding_rows(b).values()) > 100  # the premise: a coded study
        assert people(b) == people(a)
        groups = {(g.name, g.group_type.key, g.notes) for g in a.scalars(sa.select(FocusGroup))}
        assert {
            (g.name, g.group_type.key, g.notes) for g in b.scalars(sa.select(FocusGroup))
        } == groups
        sessions = {
            (s.name, s.session_date, s.notes_md) for s in a.scalars(sa.select(GroupSession))
        }
        assert {
            (s.name, s.session_date, s.notes_md) for s in b.scalars(sa.select(GroupSession))
        } == sessions
        # the same turns, in the same order, with the same times; withdrawn words withheld
        for t in a.scalars(sa.select(Transcript)):
            other = b.scalar(sa.select(Transcript).where(Transcript.name == t.name))
            assert other is not None
            assert [s.start_ms for s in other.segments] == [s.start_ms for s in t.segments]
            assert [s.text for s in other.segments] == [
                WITHHELD_TEXT
                if s.speaker
                and s.speaker.participant
                and has_withdrawn(s.speaker.participant.consent)
                else s.text
                for s in t.segments
            ]
        # codes keep the default codebook's keys (names match), so areas still line up
        assert set(b.scalars(sa.select(Code.key))) == set(a.scalars(sa.select(Code.key)))
        assert b.scalar(sa.select(sa.func.count()).select_from(Code)) == a.scalar(
            sa.select(sa.func.count()).select_from(Code)
        )


def test_export_import_export_gives_an_equal_project(
    demo_study: DemoSummary, tmp_path: Path, cli: Cli
) -> None:
    first = demo_study.folder / "exchange" / "study.qdpx"
    assert cli("init", tmp_path / "copy", "--from", first).exit_code == 0
    second = tmp_path / "second.qdpx"
    result = cli("--study", tmp_path / "copy", "export", "qdpx", second)
    assert result.exit_code == 0, result.stderr
    a, b = canonical(first), canonical(second)
    for part in a:
        assert b[part] == a[part], part
    assert len(a["codings"]) > 100  # the premise: a coded study
    assert any(name.startswith("survey: ") for name, _ in a["variables"])


@pytest.mark.postgres
def test_round_trip_into_postgresql(
    demo_study: DemoSummary, tmp_path: Path, cli: Cli, pg_url: str
) -> None:
    first = demo_study.folder / "exchange" / "study.qdpx"
    result = cli("--database-url", pg_url, "init", tmp_path / "pg", "--from", first)
    assert result.exit_code == 0, result.stderr
    second = tmp_path / "second.qdpx"
    assert cli("--study", tmp_path / "pg", "export", "qdpx", second).exit_code == 0
    assert canonical(second) == canonical(first)


def test_a_bad_file_creates_no_study(tmp_path: Path, cli: Cli) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    result = cli("init", tmp_path / "s", "--from", bad)
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"Error: {bad}: not a ZIP archive (File is not a zip file)",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_memos_overlaps_and_several_coders_survive(
    demo_copy: Path, tmp_path: Path, cli: Cli
) -> None:
    from innostudy.coding.codebook import codes_by_key, study_codebook
    from innostudy.coding.manual import apply_code, coder_named

    with StudyStore.open(demo_copy) as store, store.session() as s:
        codes = codes_by_key(s, study_codebook(s))
        codes["costs.budgeting"].memo = "Use for budget cycles only.\n\nNot for cost bands."
        existing = s.scalars(sa.select(Coding).order_by(Coding.id)).first()
        assert existing is not None
        existing.memo = "A clear case — quoted in the briefing."
        seg, (lo, hi) = existing.segment, (existing.start, existing.end)
        second = coder_named(s, "simulated-coder-b")
        # the same words by a second coder, and an overlapping shorter span with another code
        apply_code(s, seg, existing.code, second, lo, hi, memo="Agree.")
        apply_code(s, seg, codes["costs.budgeting"], second, lo, lo + (hi - lo) // 2)
        group = s.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)).first()
        assert group is not None
        group.notes = "Two participants arrived late."
    first = tmp_path / "first.qdpx"
    assert cli("--study", demo_copy, "export", "qdpx", first).exit_code == 0
    assert cli("init", tmp_path / "copy", "--from", first).exit_code == 0
    with (
        StudyStore.open(demo_copy) as original,
        StudyStore.open(tmp_path / "copy") as copy,
        original.session() as a,
        copy.session() as b,
    ):
        assert coding_rows(b) == coding_rows(a)
        coders = {c.coder.name for c in b.scalars(sa.select(Coding))}
        assert coders == {"simulated-coder-a", "simulated-coder-b"}
        memo = b.scalar(sa.select(Code.memo).where(Code.key == "costs.budgeting"))
        assert memo == "Use for budget cycles only.\n\nNot for cost bands."
        assert "Two participants arrived late." in set(b.scalars(sa.select(FocusGroup.notes)))
    second_export = tmp_path / "second.qdpx"
    assert cli("--study", tmp_path / "copy", "export", "qdpx", second_export).exit_code == 0
    assert canonical(second_export) == canonical(first)
