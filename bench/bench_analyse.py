"""Benchmark: the full analysis (tables and named statistics, not charts) on 1,000,000 responses.

Timed separately, each phase in a fresh subprocess so that its peak memory is its own:

1. load    SQL → analysis-ready frame: fetch the answers' JSON in chunks, decode,
           clean, type, apply the skip rules (a SQLite study)
2. tables  analysis-ready frame → all 13 tables and every named statistic
           (the target: ≤ 5 s wall, ≤ 4 GiB peak)
3. full    1 and 2 in one process, as `innostudy analyse` does (less writing files)
4. pandas  the same tables as 2 from the same frame, written the straightforward pandas
           way (bench/pandas_tables.py); the frame is converted to pandas before the
           clock starts, and the pandas counts are checked against innostudy's

The study (1,000,000 organisations, each with a submitted response drawn from a pool of
valid answers made by the demo's generator) is built once and kept in the work folder.

    python bench/bench_analyse.py                      # 1,000,000 responses, 3 repeats
    python bench/bench_analyse.py --responses 100000   # a quicker look
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
TYPES = ("ministerial_department", "non_ministerial_department", "executive_agency", "ndpb")
POOL = 2_000  # distinct valid answer sets per organisation type


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instrument() -> Any:
    from innostudy.studies import default_file
    from innostudy.survey.instrument import load_instrument

    return load_instrument(default_file("instrument.yaml"))


def build_study(folder: Path, responses: int) -> None:
    """A study whose database holds ``responses`` submitted responses (built once)."""
    from innostudy.demo.responses import complete_answers
    from innostudy.studies import init_study

    if (folder / "ready").exists():
        return
    init_study(folder, force=True)
    inst, rng = instrument(), random.Random(7)
    pools = {t: [json.dumps(complete_answers(rng, inst, t)) for _ in range(POOL)] for t in TYPES}
    picks = np.random.default_rng(7)
    types = picks.integers(0, len(TYPES), responses)
    answers = picks.integers(0, POOL, responses)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    db = sqlite3.connect(folder / "study.db")
    with db:
        db.executemany(
            "INSERT INTO organisation (id, name, org_type, invited_at, created_at) "
            "VALUES (?,?,?,?,?)",
            ((i + 1, f"Organisation {i + 1}", TYPES[t], now, now) for i, t in enumerate(types)),
        )
        db.executemany(
            "INSERT INTO response (id, organisation_id, status, answers, instrument_version, "
            "revision, source, created_at, updated_at, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (i + 1, i + 1, "submitted", pools[TYPES[t]][a], "1.0", 1, "api", now, now, now)
                for i, (t, a) in enumerate(zip(types, answers, strict=True))
            ),
        )
    db.close()
    (folder / "ready").touch()


def phase_load(folder: Path, work: Path) -> dict[str, Any]:
    from innostudy.analysis.frames import load_survey_data
    from innostudy.storage.store import StudyStore

    inst = instrument()
    with StudyStore.open(folder) as store, store.session() as session:
        start = time.perf_counter()
        data = load_survey_data(session, inst)
        loaded = time.perf_counter() - start
    data.answers.write_parquet(work / "answers.parquet")
    data.asked.write_parquet(work / "asked.parquet")
    data.population.write_parquet(work / "population.parquet")
    return {"load_s": loaded, "rows": data.respondents, "peak_mib": peak_mib()}


def phase_full(folder: Path) -> dict[str, Any]:
    from innostudy.analysis import summary
    from innostudy.storage.store import StudyStore

    with StudyStore.open(folder) as store:
        start = time.perf_counter()
        result = summary.load(store)
        elapsed = time.perf_counter() - start
    return {"full_s": elapsed, "statistics": len(result.stats), "peak_mib": peak_mib()}


def _data(work: Path) -> Any:
    from innostudy.analysis.frames import SurveyData

    return SurveyData(
        instrument(),
        pl.read_parquet(work / "answers.parquet"),
        pl.read_parquet(work / "asked.parquet"),
        pl.read_parquet(work / "population.parquet"),
    )


def phase_tables(work: Path, repeat: int) -> dict[str, Any]:
    from innostudy.analysis.stat_names import flatten
    from innostudy.analysis.tables import build_tables

    data = _data(work)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        stats, _units = flatten(build_tables(data))
        times.append(time.perf_counter() - start)
    return {"tables_s": times, "statistics": len(stats), "peak_mib": peak_mib()}


def phase_pandas(work: Path) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from pandas_tables import all_tables

    from innostudy.analysis.frames import answer_dtype
    from innostudy.analysis.tables import build_tables

    data = _data(work)
    # plain strings, as a pandas user would have them (Enum → pandas Categorical differs)
    plain = data.answers.cast({q.key: answer_dtype(q) for q in data.instrument.questions()})
    frame, asked = (
        plain.with_columns(pl.col("org_type").cast(pl.String)).to_pandas(),
        data.asked.to_pandas(),
    )
    start = time.perf_counter()
    tables = all_tables(frame, asked, data.instrument)
    elapsed = time.perf_counter() - start
    peak = peak_mib()
    return {"pandas_s": elapsed, "peak_mib": peak, "same": same_counts(build_tables(data), tables)}


def same_counts(ours: dict[str, pl.DataFrame], theirs: dict[str, Any]) -> bool:
    """The pandas tables hold the same counts as innostudy's (spot checks on every table kind)."""
    checks = [
        ("choices", ["question", "value"], "count"),
        ("rankings", ["question", "value"], "first_count"),
        ("likert", ["question", "item", "level"], "count"),
        ("numeric", ["question"], "median"),
        ("numeric_by_org_type", ["question", "org_type"], "q3"),
        ("nonresponse", ["question"], "missing"),
    ]
    for name, keys, column in checks:
        mine = ours[name]
        if name == "nonresponse":
            mine = mine.filter(pl.col("item").is_null())
        left = {tuple(r[:-1]): r[-1] for r in mine.select(*keys, column).iter_rows()}
        right = {
            tuple(r[:-1]): r[-1] for r in theirs[name][[*keys, column]].itertuples(index=False)
        }
        if any(not np.isclose(float(v), float(right[k])) for k, v in left.items()):
            print(f"  mismatch in {name}.{column}", file=sys.stderr)
            return False
    tests = theirs["crosstab_tests"]
    return sorted(tests["test"]) == sorted(ours["crosstab_tests"]["test"].to_list())


