"""What people did with the model's suggestions: the evidence for thresholds and calibration.

A reviewed suggestion keeps the model's claim (code, span, confidence) and records the
verdict in its status (``manual.review_suggestion``), so every accepted or rejected
suggestion is one :class:`~innostudy.coding.auto.calibration.Review`. Withdrawn
participants' turns are left out, as everywhere in coding.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.calibration import (
    Bin,
    Review,
    Thresholds,
    calibrate_thresholds,
    expected_calibration_error,
    reliability_bins,
)
from innostudy.coding.auto.learner import DEFAULT_THRESHOLD
from innostudy.coding.segments import codable_segments
from innostudy.model import Code, Coder, CoderKind, Coding, CodingStatus


def model_reviews(session: Session, model_id: int | None = None) -> list[Review]:
    """Every suggestion a person accepted or rejected (of one model coder, or of all)."""
    usable = {s.id for s in codable_segments(session)}
    query = (
        sa.select(Coding.segment_id, Code.key, Coding.confidence, Coding.status)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(
            Coder.kind == CoderKind.MODEL,
            Coding.status.in_([CodingStatus.ACCEPTED, CodingStatus.REJECTED]),
            Coding.confidence.is_not(None),
        )
        .order_by(Coding.id)
    )
    if model_id is not None:
        query = query.where(Coding.coder_id == model_id)
    return [
        Review(key, float(confidence or 0.0), status is CodingStatus.ACCEPTED)
        for segment_id, key, confidence, status in session.execute(query)
        if segment_id in usable
    ]


@dataclass(frozen=True)
class CalibrationReport:
    reviews: int
    accepted: int
    ece: float | None
    bins: list[Bin]
    thresholds: Thresholds


def calibration_report(
    session: Session, default_threshold: float = DEFAULT_THRESHOLD
) -> CalibrationReport:
    """How well the suggestions' confidence matched what people accepted, and the
    thresholds the next ``code suggest`` will use."""
    reviews = model_reviews(session)
    return CalibrationReport(
        reviews=len(reviews),
        accepted=sum(r.accepted for r in reviews),
        ece=expected_calibration_error(reviews),
        bins=reliability_bins(reviews),
        thresholds=calibrate_thresholds(reviews, default_threshold),
    )
