"""LimeSurvey surveys without tokens, dual-scale arrays and multiple inputs; REDCap data
written by an R client (tests/fixtures/real-world-formats.md)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Organisation, Response
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.survey.conftest import fixture, use_fixture_instrument
from tests.survey.real_world import (
    export_rows,
    import_file,
    limesurvey_responses,
    lss,
    write_csv,
)

PILOT_CODES = ["title", "category", "cost", "origin[ministers]", "origin[users]"]
PILOT_CODES += ["impacts[service]", "impacts[costs]", "overall"]


def submitted_times(study: Path) -> dict[str, tuple[str | None, str | None]]:
    with StudyStore.open(study) as store, store.session() as s:
        rows = s.execute(
            sa.select(Organisation.external_id, Response.started_at, Response.submitted_at).join(
                Response
            )
        )
        return {
            str(ext): (
                started.isoformat(" ", "minutes") if started else None,
                submitted.isoformat(" ", "minutes") if submitted else None,
            )
            for ext, started, submitted in rows
        }


def test_a_survey_without_tokens_keeps_limesurvey_response_ids(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    answers = ["Shared payroll", "it", "under_100k", "Y", "", "high", "low", "high"]
    rows = [
        [
            "1",
            "2024-05-02 10:11:12",
            "3",
            "en",
            "123",
            "2024-05-02 10:00:00",
            "2024-05-02 10:11:12",
            *answers,
        ],
        # a survey that does not keep dates writes 1980-01-01 for a completed response
        [
            "2",
            "1980-01-01 00:00:00",
            "3",
            "en",
            "456",
            "1980-01-01 00:00:00",
            "1980-01-01 00:00:00",
            "Open budgets",
            "policy",
            "over_100k",
            "",
            "Y",
            "moderate",
            "moderate",
            "low",
        ],
        [
            "3",
            "",
            "1",
            "en",
            "789",
            "2024-05-03 08:00:00",
            "2024-05-03 08:01:00",
            "Half done",
            "service",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    path = limesurvey_responses(tmp_path / "results-survey111.csv", PILOT_CODES, rows)
    code, out, err = import_file(cli, pilot_study, path, "--timezone", "UTC")
    assert code == 0, err
    assert "limesurvey file" in out and "3 responses named no organisation (anonymous)" in out
    got = export_rows(cli, pilot_study, tmp_path)
    one = got["Unidentified respondent (limesurvey:1)"]
    assert (one["status"], one["title"], one["origin/ministers"]) == (
        "submitted",
        "Shared payroll",
        "1",
    )
    assert got["Unidentified respondent (limesurvey:2)"]["status"] == "submitted"
    assert got["Unidentified respondent (limesurvey:3)"]["status"] == "draft"
    times = submitted_times(pilot_study)
    assert times["limesurvey:1"] == ("2024-05-02 10:00+00:00", "2024-05-02 10:11+00:00")
    assert times["limesurvey:2"] == (None, None)  # the 1980 placeholder is no time
    assert times["limesurvey:3"] == ("2024-05-03 08:00+00:00", None)  # a draft


def dual_scale_survey(path: Path) -> Path:
    return lss(
        path,
        [
            {
                "qid": 10,
                "code": "DS",
                "type": "1",
                "text": "Rate each service",
                "subs": [("SQ001", "Library"), ("SQ002", "Parks")],
                "answers": [
                    (0, "1", "Good"),
                    (0, "2", "Poor"),
                    (1, "1", "Important"),
                    (1, "2", "Not important"),
                ],
                "attributes": {"dualscale_headerA": "Quality", "dualscale_headerB": "Importance"},
            },
            {
                "qid": 11,
                "code": "AMT",
                "type": "K",
                "text": "How many",
                "subs": [("SQ001", "Staff"), ("SQ002", "Sites")],
            },
            {"qid": 12, "code": "NOTES", "type": "Q", "text": "Notes", "subs": [("A", "First")]},
            {"qid": 13, "code": "GRID", "type": ":", "text": "Grid", "subs": [("R1", "Row")]},
            {"qid": 14, "code": "PIC", "type": "|", "text": "Upload a picture"},
        ],
    )


def test_dual_scale_arrays_and_multiple_inputs(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    structure = dual_scale_survey(tmp_path / "limesurvey_survey_111.lss")
    result = cli("--study", pilot_study, "survey", "instrument", "import", structure)
    assert result.exit_code == 0, result.stderr
    written = pilot_study / "limesurvey_survey_111.instrument.yaml"  # the study's folder
    assert f"written to {written}" in result.stdout
    notes = [line.strip() for line in result.stdout.splitlines() if "note:" in line]
    assert notes == [
        "note: question DS: a dual-scale array, read as two matrices (DS_1, DS_2)",
        "note: question AMT: a multiple numerical input, read as 2 questions (AMT_SQ001, "
        "AMT_SQ002)",
        "note: question NOTES: a multiple short text, read as 1 questions (NOTES_A)",
        "note: question GRID: LimeSurvey type ':' (array (numbers)) has no innostudy "
        "equivalent; left out",
        "note: question PIC: a file upload is not a question; left out",
    ]
    use_fixture_instrument(pilot_study, written)
    columns = ["DS[SQ001#0]", "DS[SQ001#1]", "DS[SQ002#0]", "DS[SQ002#1]"]
    columns += ["AMT[SQ001]", "AMT[SQ002]", "NOTES[A]"]
    rows = [
        [
            "7",
            "2024-05-02 10:11:12",
            "1",
            "en",
            "1",
            "2024-05-02 10:00:00",
            "2024-05-02 10:11:12",
            "1",
            "2",
            "2",
            "1",
            "12",
            "3",
            "All fine",
        ],
    ]
    path = limesurvey_responses(tmp_path / "results.csv", columns, rows)
    code, out, err = import_file(cli, pilot_study, path, "--timezone", "UTC")
    assert code == 0, err
    assert "unmapped" not in out
    row = export_rows(cli, pilot_study, tmp_path)["Unidentified respondent (limesurvey:7)"]
    assert (row["DS_1/SQ001"], row["DS_2/SQ001"], row["DS_1/SQ002"], row["DS_2/SQ002"]) == (
        "1",
        "2",
        "2",
        "1",
    )
    assert (row["AMT_SQ001"], row["AMT_SQ002"], row["NOTES_A"]) == ("12", "3", "All fine")


REDCAP_DICTIONARY = [
    [
        "Variable / Field Name",
        "Form Name",
        "Section Header",
        "Field Type",
        "Field Label",
        "Choices, Calculations, OR Slider Labels",
        "Field Note",
        "Text Validation Type OR Show Slider Number",
        "Text Validation Min",
        "Text Validation Max",
        "Identifier?",
        "Branching Logic (Show field only if...)",
        "Required Field?",
        "Custom Alignment",
        "Question Number (surveys only)",
        "Matrix Group Name",
        "Matrix Ranking?",
        "Field Annotation",
    ],
    ["participant_id", "survey_a", "", "text", "Participant ID"] + [""] * 13,
    ["has_plan", "survey_a", "", "yesno", "Is there a written plan?"] + [""] * 13,
    ["is_public", "survey_a", "", "truefalse", "Is the plan public?"] + [""] * 13,
    ["kind", "survey_a", "", "radio", "Kind", "1, Service | 2, Policy"] + [""] * 12,
    ["channels", "survey_a", "", "checkbox", "Channels", "1, Web | 2, Phone"] + [""] * 12,
    ["started", "survey_a", "", "text", "Started on", "", "", "date_ymd"] + [""] * 10,
]


def test_redcap_data_written_by_an_r_client(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    dictionary = write_csv(tmp_path / "dictionary.csv", REDCAP_DICTIONARY)
    result = cli("--study", pilot_study, "survey", "instrument", "import", dictionary)
    assert result.exit_code == 0, result.stderr
    use_fixture_instrument(pilot_study, pilot_study / "dictionary.instrument.yaml")
    header = ["", "participant_id", "redcap_survey_identifier", "survey_a_timestamp"]
    header += ["has_plan", "is_public", "kind", "channels___1", "channels___2", "started"]
    header += ["survey_a_complete"]
    rows = [  # R's write.csv: row names first, NA for missing, logicals as TRUE/FALSE
        [
            "1",
            "101",
            "NA",
            "2024-03-05 10:11:12",
            "TRUE",
            "Yes",
            "1",
            "TRUE",
            "FALSE",
            "2024-03-01",
            "2",
        ],
        ["2", "102", "NA", "[not completed]", "FALSE", "NA", "2", "FALSE", "TRUE", "NA", "0"],
        [
            "3",
            "103",
            "NA",
            "2024-03-07 16:00:00",
            "NA",
            "No",
            "NA",
            "FALSE",
            "FALSE",
            "2024-02-29",
            "2",
        ],
    ]
    path = write_csv(tmp_path / "redcap_from_r.csv", [header, *rows])
    code, out, err = import_file(cli, pilot_study, path, "--timezone", "America/Chicago")
    assert code == 0, err
    assert "redcap file" in out and "3 responses named no organisation (anonymous)" in out
    notes = [line for line in out.splitlines() if "note:" in line]
    assert notes == [
        "  note: has_plan: 'TRUE' and the like read as the choices coded 1 (true, yes) and "
        "0 (false, no)",
        "  note: is_public: 'Yes' and the like read as the choices coded 1 (true, yes) and "
        "0 (false, no)",
    ]
    got = export_rows(cli, pilot_study, tmp_path)
    first = got["Unidentified respondent (redcap:101)"]
    assert (first["has_plan"], first["is_public"], first["kind"]) == ("1", "1", "1")
    assert (first["channels/1"], first["channels/2"], first["started"]) == ("1", "0", "2024-03-01")
    second = got["Unidentified respondent (redcap:102)"]
    assert (second["status"], second["has_plan"], second["is_public"]) == ("draft", "0", "")
    assert got["Unidentified respondent (redcap:103)"]["is_public"] == "0"
    times = submitted_times(pilot_study)
    assert times["redcap:101"] == (None, "2024-03-05 16:11+00:00")  # Chicago is UTC-6 then
    assert times["redcap:102"] == (None, None)


def test_existing_redcap_records_still_match_their_organisations(
    cli: Cli, pilot_study: Path
) -> None:
    """The record id names a known organisation first; only unknown ids are anonymous."""
    code, out, err = import_file(cli, pilot_study, fixture("redcap_raw.csv"))
    assert code == 0, err
    assert "named no organisation" not in out
