"""Joint displays and the sector comparison: every cell and base recounted from the
database by SQL, on the main coding only (never the reliability coder's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.analysis import formatting
from innostudy.coding.coded import MainCoding
from innostudy.coding.group_matrix import code_group_matrix
from innostudy.demo.autocoding import FIRST_CODER, SECOND_CODER
from innostudy.model import Participant, Speaker, utcnow
from innostudy.reporting.joint import comparison_table, joint_table
from innostudy.reporting.quotes import report_groups
from innostudy.storage.store import StudyStore
from tests.reporting import recount

MAIN = FIRST_CODER


@dataclass
class Column:
    turns: set[int] = field(default_factory=set)
    words: int = 0
    people: set[int] = field(default_factory=set)


def usable_turns(s: Session) -> list[tuple[int, str, int, str, str]]:
    return [(r[0], r[1], r[2], r[3], r[4]) for r in recount.usable_turns(s)]


def coded(s: Session, key: str, coder: str) -> set[int]:
    return recount.coded(s, key, coder)


def columns(
    turns: list[tuple[int, str, int, str, str]], keep: set[int] | None
) -> dict[str, Column]:
    out: dict[str, Column] = defaultdict(Column)
    for seg, text, person, group, sector in turns:
        if keep is not None and seg not in keep:
            continue
        for name in (
            group,
            f"All {'civil service' if sector == 'civil_service' else 'comparison'}",
        ):
            out[name].turns.add(seg)
            out[name].words += len(text.split())
            out[name].people.add(person)
    return out


def test_every_joint_cell_and_base_is_recounted(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        matrix = code_group_matrix(s, coders=[MAIN])
        turns = usable_turns(s)
        base = columns(turns, None)
        names = {r.code_name: r.code_key for r in matrix.rows}
        nonzero = 0
        for area, title in [("barriers", "Barriers and enablers"), ("origins", "Origins")]:
            groups = report_groups(s)
            table = joint_table(matrix, area, title, groups)
            header = [g.label for g in groups]
            assert table.header[1:] == [g.label.removesuffix(" group") for g in groups]
            *themes, turns_row, words_row, people_row = table.rows
            assert turns_row[1:] == [formatting.count(len(base[h].turns)) for h in header]
            assert words_row[1:] == [formatting.count(base[h].words) for h in header]
            assert people_row[1:] == [formatting.count(len(base[h].people)) for h in header]
            for row in themes:
                key = area if row[0].startswith("Any theme") else names[row[0]]
                hit = columns(turns, coded(s, key, MAIN))
                for h, cell in zip(header, row[1:], strict=True):
                    n, total = len(hit[h].turns), len(base[h].turns)
                    assert cell == f"{n} ({formatting.pct(100 * n / total)})", (area, row[0], h)
                    nonzero += n > 0
        assert nonzero > 20  # the demo is coded: the comparison is not of zeros


def test_the_sector_comparison_is_recounted_and_ignores_the_reliability_coder(
    demo_copy: Path,
) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        main = MainCoding([MAIN], [SECOND_CODER])
        table = comparison_table(code_group_matrix(s, coders=[MAIN]), "barriers", "Barriers", main)
        turns = usable_turns(s)
        base = columns(turns, None)
        names = {r[0] for r in table.rows}
        assert "Any theme (barriers)" in names
        keys = {name: key for key, name in s.execute(sa.text("SELECT key, name FROM code")).all()}
        sides = ["All civil service", "All comparison"]
        for row in table.rows:
            key = "barriers" if row[0].startswith("Any theme") else keys[row[0]]
            hit = columns(turns, coded(s, key, MAIN))
            for i, side in enumerate(sides):
                n, t = len(hit[side].turns), len(base[side].turns)
                words = sum(len(text.split()) for seg, text, *_ in turns if seg in hit[side].turns)
                assert row[1 + 3 * i] == f"{n} ({formatting.pct(100 * n / t)})"
                assert row[2 + 3 * i] == formatting.pct(100 * words / base[side].words)
                assert row[3 + 3 * i] == f"{len(hit[side].people)} of {len(base[side].people)}"
        assert (
            "the reliability coder's codings are compared for agreement, never counted"
            in (table.notes[0])
        )
        pooled = code_group_matrix(s)  # both coders: what the report must never show
        own = code_group_matrix(s, coders=[MAIN])
        assert [r.counts for r in pooled.rows] != [r.counts for r in own.rows]


def test_a_withdrawal_takes_the_participants_turns_out_of_the_display(demo_copy: Path) -> None:
    def total(s: Session) -> int:
        table = joint_table(code_group_matrix(s, coders=[MAIN]), "barriers", "B", report_groups(s))
        base = next(r for r in table.rows if r[0] == "Base: participant turns")
        return sum(int(cell.replace(",", "")) for cell in base[1:])  # every group's base

    with StudyStore.open(demo_copy) as store:
        with store.session() as s:
            before = total(s)
            busiest = s.execute(
                sa.text(
                    """
                    SELECT speaker.participant_id FROM segment
                    JOIN speaker ON speaker.id = segment.speaker_id
                    JOIN consent ON consent.participant_id = speaker.participant_id
                    WHERE consent.withdrawn_at IS NULL
                    GROUP BY speaker.participant_id ORDER BY COUNT(*) DESC LIMIT 1
                    """
                )
            ).scalar_one()
            participant = s.get(Participant, busiest)
            assert participant is not None and participant.consent is not None
            spoke = len(
                s.scalars(sa.select(Speaker).where(Speaker.participant_id == busiest)).all()
            )
            participant.consent.withdrawn_at = utcnow()
        with store.session() as s:
            after = total(s)
    assert spoke and after < before
