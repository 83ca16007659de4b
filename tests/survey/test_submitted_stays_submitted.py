"""An import never turns a submitted response back into a draft, never changes what a
respondent submitted on the web, and the receipt code keeps matching (both backends)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import (
    Organisation,
    RejectedRow,
    Response,
    ResponseRevision,
    ResponseSource,
    ResponseStatus,
)
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.organisations import add_organisation
from innostudy.survey.responses import Provenance, import_refusal, record_answers
from innostudy.survey.submission import receipt_code
from tests.conftest import Cli
from tests.web.survey_data import STORED

TYPE = "executive_agency"
DRAFTS = [("Quiet Agency", "draft", "Quiet idea"), ("Web Agency", "draft", "Older idea")]


@pytest.fixture
def study(tmp_path: Path, database_url: str) -> Path:
    """Two organisations: one submitted on the web form, one not yet answered."""
    folder = init_study(tmp_path / "study", database_url=database_url)
    with StudyStore.open(folder) as store, store.session() as s:
        web = add_organisation(s, "Web Agency", TYPE)
        add_organisation(s, "Quiet Agency", TYPE)
        record_answers(
            s,
            web,
            dict(STORED),
            status=ResponseStatus.SUBMITTED,
            provenance=Provenance(ResponseSource.WEB, actor="respondent (web form)"),
            instrument_version="1",
        )
    return folder


def _file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["organisation", "status", "innovation_title"])
        writer.writerows(rows)
    return path


def _complete_file(study: Path, path: Path, rows: list[tuple[str, str, str]], cli: Cli) -> Path:
    """Complete answers (the web respondent's, exported) under other names and titles."""
    exported = path.with_suffix(".export.csv")
    assert cli("--study", study, "survey", "export", exported).exit_code == 0
    with exported.open(newline="", encoding="utf-8") as f:
        template = next(r for r in csv.DictReader(f) if r["organisation"] == "Web Agency")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(template))
        writer.writeheader()
        for org, status, title in rows:
            row = template | {"organisation": org, "status": status, "innovation_title": title}
            writer.writerow(row)
    return path


def _web_response(folder: Path) -> tuple[Response, str]:
    with StudyStore.open(folder) as store, store.session() as s:
        response = s.scalar(
            sa.select(Response).join(Organisation).where(Organisation.name == "Web Agency")
        )
        assert response is not None
        return response, receipt_code(response)


def _responses(folder: Path) -> dict[str, tuple[str, str | None]]:
    with StudyStore.open(folder) as store, store.session() as s:
        rows = s.execute(
            sa.select(Organisation.name, Response.status, Response.answers).join(Response)
        )
        return {
            name: (status.value, answers.get("innovation_title")) for name, status, answers in rows
        }


