"""The demo's survey, the way a real study runs it: an invitation list, then an export.

The synthetic organisations are written to ``files/organisations.csv`` and invited
through ``survey.invitations`` (so each gets a token and a mail-merge row); their
synthetic answers are written as a Qualtrics-style export (three header rows, choice
text, an embedded-data ``token`` column, ``Finished`` 0 for drafts) to
``files/responses-qualtrics.csv`` and brought in by the response importer, strictly.
Organisations that did not answer stay invited. The random draws are made in the same
order as before, so the seed gives the same study.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from innostudy.demo.organisations import DemoOrganisation
from innostudy.demo.responses import complete_answers, draft_answers
from innostudy.model import ResponseStatus
from innostudy.storage.store import StudyStore
from innostudy.survey.importing import ImportOptions, import_responses
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.invitations import invite

SUBMITTED_SHARE = 0.72
DRAFT_SHARE = 0.08
ACTOR = "innostudy demo"
QUALTRICS_META = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]


@dataclass(frozen=True)
class DemoResponse:
    token: str
    status: ResponseStatus
    answers: dict[str, Any]


def write_organisations(path: Path, orgs: list[DemoOrganisation]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "type", "contact", "email", "phone", "job title"])
        out.writerows(
            [o.name, o.org_type, o.contact_name, o.email, o.phone, o.job_title] for o in orgs
        )


def _columns(instrument: Instrument) -> list[tuple[str, str, str, Question, str | None]]:
    """(tag, question text, ImportId, question, part) for each answer column."""
    found: list[tuple[str, str, str, Question, str | None]] = []
    for n, q in enumerate(instrument.questions(), start=1):
        qid = f"QID{n}"
        if q.type is QuestionType.RANKING:
            found += [
                (f"{q.key}_{c.code}", f"{q.label} - {c.label}", f"{qid}_{c.code}", q, c.value)
                for c in q.choices
            ]
        elif q.type is QuestionType.LIKERT_MATRIX:
            found += [
                (f"{q.key}_{i}", f"{q.label} - {item.label}", f"{qid}_{i}", q, item.key)
                for i, item in enumerate(q.items, start=1)
            ]
        elif q.type.uses_choices:
            found.append((q.key, f"{q.label} - Selected Choice", qid, q, None))
        else:
            found.append((q.key, q.label, f"{qid}_TEXT", q, None))
    return found


def _label(q: Question, value: str) -> str:
    choice = q.choice(value)
    return choice.label if choice is not None else value


def _cell(q: Question, part: str | None, answers: dict[str, Any]) -> str:
    value = answers.get(q.key)
    if value is None:
        return ""
    if q.type is QuestionType.RANKING:
        return str(value.index(part) + 1) if part in value else ""
    if q.type is QuestionType.LIKERT_MATRIX:
        return _label(q, value[part]) if part in value else ""
    if q.type is QuestionType.MULTI_CHOICE:
        return ",".join(_label(q, v) for v in value)
    if q.type.uses_choices:
        return _label(q, value)
    return str(value)


def write_qualtrics_export(
    path: Path, instrument: Instrument, responses: list[DemoResponse]
) -> None:
    """A Qualtrics-style CSV: export tags, question texts, ImportIds, then one row each."""
    columns = _columns(instrument)
    started = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([m[0] for m in QUALTRICS_META] + [c[0] for c in columns] + ["token"])
        out.writerow([m[1] for m in QUALTRICS_META] + [c[1] for c in columns] + ["token"])
        out.writerow(
            [json.dumps({"ImportId": m[2]} | _zone(m[2])) for m in QUALTRICS_META]
            + [json.dumps({"ImportId": c[2]}) for c in columns]
            + [json.dumps({"ImportId": "token"})]
        )
        for n, r in enumerate(responses):
            start = started + timedelta(hours=7 * n)
            finished = r.status is ResponseStatus.SUBMITTED
            meta = [
                start.strftime("%Y-%m-%d %H:%M:%S"),
                (start + timedelta(minutes=24)).strftime("%Y-%m-%d %H:%M:%S"),
                "IP Address",
                "",  # anonymised: no IP addresses in the demo
                "100" if finished else "45",
                "1440",
                "True" if finished else "False",
                (start + timedelta(minutes=25)).strftime("%Y-%m-%d %H:%M:%S"),
                f"R_demo{n:05d}",
                "email",
                "EN",
            ]
            out.writerow(
                meta + [_cell(q, part, r.answers) for _, _, _, q, part in columns] + [r.token]
            )


def _zone(import_id: str) -> dict[str, str]:
    """Qualtrics names the time zone of its date columns in the ImportId row."""
    return {"timeZone": "UTC"} if import_id in ("startDate", "endDate", "recordedDate") else {}


def run_survey(
    store: StudyStore, instrument: Instrument, orgs: list[DemoOrganisation], rng: random.Random
) -> dict[str, ResponseStatus]:
    """Invite every organisation, then import the answers of those who responded."""
    files = store.files_dir
    write_organisations(files / "organisations.csv", orgs)
    report = invite(
        store, files / "organisations.csv", files / "invitations" / "mail-merge.csv", actor=ACTOR
    )
    assert report.mail_merge is not None
    with report.mail_merge.open(encoding="utf-8", newline="") as f:
        tokens = {row["organisation"]: row["token"] for row in csv.DictReader(f)}
    statuses: dict[str, ResponseStatus] = {}
    responses: list[DemoResponse] = []
    for org in orgs:
        roll = rng.random()
        if roll < SUBMITTED_SHARE:
            status, answers = (
                ResponseStatus.SUBMITTED,
                complete_answers(rng, instrument, org.org_type),
            )
        elif roll < SUBMITTED_SHARE + DRAFT_SHARE:
            status, answers = ResponseStatus.DRAFT, draft_answers(rng, instrument, org.org_type)
        else:
            statuses[org.name] = ResponseStatus.INVITED
            continue
        statuses[org.name] = status
        responses.append(DemoResponse(tokens[org.name], status, answers))
    export = files / "responses-qualtrics.csv"
    write_qualtrics_export(export, instrument, responses)
    options = ImportOptions(format="qualtrics", allow_new_organisations=False, actor=ACTOR)
    with store.session() as s:
        import_responses(s, export, instrument, options)
    return statuses
