"""One code-by-group matrix for the CLI, the web app and the report, parents rolled up."""

from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.coded import coded_rows
from innostudy.coding.group_matrix import code_group_matrix
from innostudy.coding.manual import apply_code, coder_named
from innostudy.coding.matrices import code_by_group, code_by_sector
from innostudy.coding.segments import codable_segments
from innostudy.errors import InputError
from innostudy.model import Segment
from innostudy.storage.store import StudyStore


def test_the_cli_tables_are_the_matrix_the_web_app_and_report_show(demo_study: object) -> None:
    folder = demo_study.folder  # type: ignore[attr-defined]
    with StudyStore.open(folder) as store, store.session() as s:
        matrix = code_group_matrix(s)
        groups, sectors = code_by_group(s)["counts"], code_by_sector(s)["counts"]
    assert list(groups.index) == [r.code_key for r in matrix.rows]  # every code, in order
    for row in matrix.rows:
        for column, n in zip(matrix.columns, row.counts, strict=True):
            if column.group_id is None:
                assert sectors.loc[row.code_key, column.sector.label] == n
            else:
                assert groups.loc[row.code_key, column.label] == n
    # parent rows are not empty: the demo codes leaves only, and they roll up
    areas = [r for r in matrix.rows if r.depth == 0]
    assert areas and all(sum(r.counts) > 0 for r in areas)


def test_a_turn_coded_with_two_children_counts_once_for_the_parent(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        codes = codes_by_key(s, study_codebook(s))
        under = sorted(k for k in codes if k.startswith("barriers."))
        coded = {r.segment.id for r in coded_rows(s) if r.code.startswith("barriers")}
        turn = next(t for t in codable_segments(s) if t.id not in coded)
        before = code_group_matrix(s)
        ana = coder_named(s, "ana")
        segment = s.get_one(Segment, turn.id)
        for key in under[:2]:
            apply_code(s, segment, codes[key], ana, 0, 4)
        after = code_group_matrix(s)
    column = next(i for i, c in enumerate(after.columns) if c.group_id == turn.group_id)

    def count(matrix: object, key: str) -> int:
        row = next(r for r in matrix.rows if r.code_key == key)  # type: ignore[attr-defined]
        return int(row.counts[column])

    assert count(after, "barriers") - count(before, "barriers") == 1
    for key in under[:2]:
        assert count(after, key) - count(before, key) == 1


def test_units_are_turns_participants_or_groups(demo_study: object) -> None:
    folder = demo_study.folder  # type: ignore[attr-defined]
    with StudyStore.open(folder) as store, store.session() as s:
        assert code_group_matrix(s).unit == "turn"
        with pytest.raises(InputError) as info:
            code_group_matrix(s, unit="person")  # type: ignore[arg-type]
    assert str(info.value) == (
        "--unit, field 'unit': 'person' is not one of turn, participant, group"
    )
