"""Accuracy of automatic coding against labels: zero-shot and learned (2, 5, 20 per code).

    .venv/bin/python bench/accuracy_autocode.py [--backend onnx-int8|torch] [--seeds 3]

Two labelled sets (both SYNTHETIC, written by this project):
* the demo's coded turns, grouped by transcript (session): learned coding is scored with
  leave-one-session-out splits, so no turn is scored by a model that saw its session;
* bench/data/heldout_segments.yaml: 104 segments in another voice, never learned from;
  learned coding there trains on the demo turns.
Prints accuracy, macro-F1 and Cohen's kappa; the figures go to docs/coding-accuracy.md.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from innostudy.coding.auto.base import CodeText, Example
from innostudy.coding.auto.embeddings import MiniLMEncoder
from innostudy.coding.auto.learner import EmbeddingCoder
from innostudy.coding.codebook import load_codebook
from innostudy.demo.build import build_demo

HERE = Path(__file__).parent


def demo_turns(folder: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(folder / "study.db") as db:
        rows = db.execute(
            "SELECT s.transcript_id, s.text, c.key FROM coding k "
            "JOIN segment s ON s.id = k.segment_id "
            "JOIN code c ON c.id = k.code_id JOIN coder d ON d.id = k.coder_id "
            "WHERE d.name = 'simulated-coder-a' AND k.status = 'accepted' ORDER BY s.id"
        ).fetchall()
    return [(int(t), str(x), str(k)) for t, x, k in rows]


def metrics(truth: list[str], pred: list[str], labels: list[str]) -> tuple[float, float, float]:
    return (
        accuracy_score(truth, pred),
        f1_score(truth, pred, average="macro", labels=labels, zero_division=0),
        cohen_kappa_score(truth, pred),
    )


def pick(items: list[int], labels: list[str], k: int, rng: random.Random) -> list[int]:
    by: dict[str, list[int]] = defaultdict(list)
    for i in items:
        by[labels[i]].append(i)
    return [i for key in sorted(by) for i in rng.sample(by[key], min(k, len(by[key])))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    enc = MiniLMEncoder(args.backend)
    with tempfile.TemporaryDirectory() as tmp:
        build_demo(Path(tmp) / "demo")
        turns = demo_turns(Path(tmp) / "demo")
    spec = load_codebook(Path("src/innostudy/defaults/codebook.yaml"))
    codes = [
        CodeText(c.key, c.name, c.description, c.include, tuple(c.examples)) for c in spec.leaves()
    ]
    labels = [c.key for c in codes]
    held = yaml.safe_load((HERE / "data" / "heldout_segments.yaml").read_text())["segments"]
    texts = [t for _, t, _ in turns]
    y = [k for _, _, k in turns]
    groups = np.array([g for g, _, _ in turns])
    x = enc.encode(texts)
    hx = enc.encode([h["text"] for h in held])
    hy = [h["code"] for h in held]
    print(
        f"encoder {enc.name}; demo turns {len(turns)} in {len(set(groups))} sessions; "
        f"held-out {len(held)}"
    )
    print(
        f"{'set':<10} {'examples/code':>14} {'mean used':>9} "
        f"{'accuracy':>9} {'macro-F1':>9} {'kappa':>7}"
    )
    for k in (0, 2, 5, 20):
        scores, used = [], []
        for seed in range(args.seeds if k else 1):
            rng = random.Random(seed)
            pred = [""] * len(y)
            for g in sorted(set(groups)):
                test = np.where(groups == g)[0]
                train = pick(list(np.where(groups != g)[0]), y, k, rng) if k else []
                used.append(len(train) / len(labels))
                coder = EmbeddingCoder(enc, nearest=0)
                coder.fit(codes, [Example(texts[i], y[i]) for i in train], example_vectors=x[train])
                for i, s in zip(test, coder.suggest_vectors(x[test]), strict=True):
                    pred[i] = s.code
            scores.append(metrics(y, pred, labels))
        a, f, kap = np.mean(scores, axis=0)
        print(f"{'demo':<10} {k:>14} {np.mean(used):>9.1f} {a:>9.3f} {f:>9.3f} {kap:>7.3f}")
        sys.stdout.flush()
    for k in (0, 2, 5, 20):
        scores, used = [], []
        for seed in range(args.seeds if k else 1):
            train = pick(list(range(len(y))), y, k, random.Random(seed)) if k else []
            used.append(len(train) / len(labels))
            coder = EmbeddingCoder(enc, nearest=0)
            coder.fit(codes, [Example(texts[i], y[i]) for i in train], example_vectors=x[train])
            scores.append(metrics(hy, [s.code for s in coder.suggest_vectors(hx)], labels))
        a, f, kap = np.mean(scores, axis=0)
        print(f"{'held-out':<10} {k:>14} {np.mean(used):>9.1f} {a:>9.3f} {f:>9.3f} {kap:>7.3f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
