"""Joint displays: every cell recounted from the database, and equal to the matrix view."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.areas import load_areas
from innostudy.coding.group_matrix import code_group_matrix
from innostudy.model import FocusGroup, Participant, Speaker, utcnow
from innostudy.reporting.joint import joint_table
from innostudy.storage.store import StudyStore


def recount(s: Session, code_name: str, group_label: str) -> int:
    """Turns of the group coded with the code or any code below it, by SQL alone."""
    key = s.execute(sa.text("SELECT key FROM code WHERE name = :n"), {"n": code_name}).scalar_one()
    gid = next(g.id for g in s.scalars(sa.select(FocusGroup)) if g.label == group_label)
    return int(
        s.execute(
            sa.text(
                """
                SELECT COUNT(DISTINCT segment.id) FROM coding
                JOIN code ON code.id = coding.code_id
                JOIN coder ON coder.id = coding.coder_id
                JOIN segment ON segment.id = coding.segment_id
                JOIN speaker ON speaker.id = segment.speaker_id
                JOIN participant ON participant.id = speaker.participant_id
                LEFT JOIN consent ON consent.participant_id = participant.id
                WHERE coding.status = 'accepted' AND coder.kind = 'person'
                  AND (code.key = :key OR code.key LIKE :below)
                  AND participant.focus_group_id = :gid
                  AND consent.withdrawn_at IS NULL
                """
            ),
            {"key": key, "below": f"{key}.%", "gid": gid},
        ).scalar_one()
    )


def test_every_cell_is_the_count_of_coded_turns_and_the_matrix_agrees(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        matrix = code_group_matrix(s)
        by_key = {r.code_key: r for r in matrix.rows}
        column = {c.label: i for i, c in enumerate(matrix.columns)}
        nonzero = 0
        for area in load_areas(store.setting_path("fieldwork.areas")):
            table = joint_table(s, area.key, area.title)
            groups = table.header[1:-1]
            assert table.header[0] == "Theme" and table.header[-1] == "All groups"
            for row in table.rows:
                cells = [int(c) for c in row[1:-1]]
                assert int(row[-1]) == sum(cells)
                assert cells == [recount(s, row[0], g) for g in groups]
                key = next(k for k, r in by_key.items() if r.code_name == row[0])
                assert cells == [by_key[key].counts[column[g]] for g in groups]
                nonzero += sum(1 for c in cells if c)
        assert nonzero > 20  # the demo is coded: the comparison is not of zeros


def test_a_withdrawal_takes_the_participants_turns_out_of_the_display(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store:
        with store.session() as s:
            before = joint_table(s, "barriers", "Barriers")
            busiest = s.execute(
                sa.text(
                    """
                    SELECT speaker.participant_id FROM coding
                    JOIN code ON code.id = coding.code_id
                    JOIN segment ON segment.id = coding.segment_id
                    JOIN speaker ON speaker.id = segment.speaker_id
                    WHERE code.key LIKE 'barriers.%' AND speaker.participant_id IS NOT NULL
                    GROUP BY speaker.participant_id ORDER BY COUNT(*) DESC LIMIT 1
                    """
                )
            ).scalar_one()
            participant = s.get(Participant, busiest)
            assert participant is not None and participant.consent is not None
            participant.consent.withdrawn_at = utcnow()
        with store.session() as s:
            after = joint_table(s, "barriers", "Barriers")
            assert s.scalars(sa.select(Speaker).where(Speaker.participant_id == busiest)).first()
    total = sum(int(r[-1]) for r in before.rows)
    assert sum(int(r[-1]) for r in after.rows) < total
