"""Names that are everyday words, and organisations by their acronyms (issue 13).

Before: "three grant schemes" became "three [PARTICIPANT] schemes" (a participant was
called Grant), and "at HMRC" stayed although HM Revenue and Customs was registered.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innostudy.fieldwork.groups import PersonalDetails, add_participant
from innostudy.model import FocusGroup, Organisation
from innostudy.storage.store import StudyStore
from innostudy.transcripts.redaction import Redactor, name_terms
from innostudy.transcripts.wordlist import redactor_for_study
from tests.fieldwork.conftest import Study

PEOPLE = ["Grant Shapiro", "Ben Young", "Hannah Green", "Tom Hall", "Rose Ward"]


def redact(text: str) -> str:
    return Redactor(name_terms(PEOPLE)).redact(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "We ran three grant schemes.",
        "Young people were the target group.",
        "It was all about the green agenda.",
        "We met at the town hall.",
        "In the young people's service, rose numbers in the ward.",
        "GREEN BOOK RULES APPLY",
    ],
)
def test_everyday_words_that_are_surnames_stay(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I asked Hall about it.", "I asked [PARTICIPANT] about it."),
        ("Ms Young was clear.", "Ms [PARTICIPANT] was clear."),
        ("Young said the money was gone.", "[PARTICIPANT] said the money was gone."),
        ('"Green thinks otherwise."', '"[PARTICIPANT] thinks otherwise."'),
        ("Councillor Green's letter", "Councillor [PARTICIPANT]'s letter"),
        ("grant shapiro and HANNAH GREEN", "[PARTICIPANT] and [PARTICIPANT]"),
        ("Then Grant spoke.", "Then [PARTICIPANT] spoke."),
        ("Ben agreed with Tom.", "[PARTICIPANT] agreed with [PARTICIPANT]."),
    ],
)
def test_written_as_a_name_or_in_a_names_place_they_go(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_name_that_is_no_everyday_word_goes_in_any_spelling() -> None:
    assert Redactor(name_terms(["Ana Nakamura"])).redact("nakamura said")[0] == (
        "[PARTICIPANT] said"
    )


def test_registered_organisations_by_acronym_and_short_name(study: Study) -> None:
    with StudyStore.open(study.folder) as store, store.session() as s:
        s.add_all(
            [
                Organisation(name="HM Revenue and Customs", org_type="ministerial_department"),
                Organisation(name="Agency for Tidal Energy (ATE)", org_type="agency"),
                Organisation(name="Brightwater Labs Ltd", org_type="company"),
                Organisation(name="Agency (synthetic)", org_type="agency"),
            ]
        )
        group = s.scalars(sa.select(FocusGroup)).first()
        assert group is not None
        add_participant(
            s,
            group,
            personal=PersonalDetails("Una Byrne", "", "", "Department for Work and Pensions"),
        )
        s.flush()
        redactor = redactor_for_study(s)
    text, found = redactor.redact(
        "I was at HMRC, then DWP; Brightwater Labs bid, and we ate with the ATE team of "
        "another agency."
    )
    assert text == (
        "I was at [ORGANISATION], then [ORGANISATION]; [ORGANISATION] bid, and we ate with "
        "the [ORGANISATION] team of another agency."
    )
    assert [r.original for r in found] == ["HMRC", "DWP", "Brightwater Labs", "ATE"]
