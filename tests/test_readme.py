"""The README's "Using it" block, run top to bottom as a new user would, on a fresh study.

The commands are parsed from README.md, so the README and the tool cannot drift apart.
The test writes the small files the block names (organisations, a survey export, a
transcript, a speaker map) into the new study, uses the hashing encoder instead of the
packaged model, and checks after every command that `status` sends the user to a command
the block runs later, and at the end that every step is done.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shlex
from pathlib import Path

import pytest

from innostudy.demo.responses import complete_answers
from innostudy.status import TODO, study_status
from innostudy.storage.store import StudyStore
from innostudy.studies import default_file
from innostudy.survey.exporting import cell
from innostudy.survey.instrument import load_instrument
from innostudy.survey.layout import answer_columns
from tests.conftest import Cli

README = Path(__file__).parents[1] / "README.md"
# Lines the test cannot run, each with its reason; nothing else may be skipped.
NOT_RUN = {
    ". .venv/bin/activate": "the tests already run inside the environment",
    "innostudy serve": "a web server runs until stopped; tests/web covers it",
}
ORGANISATIONS = [
    ("Department for Roads (synthetic)", "ministerial_department"),
    ("Agency for Examples (synthetic)", "executive_agency"),
    ("Board of Pilots (synthetic)", "ndpb"),
]
TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Facilitator>Welcome, everyone. What held your projects back?</v>

00:00:06.500 --> 00:00:14.000
<v Ada Okafor>Procurement rules held us back for a whole year before we could run a pilot.</v>

00:00:14.500 --> 00:00:22.000
<v Speaker 3>For us it was funding: the money came in yearly budgets that never matched the work.</v>

00:00:22.500 --> 00:00:25.000
<v Facilitator>And what changed in the end?</v>

00:00:25.500 --> 00:00:33.000
<v Ada Okafor>Our front-line staff trusted the new system once they saw the first results.</v>
"""


def using_it() -> list[str]:
    """The command lines of the first ```sh block under "## Using it"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README: no ```sh block under ## Using it"
    return [line for line in block.group(1).splitlines() if line.strip()]


def commands(line: str) -> list[list[str]]:
    """A line as its commands (split on &&), comments removed, quoting as a shell reads it."""
    words = shlex.split(line, comments=True)
    out: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            out.append([])
        else:
            out[-1].append(word)
    return [c for c in out if c]


def write_inputs(study: Path) -> None:
    """The files a user would bring, written where the block expects them."""
    with (study / "organisations.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "type", "contact", "email"])
        for n, (name, kind) in enumerate(ORGANISATIONS, start=1):
            out.writerow([name, kind, f"Contact {n}", f"contact{n}@example.org"])
    instrument = load_instrument(default_file("instrument.yaml"))
    columns = answer_columns(instrument)
    rng = random.Random(13)
    with (study / "responses.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "status", *(c.name for c in columns)])
        for name, kind in ORGANISATIONS:
            answers = complete_answers(rng, instrument, kind)
            cells = [cell(c, answers) for c in columns]
            out.writerow([name, "submitted", *("" if v is None else v for v in cells)])
    (study / "teams.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    (study / "speakers.yaml").write_text("Speaker 3: SCS-02\n", encoding="utf-8")


def status_next(folder: Path) -> str | None:
    with StudyStore.open(folder) as store:
        found = study_status(store)
    return found.next.command if found.next is not None else None


@pytest.mark.slow
def test_the_readme_path_runs_top_to_bottom(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOSTUDY_ENCODER", "hashing")
    monkeypatch.delenv("INNOSTUDY_STUDY", raising=False)
    monkeypatch.chdir(tmp_path)
    lines = using_it()
    assert any("status" in line for line in lines) and any("report" in line for line in lines)
    runs = [
        (line, command)
        for line in lines
        if line.split("#")[0].strip() not in NOT_RUN
        for command in commands(line)
    ]
    ran = 0
    for i, (line, command) in enumerate(runs):
        if command[0] == "cd":
            monkeypatch.chdir(Path.cwd() / command[1])
            continue
        assert command[0] == "innostudy", f"README line is not a command: {line}"
        result = cli(*command[1:])
        assert result.exit_code == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        ran += 1
        if command[1] == "init":
            write_inputs(tmp_path / command[2])
            continue
        later = {" ".join(c[:3]) for _, c in runs[i + 1 :]}
        wanted = status_next(Path.cwd())
        if wanted is not None:
            assert " ".join(wanted.split()[:3]) in later, (
                f"after `{' '.join(command)}`, status says `{wanted}`, which the README "
                "does not run after it"
            )
    assert ran >= 20
    assert status_next(Path.cwd()) is None  # every step is done
    with StudyStore.open(Path.cwd()) as store:
        steps = study_status(store).steps
    assert [s.name for s in steps if s.state == TODO] == []
    for output in ("report/report.html", "report/report.pdf", "study.qdpx", "briefing"):
        assert Path(output).exists(), output
    assert os.environ["INNOSTUDY_ENCODER"] == "hashing"
