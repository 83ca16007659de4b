"""Codebook operations, matrices, search and the `code` commands on the demo study."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.base import HashingEncoder
from innostudy.coding.codebook import load_codebook
from innostudy.coding.codebook_ops import code_by_key, merge_codes, rename_code, split_code
from innostudy.coding.coded import coded_rows, judgements
from innostudy.coding.group_matrix import rolled_up
from innostudy.coding.matrices import code_by_group, code_by_sector, cooccurrence
from innostudy.coding.reliability import cohen_kappa
from innostudy.coding.search import search_segments
from innostudy.coding.segments import codable_segments
from innostudy.errors import InputError
from innostudy.model import AuditEvent, Code, CodeStatus, Coding, Quote
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


def test_merge_moves_codings_and_quotes(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        src, dst = code_by_key(s, "barriers.rewards"), code_by_key(s, "barriers.funding")
        before = Counter(s.scalars(sa.select(Coding.code_id)))
        quotes = s.scalar(
            sa.select(sa.func.count()).select_from(Quote).where(Quote.code_id == src.id)
        )
        moved = merge_codes(s, src, dst, actor="t")
        assert moved == before[src.id] > 0
        after = Counter(s.scalars(sa.select(Coding.code_id)))
        assert after[src.id] == 0 and after[dst.id] == before[src.id] + before[dst.id]
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Quote).where(Quote.code_id == dst.id))
            >= quotes
        )
        assert src.status is CodeStatus.MERGED and src.merged_into_id == dst.id
        assert s.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action == "code.merge")
        ).all()


def test_rename_keeps_codings_and_children_follow_a_new_key(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        area = code_by_key(s, "costs")
        child = code_by_key(s, "costs.speed")
        n = s.scalar(
            sa.select(sa.func.count()).select_from(Coding).where(Coding.code_id == child.id)
        )
        rename_code(s, area, key="money", name="Money and time")
        assert child.key == "money.speed" and area.name == "Money and time"
        assert (
            s.scalar(
                sa.select(sa.func.count()).select_from(Coding).where(Coding.code_id == child.id)
            )
            == n
        )
        with pytest.raises(InputError, match="already exists"):
            rename_code(s, child, key="money.approval")


def test_split_moves_only_the_named_codings(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        src = code_by_key(s, "barriers.it")
        ids = list(
            s.scalars(sa.select(Coding.id).where(Coding.code_id == src.id).order_by(Coding.id))
        )
        made = split_code(
            s,
            src,
            [("barriers.legacy", "Legacy"), ("barriers.security", "Security")],
            {ids[0]: "barriers.security"},
        )
        assert [c.key for c in made] == ["barriers.legacy", "barriers.security"]
        assert s.get_one(Coding, ids[0]).code_id == made[1].id
        assert all(s.get_one(Coding, i).code_id == src.id for i in ids[1:])
        with pytest.raises(InputError, match="not one of the new codes"):
            split_code(
                s, code_by_key(s, "barriers.skills"), [("barriers.x", "X")], {ids[1]: "barriers.y"}
            )


def test_group_and_sector_matrices_match_a_recount(demo_study: object) -> None:
    folder = demo_study.folder  # type: ignore[attr-defined]
    with StudyStore.open(folder) as store, store.session() as s:
        rows = {(r.segment.id, r.code): r.segment for r in coded_rows(s)}
        segs = codable_segments(s)
        tables = code_by_group(s)
        sectors = code_by_sector(s)
        co = cooccurrence(s)
    # a parent counts a turn coded with it or any code below it, once
    turns = {
        (seg.id, key, seg.group_label) for (_, code), seg in rows.items() for key in rolled_up(code)
    }
    counts = Counter((key, group) for _, key, group in turns)
    totals = Counter(seg.group_label for seg in segs)
    for (code, group), n in counts.items():
        assert tables["counts"].loc[code, group] == n
        assert tables["share"].loc[code, group] == pytest.approx(n / totals[group], abs=1e-4)
    assert int(tables["counts"].to_numpy().sum()) == len(turns)
    assert set(sectors["counts"].columns) == {"Civil service", "Comparison"}
    assert sectors["counts"].to_numpy().sum() == tables["counts"].to_numpy().sum()
    per_code = Counter(code for _, code in rows)
    assert all(co.loc[c, c] == n for c, n in per_code.items())


def test_search_ranks_by_meaning_and_filters(demo_copy: Path) -> None:
    enc = HashingEncoder()
    with StudyStore.open(demo_copy) as store, store.session() as s:
        target = codable_segments(s)[5]
        hits = search_segments(s, enc, target.text, limit=3)
        assert hits[0].segment.id == target.id and hits[0].similarity == pytest.approx(
            1.0, abs=1e-4
        )
        only = search_segments(s, enc, "budget", group=target.group_label, code="costs", limit=50)
        assert only and all(h.segment.group_label == target.group_label for h in only)
        assert all(any(c.startswith("costs.") for c in h.codes) for h in only)
        usable = {x.id for x in codable_segments(s)}
        assert {h.segment.id for h in search_segments(s, enc, "the", limit=10_000)} <= usable


def test_code_commands_apply_list_memo_remove(cli: Cli, demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        seg = codable_segments(s)[0]
    study = ["--study", demo_copy]
    r = cli(*study, "code", "apply", seg.id, "costs.speed", "--coder", "zoe", "--memo", "fast?")
    assert r.exit_code == 0, r.stderr
    coding_id = int(r.stdout.split()[1].rstrip(":"))
    r = cli(*study, "code", "list", "--coder", "zoe")
    assert "costs.speed" in r.stdout and "memo: fast?" in r.stdout and r.stderr == "1 coding\n"
    assert cli(*study, "code", "memo", coding_id, "slow", "--coder", "zoe").exit_code == 0
    r = cli(*study, "code", "remove", coding_id, "--coder", "yan")
    assert r.exit_code == 1
    assert (
        r.stderr.strip()
        == f"Error: coding {coding_id}, field 'coder': belongs to zoe; each coder changes only their own codings"
    )
    assert cli(*study, "code", "remove", coding_id, "--coder", "zoe").exit_code == 0
    assert "0 codings" in cli(*study, "code", "list", "--coder", "zoe").stderr
    with StudyStore.open(demo_copy) as store, store.session() as s:
        trail = audit_trail(s, coding_id)
    assert trail[0] == ("zoe", "coding.memo", {"from": "fast?", "to": "slow"})
    actor, action, removed = trail[1]
    assert (actor, action, sorted(removed)) == ("zoe", "coding.remove", REMOVAL_KEYS)
    assert (removed["code"], removed["coder"], removed["memo"]) == ("costs.speed", "zoe", "slow")


REMOVAL_KEYS = sorted(
    ["segment_id", "code_id", "code", "coder_id", "coder", "start", "end", "status", "memo"]
)


def audit_trail(s: Session, coding_id: int) -> list[tuple[str, str, dict[str, object]]]:
    """What the audit log says happened to one coding: the same shape from CLI and web."""
    events = s.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "coding", AuditEvent.entity_id == coding_id)
        .order_by(AuditEvent.id)
    )
    return [(e.actor, e.action, e.detail) for e in events]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["code", "apply", "999999", "costs.speed", "--coder", "z"],
            "no segment with ID 999999; list them with `innostudy transcripts show TRANSCRIPT`",
        ),
        (
            ["code", "apply", "1", "costs.speed", "--coder", "z"],
            "segment 1, field 'segment': is not a participant's turn that may be analysed (facilitator, or consent withdrawn)",
        ),
        (
            ["code", "merge", "costs.nope", "costs.speed"],
            "no code 'costs.nope'; list them with `innostudy code codebook`",
        ),
        (
            ["code", "add", "Bad Key", "X"],
            "codebook, field 'key': code key 'Bad Key' must be lower-case letters, digits and _ separated by dots",
        ),
        (
            ["code", "accept-all", "--coder", "z", "--threshold", "0"],
            "--threshold, field 'threshold': must be above 0 and at most 1",
        ),
        (
            ["code", "matrix", "survey"],
            "--question, field 'question': a survey matrix needs --question (e.g. barriers_ranked)",
        ),
        (
            ["code", "reliability", "-c", "a"],
            "--coder, field 'coder': name at least two different coders",
        ),
        (
            ["code", "reliability", "-c", "simulated-coder-a", "-c", "nobody"],
            "no coder 'nobody'; list them with `innostudy code coders`",
        ),
        (
            ["code", "reliability", "-c", "simulated-coder-a", "-c", "autocoder"],
            "--coder, field 'coder': 'autocoder' has no accepted codings to compare; "
            "see who coded what with `innostudy code coders`",
        ),
    ],
)
def test_code_command_errors_change_nothing(
    cli: Cli, demo_copy: Path, args: list[str], message: str
) -> None:
    def snapshot() -> tuple[int, int]:
        with StudyStore.open(demo_copy) as store, store.session() as s:
            return (
                s.scalar(sa.select(sa.func.count()).select_from(Coding)) or 0,
                s.scalar(sa.select(sa.func.count()).select_from(Code)) or 0,
            )

    before = snapshot()
    codebook_file = (demo_copy / "codebook.yaml").read_bytes()
    r = cli("--study", demo_copy, *args)
    assert r.exit_code == 1
    assert r.stderr.strip() == f"Error: {message}"
    assert snapshot() == before
    assert (demo_copy / "codebook.yaml").read_bytes() == codebook_file
    assert not list(demo_copy.glob("codebook.yaml.*.bak"))


def test_matrix_exports_xlsx_and_heatmap(cli: Cli, demo_copy: Path, tmp_path: Path) -> None:
    r = cli(
        "--study",
        demo_copy,
        "code",
        "matrix",
        "group",
        "--xlsx",
        tmp_path / "m.xlsx",
        "--heatmap",
        tmp_path / "m.png",
        "--share",
    )
    assert r.exit_code == 0, r.stderr
    sheets = pd.read_excel(tmp_path / "m.xlsx", sheet_name=None, header=1, index_col=0)
    assert set(sheets) == {"counts", "share", "word_share", "people", "bases", "Machine assistance"}
    assert list(sheets["bases"].index) == ["turns", "words", "people"]
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("--study", demo_copy, "code", "matrix", "survey", "--question", "barriers_ranked")
    assert r.exit_code == 0 and "(organisations answering)" in r.stdout


def test_reliability_command_reports_the_demo_coders(cli: Cli, demo_copy: Path) -> None:
    r = cli(
        "--study",
        demo_copy,
        "code",
        "reliability",
        "-c",
        "simulated-coder-a",
        "-c",
        "simulated-coder-b",
        "--show",
        "2",
    )
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("simulated-coder-a and simulated-coder-b: ")
    assert "turns judged by two or more coders" in lines[0]
    assert lines[2].split() == ["code", "units", "prev.", "agree", "kappa", "alpha", "AC1"]
    overall = lines[3].split()
    assert overall[:2] == ["(all", "codes)"] and overall[3] == "–"
    assert 0 < float(overall[5]) < 1.0  # kappa
    assert all(0 < float(v) <= 1 for v in overall[4:8])
    with StudyStore.open(demo_copy) as store, store.session() as s:
        pairs = judgements(s, ["simulated-coder-a", "simulated-coder-b"])
    shared = sorted(set(pairs["simulated-coder-a"]) & set(pairs["simulated-coder-b"]), key=repr)
    shared = [u for u in shared if pairs["simulated-coder-a"][u] or pairs["simulated-coder-b"][u]]
    kappa = cohen_kappa(
        [pairs["simulated-coder-a"][u] for u in shared],
        [pairs["simulated-coder-b"][u] for u in shared],
    )
    assert kappa is not None and overall[5] == f"{kappa:.2f}"
    first_code = lines[4].split()
    assert first_code[0].startswith("general.") and 0 < float(first_code[2]) < 1  # prevalence
    listed = [line for line in lines if line.startswith("  ") and " applied it, " in line]
    assert len(listed) == 2 and "disagreements, by code then position" in r.stdout
    assert ", turn " in listed[0] and "(segment " in listed[0]


def test_coders_lists_who_coded_what(cli: Cli, demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        accepted = Counter(r.coder for r in coded_rows(s))
    r = cli("--study", demo_copy, "code", "coders")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["CODER", "KIND", "ACCEPTED", "TRANSCRIPTS"]
    shown = {line.split()[0]: line.split() for line in lines[1:]}
    assert shown["simulated-coder-a"][1:3] == ["person", str(accepted["simulated-coder-a"])]
    assert shown["autocoder"][1:3] == ["model", "0"]


def _live_codes(study: Path) -> dict[str, str]:
    with StudyStore.open(study) as store, store.session() as s:
        return {
            c.key: c.name
            for c in s.scalars(sa.select(Code).where(Code.status == CodeStatus.ACTIVE))
        }


def _file_codes(study: Path) -> dict[str, str]:
    spec = load_codebook(study / "codebook.yaml")
    return {c.key: c.name for c in spec.walk()}


def test_codebook_commands_keep_the_codebook_file_equal_to_the_study(
    cli: Cli, demo_copy: Path
) -> None:
    study = ["--study", demo_copy]
    original = (demo_copy / "codebook.yaml").read_text(encoding="utf-8")
    steps = [
        ["code", "add", "barriers.trust", "Trust", "--description", "Who believes whom."],
        ["code", "rename", "costs.speed", "--name", "Speed and pace", "--key", "costs.pace"],
        ["code", "merge", "barriers.trust", "costs.pace"],
        ["code", "split", "costs.pace", "--into", "costs.fast=Fast", "--into", "costs.slow=Slow"],
    ]
    for number, step in enumerate(steps, start=2):
        r = cli(*study, *step)
        assert r.exit_code == 0, r.stderr
        assert r.stderr.strip() == f"Codebook revision {number}; codebook.yaml shows it"
        assert _file_codes(demo_copy) == _live_codes(demo_copy)
    written = _file_codes(demo_copy)
    assert "barriers.trust" not in written and "costs.speed" not in written
    assert {"costs.fast", "costs.slow"} <= set(written)
    assert not list(demo_copy.glob("codebook.yaml.*.bak"))  # the history is in the database
    history = cli(*study, "definitions", "history", "codebook").stdout.splitlines()
    assert [line.split()[0] for line in history[1:]] == ["1", "2", "3", "4", "5"]
    assert "innostudy code split costs.pace" in history[5]
    first = cli(*study, "definitions", "diff", "codebook", "--revision", "1", "--to", "2")
    assert "+  - key: barriers.trust" in first.stdout.splitlines()
    old = demo_copy / "codebook-1.yaml"
    cli(*study, "definitions", "export", "codebook", "--revision", "1", "-o", old)
    assert old.read_text(encoding="utf-8").startswith(original.split("# innostudy: ")[0])


def test_calibration_command_reports_the_demo_reviews(
    cli: Cli, demo_copy: Path, tmp_path: Path
) -> None:
    from innostudy.coding.auto.reviews import calibration_report

    with StudyStore.open(demo_copy) as store, store.session() as s:
        report = calibration_report(s)
    r = cli("--study", demo_copy, "code", "calibration", "--chart", tmp_path / "c.png")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{report.reviews} reviewed suggestions, {report.accepted} accepted")
    assert f"expected calibration error {report.ece:.3f}" in lines[0]
    binned = [line for line in lines if "–" in line[:8]]
    assert sum(int(line.split()[1]) for line in binned) == report.reviews
    assert f"Threshold for codes with few reviews: {report.thresholds.pooled:.2f}" in r.stdout
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    bad = cli("--study", demo_copy, "code", "calibration", "--chart", tmp_path / "c.gif")
    assert (bad.exit_code, bad.stderr.strip()) == (
        1,
        "Error: --chart, field 'chart': give a file name ending in .png or .svg",
    )
