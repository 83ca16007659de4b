"""What the redactor looks for in a study: registered people and organisations, a word list.

The word list is the study's own file (setting ``transcripts.redaction_words``): one
name or word a line, ``#`` for comments, and ``[TAG] words`` to pick the tag::

    # people mentioned who are not participants
    Jo Whitfield
    [ORGANISATION] Brightwater Labs
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError, InputErrors
from innostudy.model import Organisation, OrganisationContact, ParticipantContact
from innostudy.personal_data import PERSON
from innostudy.textfiles import numbered_lines
from innostudy.transcripts.redaction import (
    Redactor,
    Term,
    name_terms,
    organisation_terms,
)

_TAGGED = re.compile(r"^(?P<tag>\[[^\]]*\])\s*(?P<words>.*)$")
_TAG = re.compile(r"^\[[A-Z][A-Z_]{0,30}\]$")


def load_word_list(path: Path) -> list[Term]:
    terms: list[Term] = []
    errors: list[InputError] = []
    for number, raw in numbered_lines(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tag, words = PERSON, line
        tagged = _TAGGED.match(line)
        if tagged is not None:
            tag, words = tagged.group("tag"), tagged.group("words").strip()
            if not _TAG.match(tag):
                errors.append(
                    InputError(
                        path, number, "tag", f"'{tag}' is not a tag like [PERSON]", unit="line"
                    )
                )
                continue
        if len(words) < 2:
            errors.append(InputError(path, number, "words", "nothing to redact", unit="line"))
            continue
        terms += (
            name_terms([words], tag=tag, kind="word_list")
            if tag == PERSON
            else [Term(words, tag, "word_list")]
        )
    if errors:
        raise InputErrors(errors)
    return terms


def redactor_for_study(
    session: Session, extra_words: Iterable[str] = (), *, word_list: Path | None = None
) -> Redactor:
    """Names of every registered participant, respondent and organisation, plus word lists."""
    people = session.scalars(sa.select(ParticipantContact.full_name)).all()
    respondents = session.scalars(sa.select(OrganisationContact.contact_name)).all()
    orgs = {
        *session.scalars(sa.select(Organisation.name)),
        *session.scalars(sa.select(ParticipantContact.organisation_name)),
    }
    terms = name_terms(people)
    terms += organisation_terms(sorted(orgs))
    terms += name_terms(respondents, tag=PERSON, kind="respondent")
    terms += name_terms(extra_words, tag=PERSON, kind="word_list")
    if word_list is not None and word_list.is_file():
        terms += load_word_list(word_list)
    return Redactor(terms)
