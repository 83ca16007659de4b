"""KoboToolbox and ODK Central exports (with and without their form), SPSS dates, dates
as spreadsheets write them, XLSForm kept as one CSV (tests/fixtures/real-world-formats.md)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Organisation, Response
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import QuestionType, load_instrument
from tests.conftest import Cli
from tests.survey.conftest import use_fixture_instrument
from tests.survey.real_world import export_rows, import_file, write_csv

KOBO_HEADER = ["start", "end", "Name of the innovation", "Describe it", "Category", "Cost"]
KOBO_HEADER += ["Where the idea came from", "Where the idea came from/Ministers"]
KOBO_HEADER += ["Where the idea came from/Senior managers"]
KOBO_HEADER += ["Where the idea came from/Front-line staff"]
KOBO_HEADER += ["Where the idea came from/Service users"]
KOBO_HEADER += ["Impact on/Service quality", "Impact on/Running costs", "Overall success"]
KOBO_HEADER += ["_id", "_notes", "_status", "_submission_time", "_submitted_by", "_tags"]
KOBO_HEADER += ["_uuid", "_validation_status", "_index"]


def kobo_labels(path: Path) -> Path:
    """A Kobo export "with labels": semicolons, every cell quoted, a row of HXL hashtags."""
    hashtags = ["", "", "#title", "", "#category"] + [""] * (len(KOBO_HEADER) - 5)
    rows = [
        KOBO_HEADER,
        hashtags,
        [
            "2024-04-02T05:40:39.000-04:00",
            "2024-04-02T05:41:13.000-04:00",
            "Shared payroll",
            "One team pays\nevery agency.",
            "IT or web",
            "Under £100,000",
            "Ministers Service users",
            "1",
            "0",
            "0",
            "1",
            "High",
            "Low",
            "High",
            "61",
            "",
            "submitted_via_web",
            "2024-04-02T09:41:19",
            "None",
            "",
            "48583952-1892-4931-8d9c-869e7b49bafb",
            "",
            "1",
        ],
        [
            "2024-04-03T05:41:14.000-04:00",
            "2024-04-03T05:41:32.000-04:00",
            "Open budgets",
            "",
            "Policy",
            "£100,000 or more",
            "Senior managers",
            "0",
            "1",
            "0",
            "0",
            "Moderate",
            "Moderate",
            "Low",
            "62",
            "",
            "submitted_via_web",
            "2024-04-03T09:41:38",
            "anotheruser",
            "",
            "317ba7b7-bea4-4a8c-8620-a483c3079c4b",
            "",
            "2",
        ],
    ]
    return write_csv(path, rows, delimiter=";", quoting=csv.QUOTE_ALL)


def times_of(study: Path, key: str) -> tuple[str | None, ...]:
    with StudyStore.open(study) as store, store.session() as s:
        found = s.execute(
            sa.select(Response.started_at, Response.submitted_at, Response.received_at)
            .join(Organisation)
            .where(Organisation.external_id == key)
        ).one()
        return tuple(t.isoformat(" ", "seconds") if t else None for t in found)


def test_a_kobo_export_with_labels_hashtags_and_semicolons(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = kobo_labels(tmp_path / "kobo_labels.csv")
    code, out, err = import_file(cli, pilot_study, path, "--timezone", "Europe/London")
    assert code == 0, err
    assert "kobo file, utf-8, 2 rows" in out and "imported: 2 new" in out and "unmapped" not in out
    got = export_rows(cli, pilot_study, tmp_path)
    first = got["Unidentified respondent (kobo:48583952-1892-4931-8d9c-869e7b49bafb)"]
    assert (first["title"], first["category"], first["cost"]) == (
        "Shared payroll",
        "it",
        "under_100k",
    )
    assert first["summary"] == "One team pays\nevery agency."  # a line break inside a cell
    assert (first["origin/ministers"], first["origin/users"], first["origin/managers"]) == (
        "1",
        "1",
        "0",
    )
    assert (first["impacts/service"], first["impacts/costs"], first["overall"]) == (
        "high",
        "low",
        "high",
    )
    # start/end carry their offset; _submission_time is UTC whatever --timezone says
    assert times_of(pilot_study, "kobo:48583952-1892-4931-8d9c-869e7b49bafb") == (
        "2024-04-02 09:40:39+00:00",
        "2024-04-02 09:41:13+00:00",
        "2024-04-02 09:41:19+00:00",
    )


ODK_CENTRAL = [
    [
        "SubmissionDate",
        "meta-instanceID",
        "title",
        "channels",
        "channels/web",
        "channels/phone",
        "g1-staff",
        "g1-launched",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ],
    [
        "2024-02-01T10:00:00.000Z",
        "uuid:one",
        "Shared payroll",
        "web phone",
        "1",
        "1",
        "12",
        "2023-06-01",
        "uuid:one",
        "5",
        "Alice",
        "0",
        "0",
        "",
        "",
        "",
        "0",
        "1",
    ],
    [
        "2024-02-02T11:30:00.000Z",
        "uuid:two",
        "Open budgets",
        "phone",
        "0",
        "1",
        "3",
        "2023-07-15",
        "uuid:two",
        "5",
        "Alice",
        "0",
        "0",
        "",
        "",
        "",
        "0",
        "1",
    ],
    [
        "2024-02-03T09:15:00.000Z",
        "uuid:three",
        "Repair café",
        "web",
        "1",
        "0",
        "40",
        "2023-09-30",
        "uuid:three",
        "5",
        "Alice",
        "0",
        "0",
        "",
        "",
        "",
        "0",
        "1",
    ],
]


def test_an_odk_central_export_without_its_form(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "central.csv", ODK_CENTRAL)
    inferred = cli("--study", pilot_study, "survey", "import", path, "--infer-instrument")
    assert inferred.exit_code == 0, inferred.stderr
    written = pilot_study / "central.instrument.yaml"
    instrument = load_instrument(written)
    q = instrument.question
    assert [x.key for x in instrument.questions()] == [
        "title",
        "channels",
        "g1_staff",
        "g1_launched",
    ]
    assert q("channels").type is QuestionType.MULTI_CHOICE
    assert [c.label for c in q("channels").choices] == ["web", "phone"]
    assert q("g1_staff").type is QuestionType.NUMBER and q("g1_staff").integer
    assert q("g1_launched").type is QuestionType.DATE
    use_fixture_instrument(pilot_study, written)
    code, out, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    assert "imported: 3 new" in out and "3 responses named no organisation" in out
    got = export_rows(cli, pilot_study, tmp_path)
    one = got["Unidentified respondent (kobo:uuid:one)"]
    assert (one["channels/web"], one["channels/phone"], one["g1_staff"]) == ("1", "1", "12")
    assert one["g1_launched"] == "2023-06-01"
    assert times_of(pilot_study, "kobo:uuid:two")[1:] == (
        "2024-02-02 11:30:00+00:00",  # no end time: the server's time stands in
        "2024-02-02 11:30:00+00:00",
    )


def test_ticks_under_a_dotted_group_separator_become_one_multi_choice(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    rows = [
        ["_uuid", "_submission_time", "origin.ministers", "origin.staff", "score"],
        ["u1", "2024-01-01T10:00:00", "1", "0", "4"],
        ["u2", "2024-01-02T10:00:00", "1", "1", "4"],
        ["u3", "2024-01-03T10:00:00", "0", "1", "2"],
    ]
    path = write_csv(tmp_path / "dots.csv", rows)
    inferred = cli("--study", pilot_study, "survey", "import", path, "--infer-instrument")
    assert inferred.exit_code == 0, inferred.stderr
    instrument = load_instrument(pilot_study / "dots.instrument.yaml")
    assert instrument.question("origin").type is QuestionType.MULTI_CHOICE
    assert instrument.question("score").type is QuestionType.SINGLE_CHOICE
    assert "note: origin: 2 columns of ticks; read as one multi-choice" in inferred.stdout
    use_fixture_instrument(pilot_study, pilot_study / "dots.instrument.yaml")
    assert import_file(cli, pilot_study, path)[0] == 0
    got = export_rows(cli, pilot_study, tmp_path)["Unidentified respondent (kobo:u2)"]
    assert (got["origin/ministers"], got["origin/staff"], got["score"]) == ("1", "1", "4")


def test_dates_as_spreadsheets_and_spss_write_them(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    rows = [
        [
            "organisation",
            "organisation_type",
            "title",
            "category",
            "cost",
            "origin",
            "impacts/service",
            "impacts/costs",
            "overall",
            "completed",
        ],
    ]
    written = ["45376", "25/03/24", "25-MAR-2024", "2024/03/25", "Mar 25, 2024", "2024-03-25"]
    written += ["13930704000.0"]  # SPSS: seconds since 14 October 1582
    for n, text in enumerate(written):
        rows.append(
            [f"Org {n}", "ndpb", "T", "it", "under_100k", "ministers", "high", "high", "high", text]
        )
    path = write_csv(tmp_path / "dates.csv", rows)
    code, _, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    got = export_rows(cli, pilot_study, tmp_path)
    assert {got[f"Org {n}"]["completed"] for n in range(len(written))} == {"2024-03-25"}


def test_spss_date_formats(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(
        {
            "organisation": ["Org A", "Org B"],
            "organisation_type": ["ndpb", "ndpb"],
            "title": ["T", "U"],
            "category": [2.0, 3.0],
            "cost": [1.0, 2.0],
            "origin": ["ministers", "users"],
            "service": ["high", "low"],
            "costs": ["high", "low"],
            "overall": ["high", "low"],
            "completed": [date(2023, 9, 1), date(2024, 2, 29)],
        }
    )
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(frame, str(path), variable_format={"completed": "ADATE10"})
    code, _, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    got = export_rows(cli, pilot_study, tmp_path)
    assert (got["Org A"]["completed"], got["Org B"]["completed"]) == ("2023-09-01", "2024-02-29")
    assert (got["Org A"]["category"], got["Org B"]["cost"]) == ("it", "over_100k")


XLSFORM_CSV = """\
SURVEY  ,,,,
  , TYPE , NAME , LABEL:English (en), REQUIRED
  , text , title , Name of the innovation, yes
  , select_one kinds , kind , Kind
