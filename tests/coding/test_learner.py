"""The auto-coder through its protocol, on the deterministic hashing encoder."""

from __future__ import annotations

import numpy as np
import pytest

from innostudy.coding.auto.base import AutoCoder, CodeText, Example, HashingEncoder
from innostudy.coding.auto.learner import EmbeddingCoder

CODES = [
    CodeText(
        "money", "Funding", "budget money funding cash grant", examples=("we ran out of cash",)
    ),
    CodeText(
        "people", "Staff", "staff people team skills training", examples=("the team lacked skills",)
    ),
    CodeText(
        "tech",
        "Technology",
        "computer system software legacy IT",
        examples=("the old system crashed",),
    ),
]


def coder() -> AutoCoder:
    return EmbeddingCoder(HashingEncoder())


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    enc = HashingEncoder(64)
    a = enc.encode(["The budget ran out", "the BUDGET ran out", ""])
    assert np.allclose(a[0], a[1])
    assert np.linalg.norm(a[0]) == pytest.approx(1.0)
    assert not a[2].any()


def test_zero_shot_follows_the_codebook_words() -> None:
    c = coder()
    c.fit(CODES)
    out = c.suggest(["the grant money and the budget", "legacy software on every computer"])
    assert [s.code for s in out] == ["money", "tech"]
    for s in out:
        assert sum(p for _, p in s.ranked) == pytest.approx(1.0, abs=1e-3)
        assert next(k for k, _ in s.ranked) == s.code and 0 < s.confidence <= 1
        assert s.ranked == sorted(s.ranked, key=lambda kp: -kp[1])
        assert all(n.code == s.code and n.ref.startswith("codebook example") for n in s.nearest)


def test_accepted_examples_teach_what_the_codebook_did_not_say() -> None:
    text = "the canteen queue was long again"
    c = coder()
    c.fit(CODES)
    before = c.suggest([text])[0]
    examples = [Example(f"canteen queue long story {i}", "people", f"seg {i}") for i in range(4)]
    c.fit(CODES, examples)
    after = c.suggest([text])[0]
    assert after.code == "people"
    assert dict(after.ranked)["people"] > dict(before.ranked).get("people", 0.0)
    assert after.nearest and after.nearest[0].ref.startswith("seg ")


def test_unknown_codes_in_examples_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the codebook: nope"):
        coder().fit(CODES, [Example("x", "nope")])


def test_a_single_code_gets_full_confidence() -> None:
    c = coder()
    c.fit(CODES[:1])
    assert c.suggest(["anything"])[0].confidence == 1.0
