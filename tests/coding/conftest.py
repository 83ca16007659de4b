"""A demo study whose coding starts again: the simulated coder's labels kept aside as truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import Coder, Coding, CodingStatus, Quote
from innostudy.storage.store import StudyStore


@dataclass
class Recoding:
    folder: Path
    truth: dict[int, str]  # segment id → the code the first demo coder accepted


@pytest.fixture
def recoding(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Recoding:
    """The demo with no codings or quotes left, and the hashing encoder selected."""
    monkeypatch.setenv("INNOSTUDY_ENCODER", "hashing")
    with StudyStore.open(demo_copy) as store, store.session() as s:
        truth = dict(
            s.execute(
                sa.text(
                    "SELECT coding.segment_id, code.key FROM coding JOIN code ON code.id = coding.code_id "
                    "JOIN coder ON coder.id = coding.coder_id "
                    "WHERE coder.name = 'simulated-coder-a' AND coding.status = 'accepted'"
                )
            ).all()
        )
        s.execute(sa.delete(Quote))
        s.execute(sa.delete(Coding))
        s.execute(sa.delete(Coder))
        assert (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(Coding)
                .where(Coding.status == CodingStatus.ACCEPTED)
            )
            == 0
        )
    return Recoding(demo_copy, truth)
