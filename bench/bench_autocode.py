"""Speed of automatic coding: N synthetic segments of 20-60 words, end to end.

    .venv/bin/python bench/bench_autocode.py [--n 100000] [--baseline-n 5000]

End to end = tokenise + embed + score against the default codebook + rank + nearest
examples; the model load (and, the first time, the local ONNX export) is timed apart.
The plain sentence-transformers ``encode`` at batch 64 is measured in the same run as the
baseline, and the two paths' suggestions are compared on the baseline sample.
Peak memory is the process's maximum resident set size. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from pathlib import Path

import numpy as np

from innostudy.coding.auto.base import CodeText
from innostudy.coding.auto.embeddings import MiniLMEncoder, _onnx_runner, _sentence_transformer
from innostudy.coding.auto.learner import EmbeddingCoder
from innostudy.coding.codebook import load_codebook
from innostudy.demo.script import MODERATOR, load_script, script_names


def segments(n: int, seed: int = 7) -> list[str]:
    """Synthetic turns: sentences of the demo's group scripts shuffled into 20-60 words."""
    keys = [c.key for c in load_codebook(Path("src/innostudy/defaults/codebook.yaml")).walk()]
    sentences = [
        s
        for name in script_names()
        for turn in load_script(name, keys).turns
        if turn.who != MODERATOR
        for s in re.split(r"(?<=[.!?])\s+", turn.text)
        if s
    ]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        want, words = rng.randint(20, 60), []
        while len(words) < want:
            words += rng.choice(sentences).split()
        out.append(" ".join(words[:want]))
    return out


def codes() -> list[CodeText]:
    spec = load_codebook(Path("src/innostudy/defaults/codebook.yaml"))
    return [
        CodeText(c.key, c.name, c.description, c.include, tuple(c.examples)) for c in spec.leaves()
    ]


def run(backend: str, texts: list[str]) -> tuple[float, list[str]]:
    coder = EmbeddingCoder(MiniLMEncoder(backend))
    coder.fit(codes())
    start = time.perf_counter()
    out = coder.suggest(texts)
    return time.perf_counter() - start, [s.code for s in out]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--baseline-n", type=int, default=5_000)
    args = parser.parse_args()
    texts = segments(args.n)
    words = [len(t.split()) for t in texts]
    print(f"{args.n} segments, {min(words)}-{max(words)} words (mean {np.mean(words):.1f})")

    t = time.perf_counter()
    _onnx_runner()
    print(f"load onnx-int8 (export cached after the first run): {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    model = _sentence_transformer()
    print(f"load sentence-transformers: {time.perf_counter() - t:.1f} s")

    sample = texts[: args.baseline_n]
    model.encode(sample[:64], batch_size=64)
    t = time.perf_counter()
    model.encode(sample, batch_size=64)
    base = len(sample) / (time.perf_counter() - t)
    print(
        f"baseline SentenceTransformer.encode batch 64: {base:.0f} segments/s "
        f"({len(sample)} segments)"
    )

    plain_s, plain = run("torch", sample)
    fast_s, fast = run("onnx-int8", sample)
    agree = np.mean([a == b for a, b in zip(plain, fast, strict=True)])
    print(
        f"end to end on the sample: torch {len(sample) / plain_s:.0f}/s, "
        f"onnx-int8 {len(sample) / fast_s:.0f}/s"
    )
    print(f"same suggested code, onnx-int8 vs torch: {agree:.1%} of {len(sample)}")

    seconds, _ = run("onnx-int8", texts)
    rate = len(texts) / seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"end to end onnx-int8, {len(texts)} segments: {seconds:.1f} s, {rate:.0f} segments/s")
    print(f"ratio to the baseline: {rate / base:.2f}x; peak memory {peak:.2f} GiB")


if __name__ == "__main__":
    main()
