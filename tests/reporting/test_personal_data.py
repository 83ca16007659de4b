"""The personal-data gate's matching: whole words, any case, any spacing, nothing missed."""

from __future__ import annotations

import pytest

from innostudy.reporting.personal_data import find_personal_data

PEOPLE = ["Ann Lee", "ann.lee@example.invalid", "+44 20 7946 0000", "Zoë Brontë", "O'Neil"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Said ANN   LEE at the meeting.", ["Ann Lee"]),
        ("a line ending Ann\nLee next", ["Ann Lee"]),
        ("mail <ann.lee@example.invalid>", ["ann.lee@example.invalid"]),
        ("call +44 20 7946 0000 today", ["+44 20 7946 0000"]),
        ("zoë brontë wrote", ["Zoë Brontë"]),
        ("O'NEIL said", ["O'Neil"]),
        ("Annual Leeway review", []),
        ("Lee and Ann met", []),
        ("Ann Lees", []),
        ("xann.lee@example.invalid", []),
        ("phone 20 7946 0000", []),
    ],
)
def test_whole_values_are_found_however_they_are_spaced_or_cased(
    text: str, expected: list[str]
) -> None:
    assert find_personal_data(text, PEOPLE) == expected


def test_a_name_inside_embedded_image_data_is_not_confused_with_words() -> None:
    blob = "data:image/png;base64," + "QW5uIExlZQ" * 10_000
    assert find_personal_data(f"<img src='{blob}'> Ann Lee", PEOPLE) == ["Ann Lee"]
    assert find_personal_data(f"<img src='{blob}'>", PEOPLE) == []
