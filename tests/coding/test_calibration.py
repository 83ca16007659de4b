"""Calibration of suggestions: reliability bins, ECE, thresholds per code, the chart."""

from __future__ import annotations

import pytest

from innostudy.coding.auto.calibration import (
    Review,
    calibrate_thresholds,
    expected_calibration_error,
    reliability_bins,
    threshold_for,
)
from innostudy.coding.auto.calibration_chart import reliability_chart


def reviews(pairs: list[tuple[float, bool]], code: str = "x") -> list[Review]:
    return [Review(code, c, a) for c, a in pairs]


def test_bins_hold_mean_confidence_and_accepted_share() -> None:
    bins = reliability_bins(reviews([(0.05, False), (0.15, True), (0.95, True), (1.0, False)]))
    assert len(bins) == 10
    assert (bins[0].count, bins[0].accepted) == (1, 0.0)
    assert (bins[1].count, bins[1].confidence) == (1, pytest.approx(0.15))
    top = bins[9]  # 1.0 belongs to the top bin
    assert (top.count, top.accepted, top.confidence) == (2, 0.5, pytest.approx(0.975))
    assert bins[5].count == 0 and bins[5].accepted is None


def test_ece_by_hand() -> None:
    # Bin 0.2-0.3: two reviews at 0.25, one accepted (gap 0.25). Bin 0.9-1: two at 0.9,
    # both accepted (gap 0.1). ECE = (2*0.25 + 2*0.1) / 4 = 0.175 (Guo et al. 2017, eq. 3).
    data = reviews([(0.25, True), (0.25, False), (0.9, True), (0.9, True)])
    assert expected_calibration_error(data) == pytest.approx(0.175)
    assert expected_calibration_error([]) is None
    perfect = reviews([(0.5, True), (0.5, False)])
    assert expected_calibration_error(perfect) == pytest.approx(0.0)


def test_confidence_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"outside 0\.\.1"):
        reliability_bins(reviews([(1.2, True)]))


def test_threshold_is_where_acceptances_start_to_outnumber_rejections() -> None:
    # From 0.6 up: 3 accepted of 3 -> (3+1)/(3+2)=0.8; from 0.4 up: 3 of 5 -> 4/7=0.57;
    # from 0.3 up: 3 of 6 -> 4/8=0.5, not more than half;
    # from 0.2 up: 3 of 7 -> 4/9=0.44 < 0.5. So the threshold is 0.4.
    data = reviews(
        [
            (0.9, True),
            (0.8, True),
            (0.6, True),
            (0.5, False),
            (0.4, False),
            (0.3, False),
            (0.2, False),
        ]
    )
    assert threshold_for(data) == 0.4
    assert threshold_for(reviews([(0.9, False), (0.8, False)])) is None


def test_codes_with_few_reviews_use_the_pooled_threshold() -> None:
    many = reviews([(0.9, True)] * 6 + [(0.3, False)] * 6, "often")
    few = reviews([(0.2, True), (0.1, False)], "rare")
    never = reviews([(0.6, False)] * 10, "rejected")
    th = calibrate_thresholds([*many, *few, *never], default=0.35, min_reviews=10)
    assert th.per_code["often"] == 0.9
    assert "rare" not in th.per_code and th.get("rare") == th.pooled
    assert th.per_code["rejected"] == 1.0  # always rejected: only offered as the best code
    assert th.reviews == {"often": 12, "rare": 2, "rejected": 10}
    assert calibrate_thresholds(few, default=0.35).pooled == 0.35  # too few reviews overall


def test_reliability_chart_is_png_or_stable_svg() -> None:
    bins = reliability_bins(reviews([(0.15, False), (0.55, True), (0.85, True), (0.8, False)]))
    png = reliability_chart(bins, title="t", subtitle="s", footer="f")
    assert png.startswith(b"\x89PNG")
    svg = reliability_chart(bins, title="t", subtitle="s", footer="f", fmt="svg")
    assert svg == reliability_chart(bins, title="t", subtitle="s", footer="f", fmt="svg")
    assert b"<svg" in svg
