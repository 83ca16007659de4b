"""Stage durations that add up to more than the total: counted, named, and set in data."""

from __future__ import annotations

import pytest

from innostudy.analysis import summary as analysis
from innostudy.analysis.frames import from_answers
from innostudy.analysis.stage_checks import parse_rules
from innostudy.config import SETTINGS_BY_NAME
from innostudy.errors import InputError
from innostudy.survey.instrument import Instrument
from tests.analysis.conftest import synthetic_rows

DEFAULT = str(SETTINGS_BY_NAME["analysis.stage_totals"].default)


def test_responses_whose_stages_exceed_the_total_are_counted_and_named(
    instrument: Instrument,
) -> None:
    rows = synthetic_rows(instrument, 12, seed=3)
    stages = ("months_idea_to_approval", "months_approval_to_pilot", "months_pilot_to_rollout")
    for i, (_, answers) in enumerate(rows):
        for key in stages:
            answers[key] = 4  # type: ignore[index]
        answers["time_to_market"] = 10 if i < 3 else 12  # type: ignore[index]
    rules = parse_rules(DEFAULT, instrument)
    result = analysis.analyse(from_answers(instrument, rows), stage_rules=rules)
    assert result.stats["time_to_market.stages_exceed.n"] == 12
    assert result.stats["time_to_market.stages_exceed.count"] == 3
    assert result.stats["time_to_market.stages_exceed.pct"] == 25.0
    (note,) = [n for n in result.notes if "add up to more than" in n]
    assert note == (
        "3 of 12 responses give stage durations (months_idea_to_approval + "
        "months_approval_to_pilot + months_pilot_to_rollout) that add up to more than "
        "time_to_market (response ids: 1, 2, 3)"
    )
    assert (
        "time_to_market.stages_exceed.count"
        not in analysis.analyse(from_answers(instrument, rows)).stats
    )


def test_a_rule_for_another_instrument_is_skipped_and_a_bad_one_named(
    instrument: Instrument,
) -> None:
    assert parse_rules("total_cost = a + b", instrument) == []
    with pytest.raises(InputError) as info:
        parse_rules("time_to_market = months_idea_to_approval + nope", instrument)
    assert str(info.value) == (
        "study.toml, field 'analysis.stage_totals': 'nope' is not a question of the instrument"
    )
    with pytest.raises(InputError, match="is not 'TOTAL = STAGE"):
        parse_rules("time_to_market months_idea_to_approval", instrument)
