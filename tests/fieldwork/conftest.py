"""A small real study for fieldwork and transcript tests: one senior group of three people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.fieldwork.consent_records import record_consent
from innostudy.fieldwork.groups import PersonalDetails, add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import Base, ConsentChoice
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study

PEOPLE = [
    ("Zoë Hartley", "zoe@example.invalid", "Director"),
    ("Siân Price", "sian@example.invalid", "Deputy director"),
    ("Łukasz Nowak", "lukasz@example.invalid", "Chief operating officer"),
]


@dataclass
class Study:
    folder: Path
    group_id: int
    session_id: int
    codes: list[str]

    def snapshot(self) -> dict[str, object]:
        """Row counts of every table and the files of the folder: 'nothing changed' is exact."""
        with StudyStore.open(self.folder) as store, store.session() as s:
            counts = {
                t.name: s.scalar(sa.select(sa.func.count()).select_from(t))
                for t in Base.metadata.sorted_tables
            }
        files = sorted(
            str(p.relative_to(self.folder))
            for p in self.folder.rglob("*")
            if p.is_file() and not p.name.startswith("study.db")
        )
        return {"counts": counts, "files": files}


@pytest.fixture
def study(tmp_path: Path) -> Study:
    folder = init_study(tmp_path / "study")
    with StudyStore.open(folder) as store, store.session() as s:
        group = add_group(s, "Senior civil servants", "cs_senior")
        gs = add_session(
            s, group, session_date=date(2026, 3, 3), facilitator="Facilitator", note_taker="Ana"
        )
        codes = []
        for name, email, role in PEOPLE:
            p = add_participant(
                s, group, role=role, personal=PersonalDetails(name, email, "", "Agency (synthetic)")
            )
            record_consent(
                s, p, {"audio": ConsentChoice.GRANTED, "quotation": ConsentChoice.GRANTED}
            )
            codes.append(p.code)
        ids = (group.id, gs.id)
    return Study(folder, ids[0], ids[1], codes)
