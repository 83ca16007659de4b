"""Every race runs on SQLite and on PostgreSQL; SQLite's outcome is the one expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.concurrency.team import TeamStudy, build_team_study


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def team(request: pytest.FixtureRequest, tmp_path: Path) -> TeamStudy:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return build_team_study(tmp_path / "study", url)
