"""Shared inputs for the analysis tests: the default instrument and the demo's analysis."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from innostudy.analysis import summary as analysis
from innostudy.demo.build import DemoSummary
from innostudy.demo.responses import complete_answers
from innostudy.storage.store import StudyStore
from innostudy.studies import default_file
from innostudy.survey.instrument import Instrument, load_instrument

TYPES = ("ministerial_department", "non_ministerial_department", "executive_agency", "ndpb")


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    return load_instrument(default_file("instrument.yaml"))


@pytest.fixture(scope="session")
def demo_analysis(demo_study: DemoSummary) -> Iterator[analysis.Summary]:
    """The demo study's analysis, computed once (read-only)."""
    with StudyStore.open(demo_study.folder) as store:
        yield analysis.load(store)


def synthetic_rows(instrument: Instrument, n: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """Valid answers from the demo's generator, spread over four organisation types."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        org_type = rng.choice(TYPES)
        rows.append((org_type, complete_answers(rng, instrument, org_type)))
    return rows
