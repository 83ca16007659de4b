"""Rows checked in worker processes give exactly what checking them in order gives.

The workers only start for large files; here the threshold and the block size are made
tiny, so that even small files are cut into many blocks, some inside quoted values.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from innostudy.survey.importing import core, parallel
from innostudy.survey.importing.rows import EMPTY, Judged
from tests.conftest import Cli
from tests.survey.conftest import fixture, snapshot
from tests.survey.real_world import import_file, write_csv
from tests.survey.test_import_writer import contents


def both_ways(
    cli: Cli, pilot_study: Path, tmp_path: Path, path: Path, *args: object, split: bool = True
) -> tuple[tuple[int, str, str], tuple[int, str, str], Path]:
    """Import ``path`` in order into one copy of the study and with workers into another."""
    ordered = tmp_path / "ordered"
    shutil.copytree(pilot_study, ordered)
    one = import_file(cli, ordered, path, "--timezone", "UTC", *args)
    blocks: list[int] = []
    original = core.judged_blocks

    def counted(*a: Any) -> Any:
        for found in original(*a):
            blocks.append(found[1].records)
            yield found

    with pytest.MonkeyPatch.context() as m:
        m.setattr(parallel, "MIN_BYTES", 0)
        m.setattr(parallel, "BLOCK_BYTES", 100)
        m.setattr(core, "judged_blocks", counted)
        m.setenv("INNOSTUDY_IMPORT_WORKERS", "2")
        two = import_file(cli, pilot_study, path, "--timezone", "UTC", *args)
    assert len(blocks) > 1 or not split  # the workers really ran, on several blocks
    return one, two, ordered


def same(one: tuple[int, str, str], two: tuple[int, str, str], a: Path, b: Path) -> Any:
    assert one[0] == two[0], (one, two)
    assert one[1].replace(str(a), "") == two[1].replace(str(b), "")
    return contents(a) == contents(b)


@pytest.mark.parametrize("name", ["generic_good.csv", "qualtrics_text.csv", "kobo_groups.csv"])
def test_workers_import_what_one_pass_imports(
    cli: Cli, pilot_study: Path, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    shutil.copy(fixture(name), source)
    one, two, ordered = both_ways(cli, pilot_study, tmp_path, source)
    assert one[0] == 0, one[2]
    assert same(one, two, ordered, pilot_study)


def test_blocks_cut_only_between_records(tmp_path: Path) -> None:
    rows = [["id", "text"]] + [[str(n), f'line one\nline "two" of {n},\nthree'] for n in range(60)]
    path = write_csv(tmp_path / "multiline.csv", rows)
    digest = hashlib.sha256()
    start = len(b"id,text\r\n")
    spans = list(parallel.blocks(path, start, digest, size=200))
    assert len(spans) > 5 and spans[0][0] == start and spans[-1][1] == path.stat().st_size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    data = path.read_bytes()
    assert all(data[:end].count(b'"') % 2 == 0 for _, end in spans)  # never inside quotes
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_problems_are_named_as_one_pass_names_them(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.csv"
    shutil.copy(fixture("generic_mixed_bad.csv"), source)
    before = snapshot(pilot_study)
    one, two, _ = both_ways(cli, pilot_study, tmp_path, source)
    assert one[0] == two[0] == 1
    assert one[2].replace("ordered", "pilot").split(" (")[0] == two[2].split(" (")[0]
    assert snapshot(pilot_study) == before


class _Reader:
    """Reads rows and says nothing about them: only the parsing of blocks is under test."""

    decoder = SimpleNamespace(notes={})

    def judge(self, number: int, cells: list[str]) -> Judged:
        return Judged(number, EMPTY)


def test_a_stray_quote_falls_back_to_one_pass(
    cli: Cli, pilot_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote inside an unquoted value breaks the quote count: a block then ends inside a
    quoted value, its worker says so, and the whole file is checked in one pass instead."""
    rows = [["organisation", "organisation_type", "title", "category", "cost", "origin"]]
    rows[0] += ["impacts/service", "impacts/costs", "overall", "summary"]
    for n in range(12):
        title = 'A 5" screen' if n == 2 else f"Idea {n}"
        rows.append([f"Org {n}", "ndpb", title, "it", "under_100k", "ministers"])
        rows[-1] += ["high", "high", "high", f"first line\nsecond line {n}"]
    path = write_csv(tmp_path / "stray.csv", rows)
    text = path.read_text(encoding="utf-8").replace('"A 5"" screen"', 'A 5" screen')
    path.write_text(text, encoding="utf-8")  # as a careless exporter writes it
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 300)
    start = parallel.data_start(core.open_table(path), 1)
    spans = list(parallel.blocks(path, start, hashlib.sha256()))
    monkeypatch.setattr(parallel, "_TABLE", core.open_table(path))
    monkeypatch.setattr(parallel, "_CHECKER", _Reader())
    verdicts = [parallel._judge_block(*span) for span in spans[1:]]
    assert any(isinstance(v, str) and "unexpected end of data" in v for v in verdicts)
    one, two, ordered = both_ways(cli, pilot_study, tmp_path, path, split=False)
    assert one[0] == 0, one[2]
    assert same(one, two, ordered, pilot_study)


def test_semicolons_hashtags_and_line_breaks_in_cells(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    from tests.survey.test_real_kobo_spss_xlsform import kobo_labels

    path = kobo_labels(tmp_path / "kobo.csv")
    one, two, ordered = both_ways(cli, pilot_study, tmp_path, path)
    assert one[0] == 0, one[2]
    assert same(one, two, ordered, pilot_study)
