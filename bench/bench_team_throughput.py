"""Issue 18's throughput targets in one command: PostgreSQL with two server processes
against SQLite with one, on the same load (bench_web_load.py: 640 respondents, 64 at a
time, one in ten double-clicking Submit).

    python bench/bench_team_throughput.py --postgres postgresql://user:pw@127.0.0.1/postgres

(the URL may also come from $INNOSTUDY_TEST_POSTGRES_URL; a fresh database is created on
that server and dropped). Prints each run's figures, then the comparison:

- submissions/s of PostgreSQL x 2 workers against SQLite x 1 in this same run (wall
  figures: meaningful on a quiet machine only), and against the 143/s, p99 326 ms
  recorded for SQLite x 1 before;
- server CPU per submission (POST + receipt) against half of the 8.7 ms recorded before.
  CPU time does not grow when other work shares the machine, so this one holds on a busy
  machine too. The PostgreSQL backends' own CPU is printed beside it, not counted in it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web_load import Figures, fresh_database, run

EARLIER_SQLITE_PER_S = 143.0
EARLIER_SQLITE_P99_MS = 326.0
EARLIER_CPU_MS = 8.7


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def compare(sqlite: Figures, postgres: Figures) -> list[str]:
    cpu_target = EARLIER_CPU_MS / 2
    rows = [
        ("", "SQLite x1", "PostgreSQL x2"),
        (
            "submissions/s",
            f"{sqlite.submissions_per_s:.0f}",
            f"{postgres.submissions_per_s:.0f}",
        ),
        (
            "submit p50 / p99 ms",
            f"{sqlite.submit_p50_ms:.0f} / {sqlite.submit_p99_ms:.0f}",
            f"{postgres.submit_p50_ms:.0f} / {postgres.submit_p99_ms:.0f}",
        ),
        (
            "server CPU ms per submission",
            f"{sqlite.server_cpu_ms_per_submission:.2f}",
            f"{postgres.server_cpu_ms_per_submission:.2f}",
        ),
        (
            "database CPU ms per submission",
            "(in the server)",
            f"{postgres.database_cpu_ms_per_submission:.2f}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{a:<{width}}  {b:>16}  {c:>16}" for a, b, c in rows]
    same_run = postgres.submissions_per_s >= sqlite.submissions_per_s
    earlier = (
        postgres.submissions_per_s >= EARLIER_SQLITE_PER_S
        and postgres.submit_p99_ms <= EARLIER_SQLITE_P99_MS
    )
    worst_cpu = max(sqlite.server_cpu_ms_per_submission, postgres.server_cpu_ms_per_submission)
    lines += [
        "",
        f"PostgreSQL x2 at least as fast as SQLite x1 in this run: {verdict(same_run)}",
        f"PostgreSQL x2 against the earlier SQLite x1 ({EARLIER_SQLITE_PER_S:.0f}/s, p99 "
        f"{EARLIER_SQLITE_P99_MS:.0f} ms): {verdict(earlier)}",
        f"server CPU per submission at most {cpu_target:.2f} ms (half of {EARLIER_CPU_MS} ms) "
        f"on both: {verdict(worst_cpu <= cpu_target)} (worst {worst_cpu:.2f} ms)",
        f"load average now {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} cores: "
        "wall figures count only on a quiet machine; CPU figures hold either way",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("INNOSTUDY_TEST_POSTGRES_URL"))
    parser.add_argument("--respondents", type=int, default=640)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("bench_team_throughput: give --postgres URL (an admin URL)")
    print("== SQLite, one server process")
    sqlite = run(None, args.respondents, args.concurrency, workers=1)
    print("\n== PostgreSQL, two server processes")
    with fresh_database(args.postgres) as url:
        postgres = run(url, args.respondents, args.concurrency, workers=2)
    print("\n== Issue 18 targets")
    print("\n".join(compare(sqlite, postgres)))


if __name__ == "__main__":
    main()