def run_phase(args: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "innostudy-bench"
    )
    parser.add_argument("--phase", choices=("load", "tables", "full", "pandas"))
    args = parser.parse_args()
    folder = args.work / f"study-{args.responses}"
    work = args.work / f"frames-{args.responses}"
    if args.phase:
        work.mkdir(parents=True, exist_ok=True)
        result = {
            "load": lambda: phase_load(folder, work),
            "tables": lambda: phase_tables(work, args.repeat),
            "full": lambda: phase_full(folder),
            "pandas": lambda: phase_pandas(work),
        }[args.phase]()
        print(json.dumps(result))
        return 0
    started = time.perf_counter()
    build_study(folder, args.responses)
    print(
        f"study with {args.responses:,} submitted responses: {folder} "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )
    common = ["--responses", str(args.responses), "--work", str(args.work)]
    load = run_phase([*common, "--phase", "load"])
    tables = run_phase([*common, "--phase", "tables", "--repeat", str(args.repeat)])
    full = run_phase([*common, "--phase", "full"])
    pandas = run_phase([*common, "--phase", "pandas"])
    best = statistics.median(tables["tables_s"])
    runs = ", ".join(f"{t:.2f}" for t in tables["tables_s"])
    same = "yes" if pandas["same"] else "NO"
    report = [
        ("load from SQLite", load["load_s"], load["peak_mib"],
         f"fetch, decode, clean, skip rules; {load['rows']:,} responses"),
        ("tables + statistics", best, tables["peak_mib"],
         f"median of {len(tables['tables_s'])}: {runs}; {tables['statistics']:,} statistics"),
        ("load + tables at once", full["full_s"], full["peak_mib"],
         "what `innostudy analyse` does before writing files"),
        ("pandas, same tables", pandas["pandas_s"], pandas["peak_mib"], f"same counts: {same}"),
    ]  # fmt: skip
    for label, seconds, peak, note in report:
        print(f"{label:24s}{seconds:8.2f} s   peak {peak:6,.0f} MiB   ({note})")
    print(f"{'pandas / innostudy':24s}{pandas['pandas_s'] / best:8.1f} ×")
    return 0 if pandas["same"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
