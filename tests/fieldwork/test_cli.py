"""`innostudy groups|sessions|participants|consent …` through the real entry point."""

from __future__ import annotations

import json

import sqlalchemy as sa

from innostudy.model import AuditEvent
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.fieldwork.conftest import Study


def test_groups_add_prints_the_new_id(cli: Cli, study: Study) -> None:
    result = cli("--study", study.folder, "groups", "add", "Consultants A", "--type", "consultants")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "2\n", "")
    listed = cli("--study", study.folder, "groups", "list", "--format", "jsonl").stdout
    rows = [json.loads(line) for line in listed.splitlines()]
    assert [(r["id"], r["name"], r["participants"]) for r in rows] == [
        (1, "Senior civil servants", 3),
        (2, "Consultants A", 0),
    ]
    assert rows[0]["warning"] == (
        "Senior civil servants: 3 participants, fewer than the 6 this group type needs"
    )


def test_groups_add_refuses_a_taken_name_or_unknown_type(cli: Cli, study: Study) -> None:
    before = study.snapshot()
    taken = cli(
        "--study", study.folder, "groups", "add", "Senior civil servants", "--type", "cs_mid"
    )
    assert (taken.exit_code, taken.stderr.strip()) == (
        1,
        "Error: NAME, field 'name': a focus group called 'Senior civil servants' already exists",
    )
    unknown = cli("--study", study.folder, "groups", "add", "X", "--type", "pirates")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == (
        "Error: --type, field 'type': unknown group type 'pirates' (one of: cs_project, cs_mid, "
        "cs_senior, consultants, it_practitioners, business, local_authorities)"
    )
    assert study.snapshot() == before


def test_sessions_add_prints_the_new_id_and_reads_notes(cli: Cli, study: Study, tmp_path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n- lively\n", encoding="utf-8")
    args = ["--study", study.folder, "sessions", "add", "--group", "Senior civil servants"]
    result = cli(*args, "--date", "2026-03-10", "--duration", "90", "--notes", notes)
    assert (result.exit_code, result.stdout) == (0, "2\n")
    rows = [
        json.loads(line)
        for line in cli(
            "--study", study.folder, "sessions", "list", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    assert [(r["id"], r["session_date"], r["duration_minutes"]) for r in rows] == [
        (1, "2026-03-03", None),
        (2, "2026-03-10", 90),
    ]


def test_sessions_add_refuses_bad_input(cli: Cli, study: Study) -> None:
    before = study.snapshot()
    base = ["--study", study.folder, "sessions", "add"]
    bad_date = cli(*base, "--group", "Senior civil servants", "--date", "3/10/2026")
    assert (bad_date.exit_code, bad_date.stderr.strip()) == (
        1,
        "Error: --date, field 'date': '3/10/2026' is not a date like 2026-03-03",
    )
    no_group = cli(*base, "--group", "Nobody", "--date", "2026-03-10")
    assert no_group.stderr.strip() == (
        "Error: no focus group 'Nobody'; list them with `innostudy groups list`"
    )
    bad_length = cli(
        *base, "--group", "Senior civil servants", "--date", "2026-03-10", "--duration", "0"
    )
    assert bad_length.stderr.strip() == (
        "Error: --duration, field 'duration': must be a positive number of minutes"
    )
    assert study.snapshot() == before


def test_assigning_an_unassigned_session(cli: Cli, study: Study) -> None:
    from innostudy.fieldwork.sessions import add_session

    with StudyStore.open(study.folder) as store, store.session() as s:
        loose = add_session(s, None, name="imported").id
    result = cli(
        "--study", study.folder, "sessions", "assign", loose, "--group", "Senior civil servants"
    )
    assert result.exit_code == 0
    listed = cli("--study", study.folder, "sessions", "list").stdout
    assert "(unassigned)" not in listed


def test_participants_add_and_list_keep_personal_data_out(cli: Cli, study: Study) -> None:
    base = ["--study", study.folder, "participants"]
    added = cli(
        *base,
        "add",
        "--group",
        "Senior civil servants",
        "--role",
        "Director",
        "--name",
        "Ines O'Neill",
        "--email",
        "ines@example.invalid",
    )
    assert (added.exit_code, added.stdout) == (0, "SCS-04\n")
    listed = cli(*base, "list").stdout
    assert "SCS-04" in listed and "O'Neill" not in listed and "example.invalid" not in listed
    shown = cli(*base, "list", "--show-contacts", "--format", "jsonl").stdout
    rows = {r["code"]: r for r in map(json.loads, shown.splitlines())}
    assert rows["SCS-04"]["name"] == "Ines O'Neill"
    bad = cli(*base, "add", "--group", "Senior civil servants", "--email", "not-an-email")
    assert (
        bad.stderr.strip()
        == "Error: --email, field 'email': 'not-an-email' is not an email address"
    )


def test_consent_record_withdraw_and_reinstate_are_audited(cli: Cli, study: Study) -> None:
    base = ["--study", study.folder, "consent"]
    recorded = cli(
        *base, "record", "scs-01", "--video", "no", "--quotation", "NO", "--date", "2026-03-01"
    )
    assert recorded.stdout.strip() == (
        "SCS-01: audio=granted video=refused notes=not_asked quotation=refused"
    )
    bad = cli(*base, "record", "SCS-01", "--audio", "maybe")
    assert (
        bad.stderr.strip() == "Error: --audio, field 'audio': 'maybe' is not yes, no or not_asked"
    )
    assert cli(*base, "withdraw", "SCS-02", "--reason", "asked by email").exit_code == 0
    again = cli(*base, "withdraw", "SCS-02")
    assert again.exit_code == 1 and again.stderr.startswith("Error: SCS-02: withdrew already on ")
    listed = json.loads(
        cli(
            "--study", study.folder, "participants", "list", "--format", "jsonl"
        ).stdout.splitlines()[1]
    )
    assert (listed["code"], listed["withdrawn"], listed["quotable"]) == ("SCS-02", True, False)
    assert cli(*base, "reinstate", "SCS-02").exit_code == 0
    unknown = cli(*base, "withdraw", "SCS-99")
    assert unknown.stderr.strip() == (
        "Error: no participant 'SCS-99'; list them with `innostudy participants list`"
    )
    with StudyStore.open(study.folder) as store, store.session() as s:
        actions = s.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    # the fixture recorded three consents; then this test's record, withdraw, reinstate
    assert actions[-3:] == ["consent.record", "consent.withdraw", "consent.reinstate"]
