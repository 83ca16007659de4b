"""The bulk writer's three ways of writing give the same database as record_answers does."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from innostudy.model import Organisation, Response, ResponseRevision, ResponseSource
from innostudy.storage.store import StudyStore
from innostudy.survey.importing import ImportOptions, import_responses
from innostudy.survey.importing import writer as writer_module
from innostudy.survey.instrument import load_instrument
from innostudy.survey.organisations import add_organisation
from innostudy.survey.responses import Provenance, record_answers
from tests.survey.conftest import fixture


def contents(study: Path) -> dict[str, Any]:
    """What a response import decides, without ids and clock times."""
    with StudyStore.open(study) as store, store.session() as s:
        responses = s.execute(
            sa.select(
                Organisation.name,
                Organisation.org_type,
                Response.status,
                Response.answers,
                Response.revision,
                Response.source,
                Response.source_file,
                Response.source_row,
                Response.submitted_at.is_not(None),
                Response.instrument_version,
            )
            .join(Response)
            .order_by(Organisation.name)
        ).all()
        revisions = s.execute(
            sa.select(
                Organisation.name,
                ResponseRevision.revision,
                ResponseRevision.status,
                sa.func.coalesce(ResponseRevision.answers, Response.answers),  # by reference
                ResponseRevision.source_file,
                ResponseRevision.source_row,
                ResponseRevision.actor,
            )
            .join(Response, Response.id == ResponseRevision.response_id)
            .join(Organisation)
            .order_by(Organisation.name, ResponseRevision.revision)
        ).all()
    return {"responses": [tuple(r) for r in responses], "revisions": [tuple(r) for r in revisions]}


def changed_copy(tmp_path: Path) -> Path:
    with fixture("generic_good.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[2][rows[0].index("overall")] = "low"  # Agency of Examples
    rows[5][rows[0].index("status")] = "submitted"  # Draft Council, now with too little: refused
    path = tmp_path / "changed.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def import_twice(study: Path, changed: Path) -> None:
    with StudyStore.open(study) as store:
        instrument = load_instrument(store.setting_path("survey.instrument"))
        for path in (fixture("generic_good.csv"), changed):
            with store.session() as s:
                options = ImportOptions(skip_invalid=True, actor="test", chunk_rows=2)
                import_responses(s, path, instrument, options)


@pytest.mark.parametrize("way", ["json documents in a thread", "executemany", "sqlalchemy core"])
def test_every_way_of_writing_gives_the_same_database(
    pilot_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(pilot_study, reference)
    changed = changed_copy(tmp_path)
    import_twice(reference, changed)  # the default way
    if way == "executemany":
        monkeypatch.setattr(writer_module, "supported", lambda _conn: False)
    if way == "sqlalchemy core":
        original = writer_module.ResponseWriter.__init__

        def core_only(self: writer_module.ResponseWriter, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.fast, self.background = False, None

        monkeypatch.setattr(writer_module.ResponseWriter, "__init__", core_only)
    import_twice(pilot_study, changed)
    got = contents(pilot_study)
    assert got == contents(reference)
    agency = [r for r in got["revisions"] if r[0] == "Agency of Examples"]
    assert [(r[1], r[3]["overall"]) for r in agency] == [(1, "high"), (2, "low")]


def test_the_writer_decides_as_record_answers_does(pilot_study: Path, tmp_path: Path) -> None:
    changed = changed_copy(tmp_path)
    by_hand = tmp_path / "by-hand"
    shutil.copytree(pilot_study, by_hand)
    import_twice(pilot_study, changed)
    imported = contents(pilot_study)
    with StudyStore.open(by_hand) as store, store.session() as s:
        orgs = {}
        for name, kind, *_, version in imported["responses"]:
            history = [r for r in imported["revisions"] if r[0] == name]
            for revision in history:
                org = orgs.get(name) or add_organisation(s, name, kind)
                orgs[name] = org
                record_answers(
                    s,
                    org,
                    revision[3],
                    status=revision[2],
                    provenance=Provenance(
                        ResponseSource.IMPORT, revision[4], revision[5], None, "test"
                    ),
                    instrument_version=version,
                )
    assert contents(by_hand) == imported


def test_postgres_and_sqlite_import_the_same(
    database_url: str, pilot_study: Path, tmp_path: Path, cli: Any
) -> None:
    """The same files, on either backend (CI sets a PostgreSQL URL), give the same answers."""
    from innostudy.studies import init_study
    from tests.survey.conftest import snapshot, use_fixture_instrument

    other = init_study(tmp_path / "other", database_url=database_url)
    use_fixture_instrument(other, fixture("pilot_instrument.yaml"))
    changed = changed_copy(tmp_path)
    import_twice(pilot_study, changed)
    import_twice(other, changed)
    assert contents(other) == contents(pilot_study)
    before = snapshot(other)
    refused = cli("--study", other, "survey", "import", fixture("generic_mixed_bad.csv"))
    assert refused.exit_code == 1 and "row 3, field 'title': is required" in refused.stderr
    assert snapshot(other) == before


def test_runs_of_new_responses_are_written_as_the_general_statement_writes_them(
    pilot_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stretches of new organisations go in by RESPONSE_RUN; the rest as before; same result."""
    header = ["organisation", "organisation_type", "status", "title", "category", "cost"]
    header += ["origin", "impacts/service", "impacts/costs", "overall", "submitted_at"]
    rows = [header]
    for n in range(60):
        status = "draft" if n in (20, 21) else "submitted"
        stamp = "2024-01-02 10:00:00+00:00" if n == 40 else ""
        rows.append([f"Org {n:02d}", "ndpb", status, f"T{n}", "it", "under_100k", "users"])
        rows[-1] += ["high", "low", "high", stamp]
        if n == 30:
            rows.append([""] * len(header))  # an empty row breaks a run of file rows
    path = tmp_path / "runs.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    other = tmp_path / "other"
    shutil.copytree(pilot_study, other)
    used: list[int] = []
    original = writer_module._runs

    def counted(creates: list[writer_module.Accepted]) -> list[tuple[int, int]]:
        found = original(creates)
        used.extend(last - first for first, last in found)
        return found

    for study, runs in ((pilot_study, counted), (other, lambda creates: [])):
        monkeypatch.setattr(writer_module, "_runs", runs)
        with StudyStore.open(study) as store, store.session() as s:
            instrument = load_instrument(store.setting_path("survey.instrument"))
            import_responses(s, path, instrument, ImportOptions(actor="test", timezone="UTC"))
    # 0–19 and 41–59; drafts 20–21, 22–39 (cut in two by the empty row) and the row with
    # a time go the general way
    assert sorted(used) == [19, 20]
    assert contents(pilot_study) == contents(other)
