"""The first study report: per area, survey counts and a few verified quotes per group.

A deliberately plain report (the full report engine with narrative, placeholders and
DOCX/PDF comes later). It already holds to the rules every report keeps: quotes are
verified verbatim, attributed by group only, and the output passes the personal-data gate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.analysis.counts import QuestionFigures, area_figures
from innostudy.areas import Area
from innostudy.coding.quotes import VerifiedQuote, verified_quotes
from innostudy.model import FocusGroup, GroupSession, Participant, Response, ResponseStatus
from innostudy.reporting.personal_data import check_no_personal_data, registered_personal_data
from innostudy.survey.instrument import Instrument
from innostudy.survey.responses import submitted_answers

QUOTES_PER_GROUP = 2


@dataclass
class AreaSection:
    key: str
    title: str
    summary: str
    figures: list[QuestionFigures]
    quotes_by_group: dict[str, list[VerifiedQuote]]


def response_counts(session: Session) -> dict[str, int]:
    rows = dict(
        session.execute(sa.select(Response.status, sa.func.count()).group_by(Response.status)).all()
    )
    counts = {status.value: int(rows.get(status, 0)) for status in ResponseStatus}
    counts["total"] = sum(counts.values())
    return counts


def group_overview(session: Session) -> list[dict[str, Any]]:
    groups = session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)).all()
    overview = []
    for group in groups:
        n = session.scalar(
            sa.select(sa.func.count())
            .select_from(Participant)
            .where(Participant.focus_group_id == group.id)
        )
        dates = session.scalars(
            sa.select(GroupSession.session_date).where(GroupSession.focus_group_id == group.id)
        ).all()
        overview.append(
            {
                "label": group.label,
                "sector": group.group_type.sector.label,
                "participants": int(n or 0),
                "dates": [d.isoformat() for d in dates if d is not None],
            }
        )
    return overview


def build_context(
    session: Session, instrument: Instrument, areas: list[Area], *, study_name: str, synthetic: bool
) -> dict[str, Any]:
    answers = [a for _, a in submitted_answers(session)]
    quotes = verified_quotes(session)
    sections = []
    for area in areas:
        by_group: dict[str, list[VerifiedQuote]] = defaultdict(list)
        for quote in quotes:
            in_area = quote.code_key is not None and quote.code_key.split(".")[0] == area.key
            if in_area and len(by_group[quote.group_label]) < QUOTES_PER_GROUP:
                by_group[quote.group_label].append(quote)
        sections.append(
            AreaSection(
                area.key,
                area.title,
                area.summary,
                area_figures(instrument, area.key, answers),
                dict(by_group),
            )
        )
    counts = response_counts(session)
    invited = counts["total"]
    return {
        "study_name": study_name,
        "synthetic": synthetic,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "counts": counts,
        "response_rate": round(100.0 * counts["submitted"] / invited, 1) if invited else 0.0,
        "groups": group_overview(session),
        "sections": sections,
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("innostudy.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_first_report(
    session: Session,
    instrument: Instrument,
    areas: list[Area],
    out_dir: Path,
    *,
    study_name: str,
    synthetic: bool,
    allow_personal_data: bool = False,
) -> Path:
    """Write ``out_dir/report.html``; refuse if it would reveal personal data."""
    context = build_context(session, instrument, areas, study_name=study_name, synthetic=synthetic)
    html = _environment().get_template("first_report.html").render(**context)
    target = out_dir / "report.html"
    if not allow_personal_data:
        check_no_personal_data(html, registered_personal_data(session), str(target))
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target
