"""The demo's coding figures, measured on the demo as it is built now (SYNTHETIC data).

    .venv/bin/python bench/accuracy_demo.py [--backend onnx-int8|torch]

Builds the demo in a temporary folder and prints, for docs/coding-accuracy.md:
* leakage: participant turns that share a sentence (3+ words) with another session or
  another speaker (the demo's dialogue bank once reused sentences across groups);
* automatic coding of the demo's turns against the code each was written for (ground truth):
  zero-shot, and learned leave-one-session-out, with kappa's 95% interval over sessions;
* the demo's double coding between its two simulated coders, and the calibration of the
  suggestions the first of them reviewed.
Re-run after the demo's dialogue changes; the figures are only as good as the demo.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import autocode_eval as E

from innostudy.coding.auto.base import Example
from innostudy.coding.auto.embeddings import MiniLMEncoder
from innostudy.coding.auto.learner import Context, EmbeddingCoder
from innostudy.coding.auto.reviews import calibration_report
from innostudy.coding.auto.suggest import candidate_codes, code_text
from innostudy.coding.double_coding import study_reliability
from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.demo.autocoding import FIRST_CODER, SECOND_CODER
from innostudy.demo.build import build_demo
from innostudy.demo.ground_truth import load_ground_truth
from innostudy.storage.store import StudyStore

FIRST, SECOND = FIRST_CODER, SECOND_CODER


def labelled_turns(s: sa.orm.Session, folder: Path) -> list[tuple[SegmentRow, str]]:
    """Participant turns with the one code the demo's script wrote them for (its recorded
    ground truth; turns written for several codes are left out of this single-label score).
    A simulated coder's accepted codes would include suggestions it accepted: circular."""
    written = {
        t.segment_id: t.codes[0]
        for session in load_ground_truth(folder).sessions
        for t in session.turns
        if len(t.codes) == 1
    }
    return [(seg, written[seg.id]) for seg in codable_segments(s) if seg.id in written]


def leakage(turns: list[tuple[SegmentRow, str]]) -> None:
    where: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for seg, _ in turns:
        for sentence in E.sentences(seg.text):
            where[sentence].add((seg.transcript_id, seg.participant_id))
    across_sessions = sum(
        any(len({t for t, _ in where[x]}) > 1 for x in E.sentences(seg.text)) for seg, _ in turns
    )
    across_speakers = sum(
        any(len({p for _, p in where[x]}) > 1 for x in E.sentences(seg.text)) for seg, _ in turns
    )
    print(
        f"\nLeakage: of {len(turns)} coded participant turns, {across_sessions} share a sentence "
        f"(3+ words) with another session and {across_speakers} with another speaker."
    )


def coding_accuracy(
    s: sa.orm.Session, turns: list[tuple[SegmentRow, str]], enc: MiniLMEncoder
) -> None:
    codes = [code_text(c) for c in candidate_codes(s)]
    vectors = enc.encode([seg.text for seg, _ in turns])
    groups = [seg.transcript_id for seg, _ in turns]
    truth = [key for _, key in turns]
    sessions = sorted(set(groups))
    preds: dict[str, list[str]] = {"zero-shot": [""] * len(turns), "learned": [""] * len(turns)}
    for held in sessions:
        test = [i for i, g in enumerate(groups) if g == held]
        train = [i for i, g in enumerate(groups) if g != held]
        for mode in preds:
            coder = EmbeddingCoder(enc, ranked=len(codes), nearest=0)
            examples = [Example(turns[i][0].text, truth[i], "", groups[i]) for i in train]
            coder.fit(
                codes,
                examples if mode == "learned" else [],
                example_vectors=vectors[train],
                context=Context(vectors[test], [held] * len(test)),
            )
            for i, sug in zip(
                test, coder.suggest_vectors(vectors[test], [held] * len(test)), strict=True
            ):
                preds[mode][i] = sug.code
    print(
        f"\n| demo turns ({len(turns)} in {len(sessions)} sessions) | kappa [95% CI] | accuracy |"
    )
    print("| --- | --- | --- |")
    for mode, pred in preds.items():
        scored = E.Scored(truth, pred, [], [str(g) for g in groups], [], np.zeros((0, 0)), 0.0)
        low, high = E.bootstrap_kappa(scored)
        accuracy = float(np.mean([a == b for a, b in zip(truth, pred, strict=True)]))
        name = "zero-shot" if mode == "zero-shot" else "learned, leave one session out"
        print(f"| {name} | {E.kappa(truth, pred):.2f} [{low:.2f}, {high:.2f}] | {accuracy:.2f} |")


def demo_coding(s: sa.orm.Session) -> None:
    result = study_reliability(s, [FIRST, SECOND])
    o = result.report.overall
    print(
        f"\nDouble coding ({FIRST} and {SECOND}, simulated coders): {o.units} turns; "
        f"kappa {o.kappa.text()}, alpha {o.alpha.text()}, AC1 {o.ac1.text()}, "
        f"agreement {o.percent.text()}."
    )
    cal = calibration_report(s)
    ece = f"{cal.ece:.3f}" if cal.ece is not None else "not computable"
    print(
        f"Suggestions reviewed by {FIRST}: {cal.reviews}, {cal.accepted} accepted; "
        f"expected calibration error {ece}."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="onnx-int8")
    args = parser.parse_args()
    enc = MiniLMEncoder(args.backend)
    with tempfile.TemporaryDirectory() as tmp:
        build_demo(Path(tmp) / "demo")
        with StudyStore.open(Path(tmp) / "demo") as store, store.session() as s:
            turns = labelled_turns(s, Path(tmp) / "demo")
            print(f"Encoder {enc.name}; the demo as built by this checkout (synthetic).")
            leakage(turns)
            coding_accuracy(s, turns, enc)
            demo_coding(s)


if __name__ == "__main__":
    main()
