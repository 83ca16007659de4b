"""Studies for the survey tests: a fresh one with the small pilot instrument."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from innostudy.model import (
    ImportBatch,
    Organisation,
    OrganisationContact,
    RejectedRow,
    Response,
    ResponseRevision,
)
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def pilot_study(tmp_path: Path) -> Path:
    """A new study whose instrument is tests/survey/fixtures/pilot_instrument.yaml."""
    folder = init_study(tmp_path / "pilot")
    use_fixture_instrument(folder, FIXTURES / "pilot_instrument.yaml")
    return folder


def use_fixture_instrument(folder: Path, instrument: Path) -> None:
    """Make ``instrument`` the study's, as `survey instrument use` does."""
    from innostudy.survey.instrument_use import use_instrument

    with StudyStore.open(folder) as store:
        use_instrument(store, instrument, actor="tests")


def fixture(name: str) -> Path:
    return FIXTURES / name


def snapshot(study: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import may touch, to assert that a refused import changed nothing."""
    tables = {
        "organisation": sa.select(
            Organisation.id, Organisation.name, Organisation.org_type, Organisation.external_id
        ),
        "contact": sa.select(OrganisationContact.organisation_id, OrganisationContact.email),
        "response": sa.select(
            Response.id,
            Response.organisation_id,
            Response.status,
            Response.answers,
            Response.revision,
        ),
        "revision": sa.select(ResponseRevision.response_id, ResponseRevision.revision),
        "batch": sa.select(ImportBatch.id, ImportBatch.kind),
        "rejected": sa.select(RejectedRow.id),
    }
    with StudyStore.open(study) as store, store.session() as s:
        return {
            name: [tuple(r) for r in s.execute(q.order_by(*q.selected_columns[:1]))]
            for name, q in tables.items()
        }


def answers_by_org(study: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    with StudyStore.open(study) as store, store.session() as s:
        rows = s.execute(
            sa.select(Organisation.name, Response.status, Response.answers).join(Response)
        )
        return {name: (status.value, answers) for name, status, answers in rows}
