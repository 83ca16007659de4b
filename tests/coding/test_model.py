"""The real packaged model (slow): offline, accurate on unseen text, fast path agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from innostudy.coding.auto.embeddings import MiniLMEncoder
from innostudy.coding.reliability import cohen_kappa
from tests.conftest import Cli

HELD_OUT = Path(__file__).parents[2] / "bench" / "data" / "heldout_segments.yaml"
CODEBOOK = Path(__file__).parents[2] / "src" / "innostudy" / "defaults" / "codebook.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def held_out() -> list[dict[str, str]]:
    items: list[dict[str, str]] = yaml.safe_load(HELD_OUT.read_text())["segments"]
    return items


@pytest.fixture(scope="session")
def fast() -> MiniLMEncoder:
    """Loaded once per session (the model itself is cached per process)."""
    encoder = MiniLMEncoder("onnx-int8")
    encoder.encode(["warm up"])
    return encoder


def test_autocode_with_the_real_model_agrees_with_a_coder_on_unseen_text(
    cli: Cli, tmp_path: Path, held_out: list[dict[str, str]], fast: MiniLMEncoder
) -> None:
    (tmp_path / "in.jsonl").write_text(
        "".join(json.dumps({"id": h["id"], "text": h["text"]}) + "\n" for h in held_out)
    )
    result = cli(
        "autocode",
        "--codebook",
        CODEBOOK,
        "--input",
        tmp_path / "in.jsonl",
        "--output",
        tmp_path / "out.jsonl",
    )
    assert result.exit_code == 0, result.stderr
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == [h["id"] for h in held_out]
    kappa = cohen_kappa([h["code"] for h in held_out], [o["code"] for o in out])
    assert kappa is not None and kappa >= 0.55  # zero-shot, from the codebook alone
    assert all(len(o["ranked"]) == 26 for o in out)


def test_fast_path_gives_nearly_the_same_vectors_as_the_reference(
    held_out: list[dict[str, str]], fast: MiniLMEncoder
) -> None:
    texts = [h["text"] for h in held_out]
    a = fast.encode(texts)
    b = MiniLMEncoder("torch").encode(texts)
    cosine = (a * b).sum(axis=1)
    assert cosine.min() > 0.95 and cosine.mean() > 0.985
