"""Plain CSV/XLSX response imports through the real command: counts, values, refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import ImportBatch, Organisation, RejectedRow, ResponseRevision
from innostudy.storage.store import StudyStore
from innostudy.survey.responses import revision_answers
from tests.conftest import Cli
from tests.survey.conftest import answers_by_org, fixture, snapshot


def run_import(cli: Cli, study: Path, name: str | Path, *args: object) -> tuple[int, str, str]:
    path = name if isinstance(name, Path) else fixture(name)
    result = cli("--study", study, "survey", "import", path, *args)
    return result.exit_code, result.stdout, result.stderr


def test_a_good_file_imports_every_row_with_its_answers(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run_import(cli, pilot_study, "generic_good.csv")
    assert code == 0, err
    assert "imported: 6 new, 0 changed, 0 unchanged" in out
    assert "6 new organisations registered" in out
    got = answers_by_org(pilot_study)
    assert set(got) == {
        "Department for Tests",
        "Agency of Examples",
        "Office of Codes",
        "Board of Others",
        "Draft Council",
        "Çağrı Merkezi Ltd",
    }
    status, dept = got["Department for Tests"]
    assert status == "submitted"
    assert dept["summary"] == "We moved permits online, in stages.\nFirst a pilot, then everyone."
    assert dept["origin"] == ["managers", "staff"]
    assert dept["barriers"] == ["culture", "funding"]  # ranks 2 and 1
    assert dept["months"] == 14 and isinstance(dept["months"], int)
    assert dept["impacts"] == {"service": "high", "costs": "moderate"}
    # labels and numeric codes are read as the choice values they name
    assert got["Agency of Examples"][1]["cost"] == "over_100k"
    assert got["Agency of Examples"][1]["category"] == "service"
    codes = got["Office of Codes"][1]
    assert (codes["category"], codes["cost"], codes["overall"]) == (
        "policy",
        "under_100k",
        "very_high",
    )
    assert codes["impacts"] == {"service": "very_high", "costs": "very_low"}
    assert codes["barriers"] == ["funding", "it", "culture"]
    assert got["Board of Others"][1]["category_other"] == "A regulatory change"
    assert got["Draft Council"] == ("draft", {"title": "Half done", "category": "it"})
    status, cagri = got["Çağrı Merkezi Ltd"]
    assert status == "submitted" and cagri["title"] == "“Tell us once”"
    assert cagri["summary"] == 'Quotes "inside" and a, comma'
    with StudyStore.open(pilot_study) as store, store.session() as s:
        types = dict(s.execute(sa.select(Organisation.name, Organisation.org_type)).all())
        assert types["Agency of Examples"] == "executive_agency"
        batch = s.scalars(sa.select(ImportBatch)).one()
        assert (batch.rows_total, batch.rows_imported, batch.rows_rejected) == (6, 6, 0)
        assert batch.file_format == "generic" and len(batch.file_sha256) == 64


def test_reimporting_the_same_file_adds_nothing(cli: Cli, pilot_study: Path) -> None:
    assert run_import(cli, pilot_study, "generic_good.csv")[0] == 0
    before = snapshot(pilot_study)
    code, out, _ = run_import(cli, pilot_study, "generic_good.csv")
    assert code == 0
    assert "imported: 0 new, 0 changed, 6 unchanged" in out
    assert snapshot(pilot_study) == before


def test_a_changed_answer_keeps_the_old_one_as_a_revision(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    assert run_import(cli, pilot_study, "generic_good.csv")[0] == 0
    with fixture("generic_good.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][rows[0].index("overall")] = "low"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    code, out, _ = run_import(cli, pilot_study, changed)
    assert code == 0 and "imported: 0 new, 1 changed" in out and "5 unchanged" in out
    with StudyStore.open(pilot_study) as store, store.session() as s:
        org = s.scalars(sa.select(Organisation).where(Organisation.name == "Office of Codes")).one()
        assert org.response is not None and org.response.revision == 2
        history = s.scalars(
            sa.select(ResponseRevision)
            .where(ResponseRevision.response_id == org.response.id)
            .order_by(ResponseRevision.revision)
        ).all()
        assert [revision_answers(r)["overall"] for r in history] == ["very_high", "low"]
        assert history[0].answers is not None  # kept in full once a newer revision came
        assert history[1].answers is None  # the newest: by reference, the response's own
        assert history[1].source_file == "changed.csv" and history[1].source_row == 4


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        (
            "generic_bom_semicolon.csv",
            "utf-8-sig",
            {
                "Ministère des Essais": ("summary", "Résumé: «simple»"),
                "Agence Été": ("cost", "over_100k"),
            },
        ),
        ("generic_cp1252.csv", "cp1252", {"Café Council": ("title", "Naïve ‘pilot’ – phase 1")}),
    ],
)
def test_encodings_and_delimiters_are_recognised(
    cli: Cli, pilot_study: Path, name: str, encoding: str, expected: dict[str, tuple[str, str]]
) -> None:
    code, out, err = run_import(cli, pilot_study, name)
    assert code == 0, err
    assert f"generic file, {encoding}, {len(expected)} row" in out
    got = answers_by_org(pilot_study)
    for org, (key, value) in expected.items():
        assert got[org][1][key] == value


def test_empty_rows_are_skipped_and_counted(cli: Cli, pilot_study: Path) -> None:
    code, out, _ = run_import(cli, pilot_study, "generic_empty_rows.csv")
    assert code == 0
    assert "imported: 2 new" in out and "4 empty rows skipped" in out


def test_lists_in_one_cell_by_value_or_label(cli: Cli, pilot_study: Path) -> None:
    assert run_import(cli, pilot_study, "generic_lists.csv")[0] == 0
    got = answers_by_org(pilot_study)
    assert got["List Office"][1]["origin"] == ["ministers", "users"]
    assert got["List Office"][1]["barriers"] == ["rules", "funding"]
    assert got["Label Office"][1]["origin"] == ["managers", "users"]  # kept in choice order
    assert got["Label Office"][1]["barriers"] == ["it", "funding"]
    assert got["Label Office"][1]["cost"] == "under_100k"  # a label with a comma in it


def test_an_xlsx_with_merged_group_headings(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run_import(cli, pilot_study, "generic_merged_header.xlsx")
    assert code == 0, err
    assert "imported: 3 new" in out and "1 empty row skipped" in out
    got = answers_by_org(pilot_study)
    sheet = got["Sheet Office"][1]
    assert sheet["origin"] == ["ministers", "users"]
    assert sheet["impacts"] == {"service": "high", "costs": "moderate"}
    assert sheet["completed"] == "2024-05-31" and sheet["category"] == "it"
    assert got["Cell Council"][1]["title"] == "2024"  # a number typed into a text column


REFUSALS = [
    (
        "generic_duplicate_org.csv",
        "row 4, field 'organisation': 'Department for Tests' already has a response in row 2 "
        "of this file (one response per organisation)",
        1,
    ),
    (
        "generic_bad_likert.csv",
        "row 3, field 'overall': '6' is not one of the choices "
        "(very_low, low, moderate, high, very_high)",
        1,
    ),
    (
        "generic_unknown_choice.csv",
        "row 2, field 'category': 'magic' is not one of the choices (service, it, policy, other)",
        1,
    ),
    ("generic_mixed_bad.csv", "row 3, field 'title': is required", 7),
]


@pytest.mark.parametrize(("name", "first", "count"), REFUSALS)
def test_a_bad_file_is_refused_whole_with_every_problem_listed(
    cli: Cli, pilot_study: Path, tmp_path: Path, name: str, first: str, count: int
) -> None:
    before = snapshot(pilot_study)
    quarantine = tmp_path / "q.csv"
    code, out, err = run_import(cli, pilot_study, name, "--quarantine", quarantine)
    assert code == 1
    more = (
        f"and {count - 1} more problems; "
        if count > 2
        else ("and 1 more problem; " if count == 2 else "")
    )
    assert err.strip() == (
        f"Error: {fixture(name)}, {first} ({more}nothing imported; all listed in {quarantine})"
    )
    assert out == ""
    assert snapshot(pilot_study) == before
    with quarantine.open(encoding="utf-8", newline="") as f:
        listed = list(csv.DictReader(f))
    assert len(listed) == count
    assert list(listed[0]) == ["row", "column", "field", "value", "reason"]


def test_the_quarantine_names_row_column_field_value_and_reason(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    quarantine = tmp_path / "q.csv"
    run_import(cli, pilot_study, "generic_mixed_bad.csv", "--quarantine", quarantine)
    with quarantine.open(encoding="utf-8", newline="") as f:
        listed = [
            (r["row"], r["column"], r["field"], r["value"], r["reason"]) for r in csv.DictReader(f)
        ]
    assert listed == [
        ("3", "title", "title", "", "is required"),
        ("5", "months", "months", "121", "121 is above the maximum 120"),
        (
            "7",
            "origin/ministers",
            "origin/ministers",
            "maybe",
            "'maybe' is neither a tick (1, Y, yes, checked) nor a blank (0, N, no)",
        ),
        ("8", "completed", "completed", "2024-02-30", "'2024-02-30' is not a date like 2024-03-31"),
        (
            "9",
            "organisation",
            "organisation",
            "",
            "the row does not say which organisation it is from (no token, external id or name)",
        ),
        ("10", "impacts/costs", "impacts/costs", "", "is required"),
        (
            "11",
            "organisation",
            "organisation",
            "Department for Tests",
            "'Department for Tests' already has a response in row 2 of this file "
            "(one response per organisation)",
        ),
    ]


def test_skip_invalid_imports_the_valid_rows_and_keeps_the_rest(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    quarantine = tmp_path / "q.csv"
    code, out, err = run_import(
        cli, pilot_study, "generic_mixed_bad.csv", "--skip-invalid", "--quarantine", quarantine
    )
    assert code == 0, err
    assert "imported: 3 new" in out
    assert f"quarantined: 7 rows with 7 problems, listed in {quarantine}" in out
    assert set(answers_by_org(pilot_study)) == {
        "Department for Tests",
        "Office of Codes",
        "Draft Council",
    }
    with StudyStore.open(pilot_study) as store, store.session() as s:
        batch = s.scalars(sa.select(ImportBatch)).one()
        assert (batch.rows_total, batch.rows_imported, batch.rows_rejected) == (10, 3, 7)
        rejected = s.scalars(sa.select(RejectedRow).order_by(RejectedRow.row_number)).all()
        assert [r.row_number for r in rejected] == [3, 5, 7, 8, 9, 10, 11]
        assert all(r.batch_id == batch.id for r in rejected)
        assert rejected[1].raw["months"] == "121" and rejected[1].field == "months"


def test_a_truncated_file_is_refused_even_with_skip_invalid(cli: Cli, pilot_study: Path) -> None:
    before = snapshot(pilot_study)
    for extra in ((), ("--skip-invalid",)):
        code, _, err = run_import(cli, pilot_study, "generic_truncated.csv", *extra)
        assert code == 1
        assert err.strip() == (
            f"Error: {fixture('generic_truncated.csv')}, row 4: the file ends inside a quoted "
            "value: it looks cut short (truncated)"
        )
    assert snapshot(pilot_study) == before


def test_dry_run_writes_nothing_and_says_what_would_happen(cli: Cli, pilot_study: Path) -> None:
    before = snapshot(pilot_study)
    code, out, _ = run_import(cli, pilot_study, "generic_good.csv", "--dry-run")
    assert code == 0
    assert "would import: 6 new" in out
    assert snapshot(pilot_study) == before
    assert not (pilot_study / "files" / "quarantine").exists()


def test_a_file_that_names_no_organisation_is_refused(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = tmp_path / "anonymous.csv"
    path.write_text("title,category\nX,it\n", encoding="utf-8")
    code, _, err = run_import(cli, pilot_study, path)
    assert code == 1
    assert err.strip() == (
        f"Error: {path}, row 1: no column says which organisation each row is from: add a "
        "token, external_id or organisation column, name one with --organisation-column or "
        "in a mapping file (--mapping), or give each response an id (a response_id column)"
    )


def test_known_only_refuses_new_organisations(cli: Cli, pilot_study: Path) -> None:
    code, _, err = run_import(cli, pilot_study, "generic_good.csv", "--known-only")
    assert code == 1
    assert (
        "row 2, field 'organisation': 'Department for Tests' is not an organisation of this study"
        in err
    )


def test_the_default_quarantine_goes_to_the_study_files(cli: Cli, pilot_study: Path) -> None:
    code, _, err = run_import(cli, pilot_study, "generic_unknown_choice.csv")
    assert code == 1
    written = list((pilot_study / "files" / "quarantine").glob("generic_unknown_choice-*.csv"))
    assert len(written) == 1 and str(written[0]) in err


def test_long_imports_report_progress(pilot_study: Path) -> None:
    from innostudy.survey.importing import ImportOptions, import_responses
    from innostudy.survey.instrument import load_instrument

    seen: list[tuple[int, int]] = []
    with StudyStore.open(pilot_study) as store, store.session() as s:
        instrument = load_instrument(store.setting_path("survey.instrument"))
        options = ImportOptions(chunk_rows=2)
        import_responses(
            s,
            fixture("generic_good.csv"),
            instrument,
            options,
            progress=lambda d, t: seen.append((d, t)),
        )
    size = fixture("generic_good.csv").stat().st_size
    assert len(seen) >= 3 and seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
