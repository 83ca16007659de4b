"""`innostudy definitions …` and `innostudy survey instrument use`, through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import DefinitionRevision
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.definitions.conftest import edit

PILOT = Path(__file__).parents[1] / "survey" / "fixtures" / "pilot_instrument.yaml"
KOBO = Path(__file__).parents[1] / "survey" / "fixtures" / "kobo_form"


@pytest.fixture
def folder(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("USER", "ana")
    assert cli("init", tmp_path / "s").exit_code == 0
    return tmp_path / "s"


def _revisions(folder: Path, name: str) -> list[tuple[int, str, str]]:
    with StudyStore.open(folder) as store, store.session() as s:
        rows = s.scalars(
            sa.select(DefinitionRevision)
            .where(DefinitionRevision.name == name)
            .order_by(DefinitionRevision.number)
        )
        return [(r.number, r.actor, r.summary) for r in rows]


def test_use_makes_a_reviewed_instrument_the_studys(cli: Cli, folder: Path, tmp_path: Path) -> None:
    reviewed = tmp_path / "pilot.instrument.yaml"
    shutil.copy(PILOT, reviewed)
    result = cli("--study", folder, "survey", "instrument", "use", reviewed)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{reviewed} is now the study's instrument: revision 2 (was revision 1)."
    assert lines[-2:] == [
        "  instrument.yaml in this folder shows it.",
        "Next: `innostudy survey import FILE` checks responses against it.",
    ]
    assert (folder / "instrument.yaml").read_text("utf-8").startswith(PILOT.read_text("utf-8"))
    shown = cli("--study", folder, "survey", "show")
    assert shown.stdout.startswith("Pilot survey (test fixture)")
    assert [n for n, _, _ in _revisions(folder, "instrument")] == [1, 2]
    again = cli("--study", folder, "survey", "instrument", "use", reviewed)
    assert again.stdout.strip() == (
        f"{reviewed} is already the study's instrument (revision 2); nothing changed."
    )


def test_use_converts_an_xlsform_and_keeps_its_notes(cli: Cli, folder: Path) -> None:
    result = cli("--study", folder, "survey", "instrument", "use", KOBO)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{KOBO} is now the study's instrument: revision 2")
    text = (folder / "instrument.yaml").read_text("utf-8")
    assert text.startswith("# Written by innostudy; the format is documented")
    assert _revisions(folder, "instrument")[-1][1] == "ana"


def test_use_refuses_an_invalid_instrument_in_one_line(
    cli: Cli, folder: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    text = PILOT.read_text("utf-8").replace("type: ranking", "type: rank", 1)
    bad.write_text(text, "utf-8")
    line = 1 + text.splitlines().index(next(s for s in text.splitlines() if "type: rank" in s))
    before = (folder / "instrument.yaml").read_bytes()
    result = cli("--study", folder, "survey", "instrument", "use", bad)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"Error: {bad}, line {line}, field 'type': question ")
    assert "unknown type 'rank'" in result.stderr
    assert (folder / "instrument.yaml").read_bytes() == before
    assert len(_revisions(folder, "instrument")) == 1
    missing = cli("--study", folder, "survey", "instrument", "use", tmp_path / "none.yaml")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        f"Error: {tmp_path / 'none.yaml'}: file not found",
    )


def test_an_edited_instrument_file_stops_commands_until_adopted(cli: Cli, folder: Path) -> None:
    path = folder / "instrument.yaml"
    edit(path, "label: Was there a business case?", "label: Was there a written business case?")
    refused = cli("--study", folder, "survey", "show")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "Error: instrument.yaml has changes that are not the study's instrument (revision 1); "
        "make them the study's with `innostudy definitions import instrument.yaml`, or discard "
        "them with `innostudy definitions export instrument --force`"
    )
    assert "+        label: Was there a written business case?" in refused.stderr
    adopted = cli("--study", folder, "definitions", "import", path)
    assert adopted.stdout.splitlines()[1] == "  changes: changed question 'business_case' (label)"
    assert cli("--study", folder, "survey", "show").exit_code == 0


def test_export_keeps_edits_unless_forced_and_diff_shows_them(cli: Cli, folder: Path) -> None:
    edit(folder / "areas.yaml", "title: Impacts", "title: Effects")
    diff = cli("--study", folder, "definitions", "diff", "areas")
    assert diff.stdout.splitlines()[:2] == [
        "--- study database, revision 1",
        "+++ areas.yaml",
    ]
    assert "-    title: Impacts" in diff.stdout and "+    title: Effects" in diff.stdout
    kept = cli("--study", folder, "definitions", "export")
    assert kept.exit_code == 1
    assert kept.stderr.startswith(
        "Error: areas.yaml has changes that are not the study's (revision 1) and would be lost"
    )
    assert "Effects" in (folder / "areas.yaml").read_text("utf-8")
    forced = cli("--study", folder, "definitions", "export", "areas", "--force")
    assert forced.stdout.strip() == f"areas: {folder / 'areas.yaml'} (was edited)"
    assert "Effects" not in (folder / "areas.yaml").read_text("utf-8")


def test_an_earlier_revision_can_be_written_out_and_brought_back(
    cli: Cli, folder: Path, tmp_path: Path
) -> None:
    edit(folder / "areas.yaml", "title: Impacts", "title: Effects")
    cli("--study", folder, "definitions", "import", folder / "areas.yaml")
    old = tmp_path / "areas-1.yaml"
    out = cli("--study", folder, "definitions", "export", "areas", "--revision", "1", "-o", old)
    assert out.stdout.strip() == f"areas: revision 1 written to {old}"
    between = cli("--study", folder, "definitions", "diff", "areas", "--revision", "1")
    assert "-    title: Impacts" in between.stdout and "+    title: Effects" in between.stdout
    refused = cli("--study", folder, "definitions", "import", old)  # the stamp says: areas, 1
    assert refused.exit_code == 1 and "was made from revision 1 of the areas" in refused.stderr
    back = cli("--study", folder, "definitions", "import", old, "--force")
    assert (
        back.stdout.splitlines()[0]
        == f"{old} is now the study's areas: revision 3 (was revision 2)."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["history", "colours"],
            "no definition 'colours'; list them with `innostudy definitions status`",
        ),
        (
            ["diff", "areas", "--revision", "7"],
            "no revision of the areas with ID 7; list them with `innostudy definitions history areas`",
        ),
        (["export", "outline"], "this study has no report outline yet"),
    ],
)
def test_bad_names_are_one_line_errors(
    cli: Cli, folder: Path, args: list[str], message: str
) -> None:
    result = cli("--study", folder, "definitions", *args)
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {message}")


def test_a_file_that_is_no_definition_asks_for_a_name(
    cli: Cli, folder: Path, tmp_path: Path
) -> None:
    other = tmp_path / "mine.yaml"
    other.write_text("areas: []\n", "utf-8")
    result = cli("--study", folder, "definitions", "import", other)
    assert result.stderr.strip() == (
        f"Error: {other}: cannot tell which definition this is; pass --name "
        "(instrument, group_types, areas, codebook or outline)"
    )
    named = cli("--study", folder, "definitions", "import", other, "--name", "areas")
    assert (named.exit_code, named.stderr.strip()) == (
        1,
        f"Error: {other}, line 1, field 'areas': must be a non-empty list of areas",
    )


def test_status_and_history_say_who_changed_what(cli: Cli, folder: Path) -> None:
    status = cli("--study", folder, "definitions", "status").stdout.splitlines()
    assert status[0].split() == [
        "definition",
        "revision",
        "adopted",
        "(UTC)",
        "by",
        "file",
        "file",
        "here",
    ]
    assert [line.split()[0] for line in status[1:]] == [
        "instrument",
        "group_types",
        "areas",
        "codebook",
        "outline",
    ]
    assert status[-1].endswith("narrative/outline.yaml  not in the study yet")
    history = cli("--study", folder, "definitions", "history", "codebook").stdout.splitlines()
    assert history[1].split()[0::3][:2] == ["1", "ana"] or "ana" in history[1]
    assert history[1].endswith("the embedded default study  first revision")
