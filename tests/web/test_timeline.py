"""The dashboard's timeline over real spans: a pilot's minutes to a survey's months."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import lxml.etree
import pytest

from innostudy.web.charts import timeline_bars
from innostudy.web.timeline import MAX_BINS, timeline

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 3, 2, 8, 57, 12, tzinfo=UTC)  # a Monday


def _spread(span: timedelta, n: int, seed: int = 7) -> list[datetime]:
    rng = random.Random(seed)
    times = [START + span * rng.random() for _ in range(n - 2)] + [START, START + span]
    return sorted(times)


@pytest.mark.parametrize(
    ("span", "noun", "first_label"),
    [
        (timedelta(minutes=20), "minute", "08:57"),
        (timedelta(hours=2), "5 minutes", "08:55"),
        (timedelta(hours=7), "15 minutes", "08:45"),
        (timedelta(hours=30), "hour", "2 Mar 08:00"),
        (timedelta(days=5), "6 hours", "2 Mar 06:00"),
        (timedelta(days=23), "day", "2 Mar"),
        (timedelta(days=120), "week", "w/c 2 Mar"),
        (timedelta(days=700), "month", "Mar 2026"),
    ],
)
def test_bins_follow_the_span(span: timedelta, noun: str, first_label: str) -> None:
    times = _spread(span, 97)
    tl = timeline(times)
    assert tl.unit.noun == noun
    assert tl.heading == f"Submissions per {noun}"
    assert 1 < len(tl.bins) <= MAX_BINS
    assert sum(b.count for b in tl.bins) == tl.total == 97
    assert tl.bins[0].label == first_label
    # contiguous bins, each holding exactly the times inside it
    for a, b in zip(tl.bins, tl.bins[1:], strict=False):
        assert a.end == b.start
    for b in tl.bins:
        assert b.count == sum(1 for t in times if b.start <= t < b.end)


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    weeks = timeline(_spread(timedelta(days=120), 40))
    assert {b.start.weekday() for b in weeks.bins} == {0}
    months = timeline(_spread(timedelta(days=700), 40))
    assert {b.start.day for b in months.bins} == {1}
    assert months.bins[1].start == datetime(2026, 4, 1, tzinfo=UTC)
    assert months.bins[0].period == "March 2026"


def test_one_submission_and_none() -> None:
    one = timeline([START])
    assert [(b.count, b.label) for b in one.bins] == [(1, "08:57")]
    assert timeline([]).bins == []
    empty = lxml.etree.fromstring(str(timeline_bars(timeline([]))).encode())
    assert "No submissions yet" in "".join(empty.itertext())


def test_labels_across_years_name_the_year() -> None:
    times = [datetime(2025, 12, 20, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)]
    tl = timeline(times)
    assert tl.unit.noun == "day"
    assert tl.bins[0].label == "20 Dec 2025" and tl.bins[-1].label == "9 Jan 2026"


@pytest.mark.parametrize("days", [0.01, 1, 23, 120, 700])
def test_the_chart_has_one_bar_per_busy_bin_and_labels_that_do_not_collide(
    days: float,
) -> None:
    tl = timeline(_spread(timedelta(days=days), 60))
    root = lxml.etree.fromstring(str(timeline_bars(tl)).encode())
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == sum(1 for b in tl.bins if b.count)
    heights = {r.findtext(f"{SVG}title"): float(r.get("height")) for r in bars}
    busiest = max(tl.bins, key=lambda b: b.count)
    assert max(heights.values()) == pytest.approx(220 - 14 - 42)
    assert any(busiest.period in title for title in heights)
    labels = [
        (float(t.get("x")), t.text or "")
        for t in root.iter(f"{SVG}text")
        if t.get("text-anchor") == "middle"
    ]
    assert 2 <= len(labels) <= 7 or len(tl.bins) == 1
    for (x1, a), (x2, b) in itertools.pairwise(labels):
        # 11 px text averages under 6.5 px a character: half of each label must fit
        assert x2 - x1 >= 6.5 * (len(a) + len(b)) / 2, (a, b)
    desc = root.findtext(f"{SVG}desc")
    assert desc.startswith(f"60 submissions from {tl.bins[0].period}")
