"""`innostudy autocode`, end to end through the real entry point, outside any study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

MINIMAL = """codes:
  - name: Funding
    description: Money, budgets, grants and cash for new ideas.
    examples: ["We ran out of cash after the pilot."]
  - name: Staff skills
    description: Skills, training and capability of the people in the team.
  - name: Legacy IT
    description: Old computer systems and software that block change.
"""

KEYED = """codes:
  - key: barriers
    name: Barriers
    children:
      - {key: barriers.funding, name: Funding, description: "Money, budgets, grants, cash."}
      - {key: barriers.it, name: Legacy IT, description: "Old computer systems and software."}
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INNOSTUDY_ENCODER", "hashing")
    monkeypatch.chdir(tmp_path)  # no study folder anywhere here
    (tmp_path / "minimal.yaml").write_text(MINIMAL)
    (tmp_path / "keyed.yaml").write_text(KEYED)
    rows = [
        {"id": "s1", "text": "money, budgets, grants and cash dried up"},
        {"id": 2, "text": "old computer systems and software everywhere"},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


def read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_minimal_codebook_output_uses_code_names(cli: Cli, files: Path) -> None:
    result = cli(
        "autocode", "--codebook", "minimal.yaml", "--input", "in.jsonl", "--output", "out.jsonl"
    )
    assert result.exit_code == 0, result.stderr
    out = read(files / "out.jsonl")
    assert [o["id"] for o in out] == ["s1", 2]
    assert [o["code"] for o in out] == ["Funding", "Legacy IT"]
    for o in out:
        ranked = o["ranked"]
        assert isinstance(ranked, list) and len(ranked) == 3
        assert ranked[0] == [o["code"], o["confidence"]]
        assert {r[0] for r in ranked} == {"Funding", "Staff skills", "Legacy IT"}
        assert 0 <= float(o["confidence"]) <= 1  # type: ignore[arg-type]
    assert "Coded 2 segments" in result.stderr


def test_keyed_codebook_output_uses_leaf_keys(cli: Cli, files: Path) -> None:
    result = cli(
        "autocode", "--codebook", "keyed.yaml", "--input", "in.jsonl", "--output", "out.jsonl"
    )
    assert result.exit_code == 0, result.stderr
    assert [o["code"] for o in read(files / "out.jsonl")] == ["barriers.funding", "barriers.it"]


JARGON = {
    "Funding": ["ledger", "tranche", "overspend", "virement", "accrual"],
    "Staff skills": ["rota", "mentoring", "canteen", "appraisal", "secondment"],
    "Legacy IT": ["mainframe", "cobol", "patching", "firmware", "middleware"],
}


def jargon_training(names: list[str]) -> list[dict[str, object]]:
    """Four lines per code in each of four transcripts, in words the codebook never uses."""
    return [
        {
            "id": f"{group}-{name}-{n}",
            "text": f"{words[n]} {words[(n + group + 1) % 5]} again {group}",
            "code": name,
            "group": f"session {group}",
        }
        for group in range(4)
        for name in names
        for n, words in [(n, JARGON[name]) for n in range(4)]
    ]


def test_training_labels_by_name_change_the_answer(cli: Cli, files: Path) -> None:
    (files / "odd.jsonl").write_text(json.dumps({"id": "q", "text": "canteen rota"}) + "\n")
    train = jargon_training(list(JARGON))
    (files / "train.jsonl").write_text("".join(json.dumps(t) + "\n" for t in train))
    args = ["autocode", "--codebook", "minimal.yaml", "--input", "odd.jsonl"]
    assert cli(*args, "--output", "zero.jsonl").exit_code == 0
    assert cli(*args, "--output", "learned.jsonl", "--train", "train.jsonl").exit_code == 0
    assert read(files / "zero.jsonl")[0]["code"] != "Staff skills"
    assert read(files / "learned.jsonl")[0]["code"] == "Staff skills"


def test_examples_of_one_code_only_leave_zero_shot_as_it_was(cli: Cli, files: Path) -> None:
    """Skewed training (one code, nothing else) cannot be cross-validated: no change."""
    train = jargon_training(["Staff skills"])
    (files / "train.jsonl").write_text("".join(json.dumps(t) + "\n" for t in train))
    args = ["autocode", "--codebook", "minimal.yaml", "--input", "in.jsonl"]
    assert cli(*args, "--output", "zero.jsonl").exit_code == 0
    assert cli(*args, "--output", "skewed.jsonl", "--train", "train.jsonl").exit_code == 0
    zero, skewed = read(files / "zero.jsonl"), read(files / "skewed.jsonl")
    assert [o["code"] for o in skewed] == [o["code"] for o in zero] == ["Funding", "Legacy IT"]
    assert [o["ranked"] for o in skewed] == [o["ranked"] for o in zero]


def test_codes_lists_every_code_above_its_threshold_best_first(cli: Cli, files: Path) -> None:
    (files / "in.jsonl").write_text(
        json.dumps({"id": "both", "text": "cash grants budgets and old computer systems"}) + "\n"
    )
    result = cli(
        "autocode", "--codebook", "minimal.yaml", "--input", "in.jsonl", "--output", "out.jsonl"
    )
    assert result.exit_code == 0, result.stderr
    (out,) = read(files / "out.jsonl")
    codes = out["codes"]
    assert isinstance(codes, list) and codes[0] == [out["code"], out["confidence"]]
    assert {c[0] for c in codes} == {"Funding", "Legacy IT"}
    assert all(float(c[1]) >= 0.35 for c in codes[1:])  # the default threshold
    assert [c[1] for c in codes] == sorted((c[1] for c in codes), reverse=True)


BAD = [
    (
        "in.jsonl",
        '{"id": "a", "text": "fine"}\n{"id": "b"}\n',
        "in.jsonl, line 2, field 'text': needs a non-empty string 'text'",
    ),
    (
        "in.jsonl",
        '{"id": "a", "text": "x"}\nnot json\n',
        "in.jsonl, line 2: not valid JSON (Expecting value)",
    ),
    (
        "in.jsonl",
        '{"text": "x"}\n',
        "in.jsonl, line 1, field 'id': needs an 'id' (a string or an integer)",
    ),
    (
        "in.jsonl",
        '{"id": 1, "text": "x"}\n{"id": 1, "text": "y"}\n',
        "in.jsonl, line 2, field 'id': id 1 was already used on line 1",
    ),
    ("in.jsonl", "[1, 2]\n", "in.jsonl, line 1: each line must be a JSON object"),
    (
        "in.jsonl",
        '{"id": 1, "text": "x", "group": [1]}\n',
        "in.jsonl, line 1, field 'group': 'group' must be a string or an integer",
    ),
    ("in.jsonl", "\n", "in.jsonl: holds no segments"),
    (
        "train.jsonl",
        '{"id": "t", "text": "x", "code": "Nope"}\n',
        "train.jsonl, line 1, field 'code': 'Nope' is not a code in the codebook",
    ),
    (
        "minimal.yaml",
        "codes:\n  - description: no name\n",
        "minimal.yaml, line 2, field 'name': each code needs a 'name'",
    ),
    (
        "minimal.yaml",
        "codes: []\n",
        "minimal.yaml, line 1, field 'codes': a codebook is a mapping with a non-empty 'codes' list",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_bad_input_is_one_line_and_writes_nothing(
    cli: Cli, files: Path, name: str, content: str, message: str
) -> None:
    (files / name).write_text(content)
    if not (files / "train.jsonl").exists():
        (files / "train.jsonl").write_text('{"id": "t", "text": "cash", "code": "Funding"}\n')
    result = cli(
        "autocode",
        "--codebook",
        "minimal.yaml",
        "--input",
        "in.jsonl",
        "--output",
        "out.jsonl",
        "--train",
        "train.jsonl",
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message}"
    assert not (files / "out.jsonl").exists()
    assert sorted(p.name for p in files.iterdir() if p.name.startswith(".")) == []


def test_missing_input_and_output_folder(cli: Cli, files: Path) -> None:
    result = cli(
        "autocode", "--codebook", "minimal.yaml", "--input", "nope.jsonl", "--output", "o.jsonl"
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: nope.jsonl: file not found"
    result = cli(
        "autocode", "--codebook", "minimal.yaml", "--input", "in.jsonl", "--output", "no/o.jsonl"
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no/o.jsonl: folder no does not exist"


def test_an_existing_output_is_kept_when_input_is_bad(cli: Cli, files: Path) -> None:
    (files / "out.jsonl").write_text("previous\n")
    (files / "in.jsonl").write_text("{oops\n")
    assert (
        cli(
            "autocode", "--codebook", "minimal.yaml", "--input", "in.jsonl", "--output", "out.jsonl"
        ).exit_code
        == 1
    )
    assert (files / "out.jsonl").read_text() == "previous\n"
