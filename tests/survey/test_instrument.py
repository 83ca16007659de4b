from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.errors import InputError, InputErrors
from innostudy.studies import default_file
from innostudy.survey.instrument import QuestionType, check_instrument, load_instrument
from tests.conftest import Cli

AREAS = ["general", "costs", "origins", "barriers", "impacts"]


def test_the_default_instrument_covers_the_five_areas() -> None:
    instrument = load_instrument(default_file("instrument.yaml"))
    assert instrument.areas == AREAS
    types = {q.type for q in instrument.questions()}
    assert types == set(QuestionType), f"unused types: {set(QuestionType) - types}"
    assert len(instrument.question("category").choices) == 10
    assert [i.key for i in instrument.question("impacts").items] == [
        "service_delivery",
        "responsiveness",
        "core_costs",
        "staff_working_life",
        "user_satisfaction",
        "efficiency",
        "joined_up_working",
    ]
    assert instrument.question("barriers_ranked").max_selected == 5


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "instrument.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = """id: t
title: T
choice_lists:
  yn: [yes, no]
sections:
  - key: s
    questions:
"""


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        (
            "      - {key: q, type: essay}\n",
            "line 8, field 'type': question 'q': unknown type 'essay'",
        ),
        (
            "      - {key: q, type: single_choice, choices: nope}\n",
            "line 8, field 'choices': question 'q': unknown choice list 'nope'",
        ),
        (
            "      - {key: q, type: text}\n      - {key: q, type: text}\n",
            "line 9, field 'key': duplicate question key 'q'",
        ),
        (
            "      - {key: q, type: text, relevant: \"${later} = 'x'\"}\n      - {key: later, type: text}\n",
            "line 8, field 'relevant': question 'q': skip rule reads 'later', which is not an earlier question",
        ),
        (
            '      - {key: q, type: text, relevant: "${q} = "}\n',
            "line 8, field 'relevant': question 'q': skip rule does not parse",
        ),
        (
            "      - {key: q, type: number, choices: yn}\n",
            "line 8, field 'choices': question 'q': field 'choices' does not apply to type number",
        ),
        (
            "      - {key: 1q, type: text}\n",
            "line 8, field 'key': question key '1q' must be letters",
        ),
        (
            "      - {key: q, type: likert_matrix, scale: yn}\n",
            "line 8, field 'items': question 'q' (likert_matrix) needs a non-empty 'items' list",
        ),
        (
            "      - {key: q, type: number, min: lots}\n",
            "line 8, field 'min': question 'q': 'min' must be a number",
        ),
        (
            "      - {key: q, type: single_choice, choices: [{value: a, code: 1}, {value: b, code: 1}]}\n",
            "line 8, field 'code': duplicate choice code 1 in list 'choices'",
        ),
    ],
)
def test_instrument_problems_name_line_and_field(
    tmp_path: Path, questions: str, expected: str
) -> None:
    path = _write(tmp_path, GOOD_HEAD + questions)
    with pytest.raises(InputError) as info:
        load_instrument(path)
    assert str(info.value).startswith(f"{path}, {expected}"), str(info.value)


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: t\ntitle: [unclosed\nsections: []\n")
    with pytest.raises(InputError, match=r"line 3: not valid YAML"):
        load_instrument(path)


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: t\nid: u\ntitle: T\nsections: []\n")
    with pytest.raises(InputError, match=r"line 2: not valid YAML: duplicate key 'id'"):
        load_instrument(path)


def test_all_problems_are_collected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        GOOD_HEAD
        + "      - {key: a, type: essay}\n      - {key: b, type: single_choice, choices: nope}\n",
    )
    problems = check_instrument(path)
    assert [p.row for p in problems] == [8, 9]
    with pytest.raises(InputErrors, match=r"\(and 1 more problem\)"):
        load_instrument(path)


def test_survey_check_cli(cli: Cli, tmp_path: Path) -> None:
    good = cli("survey", "check", default_file("instrument.yaml"))
    assert good.exit_code == 0 and "instrument is valid" in good.stdout
    bad = _write(
        tmp_path,
        GOOD_HEAD
        + "      - {key: a, type: essay}\n      - {key: b, type: single_choice, choices: nope}\n",
    )
    result = cli("survey", "check", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}, line 8, field 'type'")
    assert "(and 1 more problem)" in result.stderr
    assert f"{bad}, line 9, field 'choices'" in result.stdout


def test_survey_show_prints_every_question(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "s").exit_code == 0
    result = cli("--study", tmp_path / "s", "survey", "show")
    assert result.exit_code == 0
    instrument = load_instrument(tmp_path / "s" / "instrument.yaml")
    for q in instrument.questions():
        assert f"  {q.key}  [" in result.stdout
    assert "shown if: ${category} = 'other'" in result.stdout
