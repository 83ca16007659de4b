"""The demo's reliability figure is measured between two coding passes that each read the
transcripts by their own procedure, and neither copies the generator's labels."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innostudy.coding.coded import coded_rows, judgements
from innostudy.coding.reliability import cohen_kappa, reliability
from innostudy.demo.autocoding import FIRST_CODER, SECOND_CODER
from innostudy.demo.build import DemoSummary
from innostudy.demo.glossary_coder import GlossaryCoder
from innostudy.demo.ground_truth import GroundTruth, load_ground_truth
from innostudy.demo.note_coder import NoteCoder
from innostudy.demo.reading import SessionTurn, stem, stems
from innostudy.model import Coder, Segment
from innostudy.storage.store import StudyStore


@pytest.fixture(scope="module")
def truth(demo_study: DemoSummary) -> GroundTruth:
    return load_ground_truth(demo_study.folder)


@pytest.fixture(scope="module")
def coded(demo_study: DemoSummary) -> dict[str, dict[int, frozenset[str]]]:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        out: dict[str, dict[int, set[str]]] = {FIRST_CODER: {}, SECOND_CODER: {}}
        for row in coded_rows(s, coders=[FIRST_CODER, SECOND_CODER]):
            out[row.coder].setdefault(row.segment.id, set()).add(row.code)
        return {c: {k: frozenset(v) for k, v in m.items()} for c, m in out.items()}


def test_the_coders_are_labelled_simulated(demo_study: DemoSummary) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        people = set(s.scalars(sa.select(Coder.name).where(Coder.kind == "person")))
    assert people == {FIRST_CODER, SECOND_CODER}
    assert all("simulated" in name for name in people)


def test_the_second_pass_is_coder_b_reading_the_transcripts_and_nothing_else(
    demo_study: DemoSummary, truth: GroundTruth, coded: dict[str, dict[int, frozenset[str]]]
) -> None:
    """Re-reading the stored transcript text with coder B's procedure gives B's codings."""
    reader = GlossaryCoder.packaged()
    gone = {p.code for s in truth.sessions for p in s.participants if p.withdrawn}
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        texts = {seg.id: seg.text for seg in s.scalars(sa.select(Segment))}
    double = {t.segment_id for t in truth.turns().values()} & set(coded[SECOND_CODER])
    sessions = [x for x in truth.sessions if any(t.segment_id in double for t in x.turns)]
    assert len(sessions) == 4 and {x.sector for x in sessions} == {"civil_service", "comparison"}
    for session in sessions:
        turns = [t for t in session.turns if t.speaker not in gone]
        read = reader.read(
            [SessionTurn(t.speaker != "facilitator", texts[t.segment_id]) for t in turns]
        )
        for turn, codes in zip(turns, read, strict=True):
            if turn.speaker != "facilitator":
                assert coded[SECOND_CODER].get(turn.segment_id, frozenset()) == frozenset(codes)


def test_both_coders_read_the_text_well_and_neither_copies_the_generator(
    truth: GroundTruth, coded: dict[str, dict[int, frozenset[str]]]
) -> None:
    usable = [t for s in truth.sessions for t in s.usable_turns()]
    for coder, turns in (
        (FIRST_CODER, usable),
        (
            SECOND_CODER,
            [
                t
                for s in truth.sessions
                if s.transcript_id in _double(truth, coded)
                for t in s.usable_turns()
            ],
        ),
    ):
        meant = [frozenset(t.codes) for t in turns]
        got = [coded[coder].get(t.segment_id, frozenset()) for t in turns]
        same = sum(m == g for m, g in zip(meant, got, strict=True)) / len(turns)
        kappa = cohen_kappa(meant, got)
        assert same < 0.8, (coder, same)  # a copy of the labels would agree almost everywhere
        assert kappa is not None and kappa > 0.4, (coder, kappa)  # but both read the text


def _double(truth: GroundTruth, coded: dict[str, dict[int, frozenset[str]]]) -> set[int]:
    return {
        s.transcript_id
        for s in truth.sessions
        if any(t.segment_id in coded[SECOND_CODER] for t in s.turns)
    }


def test_the_reported_agreement_is_recomputed_from_both_passes(demo_study: DemoSummary) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        report = reliability(judgements(s, [FIRST_CODER, SECOND_CODER]))
        pairs = judgements(s, [FIRST_CODER, SECOND_CODER])
    both = set(pairs[FIRST_CODER]) & set(pairs[SECOND_CODER])
    # Turns both saw and neither coded are reported apart, not counted as agreement.
    shared = sorted((u for u in both if pairs[FIRST_CODER][u] or pairs[SECOND_CODER][u]), key=repr)
    assert (report.double_coded, report.uncoded) == (len(shared), len(both) - len(shared))
    by_hand = cohen_kappa(
        [pairs[FIRST_CODER][u] for u in shared], [pairs[SECOND_CODER][u] for u in shared]
    )
    assert report.overall.kappa.value == pytest.approx(by_hand)
    assert by_hand is not None and 0.3 < by_hand < 0.95  # measured: neither set nor perfect


def test_reading_stems_words_and_keeps_it_apart_from_IT() -> None:
    assert stem("budgets") == stem("budgeting") == "budget"
    assert stems("IT systems, and it works") == ["infotech", "system", "work"]


def test_coder_a_carries_the_theme_in_play_to_a_reply_without_signs() -> None:
    coder = NoteCoder({"x.budget": ["budget", "financial year"], "x.risk": ["blame", "fear"]})
    turns = [
        SessionTurn(False, "What about the budget?"),
        SessionTurn(True, "The budget is the whole story for us."),
        SessionTurn(True, "Absolutely right, that is what happens every single year."),
        SessionTurn(True, "Mm, yes."),
        SessionTurn(True, "Blame and fear, and the budget, and the financial year."),
    ]
    assert coder.read(turns) == [(), ("x.budget",), ("x.budget",), (), ("x.budget", "x.risk")]


def test_coder_b_reads_sentences_alone_and_answers_the_question_when_silent() -> None:
    others = {f"x.other{i}": [f"other{i}"] for i in range(20)}  # terms of one code weigh more
    coder = GlossaryCoder({"x.budget": ["budget", "financial year"], "x.risk": ["blame"], **others})
    turns = [
        SessionTurn(False, "Tell me about the financial year."),
        SessionTurn(True, "Blame. Blame everywhere."),
        SessionTurn(True, "I honestly could not say much more than that about it today."),
        SessionTurn(True, "Yes."),
    ]
    assert coder.read(turns) == [(), ("x.risk",), ("x.budget",), ()]
