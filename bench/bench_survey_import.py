"""Benchmark: import 1,000,000 instrument-valid rows of plain CSV into a new SQLite study.

Prints wall time, CPU time and peak memory of the import, run as its own process (the
checking thread and the SQLite writer thread together). The CSV is generated
first from the demo's answer generator (valid against the default instrument, about
1 KB of answers per row, one new organisation per row) and is not part of the timing.

    .venv/bin/python bench/bench_survey_import.py            # 1,000,000 rows
    .venv/bin/python bench/bench_survey_import.py --rows 100000 --dir /tmp/bench  # keep files
    .venv/bin/python bench/bench_survey_import.py --database-only   # the SQLite floor

``--database-only`` times the writer's own statements on prepared rows (no file, no
checking), once in WAL mode and once with the rollback journal a bulk import uses when
nothing else has the study open, to show how much of the import is the database itself.

The import itself runs as `innostudy survey import` does: in a bulk write session
(storage/bulk.py) with checking processes (survey/importing/parallel.py); the figures
count the CPU of every process.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from innostudy.demo.responses import complete_answers
from innostudy.studies import default_file, init_study
from innostudy.survey.exporting import cell
from innostudy.survey.instrument import load_instrument
from innostudy.survey.layout import answer_columns

POOL = 5000
RUN = """
import json, resource, sys, time
from pathlib import Path
from innostudy.storage.bulk import bulk_write_session
from innostudy.storage.store import StudyStore
from innostudy.survey.importing import ImportOptions, import_responses, parallel
from innostudy.survey.instrument import load_instrument

study, path = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
with StudyStore.open(study) as store:
    instrument = load_instrument(store.setting_path("survey.instrument"))
    options = ImportOptions()
    with bulk_write_session(store) as s:  # as `innostudy survey import` does
        report = import_responses(s, path, instrument, options)
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the checking processes
print(json.dumps({
    "wall": wall, "created": report.outcome.created, "problems": report.problem_count,
    "user": me.ru_utime, "system": me.ru_stime, "rss_mib": me.ru_maxrss / 1024,
    "workers_user": workers.ru_utime, "workers_system": workers.ru_stime,
    "workers_rss_mib": workers.ru_maxrss / 1024, "workers": parallel.worker_count(),
}))
"""


def write_rows(path: Path, rows: int) -> None:
    """Rows in the layout `survey export` writes; answers drawn from a pool of demo answers."""
    instrument = load_instrument(default_file("instrument.yaml"))
    columns = answer_columns(instrument)
    rng = random.Random(7)
    types = ["ministerial_department", "executive_agency", "ndpb", "local_authority"]
    pool = []
    for _ in range(POOL):
        answers = complete_answers(rng, instrument, rng.choice(types))
        pool.append([_text(cell(c, answers)) for c in columns])
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "organisation_type", "status", *(c.name for c in columns)])
        for n in range(rows):
            out.writerow([f"Organisation {n:07d}", types[n % 4], "submitted", *pool[n % POOL]])


FLOOR = """
import json, random, resource, sys, time
import sqlalchemy as sa
from innostudy.model import Base
from innostudy.storage.engine import make_engine
from innostudy.studies import default_file
from innostudy.survey.instrument import load_instrument
from innostudy.demo.responses import complete_answers
from innostudy.survey.importing.sqlite_bulk import (
    ORGANISATIONS, RESPONSE_RUN, REVISIONS, organisations_doc)

path, rows, journal = sys.argv[1], int(sys.argv[2]), sys.argv[3]
instrument = load_instrument(default_file("instrument.yaml"))
rng = random.Random(1)
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
quoted = json.encoder.encode_basestring
pool = [dumps(complete_answers(rng, instrument, "ndpb")) for _ in range(2000)]
engine = make_engine("sqlite:///" + path)
Base.metadata.create_all(engine)
engine.dispose()
import sqlite3
con = sqlite3.connect(path, isolation_level=None)
con.execute("PRAGMA journal_mode=" + journal)
con.execute("PRAGMA foreign_keys=ON")
con.execute("PRAGMA cache_size=-262144")  # as the importer sets it
con.execute("PRAGMA synchronous=" + ("NORMAL" if journal == "wal" else "FULL"))
order = list(range(rows))
random.Random(2).shuffle(order)
now = "2026-01-01 00:00:00.000000"
start = time.perf_counter()
con.execute("BEGIN")
for first in range(0, rows, 5000):
    ids = range(first + 1, min(rows, first + 5000) + 1)
    orgs = organisations_doc([(i, "Organisation %07d" % order[i - 1], "ndpb", None) for i in ids])
    answers = "[" + ",".join(quoted(pool[i % 2000]) for i in ids) + "]"
    con.execute(ORGANISATIONS, (now, orgs))
    run = (ids[0], ids[0], "submitted", "1.0", "bench.csv", ids[0] + 1, None, now, now, now)
    con.execute(RESPONSE_RUN, (*run, answers))  # as the importer writes a run of new rows
    con.execute(REVISIONS, ("", now, ids[0], ids[-1]))
inserted = time.perf_counter()
con.execute("COMMIT")
done = time.perf_counter()
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"inserts": inserted - start, "commit": done - inserted, "wall": done - start,
                  "user": me.ru_utime, "system": me.ru_stime}))
"""


def database_floor(root: Path, rows: int) -> None:
    for journal in ("wal", "delete"):
        path = root / f"floor-{journal}.db"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        out = subprocess.run(
            [sys.executable, "-c", FLOOR, str(path), str(rows), journal],
            check=True,
            capture_output=True,
            text=True,
        )
        f = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"database only, {rows:,} new responses, journal {journal}: "
            f"inserts {f['inserts']:.1f} s, commit {f['commit']:.1f} s, {f['wall']:.1f} s wall, "
            f"CPU {f['user']:.1f} s user + {f['system']:.1f} s system"
        )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="keep the files here")
    parser.add_argument("--database-only", action="store_true", help="time SQLite alone")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="bench-survey-"))
    root.mkdir(parents=True, exist_ok=True)
    if args.database_only:
        try:
            database_floor(root, args.rows)
        finally:
            if args.dir is None:
                shutil.rmtree(root, ignore_errors=True)
        return 0
    data = root / f"responses-{args.rows}.csv"
    try:
        if not data.exists():
            started = time.perf_counter()
            write_rows(data, args.rows)
            print(
                f"generated {args.rows:,} rows ({data.stat().st_size / 2**20:,.0f} MiB) "
                f"in {time.perf_counter() - started:.1f} s (not timed below)",
                flush=True,
            )
        study = root / "study"
        if study.exists():
            shutil.rmtree(study)
        init_study(study)
        out = subprocess.run(
            [sys.executable, "-c", RUN, str(study), str(data)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        if figures["created"] != args.rows or figures["problems"]:
            raise SystemExit(f"the import did not take every row: {figures}")
        cpu = figures["user"] + figures["system"]
        workers = figures["workers_user"] + figures["workers_system"]
        print(
            f"survey import, {args.rows:,} rows of plain CSV: {figures['wall']:.1f} s wall, "
            f"{args.rows / figures['wall']:,.0f} rows/s; CPU {cpu + workers:.1f} s in all: "
            f"{cpu:.1f} s in the importing process (settling and writing threads), "
            f"{workers:.1f} s in {figures['workers']} checking processes; peak RSS "
            f"{figures['rss_mib']:.0f} MiB importing + {figures['workers_rss_mib']:.0f} MiB "
            "the largest checking process"
        )
    finally:
        if args.dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
