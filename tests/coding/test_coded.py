"""What counts as coded: a person's accepted coding, one rule in two forms."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.coded import accepted_by_person, counts_as_coded
from innostudy.coding.manual import apply_code, coder_named
from innostudy.coding.segments import codable_segments
from innostudy.model import CoderKind, Coding, CodingStatus, Segment
from innostudy.storage.store import StudyStore


def test_the_python_and_sql_forms_agree_on_every_kind_of_coding(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        segment = codable_segments(s)[0]
        code = next(iter(codes_by_key(s, study_codebook(s)).values()))
        model = coder_named(s, "model-x", CoderKind.MODEL)
        row = s.get_one(Segment, segment.id)
        apply_code(s, row, code, model, 0, 3, status=CodingStatus.SUGGESTED)
        codings = s.scalars(sa.select(Coding).options(selectinload(Coding.coder))).all()
        kinds = {(c.status, c.coder.kind) for c in codings}
        # accepted, suggested and rejected model rows and people's codings
        assert {
            (CodingStatus.ACCEPTED, CoderKind.PERSON),
            (CodingStatus.ACCEPTED, CoderKind.MODEL),
            (CodingStatus.SUGGESTED, CoderKind.MODEL),
            (CodingStatus.REJECTED, CoderKind.MODEL),
        } <= kinds
        in_python = {c.id for c in codings if counts_as_coded(c)}
        in_sql = set(s.scalars(sa.select(Coding.id).where(accepted_by_person())))
    assert in_python == in_sql
    assert in_python == {
        c.id
        for c in codings
        if c.status is CodingStatus.ACCEPTED and c.coder.kind is CoderKind.PERSON
    }
