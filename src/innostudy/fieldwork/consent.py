"""What a participant's consent allows. Pure predicates; every view asks these, never the columns.

A withdrawn participant's words stay in the store for audit but leave every coding
view, quote list and report. Queries that filter in SQL use :func:`withdrawn_clause`,
the same rule written for the database (a test holds the two to each other).
"""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.model import Consent, ConsentChoice


def has_withdrawn(consent: Consent | None) -> bool:
    return consent is not None and consent.withdrawn_at is not None


def words_usable(consent: Consent | None) -> bool:
    """May this participant's words be analysed (coded, counted, searched)?"""
    return not has_withdrawn(consent)


def may_quote(consent: Consent | None) -> bool:
    """Verbatim quotation needs an explicit yes, and no withdrawal since."""
    return (
        consent is not None and words_usable(consent) and consent.quotation is ConsentChoice.GRANTED
    )


def may_record(consent: Consent | None, kind: str) -> bool:
    """Recording (``kind`` "audio" or "video"), and so transcribing it, needs an explicit yes."""
    choice = getattr(consent, kind) if consent is not None else ConsentChoice.NOT_ASKED
    return words_usable(consent) and choice is ConsentChoice.GRANTED


def withdrawn_clause() -> sa.ColumnElement[bool]:
    """``has_withdrawn`` in SQL, over a query that outer-joins ``Consent``."""
    return Consent.withdrawn_at.is_not(None)
