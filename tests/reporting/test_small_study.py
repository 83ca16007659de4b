"""The README flow on a small study that is not the demo: 40 organisations invited, 30
answers, three focus groups of which two met, nothing quoted yet. The report must refuse,
`report check` must name every gap, and every sentence the draft writes must hold."""

from __future__ import annotations

import csv
import random
import re
import statistics
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.demo.responses import complete_answers
from innostudy.model import FocusGroup
from innostudy.storage.store import StudyStore
from innostudy.survey.exporting import cell
from innostudy.survey.instrument import load_instrument
from innostudy.survey.layout import answer_columns
from tests.conftest import Cli

PEOPLE = {
    "Senior civil servants": ("cs_senior", ["Ada Quill", "Bram Stoke", "Cleo Marsh", "Dev Anand"]),
    "Business group": ("business", ["Erin Vale", "Finn Doyle", "Gita Rao", "Hugo Pratt"]),
    "Mid-level civil servants": ("cs_mid", ["Ivy Lane", "Jon Bell", "Kim Ortiz"]),
}
MET = {"Senior civil servants": ("2026-03-03", 75), "Business group": ("2026-03-10", 80)}


def write_survey(folder: Path) -> list[dict[str, object]]:
    instrument = load_instrument(folder / "instrument.yaml")
    rng = random.Random(17)
    with (folder / "orgs.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "type"])
        out.writerows([f"Agency {i:02d}", "executive_agency"] for i in range(40))
    answers = [complete_answers(rng, instrument, "executive_agency") for _ in range(30)]
    columns = answer_columns(instrument)
    with (folder / "answers.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "status", *(c.name for c in columns)])
        for i, a in enumerate(answers):
            values = ["" if (v := cell(c, a)) is None else v for c in columns]
            out.writerow([f"Agency {i:02d}", "submitted", *values])
    return answers


def write_transcript(path: Path, names: list[str]) -> None:
    lines = ["Facilitator: Thank you all for coming. Let's start with what gets in the way."]
    for name in names:
        lines.append(f"{name}: Approval took longer than the work itself, every single time.")
        lines.append(f"{name}: Nobody is rewarded for trying something that might fail here.")
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def small(cli: Cli, tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    study = tmp_path / "small-study"
    assert cli("init", study).exit_code == 0
    answers = write_survey(study)

    def run(*args: object) -> str:
        result = cli("--study", study, *args)
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout.strip()

    run("survey", "invite", study / "orgs.csv")
    run("survey", "import", study / "answers.csv")
    for group, (kind, names) in PEOPLE.items():
        run("groups", "add", group, "--type", kind)
        for name in names:
            run("participants", "add", "--group", group, "--name", name)
        if group in MET:
            day, minutes = MET[group]
            out = run("sessions", "add", "--group", group, "--date", day, "--duration", minutes)
            session = re.search(r"\d+", out)
            assert session is not None
            write_transcript(study / f"{kind}.txt", names)
            run("transcripts", "import", study / f"{kind}.txt", "--session", session.group(0))
        else:
            run("sessions", "add", "--group", group, "--date", "2026-04-01")
    codes = ["costs.approval", "barriers.rewards"]
    listing = (
        cli("--study", study, "transcripts", "show", "1").stdout
        + cli("--study", study, "transcripts", "show", "2").stdout
    )
    assert listing
    with StudyStore.open(study) as store, store.session() as s:
        segments = s.execute(
            sa.text(
                "SELECT segment.id, segment.text FROM segment JOIN speaker "
                "ON speaker.id = segment.speaker_id WHERE speaker.role = 'participant'"
            )
        ).all()
    for sid, text in segments:
        run("code", "apply", sid, codes[0 if "Approval" in text else 1], "-c", "ana")
    run("report", "init")
    return study, answers


def test_the_report_refuses_and_check_names_every_gap(
    cli: Cli, small: tuple[Path, list[dict[str, object]]]
) -> None:
    study, _ = small
    refused = cli("--study", study, "report")
    assert refused.exit_code == 1
    assert refused.stderr.strip().endswith(
        "nothing was written. `innostudy report check` names each; `innostudy report --draft` "
        "renders a draft that marks them"
    )
    assert not (study / "report" / "report.html").exists()

    check = cli("--study", study, "report", "check")
    assert check.exit_code == 1
    gaps = [
        line.removeprefix("gap: ") for line in check.stderr.splitlines() if line.startswith("gap: ")
    ]
    assert gaps == [
        line.removeprefix("gap: ")
        for line in refused.stderr.splitlines()
        if line.startswith("gap: ")
    ]
    narrative = study / "narrative"
    placed = [
        (path.name, m.group(0))
        for path in sorted(narrative.glob("*.md"))
        for m in re.finditer(r"\{\{(?:quotes|todo):[^}]*\}\}", path.read_text(encoding="utf-8"))
    ]
    assert len(placed) >= 8  # every quote block and both todos
    for name, source in placed:
        assert any(f"narrative/{name}, line " in g and f": {source}: " in g for g in gaps), source
    expected = {
        "{{todo: say why the study was done and what it asks}}": "still to be written",
        "{{stat: coding.models}}": "no model has suggested codes",
        "{{stat: reliability.kappa}}": "no second coder has double-coded any transcript yet",
        "{{stat: themes.general.most_raised_by}}": (
            "no turn has been coded 'general' in the main coding yet"
        ),
        "{{comparison: impacts}}": "no turn has been coded under 'impacts' in the main coding yet",
    }
    for source, reason in expected.items():
        assert any(f": {source}: {reason}" in g for g in gaps), source
    assert check.stdout.strip().endswith(f"{len(gaps)} gaps, 0 warnings")


def test_every_sentence_of_the_draft_holds_for_the_study(
    cli: Cli, small: tuple[Path, list[dict[str, object]]]
) -> None:
    study, answers = small
    draft = cli("--study", study, "report", "--draft", "--format", "md,html")
    assert draft.exit_code == 3, draft.stderr
    assert "Draft written with" in draft.stderr
    md = (study / "report" / "report.md").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", md)
    assert "> **Draft with" in md and "**[gap: {{todo: write the conclusions}}" in md
    html = (study / "report" / "report.html").read_text(encoding="utf-8")
    assert html.count('class="gap"') >= 8 and "<title>DRAFT: " in html

    frontline = sum("frontline_staff" in a["origin"] for a in answers)  # type: ignore[operator]
    months = [a["time_to_market"] for a in answers if "time_to_market" in a]
    with StudyStore.open(study) as store, store.session() as s:
        labels = {g.name: g.label for g in s.scalars(sa.select(FocusGroup))}
    holds = [
        "The survey was sent to 40 organisations. 30 submitted a response, a response rate of "
        "75%; 0 started one without submitting it.",
        "Of the 3 focus groups planned, 2 met, in 2 sessions held between 3 March 2026 and "
        f"10 March 2026. Groups that have not met: {labels['Mid-level civil servants']}.",
        "8 of the 11 people recruited took part. Sessions lasted 75 to 80 minutes (median "
        "77.5 minutes). Recordings were kept for 0 of the 2 sessions and verbatim transcripts "
        "for 2; a note-taker was present at 0.",
        f"front-line staff by {100 * frontline / 30:.0f}%",
        f"took a median of {statistics.median(months):g} months",
        "The main coding, by 1 coder, put at least one code on 16 of the 16 participant turns "
        "(100%).",
        "Withdrawals: 0;",
        "In the focus groups, 8 of 8 participants present raised this area.",
    ]
    for sentence in holds:
        assert sentence in text, sentence
    for false in ("90 minutes", "7 focus groups", "seven", "absent"):
        assert false not in text, false