def test_an_import_of_drafts_is_refused_and_names_the_row(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    before, receipt = _web_response(study)
    file = _file(tmp_path / "drafts.csv", DRAFTS)
    result = cli("--study", study, "survey", "import", file)
    assert result.exit_code == 1
    today = before.submitted_at.strftime("%Y-%m-%d") if before.submitted_at else ""
    assert result.stderr.startswith(
        f"Error: {file}, row 3, field 'status': the response was already submitted on {today}; "
        "an import never turns a submitted response back into a draft (--beside-submitted "
        "keeps the row as a revision beside the submission) (nothing imported; all listed in "
    )
    assert len(result.stderr.strip().splitlines()) == 1
    # nothing imported at all: strict imports are all or nothing
    assert _responses(study) == {"Web Agency": ("submitted", STORED["innovation_title"])}
    after, same = _web_response(study)
    assert (after.revision, same) == (before.revision, receipt)


def test_skip_invalid_imports_the_rest_and_keeps_the_refused_row(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    _, receipt = _web_response(study)
    file = _file(tmp_path / "drafts.csv", DRAFTS)
    result = cli("--study", study, "survey", "import", file, "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert "imported: 1 new, 0 changed" in result.stdout
    assert "quarantined: 1 row with 1 problem" in result.stdout
    assert _responses(study) == {
        "Web Agency": ("submitted", STORED["innovation_title"]),
        "Quiet Agency": ("draft", "Quiet idea"),
    }
    assert _web_response(study)[1] == receipt
    with StudyStore.open(study) as store, store.session() as s:
        [kept] = s.scalars(sa.select(RejectedRow)).all()
        assert (kept.row_number, kept.field, kept.raw) == (3, "status", {"status": "draft"})
        assert kept.reason.startswith("the response was already submitted")


def test_web_answers_are_not_changed_by_a_submitted_row_either(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    rows = [("Web Agency", "submitted", "Another title")]
    file = _complete_file(study, tmp_path / "final.csv", rows, cli)
    result = cli("--study", study, "survey", "import", file, "--dry-run")
    assert result.exit_code == 1
    assert "the respondent submitted other answers on the web form on " in result.stderr
    assert "which the import would no longer match" in result.stderr


def test_the_same_answers_again_are_simply_unchanged(study: Path, tmp_path: Path, cli: Cli) -> None:
    _, receipt = _web_response(study)
    exported = tmp_path / "export.csv"
    assert cli("--study", study, "survey", "export", exported).exit_code == 0
    result = cli("--study", study, "survey", "import", exported)
    assert result.exit_code == 0, result.stderr
    assert "imported: 0 new, 0 changed, 1 unchanged" in result.stdout
    assert _web_response(study)[1] == receipt


def test_beside_submitted_keeps_the_row_as_a_revision_and_the_receipt_matches(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    before, receipt = _web_response(study)
    file = _file(tmp_path / "drafts.csv", [("Web Agency", "draft", "Older idea")])
    result = cli("--study", study, "survey", "import", file, "--beside-submitted")
    assert result.exit_code == 0, result.stderr
    assert "1 row kept as revisions beside submitted responses" in result.stdout
    after, same = _web_response(study)
    assert same == receipt
    assert (after.status, after.answers, after.submitted_at, after.source) == (
        ResponseStatus.SUBMITTED,
        before.answers,
        before.submitted_at,
        ResponseSource.WEB,
    )
    with StudyStore.open(study) as store, store.session() as s:
        revisions = s.scalars(
            sa.select(ResponseRevision)
            .where(ResponseRevision.response_id == after.id)
            .order_by(ResponseRevision.revision)
        ).all()
    assert [r.revision for r in revisions] == list(range(1, after.revision + 1))
    newest = revisions[-1]
    assert newest.beside_submission
    assert (newest.status, newest.answers["innovation_title"], newest.source_row) == (
        ResponseStatus.DRAFT,
        "Older idea",
        2,
    )
    assert not any(r.beside_submission for r in revisions[:-1])
    # importing the same file again adds nothing: it is already kept beside
    again = cli("--study", study, "survey", "import", file, "--beside-submitted")
    assert again.exit_code == 0, again.stderr
    assert "0 new, 0 changed, 1 unchanged" in again.stdout
    assert _web_response(study)[0].revision == after.revision


def test_a_submission_from_an_earlier_import_may_be_corrected_but_not_downgraded(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    rows = [("Quiet Agency", "submitted", "First title")]
    first = _complete_file(study, tmp_path / "v1.csv", rows, cli)
    base = ("--study", study, "survey", "import")
    assert cli(*base, first).exit_code == 0
    assert _responses(study)["Quiet Agency"] == ("submitted", "First title")
    rows = [("Quiet Agency", "submitted", "Corrected title")]
    corrected = _complete_file(study, tmp_path / "v2.csv", rows, cli)
    assert cli(*base, corrected, "--known-only").exit_code == 0
    assert _responses(study)["Quiet Agency"] == ("submitted", "Corrected title")
    downgraded = _file(tmp_path / "v3.csv", [("Quiet Agency", "draft", "Draft title")])
    result = cli(*base, downgraded)
    assert result.exit_code == 1
    assert "an import never turns a submitted response back into a draft" in result.stderr
    assert _responses(study)["Quiet Agency"] == ("submitted", "Corrected title")


@pytest.mark.parametrize(
    ("status", "source", "imported", "refused"),
    [
        (ResponseStatus.DRAFT, ResponseSource.WEB, ResponseStatus.DRAFT, False),
        (ResponseStatus.INVITED, ResponseSource.IMPORT, ResponseStatus.SUBMITTED, False),
        (ResponseStatus.SUBMITTED, ResponseSource.IMPORT, ResponseStatus.SUBMITTED, False),
        (ResponseStatus.SUBMITTED, ResponseSource.IMPORT, ResponseStatus.DRAFT, True),
        (ResponseStatus.SUBMITTED, ResponseSource.IMPORT, ResponseStatus.INVITED, True),
        (ResponseStatus.SUBMITTED, ResponseSource.WEB, ResponseStatus.SUBMITTED, True),
        (ResponseStatus.SUBMITTED, ResponseSource.API, ResponseStatus.SUBMITTED, True),
    ],
)
def test_the_rule(
    status: ResponseStatus, source: ResponseSource, imported: ResponseStatus, refused: bool
) -> None:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    assert (import_refusal(status, source, when, imported) is not None) is refused
