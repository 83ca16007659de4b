"""Accuracy of automatic coding on the labelled evaluation set (bench/data/eval, SYNTHETIC).

    .venv/bin/python bench/accuracy_autocode.py [--backend onnx-int8|torch] [--seeds 5]
        [--compare-backends | --backends-only] [--chart docs/images/calibration.png]

Prints Markdown tables for docs/coding-accuracy.md, for both codebooks (broad sections;
barrier themes) and both splits (dev: used to choose designs; test: scored once per
change): zero-shot and learned coding with kappa, its bootstrap 95% interval over
sessions, accuracy and macro-F1; the learning curve at 0/2/5/10/20 examples per code;
figures per code; every grouped split of the learning guarantee (learned must stay within
0.03 kappa of zero-shot); calibration (ECE, multi-code output with thresholds calibrated
on dev); and, with --compare-backends, kappa for the int8 model against full precision.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import autocode_eval as E

from innostudy.coding.auto.base import Vectors
from innostudy.coding.auto.calibration import (
    Review,
    calibrate_thresholds,
    expected_calibration_error,
    reliability_bins,
)
from innostudy.coding.auto.calibration_chart import reliability_chart
from innostudy.coding.auto.embeddings import MiniLMEncoder

TOLERANCE = 0.03
CURVE = (0, 2, 5, 10, 20)


def zero_shot(folds: Sequence[E.Fold]) -> list[E.Fold]:
    return [([], test) for _, test in folds]


def row(name: str, s: E.Scored, codes: list[str]) -> str:
    acc, f1, kap = E.metrics(s, codes)
    low, high = E.bootstrap_kappa(s)
    interval = f"[{low:.2f}, {high:.2f}]"
    return f"| {name} | {len(s.truth)} | **{kap:.2f}** {interval} | {acc:.2f} | {f1:.2f} |"


def headline(ev: E.EvalSet, enc: MiniLMEncoder, x: Vectors, book: str) -> E.Scored:
    """Zero-shot and learned on both splits; returns learned dev→test (for per-code figures)."""
    codes = [c.key for c in ev.books[book].codes]
    dev, test = ev.rows(book, "dev"), ev.rows(book, "test")
    print(f"\n**{book}** ({len(codes)} codes)\n")
    print("| split, coding | quotes | kappa [95% CI over sessions] | accuracy | macro-F1 |")
    print("| --- | --- | --- | --- | --- |")
    print(row("dev, zero-shot", E.score(ev, book, enc, x, [([], dev)]), codes))
    print(
        row(
            "dev, learned (leave one session out)",
            E.score(ev, book, enc, x, E.by_session(ev, dev)),
            codes,
        )
    )
    print(row("test, zero-shot", E.score(ev, book, enc, x, [([], test)]), codes))
    learned = E.score(ev, book, enc, x, [(dev, test)])
    print(row("test, learned from every dev quote (other services)", learned, codes))
    print(
        row(
            "test, learned (leave one session out)",
            E.score(ev, book, enc, x, E.by_session(ev, test)),
            codes,
        )
    )
    return learned


def curve(ev: E.EvalSet, enc: MiniLMEncoder, x: Vectors, book: str, seeds: int) -> None:
    dev, test = ev.rows(book, "dev"), ev.rows(book, "test")
    print(f"\n**{book}**: examples drawn from dev sessions, scored on test ({seeds} draws)\n")
    print("| examples per code | mean used | kappa (mean) | lowest draw | highest draw | weight |")
    print("| --- | --- | --- | --- | --- | --- |")
    n_codes = len(ev.books[book].codes)
    for k in CURVE:
        kappas, used, weights = [], [], []
        for seed in range(seeds if k else 1):
            train = E.per_code_sample(ev, book, dev, k, seed) if k else []
            s = E.score(ev, book, enc, x, [(train, test)])
            kappas.append(E.kappa(s.truth, s.pred))
            used.append(len(train) / n_codes)
            weights.append(s.weight)
        print(
            f"| {k} | {np.mean(used):.1f} | **{np.mean(kappas):.2f}** | {min(kappas):.2f} | "
            f"{max(kappas):.2f} | {np.mean(weights):.2f} |"
        )


def per_code(ev: E.EvalSet, enc: MiniLMEncoder, x: Vectors, book: str, learned: E.Scored) -> None:
    test = ev.rows(book, "test")
    zs = E.score(ev, book, enc, x, [([], test)])
    names = ev.books[book].labels
    codes = [c.key for c in ev.books[book].codes]
    pz, rz, fz, n = precision_recall_fscore_support(
        zs.truth, zs.pred, labels=codes, zero_division=0
    )
    pl, rl, fl, _ = precision_recall_fscore_support(
        learned.truth, learned.pred, labels=codes, zero_division=0
    )
    print(f"\n**{book}**, test split (learned: from every dev quote)\n")
    print("| code | quotes | zero-shot P / R / F1 | learned P / R / F1 |")
    print("| --- | --- | --- | --- |")
    for j, code in enumerate(codes):
        print(
            f"| {names[code]} | {n[j]} | {pz[j]:.2f} / {rz[j]:.2f} / {fz[j]:.2f} | "
            f"{pl[j]:.2f} / {rl[j]:.2f} / {fl[j]:.2f} |"
        )


def guarantee(ev: E.EvalSet, enc: MiniLMEncoder, x: Vectors) -> bool:
    print("\n| codebook | split | grouped split | zero-shot kappa | learned kappa | difference |")
    print("| --- | --- | --- | --- | --- | --- |")
    held = True
    for book in E.BOOKS:
        for split in ("dev", "test"):
            for name, folds in E.guarantee_splits(ev, book, split).items():
                zs = E.score(ev, book, enc, x, zero_shot(folds))
                le = E.score(ev, book, enc, x, folds)
                diff = E.kappa(le.truth, le.pred) - E.kappa(zs.truth, zs.pred)
                held &= diff >= -TOLERANCE
                mark = "" if diff >= -TOLERANCE else " **FAILS**"
                print(
                    f"| {book} | {split} | {name} | {E.kappa(zs.truth, zs.pred):.3f} | "
                    f"{E.kappa(le.truth, le.pred):.3f} | {diff:+.3f}{mark} |"
                )
    return held


def reviews(ev: E.EvalSet, book: str, s: E.Scored, *, top_only: bool) -> list[Review]:
    """What a coder reviewing the suggestions would have done: accept a code the quote has."""
    codes = [c.key for c in ev.books[book].codes]
    out = []
    for r, i in enumerate(s.rows):
        wanted = ev.keys(book, i)
        order = np.argsort(-s.probs[r])
        for j in order[:1] if top_only else order:
            if top_only or s.probs[r, j] >= 0.02:
                out.append(Review(codes[j], float(s.probs[r, j]), codes[j] in wanted))
    return out


def multi_code(
    ev: E.EvalSet, book: str, s: E.Scored, thresholds: dict[str, float], pooled: float
) -> str:
    codes = [c.key for c in ev.books[book].codes]
    tp = fp = fn = single_tp = extra = 0
    for r, i in enumerate(s.rows):
        wanted = ev.keys(book, i)
        order = np.argsort(-s.probs[r])
        listed = {codes[order[0]]} | {
            codes[j] for j in order[1:] if s.probs[r, j] >= thresholds.get(codes[j], pooled)
        }
        extra += len(listed) - 1
        tp += len(listed & wanted)
        fp += len(listed - wanted)
        fn += len(wanted - listed)
        single_tp += codes[order[0]] in wanted
    n_true = sum(len(ev.keys(book, i)) for i in s.rows)
    single_p, single_r = single_tp / len(s.rows), single_tp / n_true
    p, rec = tp / (tp + fp), tp / (tp + fn)
    return (
        f"one code: precision {single_p:.2f}, recall {single_r:.2f}; "
        f"`codes` above thresholds: precision {p:.2f}, recall {rec:.2f}, "
        f"{extra} extra codes on {len(s.rows)} quotes"
    )


def calibration(ev: E.EvalSet, enc: MiniLMEncoder, x: Vectors, chart: Path | None) -> None:
    print(
        "\n| codebook | coding | ECE, test (top code) | multi-code on test (thresholds from dev) |"
    )
    print("| --- | --- | --- | --- |")
    for book in E.BOOKS:
        dev, test = ev.rows(book, "dev"), ev.rows(book, "test")
        for mode in ("zero-shot", "learned"):
            dev_s = E.score(
                ev, book, enc, x, E.by_session(ev, dev) if mode == "learned" else [([], dev)]
            )
            th = calibrate_thresholds(reviews(ev, book, dev_s, top_only=False), 0.35)
            test_s = E.score(ev, book, enc, x, [(dev if mode == "learned" else [], test)])
            top = reviews(ev, book, test_s, top_only=True)
            ece = expected_calibration_error(top)
            multi = multi_code(ev, book, test_s, th.per_code, th.pooled)
            print(f"| {book} | {mode} | {ece:.3f} | {multi} |")
            if chart is not None and book == "sections" and mode == "learned":
                png = reliability_chart(
                    reliability_bins(top),
                    title="Confidence against acceptance: evaluation set, test split",
                    subtitle=(
                        f"Broad sections, learned from dev sessions; {len(top)} top suggestions, "
                        f"ECE {ece:.3f}. Bars: share a coder would accept (reviews at their foot); "
                        "dots: mean confidence."
                    ),
                    footer="Source: innostudy's evaluation set (synthetic quotes). "
                    "bench/accuracy_autocode.py --chart",
                )
                chart.parent.mkdir(parents=True, exist_ok=True)
                chart.write_bytes(png)


def backends(ev: E.EvalSet, texts: list[str]) -> None:
    print("\n| codebook | coding | int8 kappa | full precision kappa | int8 cost |")
    print("| --- | --- | --- | --- | --- |")
    encoders = {b: MiniLMEncoder(b) for b in ("onnx-int8", "torch")}
    vectors = {b: e.encode(texts) for b, e in encoders.items()}
    pairs: dict[str, list[tuple[E.Scored, E.Scored]]] = {"zero-shot": [], "learned": []}
    for book in E.BOOKS:
        dev, test = ev.rows(book, "dev"), ev.rows(book, "test")
        cases = {
            "dev, zero-shot": [([], dev)],
            "dev, leave one session out": E.by_session(ev, dev),
            "test, zero-shot": [([], test)],
            "test, learned from dev": [(dev, test)],
            "test, leave one session out": E.by_session(ev, test),
        }
        for name, folds in cases.items():
            fast, full = (E.score(ev, book, encoders[b], vectors[b], folds) for b in encoders)
            pairs["zero-shot" if "zero-shot" in name else "learned"].append((fast, full))
            k_fast, k_full = E.kappa(fast.truth, fast.pred), E.kappa(full.truth, full.pred)
            print(f"| {book} | {name} | {k_fast:.3f} | {k_full:.3f} | {k_full - k_fast:+.3f} |")
    print()
    every = [pair for group in pairs.values() for pair in group]
    for mode, rows in [*pairs.items(), ("all", every)]:
        mean, low, high = paired_cost(rows)
        verdict = "within 0.01" if mean <= 0.01 else "more than 0.01"
        print(
            f"- {mode}: mean int8 cost {mean:+.3f} kappa over {len(rows)} rows "
            f"(95% interval over sessions [{low:+.3f}, {high:+.3f}]): {verdict}."
        )


def paired_cost(
    pairs: list[tuple[E.Scored, E.Scored]], draws: int = 1000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean kappa(full) - kappa(int8) over rows, with a bootstrap over sessions."""
    sessions = sorted({name for fast, _ in pairs for name in fast.sessions})

    def cost(pick: list[str] | None) -> float:
        out = []
        for fast, full in pairs:
            if pick is None:
                rows = list(range(len(fast.truth)))
            else:
                at: dict[str, list[int]] = defaultdict(list)
                for n, name in enumerate(fast.sessions):
                    at[name].append(n)
                rows = [n for name in pick for n in at.get(name, [])]
            if len({fast.truth[n] for n in rows}) < 2:
                continue
            kf = E.kappa([fast.truth[n] for n in rows], [fast.pred[n] for n in rows])
            kp = E.kappa([full.truth[n] for n in rows], [full.pred[n] for n in rows])
            out.append(kp - kf)
        return float(np.mean(out))

    rng = np.random.default_rng(seed)
    values = [cost(list(rng.choice(sessions, len(sessions)))) for _ in range(draws)]
    low, high = np.percentile(values, [2.5, 97.5])
    return cost(None), float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--compare-backends", action="store_true")
    parser.add_argument("--chart", type=Path)
    parser.add_argument("--backends-only", action="store_true")
    args = parser.parse_args()
    ev = E.load()
    texts = [it.text for it in ev.items]
    if args.backends_only:
        backends(ev, texts)
        return
    enc = MiniLMEncoder(args.backend)
    x = enc.encode(texts)
    sessions = {
        split: len({it.session for it in ev.items if it.split == split})
        for split in ("dev", "test")
    }
    print(
        f"Encoder {enc.name}; {len(ev.items)} quotes in {sum(sessions.values())} sessions "
        f"(dev {sessions['dev']}, test {sessions['test']})."
    )
    print("\n## Headline")
    learned = {book: headline(ev, enc, x, book) for book in E.BOOKS}
    print("\n## Learning curve")
    for book in E.BOOKS:
        curve(ev, enc, x, book, args.seeds)
    print("\n## Per code")
    for book in E.BOOKS:
        per_code(ev, enc, x, book, learned[book])
    print("\n## The guarantee: learned within 0.03 kappa of zero-shot on every grouped split")
    held = guarantee(ev, enc, x)
    print(f"\nGuarantee {'held on every split' if held else 'FAILED on at least one split'}.")
    print("\n## Calibration")
    calibration(ev, enc, x, args.chart)
    if args.compare_backends:
        print("\n## int8 against full precision")
        backends(ev, texts)


if __name__ == "__main__":
    main()
