"""One delimiter detector for every sheet: responses, contacts, recruitment sheets."""

from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.delimiters import detect_delimiter
from innostudy.fieldwork.tables import read_rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1;2;3;4;5\n", ","),  # only the first record counts
        ("a;b;c\n", ";"),
        ("a\tb\n", "\t"),
        ("a|b|c\n", "|"),
        ('"x;y;z",b,c\n', ","),  # delimiters inside quotes do not count
        ("\ufeffname;code\r\n", ";"),
        ("one column\n", ","),
        ("", ","),
    ],
)
def test_the_first_record_decides(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_contact_sheets_use_the_same_rule(tmp_path: Path) -> None:
    # the old fieldwork rule counted ';' inside the quoted header and chose it
    path = tmp_path / "contacts.csv"
    path.write_text('"code; or; name",email\nSCS-01,ana@example.org\n', encoding="utf-8")
    rows = read_rows(path, required=["code;_or;_name"], optional=["email"])
    assert rows == [(2, {"code;_or;_name": "SCS-01", "email": "ana@example.org"})]
