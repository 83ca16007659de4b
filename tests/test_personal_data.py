"""The personal-data rule: registered values found however they are written; redaction counts."""

from __future__ import annotations

import pytest

from innostudy.errors import PersonalDataError
from innostudy.personal_data import PersonalData, same_phone

PEOPLE = PersonalData(
    names=["Ann Lee", "Zoë Brontë", "O'Neil", "Siân Jones"],
    emails=["ann.lee@example.invalid"],
    phones=["+44 20 7946 0000"],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Said ANN   LEE at the meeting.", ["Ann Lee"]),
        ("a line ending Ann\nLee next", ["Ann Lee"]),
        ("mail <Ann.Lee@Example.invalid>", ["ann.lee@example.invalid"]),
        ("call +44 20 7946 0000 today", ["+44 20 7946 0000"]),
        ("call +442079460000 today", ["+44 20 7946 0000"]),
        ("call 020 7946 0000 today", ["+44 20 7946 0000"]),
        ("call (020) 7946-0000 today", ["+44 20 7946 0000"]),
        ("call 0044 20 7946 0000 today", ["+44 20 7946 0000"]),
        ("zoë brontë wrote", ["Zoë Brontë"]),
        ("Zoe Bronte wrote", ["Zoë Brontë"]),
        ("Sian Jones and SIÂN JONES", ["Siân Jones", "Siân Jones"]),
        ("Sia\u0302n Jones (decomposed)", ["Siân Jones"]),
        ("O'NEIL said, and O’Neil, and ONeil", ["O'Neil", "O'Neil", "O'Neil"]),
        ("Annual Leeway review", []),
        ("Lee and Ann met", []),
        ("Ann Lees", []),
        ("xann.lee@example.invalid", []),
        ("call 020 7946 0001 today", []),
        ("in 2023 and 2024", []),
    ],
)
def test_registered_values_are_found_however_they_are_written(
    text: str, expected: list[str]
) -> None:
    assert [f.value for f in PEOPLE.find(text)] == expected


def test_a_name_inside_embedded_image_data_is_not_confused_with_words() -> None:
    blob = "data:image/png;base64," + "QW5uIExlZQ" * 10_000
    assert [f.value for f in PEOPLE.find(f"<img src='{blob}'> Ann Lee")] == ["Ann Lee"]
    assert PEOPLE.find(f"<img src='{blob}'>") == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("+44 20 7946 0000", "020 7946 0000", True),
        ("+442079460000", "0044 (0)20 7946 0000", False),  # the (0) is not dialled
        ("020 7946 0000", "020 7946 0001", False),
        ("12345", "12345", False),  # too short to be sure it is a phone number
    ],
)
def test_phone_numbers_compare_by_digits(a: str, b: str, same: bool) -> None:
    assert same_phone(a, b) is same


def test_redaction_replaces_registered_values_and_any_email_or_phone_and_counts() -> None:
    text = "Zoe Bronte (zoe@else.invalid, 07700 900123) spoke to Ann Lee on +442079460000."
    redacted, count = PEOPLE.redact(text)
    assert redacted == "[PERSON] ([EMAIL], [PHONE]) spoke to [PERSON] on [PHONE]."
    assert count == 5
    assert PEOPLE.redact("Nothing personal here.") == ("Nothing personal here.", 0)


def test_the_gate_names_the_output_and_only_registered_values() -> None:
    PEOPLE.check("Write to team@study.invalid or call 0800 123 4567.", "report.html")
    with pytest.raises(PersonalDataError) as raised:
        PEOPLE.check("Sian Jones said so; call +442079460000.", "report.html")
    assert str(raised.value) == (
        "report.html: would contain registered personal data ('Siân Jones', "
        "'+44 20 7946 0000'); remove it from the narrative or quotes, "
        "or pass --allow-personal-data"
    )
