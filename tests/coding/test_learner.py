"""The auto-coder through its protocol, on the deterministic hashing encoder: the codebook
is the prior, examples move codes only as far as cross-validation allows."""

from __future__ import annotations

import random

import numpy as np
import pytest

from innostudy.coding.auto.base import AutoCoder, CodeText, Example, HashingEncoder
from innostudy.coding.auto.learner import Context, EmbeddingCoder

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

# Words the codebook never uses: only accepted examples can teach them.
JARGON = {
    "money": ["ledger", "tranche", "overspend", "virement", "accrual"],
    "people": ["rota", "mentoring", "canteen", "appraisal", "secondment"],
    "tech": ["mainframe", "cobol", "patching", "firmware", "middleware"],
}


def jargon_examples(codes: tuple[str, ...] = ("money", "people", "tech")) -> list[Example]:
    """Four examples per code in each of four transcripts, in the code's own jargon."""
    out = []
    for group in range(4):
        for code in codes:
            words = JARGON[code]
            for n in range(4):
                text = f"{words[n]} {words[(n + group + 1) % 5]} again {group}"
                out.append(Example(text, code, f"t{group} #{n}", f"transcript {group}"))
    return out


def coder() -> EmbeddingCoder:
    return EmbeddingCoder(HashingEncoder())


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    enc = HashingEncoder(64)
    a = enc.encode(["The budget ran out", "the BUDGET ran out", ""])
    assert np.allclose(a[0], a[1])
    assert np.linalg.norm(a[0]) == pytest.approx(1.0)
    assert not a[2].any()


def test_zero_shot_follows_the_codebook_words() -> None:
    c: AutoCoder = coder()
    c.fit(CODES)
    out = c.suggest(["the grant money and the budget", "legacy software on every computer"])
    assert [s.code for s in out] == ["money", "tech"]
    for s in out:
        assert sum(p for _, p in s.ranked) == pytest.approx(1.0, abs=1e-3)
        assert next(k for k, _ in s.ranked) == s.code and 0 < s.confidence <= 1
        assert s.ranked == sorted(s.ranked, key=lambda kp: -kp[1])
        assert s.codes[0] == (s.code, s.confidence)
        assert all(n.code == s.code and n.ref.startswith("codebook example") for n in s.nearest)


def test_accepted_examples_teach_what_the_codebook_did_not_say() -> None:
    texts = ["canteen rota", "cobol mainframe", "tranche overspend"]
    c = coder()
    c.fit(CODES)
    before = [s.code for s in c.suggest(texts)]
    c.fit(CODES, jargon_examples())
    after = c.suggest(texts)
    assert [s.code for s in after] == ["people", "tech", "money"] != before
    assert c.weight > 0 and c.choice is not None and c.choice.gains[c.weight] > 0
    assert after[0].nearest and after[0].nearest[0].ref.startswith("t")


def test_codes_without_examples_keep_their_zero_shot_scores() -> None:
    """Examples of two codes only: a text zero-shot puts under the third keeps its scores."""
    c = coder()
    c.fit(CODES)
    text = ["legacy computer software system"]
    zero = c.scores(c.encoder.encode(text))
    # Each code's examples carry the other's codebook word, so zero-shot gets them wrong
    # and only the jargon (the evidence) can set them right.
    misleading = {"money": "staff", "people": "budget"}
    examples = [
        Example(f"{e.text} {misleading[e.code]}", e.code, e.ref, e.group)
        for e in jargon_examples(("money", "people"))
    ]
    c.fit(CODES, examples)
    assert c.weight > 0
    assert c.codes[int(zero.argmax())] == "tech"
    assert np.allclose(c.scores(c.encoder.encode(text)), zero)
    assert c.suggest(text)[0].code == "tech"


def test_how_many_examples_a_code_has_is_not_a_prior() -> None:
    """The same examples repeated eightfold for one code change nothing."""
    texts = ["rota ledger", "cobol canteen", "tranche firmware", "appraisal accrual"]
    balanced = coder()
    balanced.fit(CODES, jargon_examples())
    piled = coder()
    extra = [e for e in jargon_examples() if e.code == "money"] * 7
    piled.fit(CODES, [*jargon_examples(), *extra])
    assert [s.code for s in piled.suggest(texts)] == [s.code for s in balanced.suggest(texts)]


def test_examples_that_do_not_generalise_leave_zero_shot_alone() -> None:
    """Labels that contradict each other across transcripts: cross-validation finds no gain."""
    rng = random.Random(3)
    shuffled = [
        Example(e.text, rng.choice(["money", "people", "tech"]), e.ref, e.group)
        for e in jargon_examples()
    ]
    texts = ["grant money", "team skills", "canteen rota", "cobol"]
    c = coder()
    c.fit(CODES)
    zero = c.probabilities(c.encoder.encode(texts))
    c.fit(CODES, shuffled)
    assert c.weight == 0.0
    assert np.allclose(c.probabilities(c.encoder.encode(texts)), zero)


def test_examples_from_one_transcript_are_cross_validated_in_blocks() -> None:
    one = [Example(e.text, e.code, e.ref, "only") for e in jargon_examples()]
    c = coder()
    c.fit(CODES, one)
    assert c.weight > 0
    assert c.suggest(["mentoring appraisal"])[0].code == "people"


def test_context_groups_are_centred_the_same_way_as_examples() -> None:
    c = coder()
    texts = ["canteen rota", "cobol mainframe"]
    vectors = c.encoder.encode(texts)
    c.fit(CODES, jargon_examples(), context=Context(vectors, ["new", "new"]))
    assert [s.code for s in c.suggest_vectors(vectors, ["new", "new"])] == ["people", "tech"]


def test_several_codes_above_their_thresholds_are_listed() -> None:
    c = EmbeddingCoder(HashingEncoder(), thresholds={"tech": 0.0}, default_threshold=1.0)
    c.fit(CODES)
    s = c.suggest(["grant money and budget"])[0]
    assert s.code == "money"
    assert [k for k, _ in s.codes] == ["money", "tech"]  # tech passes its 0.0 threshold
    assert c.threshold("people") == 1.0


def test_held_out_reviews_say_which_codes_the_examples_carry() -> None:
    c = coder()
    c.fit(CODES, jargon_examples())
    reviews = c.held_out_reviews()
    assert reviews and all(0.0 <= r.confidence <= 1.0 for r in reviews)
    assert any(r.accepted for r in reviews) and any(not r.accepted for r in reviews)


def test_unknown_codes_in_examples_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the codebook: nope"):
        coder().fit(CODES, [Example("x", "nope")])


def test_a_single_code_gets_full_confidence() -> None:
    c = coder()
    c.fit(CODES[:1])
    assert c.suggest(["anything"])[0].confidence == 1.0
