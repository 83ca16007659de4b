"""Benchmark: the discussion measures on 200 sessions of 2,000 turns each (400,000 turns).

    .venv/bin/python bench/bench_discussion.py                 # 200 × 2,000, 3 repeats
    .venv/bin/python bench/bench_discussion.py --sessions 20   # a quicker look

The sessions are SYNTHETIC, made here from a fixed seed: a moderator turn every ~8
turns (a third of them saying a code's name from the default codebook), eight to ten
participants per session with uneven shares, one or two codes on about half of the
participants' turns, a stance on most coded turns, start and end times. Measured, as the
web session page and the report ask for them: talk and balance per session, per group
(10 sessions each) and per sector (pooled); the themes in the flow of every session and
per group; agreement and dissent per group. The target is ≤ 5 s of CPU time for all of
it. Reading turns from the database is not included (that is the consent-aware segment
query every view shares). Figures are CPU seconds (process time), the least noisy on a
shared machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from innostudy.coding.codebook import load_codebook
from innostudy.discussion.flow import group_themes, theme_flow
from innostudy.discussion.naming import Namer
from innostudy.discussion.positions import theme_positions
from innostudy.discussion.talk import talk_balance
from innostudy.discussion.turns import MODERATOR, PARTICIPANT, Discussion, Turn
from innostudy.model import Sector, Stance

CODEBOOK = Path(__file__).parents[1] / "src" / "innostudy" / "defaults" / "codebook.yaml"
FILLER = [
    "well",
    "I",
    "think",
    "that",
    "the",
    "way",
    "we",
    "did",
    "it",
    "was",
    "fine",
    "in",
    "the",
    "end",
    "for",
    "most",
    "of",
    "us",
]


def sessions(n: int, turns: int, seed: int = 20) -> tuple[list[Discussion], Namer]:
    rng = random.Random(seed)
    spec = load_codebook(CODEBOOK)
    codes = [(c.key, c.name) for c in spec.walk()]
    leaves = [c.key for c in spec.leaves()]
    stances = list(Stance)
    out = []
    for s in range(n):
        people = [f"P{s:03d}-{i:02d}" for i in range(rng.randint(8, 10))]
        weights = [rng.random() ** 2 + 0.05 for _ in people]
        clock = 0
        rows = []
        for pos in range(turns):
            words = rng.randint(5, 120)
            start, clock = clock, clock + words * 400
            if pos % 8 == 0:
                _, name = rng.choice(codes)
                said = name if rng.random() < 0.33 else " ".join(rng.sample(FILLER, 6))
                rows.append(Turn(pos, pos, "Facilitator", MODERATOR, words, start, clock, said))
                continue
            on = frozenset(rng.sample(leaves, rng.randint(1, 2))) if rng.random() < 0.5 else ()
            stance = {c: rng.choice(stances) for c in on if rng.random() < 0.8}
            speaker = rng.choices(people, weights)[0]
            rows.append(
                Turn(pos, pos, speaker, PARTICIPANT, words, start, clock, "", frozenset(on), stance)
            )
        sector = Sector.CIVIL_SERVICE if s % 2 else Sector.COMPARISON
        group = s // 10
        out.append(Discussion(s, s, f"Session {s}", group, f"Group {group}", sector, rows))
    return out, Namer.from_codes(codes)


def measure(discussions: list[Discussion], namer: Namer) -> int:
    """Every figure the session page and the report show; returns a count to keep it honest."""
    groups: dict[str, list[Discussion]] = defaultdict(list)
    sectors: dict[Sector | None, list[Discussion]] = defaultdict(list)
    for d in discussions:
        groups[d.group].append(d)
        sectors[d.sector].append(d)
    found = 0
    flows = {d.transcript_id: theme_flow(d, namer) for d in discussions}
    for d in discussions:
        found += len(talk_balance([d]).participants)
    for group, members in groups.items():
        found += len(talk_balance(members).participants)
        found += len(group_themes(group, [flows[d.transcript_id] for d in members]).unprompted)
        found += len(theme_positions(members))
    for members in sectors.values():
        found += len(talk_balance(members).participants)
    return found + sum(len(f) for f in flows.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    made = time.process_time()
    discussions, namer = sessions(args.sessions, args.turns)
    made = time.process_time() - made
    total = sum(len(d.turns) for d in discussions)
    print(f"{args.sessions} synthetic sessions, {total:,} turns (made in {made:.2f} s CPU)")
    runs = []
    for _ in range(args.repeats):
        t0 = time.process_time()
        found = measure(discussions, namer)
        runs.append(time.process_time() - t0)
    print(
        f"all discussion measures: median {statistics.median(runs):.2f} s CPU, "
        f"min {min(runs):.2f} s over {args.repeats} runs ({found:,} rows of figures)"
    )


if __name__ == "__main__":
    main()
