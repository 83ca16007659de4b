"""The labelled evaluation set (bench/data/eval, SYNTHETIC) and the splits it is scored on.

Shared by bench/accuracy_autocode.py (all figures) and tests/coding/test_eval_set.py
(the split's hygiene, and the learning guarantee on a subset). Every split keeps whole
groups apart: sessions, or parts (a facilitator prompt's stretch of talk, what a report
paragraph quotes from). Design choices were made on the dev sessions only.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from innostudy.coding.auto.base import Encoder, Example, Vectors
from innostudy.coding.auto.contract import ContractCodebook, load_contract_codebook
from innostudy.coding.auto.learner import Context, EmbeddingCoder

DATA = Path(__file__).parent / "data" / "eval"
BOOKS = ("sections", "barriers")
Fold = tuple[list[int], list[int]]  # training rows, scored rows


@dataclass(frozen=True)
class Item:
    session: str
    split: str
    part: str
    text: str
    code: str
    also: tuple[str, ...] = ()
    barrier: str | None = None

    def label(self, book: str) -> str | None:
        """The item's code name in one codebook (None: not coded with it)."""
        return self.code if book == "sections" else self.barrier

    def labels(self, book: str) -> tuple[str, ...]:
        """Every code of the item in one codebook (several codes per turn)."""
        if book == "sections":
            return (self.code, *self.also)
        return (self.barrier,) if self.barrier else ()


@dataclass
class EvalSet:
    items: list[Item]
    books: dict[str, ContractCodebook] = field(default_factory=dict)

    def rows(self, book: str, split: str) -> list[int]:
        return [
            i for i, it in enumerate(self.items) if it.split == split and it.label(book) is not None
        ]

    def key(self, book: str, i: int) -> str:
        label = self.items[i].label(book)
        assert label is not None
        return self.books[book].lookup[label]

    def keys(self, book: str, i: int) -> set[str]:
        return {self.books[book].lookup[k] for k in self.items[i].labels(book)}


def load(folder: Path = DATA) -> EvalSet:
    data = yaml.safe_load((folder / "quotes.yaml").read_text(encoding="utf-8"))
    items = [
        Item(
            s["id"],
            s["split"],
            f"{s['id']}/{n}",
            q["text"],
            q["code"],
            tuple(q.get("also", ())),
            q.get("barrier"),
        )
        for s in data["sessions"]
        for n, part in enumerate(s["parts"], 1)
        for q in part["quotes"]
    ]
    return EvalSet(items, {b: load_contract_codebook(folder / f"{b}.yaml") for b in BOOKS})


def sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences of at least ``min_words`` words, normalised for comparing (case, spacing
    and punctuation folded); shorter fragments ("Innovation?") say nothing about leakage."""
    parts = (re.sub(r"[^a-z0-9' ]+", " ", p.lower()).split() for p in re.split(r"[.?!]+", text))
    return [" ".join(words) for words in parts if len(words) >= min_words]


# ---- splits -----------------------------------------------------------------------


def by_session(ev: EvalSet, rows: list[int]) -> list[Fold]:
    """Leave one session out."""
    sessions = sorted({ev.items[i].session for i in rows})
    return [
        (
            [i for i in rows if ev.items[i].session != s],
            [i for i in rows if ev.items[i].session == s],
        )
        for s in sessions
    ]


def _two_fold(rows: list[int], side: Callable[[int], bool]) -> list[Fold]:
    a = [i for i in rows if side(i)]
    b = [i for i in rows if not side(i)]
    return [(a, b), (b, a)]


def by_part(ev: EvalSet, rows: list[int], seed: int) -> list[Fold]:
    """Two folds of whole parts, drawn at random: training and scored talk share sessions."""
    parts = sorted({ev.items[i].part for i in rows})
    random.Random(seed).shuffle(parts)
    first = set(parts[: len(parts) // 2])
    return _two_fold(rows, lambda i: ev.items[i].part in first)


def by_part_skewed(ev: EvalSet, book: str, rows: list[int], seed: int | None = None) -> list[Fold]:
    """The failure case: two folds of whole parts, split by the part's main code, so each
    fold's training is piled on a few codes and lacks the codes it is scored on. Codes
    are halved in codebook order, or at random with a seed."""
    codes = [c.key for c in ev.books[book].codes]
    if seed is not None:
        random.Random(seed).shuffle(codes)
    first_half = set(codes[: len(codes) // 2])
    main: dict[str, str] = {}
    for part in {ev.items[i].part for i in rows}:
        counts = Counter(ev.key(book, i) for i in rows if ev.items[i].part == part)
        main[part] = counts.most_common(1)[0][0]
    return _two_fold(rows, lambda i: main[ev.items[i].part] in first_half)


def thinned(ev: EvalSet, book: str, folds: list[Fold], seed: int) -> list[Fold]:
    """The skewed folds with training cut to 25, 10, 5, 2, 1, 1 examples of six codes and
    none of the rest (as the issue's real folds were)."""
    rng = random.Random(seed)
    out = []
    for train, test in folds:
        by_code: dict[str, list[int]] = defaultdict(list)
        for i in train:
            by_code[ev.key(book, i)].append(i)
        codes = sorted(by_code)
        rng.shuffle(codes)
        sizes = [25, 10, 5, 2, 1, 1]
        kept = [i for code, n in zip(codes, sizes, strict=False) for i in by_code[code][:n]]
        out.append((kept, test))
    return out


def without_codes(ev: EvalSet, book: str, folds: list[Fold], seed: int) -> list[Fold]:
    """Leave-one-session-out with a third of the codes never coded at all."""
    codes = [c.key for c in ev.books[book].codes]
    dropped = set(random.Random(seed).sample(codes, len(codes) // 3))
    return [([i for i in tr if ev.key(book, i) not in dropped], te) for tr, te in folds]


def guarantee_splits(ev: EvalSet, book: str, split: str, seeds: int = 4) -> dict[str, list[Fold]]:
    """Every grouped split the learning guarantee is checked on."""
    rows = ev.rows(book, split)
    sessions = by_session(ev, rows)
    skewed = by_part_skewed(ev, book, rows)
    out = {"leave one session out": sessions, "parts, skewed by code": skewed}
    for s in range(seeds):
        out[f"parts, random halves #{s + 1}"] = by_part(ev, rows, s)
        out[f"parts, skewed, thinned #{s + 1}"] = thinned(ev, book, skewed, 100 + s)
        out[f"sessions, a third of codes uncoded #{s + 1}"] = without_codes(ev, book, sessions, s)
        out[f"parts, skewed by random code halves #{s + 1}"] = by_part_skewed(
            ev, book, rows, 200 + s
        )
    return out


def per_code_sample(ev: EvalSet, book: str, pool: Iterable[int], k: int, seed: int) -> list[int]:
    """Up to k examples per code, drawn from the pool (for the learning curve)."""
    by_code: dict[str, list[int]] = defaultdict(list)
    for i in pool:
        by_code[ev.key(book, i)].append(i)
    rng = random.Random(seed)
    return [
        i for code in sorted(by_code) for i in rng.sample(by_code[code], min(k, len(by_code[code])))
    ]


# ---- fitting and scoring ------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    truth: list[str]
    pred: list[str]
    confidence: list[float]
    sessions: list[str]
    rows: list[int]
    probs: Vectors
    weight: float


def fit(
    ev: EvalSet,
    book: str,
    encoder: Encoder,
    x: Vectors,
    train: Sequence[int],
    context: Sequence[int],
    **coder_options: object,
) -> EmbeddingCoder:
    """A coder fitted on the training rows (grouped by session), told about the rows it
    will code (their session means; the share zero-shot gives to uncoded codes)."""
    coder = EmbeddingCoder(encoder, ranked=len(ev.books[book].codes), nearest=0, **coder_options)  # type: ignore[arg-type]
    examples = [
        Example(ev.items[i].text, ev.key(book, i), str(i), ev.items[i].session) for i in train
    ]
    coder.fit(
        ev.books[book].codes,
        examples,
        example_vectors=x[list(train)],
        context=session_context(ev, x, train, context),
    )
    return coder


def session_context(
    ev: EvalSet, x: Vectors, train: Sequence[int], targets: Sequence[int]
) -> Context:
    """Every other quote of the sessions involved (labels unused), as a study has every
    turn of its transcripts."""
    sessions = {ev.items[i].session for i in [*train, *targets]}
    taken = set(train)
    rows = [i for i, it in enumerate(ev.items) if it.session in sessions and i not in taken]
    return Context(x[rows], [ev.items[i].session for i in rows])


def score(
    ev: EvalSet, book: str, encoder: Encoder, x: Vectors, folds: Sequence[Fold], **options: object
) -> Scored:
    truth: list[str] = []
    pred: list[str] = []
    conf: list[float] = []
    sessions: list[str] = []
    rows: list[int] = []
    probs: list[Vectors] = []
    weights: list[float] = []
    for train, test in folds:
        coder = fit(ev, book, encoder, x, train, test, **options)
        p = coder.probabilities(x[test], [ev.items[i].session for i in test])
        best = p.argmax(axis=1)
        truth += [ev.key(book, i) for i in test]
        pred += [coder.codes[j] for j in best]
        conf += [float(p[r, j]) for r, j in enumerate(best)]
        sessions += [ev.items[i].session for i in test]
        rows += list(test)
        probs.append(p)
        weights.append(coder.weight)
    return Scored(truth, pred, conf, sessions, rows, np.vstack(probs), float(np.mean(weights)))


def kappa(truth: Sequence[str], pred: Sequence[str]) -> float:
    return float(cohen_kappa_score(truth, pred))


def metrics(s: Scored, codes: list[str]) -> tuple[float, float, float]:
    """Accuracy, macro-F1 (over the codes present in the truth) and Cohen's kappa."""
    present = sorted(set(s.truth))
    return (
        float(accuracy_score(s.truth, s.pred)),
        float(f1_score(s.truth, s.pred, average="macro", labels=present, zero_division=0)),
        kappa(s.truth, s.pred),
    )


def bootstrap_kappa(s: Scored, draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of kappa, resampling whole sessions with replacement."""
    by: dict[str, list[int]] = defaultdict(list)
    for n, session in enumerate(s.sessions):
        by[session].append(n)
    names = sorted(by)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(draws):
        pick = [n for name in rng.choice(names, len(names)) for n in by[name]]
        t = [s.truth[n] for n in pick]
        if len(set(t)) > 1:
            values.append(kappa(t, [s.pred[n] for n in pick]))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)
