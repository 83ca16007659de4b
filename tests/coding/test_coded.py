"""What counts as coded: a person's accepted coding, one rule in two forms."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.coded import MainCoding, accepted_by_person, counts_as_coded, main_coding
from innostudy.coding.manual import apply_code, coder_named
from innostudy.coding.segments import codable_segments
from innostudy.demo.autocoding import FIRST_CODER, SECOND_CODER
from innostudy.errors import InputError
from innostudy.model import Coder, CoderKind, Coding, CodingStatus, Segment, Transcript
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


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


def test_the_main_coding_is_named_or_refused_rather_than_pooled(cli: Cli, demo_copy: Path) -> None:
    """The demo names its first coder; unset, two coders on one transcript must be resolved."""
    with StudyStore.open(demo_copy) as store, store.session() as s:
        named = main_coding(s, [FIRST_CODER])
        assert (named.coders, named.reliability) == ([FIRST_CODER], [SECOND_CODER])
        with pytest.raises(InputError) as info:
            main_coding(s)
        first = s.scalar(
            sa.select(Transcript.name)
            .join(Segment, Segment.transcript_id == Transcript.id)
            .join(Coding, Coding.segment_id == Segment.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.name == SECOND_CODER)
            .order_by(Transcript.id)
        )
        with pytest.raises(InputError, match="'autocoder' is a model"):
            main_coding(s, ["autocoder"])
        with pytest.raises(InputError, match="'nobody' has never coded"):
            main_coding(s, ["nobody"])
    assert str(info.value) == (
        f"study.toml, field 'coding.main_coders': {FIRST_CODER} and {SECOND_CODER} both coded "
        "transcript "
        f"'{first}'; say whose coding the report counts with coding.main_coders = \"NAME\" (the "
        "others then count as reliability coders)"
    )
    toml = demo_copy / "study.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(f'main_coders = "{FIRST_CODER}"', "# unset"),
        encoding="utf-8",
    )
    refused = cli("--study", demo_copy, "code", "matrix", "sector")
    assert refused.exit_code == 1 and "both coded transcript" in refused.stderr


def test_a_team_that_split_the_transcripts_is_one_main_coding(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        ids = s.scalars(sa.select(Coder.id).where(Coder.name == SECOND_CODER)).all()
        s.execute(sa.delete(Coding).where(Coding.coder_id.in_(ids)))
        transcripts = s.scalars(sa.select(Transcript.id).order_by(Transcript.id)).all()
        ben = coder_named(s, "ben")
        moved = s.scalars(
            sa.select(Coding)
            .join(Segment)
            .join(Coder)
            .where(Segment.transcript_id == transcripts[-1], Coder.name == FIRST_CODER)
        ).all()
        for coding in moved:
            coding.coder_id = ben.id
        s.flush()
        assert main_coding(s) == MainCoding(sorted([FIRST_CODER, "ben"]), [])
