"""A definition's text: the stamp its file carries, and how two versions differ (pure)."""

from __future__ import annotations

import pytest

from innostudy.definitions.compare import change_summary, same_meaning, unified
from innostudy.definitions.text import Stamp, body_of, sha256, stamp_of, stamped
from innostudy.yamldoc import parse_yaml

BODY = "# our areas\nareas:\n  - key: general\n    title: General\n"


def test_a_stamped_file_gives_back_its_body_and_revision() -> None:
    text = stamped(BODY, "areas", 3, "areas.yaml")
    assert text.startswith(BODY)  # the stamp goes last: line numbers stay the body's
    assert body_of(text) == BODY
    assert stamp_of(text) == Stamp("areas", 3, sha256(BODY)[:12])
    assert "`innostudy definitions import areas.yaml`" in text.splitlines()[-1]
    assert parse_yaml(text, "t") == parse_yaml(BODY, "t")  # stamp lines are YAML comments


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("a: 1\r\nb: 2\r\n", "a: 1\nb: 2\n"),
        ("a: 1", "a: 1\n"),
        ("a: 1\n\n\n", "a: 1\n"),
        ("# innostudy: areas revision 1 (sha256 0123456789ab) x\na: 1\n", "a: 1\n"),
    ],
)
def test_bodies_are_normalised(text: str, body: str) -> None:
    assert body_of(text) == body


def test_a_file_without_a_stamp_has_none() -> None:
    assert stamp_of(BODY) is None
    assert stamp_of("# innostudy: areas revision x\n") is None


def test_comments_and_layout_are_not_a_change_of_meaning() -> None:
    assert same_meaning(BODY, "areas: [{key: general, title: General}]\n")
    assert not same_meaning(BODY, BODY.replace("General\n", "Overall\n"))
    assert not same_meaning(BODY, "areas: [unclosed\n")
    assert change_summary(BODY, "areas: [{key: general, title: General}]\n") == (
        "comments or layout only"
    )


INSTRUMENT = """\
title: Pilot
sections:
  - key: general
    title: General
    questions:
      - {key: name, type: text, label: Name}
      - {key: cost, type: number, label: Cost}
"""


@pytest.mark.parametrize(
    ("change", "summary"),
    [
        (("label: Name}", "label: Full name}"), "changed question 'name' (label)"),
        (("      - {key: cost, type: number, label: Cost}\n", ""), "removed question 'cost'"),
        (
            ("label: Cost}\n", "label: Cost}\n      - {key: year, type: date, label: Year}\n"),
            "added question 'year'",
        ),
        (("title: Pilot", "title: Main"), "changed title"),
        (("title: General", "title: Overall"), "changed section 'general' (title)"),
    ],
)
def test_the_summary_names_what_changed_by_key(change: tuple[str, str], summary: str) -> None:
    assert change_summary(INSTRUMENT, INSTRUMENT.replace(*change)) == summary


def test_first_revisions_and_non_yaml_have_plain_summaries() -> None:
    assert change_summary(None, BODY) == "first revision"
    assert change_summary(BODY, "areas: [\n") == "text changed"


def test_the_line_diff_is_labelled_and_cut() -> None:
    lines = unified("a\nb\n", "a\nc\n", "study database, revision 2", "areas.yaml")
    assert lines[:2] == ["--- study database, revision 2", "+++ areas.yaml"]
    assert "-b" in lines and "+c" in lines
    long = unified("".join(f"[{i}\n" for i in range(200)), "", "old", "new")  # not YAML
    assert len(long) == 81 and long[-1].startswith("… ") and long[-1].endswith(" more lines")
