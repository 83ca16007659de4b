"""Qualtrics exports as people hand them over: anonymous links, legacy and two-row layouts,
day-first dates, times in the survey's own zone (tests/fixtures/real-world-formats.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Organisation, Response
from innostudy.storage.store import StudyStore
from innostudy.survey.organisations import add_organisation
from tests.conftest import Cli
from tests.survey.conftest import snapshot
from tests.survey.real_world import (
    export_rows,
    import_file,
    qualtrics_anonymous,
    qualtrics_legacy,
    qualtrics_two_rows,
    write_csv,
)


def times(study: Path) -> dict[str, tuple[str | None, ...]]:
    with StudyStore.open(study) as store, store.session() as s:
        rows = s.execute(
            sa.select(
                Organisation.external_id,
                Response.started_at,
                Response.submitted_at,
                Response.received_at,
                Response.imported_at,
            ).join(Response)
        )
        return {
            str(ext): tuple(t.strftime("%Y-%m-%d %H:%M") if t else None for t in rest)
            for ext, *rest in rows
        }


def test_an_anonymous_link_keeps_each_response_under_its_own_id(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = qualtrics_anonymous(tmp_path / "anonymous.csv")
    code, out, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    assert "imported: 2 new, 0 changed, 0 unchanged" in out
    assert "2 responses named no organisation (anonymous)" in out
    assert "1 preview or test response left out" in out
    rows = export_rows(cli, pilot_study, tmp_path)
    first = rows["Unidentified respondent (qualtrics:R_anon0xYz)"]
    assert first["organisation_type"] == "unidentified"
    assert first["title"] == "Shared payroll" and first["category"] == "it"
    assert first["origin/ministers"] == "1" and first["origin/users"] == "1"
    assert first["impacts/service"] == "high" and first["overall"] == "high"
    # New York in March 2024 is UTC-5 until the 10th: 09:00 there is 14:00 UTC
    assert times(pilot_study)["qualtrics:R_anon0xYz"][:3] == (
        "2024-03-01 14:00",
        "2024-03-01 14:20",
        "2024-03-01 14:20",
    )
    assert times(pilot_study)["qualtrics:R_anon0xYz"][3] is not None  # ours, kept apart
    again = import_file(cli, pilot_study, path)
    assert "imported: 0 new, 0 changed, 2 unchanged" in again[1]


def test_the_analysis_shows_anonymous_responses_as_unidentified(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    assert import_file(cli, pilot_study, qualtrics_anonymous(tmp_path / "a.csv"))[0] == 0
    from innostudy.analysis.frames import load_survey_data
    from innostudy.analysis.tables import response_rates_table
    from innostudy.survey.instrument import load_instrument

    with StudyStore.open(pilot_study) as store, store.session() as s:
        data = load_survey_data(s, load_instrument(store.setting_path("survey.instrument")))
    rates = {r["org_type"]: r for r in response_rates_table(data).to_dicts()}
    assert rates["unidentified"]["submitted"] == 2
    assert rates["unidentified"]["org_type_label"] == "Unidentified (anonymous responses)"
    assert rates["unidentified"]["rate"] is None  # no population, so no response rate
    assert rates["all"]["in_scope"] == 0  # anonymous responses are not "in scope"


def test_a_column_can_name_the_organisation(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    path = qualtrics_anonymous(tmp_path / "anonymous.csv")
    code, out, err = import_file(
        cli,
        pilot_study,
        path,
        "--organisation-column",
        "ResponseId",
        "--organisation-type",
        "ndpb",
    )
    assert code == 0, err
    assert "2 new organisations registered" in out and "named no organisation" not in out
    assert export_rows(cli, pilot_study, tmp_path)["R_anon1xYz"]["organisation_type"] == "ndpb"
    missing = import_file(cli, pilot_study, path, "--organisation-column", "Org")
    assert missing[0] == 1
    assert missing[2].startswith(
        f"Error: {path}, row 3, field 'Org': --organisation-column: no column is called 'Org'"
    )


def test_anonymous_responses_are_refused_when_only_known_organisations_may_answer(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    before = snapshot(pilot_study)
    path = qualtrics_anonymous(tmp_path / "anonymous.csv")
    code, _, err = import_file(cli, pilot_study, path, "--known-only")
    assert code == 1
    assert err.startswith(
        f"Error: {path}, row 4, field 'organisation': the response names no organisation "
        "(an anonymous response) and the import was limited to known organisations"
    )
    assert snapshot(pilot_study) == before


def test_the_legacy_layout_with_a_trailing_delimiter(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    with StudyStore.open(pilot_study) as store, store.session() as s:
        add_organisation(s, "Agency of Examples", "executive_agency", external_id="AG-1")
    path = qualtrics_legacy(tmp_path / "legacy.csv")
    code, out, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    assert "qualtrics file, utf-8, 3 rows" in out and "unmapped" not in out
    rows = export_rows(cli, pilot_study, tmp_path)
    assert rows["Agency of Examples"]["status"] == "submitted"
    assert rows["Agency of Examples"]["title"] == "Shared payroll"
    assert rows["Unidentified respondent (qualtrics:R_legacy2)"]["status"] == "draft"
    assert rows["Unidentified respondent (qualtrics:R_legacy1)"]["cost"] == "over_100k"


def test_two_header_rows_and_day_first_dates(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    starts = ["25/03/2024 14:05", "3/4/2024 9:30", "13/01/2024 07:00"]
    path = qualtrics_two_rows(tmp_path / "uk.csv", starts, ["13/01/2024", "02/03/2024", ""])
    code, _, err = import_file(cli, pilot_study, path, "--timezone", "Europe/London")
    assert code == 0, err
    rows = export_rows(cli, pilot_study, tmp_path)
    assert rows["Unidentified respondent (qualtrics:R_two0)"]["completed"] == "2024-01-13"
    assert rows["Unidentified respondent (qualtrics:R_two1)"]["completed"] == "2024-03-02"
    got = times(pilot_study)
    assert got["qualtrics:R_two0"][0] == "2024-03-25 14:05"  # GMT until the 31st
    assert got["qualtrics:R_two1"][0] == "2024-04-03 08:30"  # 3 April, BST: 08:30 UTC


def test_dates_that_stay_ambiguous_are_refused_naming_date_format(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    starts = ["9/11/2022 17:54", "10/11/2022 18:23", "11/11/2022 8:57"]
    path = qualtrics_two_rows(tmp_path / "nz.csv", starts, ["", "", ""])
    before = snapshot(pilot_study)
    code, _, err = import_file(cli, pilot_study, path)
    assert code == 1
    assert err == (
        f"Error: {path}, row 3, field 'StartDate': dates such as '9/11/2022 17:54' could be "
        "day first or month first, and no date in the column settles it; say which with "
        "--date-format (e.g. --date-format %d/%m/%Y)\n"
    )
    assert snapshot(pilot_study) == before
    code, _, err = import_file(
        cli, pilot_study, path, "--date-format", "%d/%m/%Y", "--timezone", "Pacific/Auckland"
    )
    assert code == 0, err
    assert times(pilot_study)["qualtrics:R_two0"][0] == "2022-11-09 04:54"  # NZDT is UTC+13


def test_a_column_mixing_day_first_and_month_first_is_refused(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = qualtrics_two_rows(tmp_path / "mixed.csv", ["25/03/2024", "03/25/2024"], ["", ""])
    code, _, err = import_file(cli, pilot_study, path)
    assert code == 1
    assert "field 'StartDate': the column mixes day-first ('25/03/2024') and month-first " in err
    assert err.count("\n") == 1


def test_a_time_that_is_not_a_time_names_its_row(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = qualtrics_two_rows(tmp_path / "bad.csv", ["2024-03-01 10:00", "yesterday"], ["", ""])
    code, _, err = import_file(cli, pilot_study, path, "--timezone", "UTC")
    assert code == 1
    assert err.startswith(
        f"Error: {path}, row 4, field 'StartDate': 'yesterday' is not a date and time "
        "(e.g. 2024-03-25 14:05 or 25/03/2024 14:05)"
    )
    unknown = import_file(cli, pilot_study, path, "--timezone", "Mars/Olympus")
    assert unknown[0] == 1
    assert "'Mars/Olympus' is not a time zone (use a name like Europe/London)" in unknown[2]


def test_loop_and_merge_columns_are_named_not_read(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = qualtrics_anonymous(tmp_path / "loops.csv")
    rows = path.read_text(encoding="utf-8").splitlines()
    extra = ["1_Q7", "Q7 - loop 1", '"{""ImportId"":""1_QID7""}"']
    rows = [f"{row},{extra[n] if n < 3 else 'x'}" for n, row in enumerate(rows)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    assert (
        "  note: 1_Q7: a copy of a question made by Qualtrics' loop and merge, which "
        "innostudy does not read (one answer per question); not imported"
    ) in out


def test_the_dashboard_counts_submissions_at_the_respondents_times(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    """What the dashboard's arrival curve and "last submission" read: not the import's time."""
    from datetime import UTC, datetime

    from innostudy.survey.progress import submission_times, survey_progress

    assert import_file(cli, pilot_study, qualtrics_anonymous(tmp_path / "a.csv"))[0] == 0
    with StudyStore.open(pilot_study) as store, store.session() as s:
        arrivals = submission_times(s)
        last = survey_progress(s).last_submitted_at
    assert arrivals == [
        datetime(2024, 3, 1, 14, 20, tzinfo=UTC),
        datetime(2024, 3, 2, 14, 20, tzinfo=UTC),
    ]
    assert last == datetime(2024, 3, 2, 14, 20, tzinfo=UTC)


def test_times_a_later_file_gives_are_filled_in_without_a_new_revision(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    from tests.survey.conftest import fixture

    assert import_file(cli, pilot_study, fixture("generic_good.csv"))[0] == 0
    with fixture("generic_good.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    timed = [[*rows[0], "submitted_at"]] + [[*r, "2024-05-01 09:30:00+00:00"] for r in rows[1:]]
    path = write_csv(tmp_path / "timed.csv", timed)
    code, out, err = import_file(cli, pilot_study, path)
    assert code == 0, err
    assert "imported: 0 new, 0 changed, 6 unchanged" in out
    assert "respondents' own times filled in on 5 unchanged responses" in out  # one is a draft
    with StudyStore.open(pilot_study) as store, store.session() as s:
        found = s.execute(
            sa.select(Response.revision, Response.submitted_at).where(
                Response.status == "submitted"
            )
        ).all()
    assert {r for r, _ in found} == {1}
    assert {t.isoformat(" ") for _, t in found} == {"2024-05-01 09:30:00+00:00"}
