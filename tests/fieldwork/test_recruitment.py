"""Recruitment: the plan (pure and on the demo study), contacts, and the recruitment sheet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.errors import InputError
from innostudy.fieldwork.group_types import load_group_types
from innostudy.fieldwork.plan import Candidate, make_plan, place_by_title
from innostudy.model import FocusGroup, Participant
from innostudy.storage.store import StudyStore
from innostudy.studies import default_file
from tests.conftest import Cli
from tests.fieldwork.conftest import Study

SPECS = load_group_types(default_file("group_types.yaml"))


def person(
    n: int, role: str = "", org_type: str = "ndpb", group_type: str | None = None
) -> Candidate:
    return Candidate(f"row {n}", f"P{n}", f"p{n}@x.invalid", "", "Org", org_type, role, group_type)


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Project Manager", "cs_project"),
        ("Senior Delivery Manager", "cs_project"),
        ("Innovation Lead", "cs_mid"),
        ("Policy adviser", "cs_mid"),
        ("Head of Transformation", "cs_senior"),
        ("Deputy Director, Digital", "cs_senior"),
        ("Receptionist", None),
    ],
)
def test_respondents_are_placed_by_job_title(title: str, key: str | None) -> None:
    spec = place_by_title(title, SPECS)
    assert (spec.key if spec else None) == key


def test_plan_fills_to_the_maximum_and_keeps_a_reserve_mixing_organisation_types() -> None:
    senior = [person(n, "Director", "agency" if n % 3 else "ndpb") for n in range(15)]
    plan = make_plan(SPECS, [*senior, person(99, "Receptionist")])
    by_key = {g.spec.key: g for g in plan.groups}
    chosen = by_key["cs_senior"]
    assert (len(chosen.invited), len(chosen.reserve)) == (12, 3)
    assert [c.organisation_type for c in chosen.invited[:4]] == ["agency", "ndpb", "agency", "ndpb"]
    assert [c.name for c in plan.unplaced] == ["P99"]
    assert "Senior civil servants group" not in " ".join(plan.warnings)
    assert "Consultants group: 0 proposed, fewer than the 6 this group type needs" in plan.warnings


def test_plan_counts_who_is_already_recruited() -> None:
    plan = make_plan(SPECS, [person(1, "Director")], existing={"cs_senior": ("Seniors", 11)})
    g = next(g for g in plan.groups if g.spec.key == "cs_senior")
    assert (g.group_name, g.size, g.warning()) == ("Seniors", 12, None)
    full = make_plan(SPECS, [person(1, "Director")], existing={"cs_senior": ("Seniors", 13)})
    g = next(g for g in full.groups if g.spec.key == "cs_senior")
    assert g.invited == [] and g.warning() == (
        "Seniors: 13 already, more than the 12 this group type allows"
    )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def contacts(tmp_path: Path, n: int = 7) -> Path:
    rows = [["Name", "Email", "Phone", "Organisation", "Group type", "Role"]]
    rows += [
        [
            f"Consultant {i}",
            f"c{i}@example.invalid",
            "",
            f"Firm {i} (synthetic)",
            "consultants",
            "Partner",
        ]
        for i in range(n)
    ]
    return write_csv(tmp_path / "contacts.csv", rows)


def test_plan_on_the_demo_writes_a_sheet_that_imports(
    cli: Cli, demo_copy: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    with StudyStore.open(demo_copy) as store, store.session() as s:
        held = s.scalar(
            sa.select(sa.func.count())
            .select_from(Participant)
            .join(FocusGroup)
            .where(FocusGroup.name == "Consultants group")
        )
    assert held is not None and 6 <= held < 12
    result = cli(
        "--study", demo_copy, "groups", "plan", "--contacts", contacts(tmp_path), "--output", sheet
    )
    assert result.exit_code == 0, result.stderr
    assert (
        f"Consultants group (consultants, comparison, 6-12): {held} recruited, "
        f"{12 - held} to invite" in result.stdout
    )
    assert "c0@example.invalid" not in result.stdout  # no personal data unless asked
    with sheet.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["group"] for r in rows} >= {"Consultants group"}
    survey_rows = [r for r in rows if r["response_id"]]
    assert survey_rows and all(r["source"].startswith("survey response") for r in survey_rows)
    imported = cli("--study", demo_copy, "participants", "import", sheet)
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith(f"Added {len(rows)} participants: ")
    again = cli("--study", demo_copy, "groups", "plan", "--contacts", contacts(tmp_path))
    assert (
        "Consultants group (consultants, comparison, 6-12): 12 recruited, 0 to invite, "
        f"{7 - (12 - held)} in reserve" in again.stdout
    )


def test_a_bad_contacts_file_names_each_row(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "contacts.csv",
        [
            ["name", "email", "phone", "organisation", "group_type"],
            ["Ana", "ana@example.invalid", "", "A", "consultants"],
            ["Ben", "ben@", "", "B", "consultants"],
            ["Cy", "cy@example.invalid", "", "C", "astronauts"],
        ],
    )
    result = cli("--study", study.folder, "groups", "plan", "--contacts", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}, row 3, field 'email': 'ben@' is not an email address (and 1 more problem)"
    )


def test_a_sheet_with_a_bad_row_adds_nobody(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sheet.csv",
        [
            ["group", "name", "email", "role", "quotation", "consent_date"],
            [
                "Senior civil servants",
                "Una Byrne",
                "una@example.invalid",
                "Director",
                "yes",
                "2026-03-01",
            ],
            ["Senior civil servants", "Rhys Evans", "zoe@example.invalid", "Director", "", ""],
            ["Senior civil servants", "Kofi Mensah", "", "Director", "perhaps", ""],
        ],
    )
    before = study.snapshot()
    result = cli("--study", study.folder, "participants", "import", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}, row 3, field 'email': zoe@example.invalid is already a participant "
        "(and 1 more problem)"
    )
    assert study.snapshot() == before


def test_a_good_sheet_adds_participants_with_consent(study: Study, tmp_path: Path) -> None:
    from innostudy.fieldwork.participants import import_participants, participant_rows
    from innostudy.storage.store import StudyStore

    path = write_csv(
        tmp_path / "sheet.csv",
        [
            ["group", "name", "email", "role", "quotation", "audio", "consent_date"],
            [
                "Senior civil servants",
                "Una Byrne",
                "una@example.invalid",
                "Director",
                "yes",
                "y",
                "2026-03-01",
            ],
        ],
    )
    with StudyStore.open(study.folder) as store, store.session() as s:
        (added,) = import_participants(s, path)
        assert added.code == "SCS-04" and added.level == "senior"
        assert added.consent is not None and added.consent.consent_date.isoformat() == "2026-03-01"
        row = next(r for r in participant_rows(s) if r.code == "SCS-04")
        assert row.quotable and row.consent == "audio:yes video:? notes:? quotation:yes"


def test_unknown_columns_are_refused(study: Study, tmp_path: Path) -> None:
    from innostudy.fieldwork.participants import import_participants
    from innostudy.storage.store import StudyStore

    path = write_csv(tmp_path / "s.csv", [["group", "emial"], ["Senior civil servants", "x"]])
    with (
        StudyStore.open(study.folder) as store,
        store.session() as s,
        pytest.raises(InputError) as info,
    ):
        import_participants(s, path)
    assert str(info.value).startswith(f"{path}, row 1, field 'emial': unknown column 'emial'")


@pytest.mark.parametrize(("keep", "prefix"), [(False, "'"), (True, "")])
def test_the_sheet_neutralises_formulas_and_reads_back_as_written(
    tmp_path: Path, keep: bool, prefix: str
) -> None:
    from innostudy.fieldwork.plan import write_sheet
    from innostudy.fieldwork.tables import read_rows

    hostile = Candidate(
        "row 1", "=HYPERLINK(1)", "h@x.invalid", "+44 20 7946 0001", "@Org", "ndpb", "Director"
    )
    path = tmp_path / "sheet.csv"
    write_sheet(make_plan(SPECS, [hostile]), path, keep_formulas=keep)
    with path.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["name"], row["phone"], row["organisation"]) == (
        prefix + "=HYPERLINK(1)",
        prefix + "+44 20 7946 0001",
        prefix + "@Org",
    )
    ((_, read),) = read_rows(path, required=["group"], optional=list(row))
    assert (read["name"], read["phone"]) == ("=HYPERLINK(1)", "+44 20 7946 0001")
