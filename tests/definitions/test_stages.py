"""What each stage does with its definition: codebook rows, the report outline, the web form."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.definitions.revisions import history
from innostudy.model import Code, CodeStatus, Coding
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument_use import use_instrument
from innostudy.web.context import InstrumentCache
from tests.conftest import Cli

PILOT = Path(__file__).parents[1] / "survey" / "fixtures" / "pilot_instrument.yaml"


def _without_code(text: str, key: str) -> str:
    """The codebook text with the code ``key`` (a leaf, in the full form) left out."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- key: {key}")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    return "".join(lines[:start] + lines[end:])


def test_a_codebook_file_cannot_drop_a_code_that_has_codings(cli: Cli, demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        used = sa.select(Coding.code_id)
        coded = s.scalars(sa.select(Code.key).where(Code.id.in_(used), Code.parent_id.is_not(None)))
        key = next(iter(coded))
        count = s.scalar(
            sa.select(sa.func.count()).select_from(Coding).join(Code).where(Code.key == key)
        )
    idle = "barriers.idle"
    assert cli("--study", demo_copy, "code", "add", idle, "Idle").exit_code == 0
    path = demo_copy / "codebook.yaml"
    original = path.read_text("utf-8")
    path.write_text(_without_code(original, key), "utf-8")
    refused = cli("--study", demo_copy, "definitions", "import", path)
    assert (refused.exit_code, refused.stderr.strip()) == (
        1,
        f"Error: {path}, field 'codes': code '{key}' is left out but {count} codings use it; "
        f"move them with `innostudy code merge {key} OTHER_KEY` first, or keep the code",
    )
    path.write_text(_without_code(original, idle), "utf-8")
    adopted = cli("--study", demo_copy, "definitions", "import", path)
    assert adopted.exit_code == 0, adopted.stderr
    assert f"  retired code '{idle}' (no codings used it)" in adopted.stdout.splitlines()
    with StudyStore.open(demo_copy) as store, store.session() as s:
        status = s.scalar(sa.select(Code.status).where(Code.key == idle))
        assert status is CodeStatus.RETIRED
        assert [r.number for r in history(s, "codebook")] == [1, 2, 3]
    shown = cli("--study", demo_copy, "code", "codebook").stdout.splitlines()
    assert next(line for line in shown if idle in line).endswith("(retired)")


def test_report_init_makes_the_outline_the_studys_once(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "ana")
    folder = tmp_path / "s"
    cli("init", folder)
    first = cli("--study", folder, "report", "init")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-1] == (
        "The default outline is the study's report outline (revision 1)."
    )
    outline = folder / "narrative" / "outline.yaml"
    assert "# innostudy: outline revision 1 " in outline.read_text("utf-8")
    again = cli("--study", folder, "report", "init", "--force")
    assert again.stdout.splitlines()[-1].endswith("(revision 1).")  # the same text: no change
    text = outline.read_text("utf-8")
    outline.write_text(text.replace("subtitle: Findings", "subtitle: Our findings"), "utf-8")
    adopted = cli("--study", folder, "definitions", "import", outline)
    assert adopted.stdout.splitlines()[1] == "  changes: changed subtitle"
    checked = cli("--study", folder, "report", "check")
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.startswith(f"{folder / 'narrative'}: ")
    other = tmp_path / "other"
    cli("--study", folder, "definitions", "export", "outline", "-o", other / "outline.yaml")
    hand_made = tmp_path / "hand"
    cli("init", hand_made)
    (hand_made / "narrative").mkdir()
    (hand_made / "narrative" / "outline.yaml").write_text(text, "utf-8")
    refused = cli("--study", hand_made, "report", "check")
    assert refused.stderr.strip() == (
        "Error: narrative/outline.yaml is not the study's report outline yet; make it the "
        "study's with `innostudy definitions import narrative/outline.yaml`"
    )


def test_the_web_form_takes_a_new_instrument_without_a_restart(tmp_path: Path, cli: Cli) -> None:
    cli("init", tmp_path / "s")
    with StudyStore.open(tmp_path / "s") as store:
        cache = InstrumentCache(store)
        assert cache.get().has_question("category")
        use_instrument(store, PILOT, actor="ana")
        assert cache.get().has_question("category")  # checked at most once a second
        cache._checked_at = float("-inf")
        assert cache.get().title == "Pilot survey (test fixture)"
