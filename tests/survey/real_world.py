"""Small files that reproduce what real exports look like (tests/fixtures/real-world-formats.md).

Every file here is written by this project for the tests, with its own made-up answers;
each builder reproduces the structural features noted in real-world-formats.md (header
rows, delimiters, quoting, markers, time formats), never the content of a real file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.conftest import Cli

PILOT_TAGS = ["title", "category", "cost", "origin", "impacts_1", "impacts_2", "overall"]
PILOT_TEXTS = [
    "Name of the innovation",
    "Category - Selected Choice",
    "Cost",
    "Where the idea came from - Selected Choice",
    "Impact on - Service quality",
    "Impact on - Running costs",
    "Overall success",
]
ANSWERS = [  # choice text, as Qualtrics exports it by default
    ["Shared payroll", "IT or web", "Under £100,000", "Ministers,Service users", "High", "Low"],
    ["Open budgets", "Policy", "£100,000 or more", "Front-line staff", "Moderate", "Moderate"],
    ["Repair café", "Service delivery", "Under £100,000", "Senior managers", "Very high", "High"],
]
OVERALL = ["High", "Low", "Very high"]


def write_csv(path: Path, rows: Sequence[Sequence[Any]], **kwargs: Any) -> Path:
    with path.open("w", encoding=kwargs.pop("encoding", "utf-8"), newline="") as f:
        csv.writer(f, **kwargs).writerows(rows)
    return path


def import_id(name: str, zone: str | None = None) -> str:
    return json.dumps({"ImportId": name} | ({"timeZone": zone} if zone else {}))


def qualtrics_anonymous(path: Path, *, zone: str = "America/New_York") -> Path:
    """An anonymous-link export: no recipient or external-reference columns at all."""
    meta = [
        ("StartDate", "Start Date", import_id("startDate", zone)),
        ("EndDate", "End Date", import_id("endDate", zone)),
        ("Status", "Response Type", import_id("status")),
        ("Progress", "Progress", import_id("progress")),
        ("Duration (in seconds)", "Duration (in seconds)", import_id("duration")),
        ("Finished", "Finished", import_id("finished")),
        ("RecordedDate", "Recorded Date", import_id("recordedDate", zone)),
        ("ResponseId", "Response ID", import_id("_recordId")),
        ("DistributionChannel", "Distribution Channel", import_id("distributionChannel")),
        ("UserLanguage", "User Language", import_id("userLanguage")),
    ]
    ids = [import_id(f"QID{n}") for n in range(1, len(PILOT_TAGS) + 1)]
    rows: list[list[str]] = [
        [m[0] for m in meta] + PILOT_TAGS,
        [m[1] for m in meta] + PILOT_TEXTS,
        [m[2] for m in meta] + ids,
    ]
    statuses = ["IP Address", "IP Address", "Survey Preview"]
    for n, answers in enumerate(ANSWERS):
        day = f"2024-03-0{n + 1}"
        meta = [f"{day} 09:00:00", f"{day} 09:20:00", statuses[n], "100", "1200", "True"]
        meta += [f"{day} 09:20:01", f"R_anon{n}xYz", "anonymous", "EN"]
        rows.append([*meta, *answers, OVERALL[n]])
    return write_csv(path, rows)


def qualtrics_legacy(path: Path) -> Path:
    """The legacy layout: V1…V10 over ResponseID…, a trailing delimiter on every line."""
    tags = [f"V{n}" for n in range(1, 11)] + PILOT_TAGS + [""]
    names = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress"]
    names += ["IPAddress", "Status", "StartDate", "EndDate", "Finished"]
    rows: list[list[str]] = [tags, [*names, *PILOT_TEXTS, ""]]
    refs = ["AG-1", "", ""]
    for n, answers in enumerate(ANSWERS):
        finished = "1" if n < 2 else "0"
        meta = [f"R_legacy{n}", "Default Response Set", "Anonymous", refs[n], "", ""]
        meta += ["0", f"2017-07-1{n} 08:28:09", f"2017-07-1{n} 08:48:09", finished]
        rows.append(meta + answers + [OVERALL[n], ""])
    return write_csv(path, rows)


def qualtrics_two_rows(path: Path, starts: Sequence[str], completed: Sequence[str]) -> Path:
    """The current layout with its ImportId row deleted, dates as a spreadsheet saved them."""
    head = ["StartDate", "EndDate", "Finished", "ResponseId", "ExternalReference"]
    texts = ["Start Date", "End Date", "Finished", "Response ID", "External Data Reference"]
    rows: list[list[str]] = [
        [*head, *PILOT_TAGS, "completed"],
        [*texts, *PILOT_TEXTS, "Completed on"],
    ]
    for n, start in enumerate(starts):
        answers = ANSWERS[n % len(ANSWERS)]
        meta = [start, start, "1", f"R_two{n}", ""]
        rows.append(meta + answers + [OVERALL[n % 3], completed[n]])
    return write_csv(path, rows)


def limesurvey_responses(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    meta = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    return write_csv(path, [meta + columns, *rows])


def export_rows(cli: Cli, study: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """What `survey export` says, by organisation: the answers as the study holds them."""
    out = tmp_path / "export.csv"
    result = cli("--study", study, "survey", "export", out, "--status", "answered")
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        return {row["organisation"]: row for row in csv.DictReader(f)}


def import_file(cli: Cli, study: Path, path: Path, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study, "survey", "import", path, *args)
    return result.exit_code, result.stdout, result.stderr


def lss(path: Path, questions: list[dict[str, Any]]) -> Path:
    """A LimeSurvey 5/6 structure file (texts in *_l10ns tables), with our own questions.

    Each question: {qid, code, type, text, subs: [(code, text)], answers: [(scale, code,
    text)], attributes: {name: value}}.
    """

    def row(**cells: Any) -> str:
        return "<row>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in cells.items()) + "</row>"

    def table(name: str, rows: list[str]) -> str:
        return f" <{name}>\n  <rows>\n   " + "\n   ".join(rows) + f"\n  </rows>\n </{name}>\n"

    qs, subs, answers, answer_texts, texts, attributes = [], [], [], [], [], []
    sub_id, aid = 1000, 1
    for n, q in enumerate(questions, start=1):
        qid = q["qid"]
        qs.append(
            row(
                qid=qid,
                parent_qid=0,
                sid=111,
                gid=1,
                type=q["type"],
                title=q["code"],
                other="N",
                mandatory="N",
                question_order=n,
                scale_id=0,
                relevance=1,
            )
        )
        texts.append(row(id=qid, qid=qid, question=q["text"], language="en"))
        for order, (code, text) in enumerate(q.get("subs", [])):
            sub_id += 1
            subs.append(
                row(
                    qid=sub_id,
                    parent_qid=qid,
                    sid=111,
                    gid=1,
                    type="T",
                    title=code,
                    question_order=order,
                    scale_id=0,
                    relevance=1,
                )
            )
            texts.append(row(id=sub_id, qid=sub_id, question=text, language="en"))
        for order, (scale, code, text) in enumerate(q.get("answers", [])):
            answers.append(row(aid=aid, qid=qid, code=code, sortorder=order, scale_id=scale))
            answer_texts.append(row(id=aid, aid=aid, answer=text, language="en"))
            aid += 1
        for name, value in q.get("attributes", {}).items():
            attributes.append(row(qid=qid, attribute=name, value=value, language="en"))
    body = (
        table("answers", answers)
        + table("answer_l10ns", answer_texts)
        + table("groups", [row(gid=1, sid=111, group_order=1, grelevance=1)])
        + table("group_l10ns", [row(id=1, gid=1, group_name="Questions", language="en")])
        + table("questions", qs)
        + table("subquestions", subs)
        + table("question_l10ns", texts)
        + table("question_attributes", attributes)
        + table("surveys", [row(sid=111, anonymized="Y", usetokens="N", datestamp="N")])
        + table(
            "surveys_languagesettings",
            [row(surveyls_survey_id=111, surveyls_language="en", surveyls_title="Dual scales")],
        )
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<document>\n'
        " <LimeSurveyDocType>Survey</LimeSurveyDocType>\n <DBVersion>495</DBVersion>\n"
        " <languages>\n  <language>en</language>\n </languages>\n" + body + "</document>\n",
        encoding="utf-8",
    )
    return path
