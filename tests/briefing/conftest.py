"""The demo's briefing (written by `innostudy demo`) and an independent recomputation."""

from __future__ import annotations

from typing import Any

import pytest

from innostudy.demo.build import DemoSummary
from innostudy.storage.store import StudyStore
from innostudy.studies import default_file
from innostudy.survey.instrument import load_instrument
from tests.analysis.reference import Reference, rows_from_db


@pytest.fixture(scope="session")
def demo_reference(demo_study: DemoSummary) -> dict[str, Any]:
    """Every statistic, recomputed from the demo database without innostudy.analysis."""
    with StudyStore.open(demo_study.folder) as store, store.session() as session:
        rows, population = rows_from_db(session)
    return Reference(load_instrument(default_file("instrument.yaml")), rows, population).stats