,,,,
CHOICES ,
  , list name , name , label:English (en)
  , kinds , svc , Service
  , kinds , pol , Policy
SETTINGS ,
  , form_title , form_id
  , One-file form , one_file
"""


def test_an_xlsform_kept_as_one_csv_with_sheet_markers(cli: Cli, pilot_study: Path) -> None:
    form = pilot_study.parent / "form.csv"
    form.write_text(XLSFORM_CSV, encoding="utf-8")
    result = cli("--study", pilot_study, "survey", "instrument", "import", form)
    assert result.exit_code == 0, result.stderr
    assert "Read an instrument (xlsform)" in result.stdout and "2 questions" in result.stdout
    instrument = load_instrument(pilot_study / "form.instrument.yaml")
    kind = instrument.question("kind")
    assert kind.type is QuestionType.SINGLE_CHOICE
    assert [(c.value, c.label) for c in kind.choices] == [("svc", "Service"), ("pol", "Policy")]
    assert instrument.question("title").required and instrument.title == "One-file form"


def test_a_repeat_group_table_is_named_as_what_it_is(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    """Kobo and ODK write each repeat group as its own table; innostudy has no repeats."""
    rows = [
        ["member_name", "member_age", "_index", "_parent_table_name", "_parent_index"],
        ["Ana", "34", "1", "household", "1"],
    ]
    path = write_csv(tmp_path / "household_members.csv", rows)
    code, _, err = import_file(cli, pilot_study, path, "--format", "kobo")
    assert code == 1
    assert err == (
        f"Error: {path}, row 1: this is the table of a repeat group (it has _parent_index or "
        "PARENT_KEY): innostudy has no repeats; import the form's main table instead\n"
    )


def test_an_instrument_inferred_from_a_spreadsheet(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["response_id", "Region", "Staff", "Launched", "Comment"])
    for n, region in enumerate(["North", "South", "North", "East", "South", "North"]):
        sheet.append([f"r{n}", region, 10 + n, date(2023, 1, 1 + n), f"Note {n}"])
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    result = cli("--study", pilot_study, "survey", "import", path, "--infer-instrument")
    assert result.exit_code == 0, result.stderr
    instrument = load_instrument(pilot_study / "sheet.instrument.yaml")
    q = instrument.question
    assert [x.key for x in instrument.questions()] == ["Region", "Staff", "Launched", "Comment"]
    assert q("Region").type is QuestionType.SINGLE_CHOICE
    assert [c.label for c in q("Region").choices] == ["North", "South", "East"]
    assert q("Staff").type is QuestionType.NUMBER and q("Launched").type is QuestionType.DATE
    assert q("Comment").type is QuestionType.TEXT
    use_fixture_instrument(pilot_study, pilot_study / "sheet.instrument.yaml")
    code, _, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    row = export_rows(cli, pilot_study, tmp_path)["Unidentified respondent (generic:r3)"]
    assert (row["Region"], row["Staff"], row["Launched"]) == ("east", "13", "2023-01-04")
