"""Each tool's export format: recognised, read to the right answers, refused when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import Organisation, OrganisationContact, ResponseRevision
from innostudy.storage.store import StudyStore
from innostudy.survey.organisations import add_organisation
from innostudy.survey.tokens import hash_token
from tests.conftest import Cli
from tests.survey.conftest import answers_by_org, fixture, snapshot


def register(study: Path, *orgs: tuple[str, str, str | None, str | None]) -> None:
    """Organisations already in the study: (name, type, external id, token)."""
    with StudyStore.open(study) as store, store.session() as s:
        for name, kind, external_id, token in orgs:
            org = add_organisation(s, name, kind, external_id=external_id)
            org.token_hash = hash_token(token) if token else None


def run(cli: Cli, study: Path, name: str, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study, "survey", "import", fixture(name), *args)
    return result.exit_code, result.stdout, result.stderr


def test_qualtrics_with_choice_text(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run(cli, pilot_study, "qualtrics_text.csv")
    assert code == 0, err
    assert "qualtrics file, utf-8, 3 rows" in out
    assert "imported: 3 new" in out and "1 preview or test response left out" in out
    got = answers_by_org(pilot_study)
    assert set(got) == {
        "Post Office of Tests",
        "Statistics Authority of Tests",
        "Department of Samples",
    }
    status, post = got["Post Office of Tests"]
    assert status == "submitted"
    assert post["category"] == "it" and post["cost"] == "under_100k" and post["share"] == 12.5
    assert post["origin"] == ["managers", "users"]
    assert post["barriers"] == ["culture", "funding"]
    assert post["impacts"] == {"service": "high", "costs": "moderate"}
    assert got["Statistics Authority of Tests"] == (
        "draft",
        {"title": "Open data portal", "category": "policy"},
    )
    samples = got["Department of Samples"][1]
    assert samples["barriers"] == ["funding", "it", "rules"]
    assert samples["origin"] == ["ministers", "staff", "users"]
    with StudyStore.open(pilot_study) as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OrganisationContact)) == 0


def test_qualtrics_recode_values_matched_by_question_text(cli: Cli, pilot_study: Path) -> None:
    register(
        pilot_study, ("Org One", "ndpb", "ORG-001", None), ("Org Two", "ndpb", "ORG-002", None)
    )
    code, out, err = run(cli, pilot_study, "qualtrics_numeric.csv")
    assert code == 0, err
    assert "imported: 2 new" in out
    got = answers_by_org(pilot_study)
    assert got["Org One"][1] == {
        "title": "Recoded",
        "category": "it",
        "cost": "under_100k",
        "months": 12,
        "origin": ["ministers", "users"],
        "impacts": {"service": "very_high", "costs": "moderate"},
        "overall": "high",
    }
    assert got["Org Two"][1]["category"] == "policy"
    assert got["Org Two"][0] == "submitted"


def test_qualtrics_rows_need_known_external_references(cli: Cli, pilot_study: Path) -> None:
    code, _, err = run(cli, pilot_study, "qualtrics_numeric.csv")
    assert code == 1
    assert err.startswith(
        f"Error: {fixture('qualtrics_numeric.csv')}, row 4, field 'external_id': unknown external "
        "id 'ORG-001' and no organisation name to register it under (and 1 more problem;"
    )


def test_limesurvey_codes_and_rank_positions(cli: Cli, pilot_study: Path) -> None:
    register(
        pilot_study,
        ("Lime Office", "ndpb", None, "tokLime1"),
        ("Lime Draft", "ndpb", None, "tokLime2"),
        ("Lime Panel", "ndpb", None, "tokLime3"),
    )
    code, out, err = run(cli, pilot_study, "limesurvey_codes.csv")
    assert code == 0, err
    assert "limesurvey file" in out and "imported: 3 new" in out
    got = answers_by_org(pilot_study)
    office = got["Lime Office"][1]
    assert office["origin"] == ["ministers", "staff"]
    assert office["barriers"] == ["it", "funding"]
    assert office["share"] == 7.5 and office["impacts"] == {"service": "high", "costs": "low"}
    assert got["Lime Draft"] == ("draft", {"title": "Draft idea", "category": "service"})
    assert got["Lime Panel"][1]["category_other"] == "Deliberation"


def test_kobo_group_paths_and_space_separated_choices(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run(cli, pilot_study, "kobo_groups.csv")
    assert code == 0, err
    assert "kobo file" in out and "imported: 2 new" in out
    got = answers_by_org(pilot_study)
    field = got["Field Agency"][1]
    assert field["origin"] == ["managers", "users"] and field["barriers"] == ["it", "culture"]
    assert field["impacts"] == {"service": "high", "costs": "high"}
    kiosk = got["Kiosk Council"][1]
    assert kiosk["category"] == "service" and kiosk["cost"] == "over_100k"
    assert kiosk["impacts"] == {"service": "low", "costs": "very_low"} and kiosk["share"] == 33.3


def test_odk_central_dashed_paths(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run(cli, pilot_study, "odk_central.csv")
    assert code == 0, err
    assert "kobo file" in out and "imported: 1 new" in out
    assert answers_by_org(pilot_study)["Central Office"][1]["impacts"] == {
        "service": "moderate",
        "costs": "low",
    }


def test_redcap_raw_checkboxes_matrix_fields_and_form_status(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run(cli, pilot_study, "redcap_raw.csv")
    assert code == 0, err
    assert "redcap file" in out and "imported: 2 new" in out
    got = answers_by_org(pilot_study)
    records = got["Records Office"][1]
    assert records["category"] == "it" and records["origin"] == ["managers"]
    assert (
        records["impacts"] == {"service": "high", "costs": "high"}
        and records["overall"] == "very_high"
    )
    assert got["Unfinished Unit"][0] == "draft"


def test_redcap_labels_export_with_the_record_id_as_external_id(
    cli: Cli, pilot_study: Path
) -> None:
    register(pilot_study, ("Labelled Agency", "executive_agency", "R-7", None))
    code, out, err = run(cli, pilot_study, "redcap_labels.csv")
    assert code == 0, err
    assert "imported: 1 new" in out
    got = answers_by_org(pilot_study)["Labelled Agency"]
    assert got[0] == "submitted"
    assert got[1]["origin"] == ["ministers", "users"]
    assert got[1]["impacts"] == {"service": "high", "costs": "low"}


def test_spss_variables_codes_and_dates(cli: Cli, pilot_study: Path) -> None:
    code, out, err = run(cli, pilot_study, "spss_pilot.sav")
    assert code == 0, err
    assert "spss file" in out and "imported: 2 new" in out
    got = answers_by_org(pilot_study)
    unit = got["SPSS Unit"][1]
    assert unit["category"] == "it" and unit["completed"] == "2024-02-29"
    assert unit["months"] == 18 and isinstance(unit["months"], int) and unit["share"] == 2.5
    assert unit["origin"] == ["ministers", "staff"] and unit["barriers"] == ["culture", "rules"]
    assert got["Labels Office"] == (
        "draft",
        {"title": "Half labelled", "category": "other", "category_other": "Statistics"},
    )


BAD = [
    (
        "qualtrics_bad_recode.csv",
        "row 4, field 'category': '7' is not one of the choices (service, it, policy, other)",
        (("Org One", "ndpb", "ORG-001", None), ("Org Two", "ndpb", "ORG-002", None)),
    ),
    (
        "limesurvey_bad_rank.csv",
        "row 2, field 'barriers': names a choice more than once",
        (
            ("L1", "ndpb", None, "tokLime1"),
            ("L2", "ndpb", None, "tokLime2"),
            ("L3", "ndpb", None, "tokLime3"),
        ),
    ),
    (
        "kobo_bad_choice.csv",
        "row 3, field 'origin': 'astronauts' is not one of the choices (ministers, managers, staff, users)",
        (),
    ),
    (
        "redcap_bad_level.csv",
        "row 2, field 'impacts': item 'service': '6' is not on the scale "
        "(very_low, low, moderate, high, very_high)",
        (),
    ),
    (
        "spss_bad_code.sav",
        "row 2, field 'overall': '7' is not one of the choices (very_low, low, moderate, high, very_high)",
        (),
    ),
]


@pytest.mark.parametrize(("name", "first", "known"), BAD)
def test_a_bad_row_in_any_format_refuses_the_file(
    cli: Cli,
    pilot_study: Path,
    tmp_path: Path,
    name: str,
    first: str,
    known: tuple[tuple[str, str, str | None, str | None], ...],
) -> None:
    register(pilot_study, *known)
    before = snapshot(pilot_study)
    quarantine = tmp_path / "q.csv"
    code, out, err = run(cli, pilot_study, name, "--quarantine", quarantine)
    assert code == 1 and out == ""
    assert (
        err.strip()
        == f"Error: {fixture(name)}, {first} (nothing imported; all listed in {quarantine})"
    )
    assert snapshot(pilot_study) == before
    with StudyStore.open(pilot_study) as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ResponseRevision)) == 0


def test_an_unknown_format_is_refused(cli: Cli, pilot_study: Path) -> None:
    code, _, err = run(cli, pilot_study, "generic_good.csv", "--format", "surveymonkey")
    assert code == 1
    assert err.strip() == (
        f"Error: {fixture('generic_good.csv')}: unknown format 'surveymonkey' "
        "(one of: auto, csv, xlsx, qualtrics, limesurvey, redcap, kobo, spss)"
    )


def test_unmapped_columns_are_listed(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text(
        "organisation,organisation_type,title,category,cost,origin,impacts/service,impacts/costs,overall,Shoe size,Notes\n"
        "Extra Office,ndpb,Extra,it,under_100k,users,low,low,low,42,none\n",
        encoding="utf-8",
    )
    result = cli("--study", pilot_study, "survey", "import", path)
    assert result.exit_code == 0, result.stderr
    assert "unmapped columns (not read): Shoe size, Notes" in result.stdout
    with StudyStore.open(pilot_study) as store, store.session() as s:
        assert s.scalar(sa.select(Organisation.name)) == "Extra Office"
