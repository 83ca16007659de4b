"""The built demo's talk is honest: no sentence said twice, nobody's words reused, each
group speaking from its own world. Checked on the imported segments themselves."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import combinations

import pytest
import sqlalchemy as sa

from innostudy.coding.spans import sentence_spans
from innostudy.demo.build import DemoSummary
from innostudy.model import Participant, Segment, Speaker, SpeakerRole, Transcript
from innostudy.storage.store import StudyStore

NEAR = 0.9  # cosine of word counts at or above which two sentences are near-duplicates
NEAR_MIN_WORDS = 5


def words(sentence: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", sentence.lower().replace("’", "'"))


@pytest.fixture(scope="module")
def talk(demo_study: DemoSummary) -> list[tuple[str, str, bool, str]]:
    """(group type, participant code, withdrawn, text) for every participant turn."""
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        rows = s.execute(
            sa.select(Segment.text, Participant)
            .join(Speaker, Segment.speaker_id == Speaker.id)
            .join(Participant, Speaker.participant_id == Participant.id)
            .where(Speaker.role == SpeakerRole.PARTICIPANT)
            .order_by(Segment.transcript_id, Segment.position)
        ).all()
        return [
            (
                p.focus_group.group_type.key,
                p.code,
                p.consent is not None and p.consent.withdrawn_at is not None,
                text,
            )
            for text, p in rows
        ]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_no_sentence_is_said_twice_anywhere_in_the_demo(
    talk: list[tuple[str, str, bool, str]],
) -> None:
    seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for group, code, _, text in talk:
        for sentence in sentences(text):
            seen[tuple(words(sentence))].append(f"{group}/{code}: {sentence}")
    assert len(seen) > 1500
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    assert not repeated, list(repeated.values())[:5]


def test_no_two_sentences_are_near_duplicates(talk: list[tuple[str, str, bool, str]]) -> None:
    """Cosine of word counts below 0.9 for every pair of sentences of five words or more."""
    items = [
        (sentence, Counter(ws))
        for _, _, _, text in talk
        for sentence in sentences(text)
        if len(ws := words(sentence)) >= NEAR_MIN_WORDS
    ]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, (_, counts) in enumerate(items):
        for w in counts:
            by_word[w].append(i)
    pairs = {
        (i, j)
        for ids in by_word.values()
        if len(ids) < 60  # pairs that share only common words cannot reach 0.9
        for i, j in combinations(ids, 2)
    }
    close = []
    for i, j in pairs:
        a, b = items[i][1], items[j][1]
        dot = sum(n * b[w] for w, n in a.items())
        norm = math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))
        if dot / norm >= NEAR:
            close.append((items[i][0], items[j][0]))
    assert not close, close[:5]


def test_a_withdrawn_participants_words_appear_nowhere_else(
    demo_study: DemoSummary, talk: list[tuple[str, str, bool, str]]
) -> None:
    gone = [(code, text) for _, code, withdrawn, text in talk if withdrawn]
    assert gone, "the demo must have a withdrawn participant who spoke"
    theirs = {s for _, text in gone for s in sentences(text) if len(s.split()) >= 3}
    others = [text for _, code, _, text in talk if code not in {c for c, _ in gone}]
    report = demo_study.report.read_text(encoding="utf-8")
    markdown = demo_study.report.with_suffix(".md").read_text(encoding="utf-8")
    for sentence in theirs:
        assert not any(sentence in text for text in others), sentence
        assert sentence not in report and sentence not in markdown, sentence


# Words that place a speaker in a world; a group may not use another world's own words.
WORLDS = {
    "council": r"\b(council|councils|councillors?|residents'?|cabinet member|ward)\b",
    "firm": r"\b(our customers|our product|investors|our shareholders)\b",
    "department": r"\b(my minister|our minister|permanent secretary|our department|spending review)\b",
    "client": r"\b(our clients?|my clients?|engagements?|the client)\b",
}
FORBIDDEN = {
    "business": ["council", "department"],
    "local_authorities": ["firm", "client"],
    "consultants": ["council", "firm"],
    "it_practitioners": ["council", "firm"],
    "cs_project": ["council", "firm", "client"],
    "cs_mid": ["council", "firm", "client"],
    "cs_senior": ["council", "firm", "client"],
}
OWN = {
    "business": ["customer", "competitor", "board", "product"],
    "local_authorities": ["council", "residents", "members", "social care"],
    "consultants": ["client", "engagement", "private sector", "commercial"],
    "it_practitioners": ["supplier", "legacy", "system", "security"],
    "cs_project": ["project", "gateway", "business case", "framework"],
    "cs_mid": ["team", "policy", "minister", "deputy director"],
    "cs_senior": ["minister", "treasury", "accounting officer", "select committee"],
}


@pytest.mark.parametrize("group", sorted(FORBIDDEN))
def test_each_group_speaks_from_its_own_world(
    group: str, talk: list[tuple[str, str, bool, str]]
) -> None:
    text = " ".join(t for g, _, _, t in talk if g == group).lower()
    for world in FORBIDDEN[group]:
        found = re.findall(WORLDS[world], text)
        assert not found, (group, world, found)
    for marker in OWN[group]:
        assert marker in text, (group, marker)


def test_talk_has_short_elliptical_turns_among_long_ones(
    talk: list[tuple[str, str, bool, str]],
) -> None:
    per_group = defaultdict(list)
    for group, _, _, text in talk:
        per_group[group].append(len(text.split()))
    for group, lengths in per_group.items():
        short = sum(n < 8 for n in lengths) / len(lengths)
        assert 0.05 < short < 0.5 and max(lengths) > 40, (group, short, max(lengths))
    openers = Counter(text.split(",")[0] for _, _, _, text in talk)
    assert openers["Yes"] + openers["No"] + openers["Exactly"] >= 3  # "yes, but…" and kin


def test_every_transcript_is_labelled_synthetic(demo_study: DemoSummary) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        names = s.scalars(sa.select(Transcript.name)).all()
    # seven discussions and the follow-up call heard from its synthetic recording
    assert len(names) == 8 and all("synthetic" in n for n in names), names
    files = sorted((demo_study.folder / "files" / "transcripts").iterdir())
    assert len(files) == 7 and all("synthetic" in f.name for f in files)
