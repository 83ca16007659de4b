"""Which tables a matrix request means (kept out of the CLI so the web app can share it)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from innostudy.coding.group_matrix import check_unit
from innostudy.coding.matrices import (
    code_by_group,
    code_by_sector,
    code_by_survey_answer,
    cooccurrence,
)
from innostudy.errors import InputError

KINDS = ("group", "sector", "cooccurrence", "survey")


def matrix_tables(
    session: Session,
    kind: str,
    question: str | None = None,
    unit: str = "turn",
    *,
    coders: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables for ``kind``, counting ``coders``' codings (the CLI passes the main coding)."""
    if kind not in KINDS:
        raise InputError("KIND", None, "kind", f"'{kind}' is not one of {', '.join(KINDS)}")
    counted = check_unit(unit)
    if kind == "group":
        return code_by_group(session, coders=coders, unit=counted)
    if kind == "sector":
        return code_by_sector(session, coders=coders, unit=counted)
    if kind == "cooccurrence":
        return {"cooccurrence": cooccurrence(session, coders=coders, unit=counted)}
    if not question:
        raise InputError(
            "--question",
            None,
            "question",
            "a survey matrix needs --question (e.g. barriers_ranked)",
        )
    return {"survey": code_by_survey_answer(session, question, coders=coders, unit=counted)}
