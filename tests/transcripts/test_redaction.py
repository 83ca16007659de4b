from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from innostudy.transcripts.redaction import ORGANISATION, Redactor, Term, name_terms

NAMES = ["Zoë Hartley", "Siân Nakamura", "Łukasz Wróbel", "Ana Ng"]


def redactor() -> Redactor:
    return Redactor(
        [*name_terms(NAMES), Term("Agency for Tidal Energy", ORGANISATION, "organisation")]
    )


def test_names_organisations_emails_and_phones_are_replaced() -> None:
    text, reps = redactor().redact(
        "As Zoë said to SIÂN, the Agency for  Tidal Energy (ana@example.org, 07700 900123) agreed."
    )
    assert (
        text
        == "As [PARTICIPANT] said to [PARTICIPANT], the [ORGANISATION] ([EMAIL], [PHONE]) agreed."
    )
    assert [r.original for r in reps] == [
        "Zoë",
        "SIÂN",
        "Agency for  Tidal Energy",
        "ana@example.org",
        "07700 900123",
    ]
    for r in reps:
        assert text[r.start : r.end] == r.tag


def test_names_inside_other_words_are_left_alone() -> None:
    text, reps = redactor().redact("Banana and Anastasia are fine; Ana is not.")
    assert text == "Banana and Anastasia are fine; [PARTICIPANT] is not."
    assert len(reps) == 1


def test_full_name_wins_over_its_parts() -> None:
    text, reps = redactor().redact("Łukasz Wróbel's point")
    assert text == "[PARTICIPANT]'s point"
    assert reps[0].original == "Łukasz Wróbel"


_punct = st.sampled_from(["", ".", ",", "'s", "!", "?", ":", ")", '"'])
_case = st.sampled_from([str.lower, str.upper, str.title, lambda s: s])


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=20),
    name=st.sampled_from([p for n in NAMES for p in [n, *n.split()]]),
    case=_case,
    punct=_punct,
    after=st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=20),
)
def test_no_registered_name_survives(before: str, name: str, case, punct: str, after: str) -> None:  # type: ignore[no-untyped-def]
    text = f"{before} ({case(name)}{punct}) {after}"
    redacted, _ = redactor().redact(text)
    for full in NAMES:
        for part in [full, *full.split()]:
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", redacted, re.IGNORECASE), (
                text,
                redacted,
            )
