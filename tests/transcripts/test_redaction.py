from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
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


NASTY = ["Siobhán O'Neill", "Jean-Luc Smith-Jones", "Łukasz Strauß", "Dr Ana van Dijk"]
EVERYONE = [*NAMES, *NASTY]
_SEPARATORS = ["", " ", ".", ",", "'s", "!", "?", ":", ")", '"', "_", "2", "-", "\n", "’s", "/"]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_SPELLINGS = st.sampled_from(
    [
        lambda s: s,
        str.lower,
        str.upper,
        str.title,
        str.swapcase,
        str.casefold,
        _strip_accents,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: s.replace("'", "’"),
        lambda s: s.replace("'", ""),
        lambda s: s.replace("-", "–"),
        lambda s: s.replace("-", " "),
        lambda s: s.replace(" ", "\n"),
        lambda s: _strip_accents(s).upper(),
    ]
)


def _spoken_forms(full: str) -> list[str]:
    """What a transcript may contain: the name, its words, the parts of hyphenated words."""
    words = [w for w in full.split() if w.lower() not in {"dr", "van"}]
    return [full, *words, *(p for w in words for p in w.split("-") if p != w)]


def _canon(text: str) -> str:
    """An independent normalisation for the check: no accents, case-folded, no apostrophes."""
    text = _strip_accents(text).casefold()
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[\s–-]+", " ", text)


def _survivors(redacted: str) -> list[str]:
    canon = _canon(redacted)
    found = []
    for full in EVERYONE:
        for form in _spoken_forms(full):
            pattern = r"\s+".join(re.escape(w) for w in _canon(form).split())
            if re.search(rf"(?<![^\W\d_]){pattern}(?![^\W\d_])", canon):
                found.append(form)
    return found


def strong_redactor() -> Redactor:
    return Redactor(name_terms(EVERYONE))


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(alphabet=st.characters(categories=["L", "Zs", "N", "P"]), max_size=20),
    name=st.sampled_from([f for n in EVERYONE for f in _spoken_forms(n)]),
    spelling=_SPELLINGS,
    left=st.sampled_from(_SEPARATORS),
    right=st.sampled_from(_SEPARATORS),
    after=st.text(alphabet=st.characters(categories=["L", "Zs", "N", "P"]), max_size=20),
)
def test_no_registered_name_survives(
    before: str, name: str, spelling: Callable[[str], str], left: str, right: str, after: str
) -> None:
    text = f"{before} {left}{spelling(name)}{right} {after}"
    redacted, replacements = strong_redactor().redact(text)
    assert _survivors(redacted) == [], (text, redacted)
    for r in replacements:
        assert redacted[r.start : r.end] == r.tag


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Siobhán ONeill said", "[PARTICIPANT] said"),
        ("siobhan o’neill said", "[PARTICIPANT] said"),
        ("JEAN-LUC SMITH–JONES agreed", "[PARTICIPANT] agreed"),
        ("Smith Jones, and Jones alone", "[PARTICIPANT], and [PARTICIPANT] alone"),
        ("STRAUSS and strauss", "[PARTICIPANT] and [PARTICIPANT]"),
        ("user_Ana2 wrote", "user_[PARTICIPANT]2 wrote"),
        ("Zoe\u0308 agreed", "[PARTICIPANT] agreed"),
        ("Dr van Dijk", "Dr [PARTICIPANT]"),
        ("the van arrived, the doctor (Dr) left", "the van arrived, the doctor (Dr) left"),
    ],
)
def test_spelling_variants(text: str, expected: str) -> None:
    assert strong_redactor().redact(text)[0] == expected


def test_years_and_amounts_are_not_phone_numbers() -> None:
    text = "From 2019-2020 we spent £1 500 000; call +44 20 7946 0958 or 07700 900123."
    redacted, reps = Redactor([]).redact(text)
    assert redacted == "From 2019-2020 we spent £1 500 000; call [PHONE] or [PHONE]."
    assert [r.original for r in reps] == ["+44 20 7946 0958", "07700 900123"]
