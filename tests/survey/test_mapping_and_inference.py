"""Mapping files for odd column names, and instruments inferred from Qualtrics and SPSS files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innostudy.errors import InputErrors
from innostudy.survey.inference import infer_from_qualtrics, infer_from_sav
from innostudy.survey.instrument import QuestionType, load_instrument
from innostudy.survey.mapping import load_mapping
from tests.conftest import Cli
from tests.survey.conftest import answers_by_org, fixture, snapshot


def test_a_mapping_file_names_every_column(cli: Cli, pilot_study: Path) -> None:
    result = cli(
        "--study",
        pilot_study,
        "survey",
        "import",
        fixture("mapped.csv"),
        "--mapping",
        fixture("mapping.yaml"),
    )
    assert result.exit_code == 0, result.stderr
    assert "imported: 2 new" in result.stdout and "unmapped" not in result.stdout
    got = answers_by_org(pilot_study)
    assert got["Mapped Ministry"] == (
        "submitted",
        {
            "title": "Case portal",
            "category": "it",
            "cost": "under_100k",
            "origin": ["ministers"],
            "barriers": ["it", "funding"],
            "impacts": {"service": "high", "costs": "moderate"},
            "overall": "very_high",
        },
    )
    assert got["Mapped Agency"] == ("draft", {"title": "Half a form", "category": "service"})


def test_mapping_mistakes_are_named_with_their_line(pilot_study: Path) -> None:
    instrument = load_instrument(fixture("pilot_instrument.yaml"))
    with pytest.raises(InputErrors) as info:
        load_mapping(fixture("mapping_bad.yaml"), instrument)
    assert [str(e) for e in info.value.errors] == [
        f"{fixture('mapping_bad.yaml')}, line 4, field 'Innovation': column 'Innovation': 'titel' is not a question of the instrument",
        f"{fixture('mapping_bad.yaml')}, line 5, field 'Area': column 'Area': 'category/policy': 'policy' is not a choice of the multi-choice or ranking 'category'",
    ]


def test_a_mapping_naming_a_missing_column_is_refused(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "organisation:\n  name: Org name\ncolumns:\n  Nowhere: summary\n", encoding="utf-8"
    )
    before = snapshot(pilot_study)
    result = cli(
        "--study", pilot_study, "survey", "import", fixture("mapped.csv"), "--mapping", mapping
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {mapping}, line 4, field 'Nowhere': the file has no column 'Nowhere'"
    )
    assert snapshot(pilot_study) == before


def test_an_instrument_inferred_from_qualtrics_headers() -> None:
    instrument, notes = infer_from_qualtrics(fixture("qualtrics_text.csv"))
    kinds = {q.key: q.type for q in instrument.questions()}
    assert kinds["title"] is QuestionType.TEXT
    assert kinds["category"] is QuestionType.SINGLE_CHOICE
    assert kinds["origin"] is QuestionType.MULTI_CHOICE
    assert kinds["barriers"] is QuestionType.RANKING
    assert kinds["impacts"] is QuestionType.LIKERT_MATRIX
    assert kinds["months"] is QuestionType.NUMBER and instrument.question("months").integer
    assert kinds["share"] is QuestionType.NUMBER and kinds["completed"] is QuestionType.DATE
    assert [c.label for c in instrument.question("barriers").choices] == [
        "Funding",
        "Reluctance to change",
        "IT constraints",
        "Procurement rules",
    ]
    assert [i.label for i in instrument.question("impacts").items] == [
        "Service quality",
        "Running costs",
    ]
    assert "organisation" not in kinds and "StartDate" not in kinds
    assert any(n.startswith("impacts: read as a matrix") for n in notes)


def test_an_inferred_instrument_takes_its_own_file(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    source = tmp_path / "export.csv"
    shutil.copy(fixture("qualtrics_text.csv"), source)
    result = cli("--study", pilot_study, "survey", "import", source, "--infer-instrument")
    assert result.exit_code == 0, result.stderr
    written = pilot_study / "export.instrument.yaml"  # the study's folder, not the file's
    assert f"written to {written}" in result.stdout and "review and edit it" in result.stdout
    assert f"survey instrument use {written}" in result.stdout
    assert not (tmp_path / "export.instrument.yaml").exists()
    assert cli("survey", "check", written).exit_code == 0
    used = cli("--study", pilot_study, "survey", "instrument", "use", written)
    assert used.exit_code == 0, used.stderr
    imported = cli("--study", pilot_study, "survey", "import", source)
    assert imported.exit_code == 0, imported.stderr
    assert "imported: 3 new" in imported.stdout
    post = answers_by_org(pilot_study)["Post Office of Tests"][1]
    assert post["barriers"] == ["reluctance_to_change", "funding"]
    assert post["impacts"] == {"service_quality": "high", "running_costs": "moderate"}


def test_an_instrument_inferred_from_spss_labels(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    instrument, _ = infer_from_sav(fixture("spss_foreign.sav"))
    q = instrument.question
    assert [x.key for x in instrument.questions()] == ["RespID", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert q("Q3").type is QuestionType.MULTI_CHOICE
    assert [(c.label, c.code) for c in q("Q3").choices] == [("Ministers", 1), ("Staff", 2)]
    assert q("Q5").type is QuestionType.LIKERT and q("Q2").type is QuestionType.SINGLE_CHOICE
    assert q("Q4").type is QuestionType.NUMBER and not q("Q4").integer
    assert q("Q6").type is QuestionType.DATE and q("Q1").label == "What is the innovation called?"
    source = tmp_path / "foreign.sav"
    shutil.copy(fixture("spss_foreign.sav"), source)
    assert (
        cli("--study", pilot_study, "survey", "import", source, "--infer-instrument").exit_code == 0
    )
    used = cli(
        "--study",
        pilot_study,
        "survey",
        "instrument",
        "use",
        pilot_study / "foreign.instrument.yaml",
    )
    assert used.exit_code == 0, used.stderr
    mapping = tmp_path / "m.yaml"
    mapping.write_text("organisation:\n  name: RespID\n", encoding="utf-8")
    result = cli(
        "--study",
        pilot_study,
        "survey",
        "import",
        source,
        "--mapping",
        mapping,
        "--organisation-type",
        "ndpb",
    )
    assert result.exit_code == 0, result.stderr
    got = answers_by_org(pilot_study)
    assert got["A3"][1] == {
        "Q1": "Kiosk",
        "Q2": "services",
        "Q3": ["ministers", "staff"],
        "Q5": "moderate",
    }
    assert got["A2"][1]["Q4"] == 30.5 and got["A1"][1]["Q6"] == "2023-01-05"
