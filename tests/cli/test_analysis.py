"""`innostudy analyse`, `chart` and `brief` through the real entry point: outputs and errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from innostudy.analysis.tables import TABLES
from innostudy.areas import load_areas
from tests.conftest import Cli


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in ("study.db-wal", "study.db-shm", "study.db")
    }


def test_analyse_writes_tables_and_summary(cli: Cli, demo_copy: Path) -> None:
    result = cli("--study", demo_copy, "analyse")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Analysed 97 submitted responses: {len(TABLES)} tables, ")
    assert lines[1] == f"Summary: {demo_copy / 'analysis' / 'summary.json'}"
    out = demo_copy / "analysis"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["format"] == "innostudy-analysis" and summary["study"]["synthetic"] is True
    assert summary["stats"]["response.submitted"] == 97
    for name in TABLES:
        parquet = pl.read_parquet(out / "parquet" / f"{name}.parquet")
        csv = pl.read_csv(out / "csv" / f"{name}.csv", schema=parquet.schema)
        assert csv.equals(parquet), name
    workbook = load_workbook(out / "tables.xlsx", read_only=True)
    assert workbook.sheetnames == ["about", *TABLES]
    workbook.close()


def test_analyse_list_prints_names_and_values(cli: Cli, demo_copy: Path) -> None:
    before = snapshot(demo_copy)
    result = cli("--study", demo_copy, "analyse", "--list", "--match", "response.*")
    assert result.exit_code == 0
    assert "response.in_scope = 126" in result.stdout.splitlines()
    assert "response.submitted = 97" in result.stdout.splitlines()
    figures = cli("--study", demo_copy, "analyse", "--list", "--match", "barriers_ranked")
    assert figures.stdout.strip() == (
        "figure barriers_ranked (ranking): Rank the barriers you met, the biggest first. "
        "Rank up to five; leave out any that did not apply."
    )
    assert snapshot(demo_copy) == before  # --list writes nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyse", "--tables", "parquet,json"],
         "Error: --tables: unknown format 'json' (choose from parquet, csv, xlsx)"),
        (["analyse", "--charts", "gif"], "Error: --charts: unknown format 'gif' (choose from png, svg)"),
        (["analyse", "chart", "barriers_rank"],
         "Error: unknown figure 'barriers_rank'; did you mean 'barriers_ranked', "
         "'barriers_ranked_by_org_type'? (`innostudy analyse --list` shows every name)"),
        (["analyse", "chart", "category_bars", "--format", "png,svg"],
         "Error: --format: give one format (choose from png, svg)"),
        (["brief", "--format", "ppt"], "Error: --format: unknown format 'ppt' (choose from pptx, html, pdf)"),
        (["brief", "--format", "none"], "Error: --format: give at least one format (choose from pptx, html, pdf)"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line_errors_and_change_nothing(
    cli: Cli, demo_copy: Path, args: list[str], message: str
) -> None:
    before = snapshot(demo_copy)
    result = cli("--study", demo_copy, *args)
    assert (result.exit_code, result.stderr.strip()) == (1, message)
    assert snapshot(demo_copy) == before


def test_a_broken_instrument_is_named_with_its_line(cli: Cli, demo_copy: Path) -> None:
    path = demo_copy / "instrument.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "      - key: category\n        type: single_choice",
            "      - key: category\n        type: single_choise",
        ),
        encoding="utf-8",
    )
    before = snapshot(demo_copy)
    result = cli("--study", demo_copy, "survey", "instrument", "use", path)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        f"Error: {path}, line 106, field 'type': question 'category': unknown type 'single_choise'"
    )
    assert snapshot(demo_copy) == before
    # Until the file is mended or refreshed, commands refuse to work beside it.
    refused = cli("--study", demo_copy, "analyse")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: instrument.yaml has changes that are not the study's")
    assert "+        type: single_choise" in refused.stderr.splitlines()


def test_chart_writes_one_figure(cli: Cli, demo_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "ranked.svg"
    result = cli(
        "--study", demo_copy, "analyse", "chart", "barriers_ranked", "--format", "svg", "-o", target
    )
    assert (result.exit_code, result.stdout.strip()) == (0, f"Chart: {target}")
    assert target.read_bytes().startswith(b"<?xml")


def test_brief_writes_only_the_formats_asked_for(cli: Cli, demo_copy: Path) -> None:
    result = cli("--study", demo_copy, "brief", "--format", "pptx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Briefing (12 slides) in {demo_copy / 'briefing'}:",
        "  briefing.pptx",
    ]
    assert [p.name for p in (demo_copy / "briefing").iterdir()] == ["briefing.pptx"]


def test_brief_refuses_personal_data_and_keeps_the_old_briefing(cli: Cli, demo_copy: Path) -> None:
    import sqlalchemy as sa

    from innostudy.model import OrganisationContact
    from innostudy.storage.store import StudyStore

    with StudyStore.open(demo_copy) as store, store.session() as s:
        name = s.scalars(sa.select(OrganisationContact.contact_name).limit(1)).one()
    toml = demo_copy / "study.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('# organisation = ""', f'organisation = "{name}"'),
        encoding="utf-8",
    )
    before = snapshot(demo_copy)
    result = cli("--study", demo_copy, "brief", "--format", "pptx")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {demo_copy / 'briefing' / 'briefing.pptx'}: would contain registered personal "
        f"data ('{name}'); remove it from the narrative or quotes, or pass --allow-personal-data"
    )
    assert snapshot(demo_copy) == before
    allowed = cli("--study", demo_copy, "brief", "--format", "pptx", "--allow-personal-data")
    assert allowed.exit_code == 0


def test_areas_file_can_choose_the_slides_and_is_checked(cli: Cli, demo_copy: Path) -> None:
    path = demo_copy / "areas.yaml"
    text = path.read_text(encoding="utf-8")
    chosen = text.replace(
        "  - key: general\n    title: General characteristics\n",
        "  - key: general\n    title: General characteristics\n"
        "    briefing_figures: [technology_bars]\n",
    )
    path.write_text(chosen, encoding="utf-8")
    assert cli("--study", demo_copy, "definitions", "import", path).exit_code == 0
    ok = cli("--study", demo_copy, "brief", "--format", "pptx")
    assert ok.exit_code == 0 and ok.stdout.startswith("Briefing (11 slides)")
    adopted = path.read_text(encoding="utf-8")  # now stamped with the new revision
    path.write_text(adopted.replace("[technology_bars]", "[technology_bar]"), encoding="utf-8")
    assert cli("--study", demo_copy, "definitions", "import", path).exit_code == 0
    before = snapshot(demo_copy)
    bad = cli("--study", demo_copy, "brief", "--format", "pptx")
    line = 1 + chosen.splitlines().index("    briefing_figures: [technology_bars]")
    # The stored revision's lines are the file's (the stamp goes last).
    assert (bad.exit_code, bad.stderr.strip()) == (
        1,
        f"Error: areas.yaml (revision 3), line {line}, field 'briefing_figures': unknown figure "
        "'technology_bar' (`innostudy analyse --list` shows the names)",
    )
    assert snapshot(demo_copy) == before
    assert len(load_areas(path)) == 5
