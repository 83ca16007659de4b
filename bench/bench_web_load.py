"""Load test of the survey form on loopback: 64 concurrent simulated respondents.

A real `innostudy serve` runs as a subprocess; the client is a small keep-alive HTTP/1.1
client on asyncio (cheap, so most of the 2 cores go to the server). Each respondent
behaves like a browser: opens page 1, posts each page and follows the redirect to the
next, ending on the review page. Then all respondents submit at once (64 in flight), and one
in ten sends its submit twice (a double click); each then follows the redirect to its
receipt. Afterwards the database is checked:
every organisation has exactly one response, submitted once, with the answers sent.

    python bench/bench_web_load.py                       # SQLite
    python bench/bench_web_load.py --postgres postgresql://user:pw@127.0.0.1/postgres

Prints submissions/s, p50/p99 latency, and lost or duplicated submissions (must be 0).
Requests and time are bounded; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.survey_data import PAGES, STORED  # noqa: E402

from innostudy.model import Organisation, Response, ResponseRevision, ResponseStatus  # noqa: E402
from innostudy.storage.engine import normalise_url  # noqa: E402
from innostudy.storage.store import StudyStore  # noqa: E402
from innostudy.studies import init_study  # noqa: E402
from innostudy.survey.organisations import add_organisation  # noqa: E402
from innostudy.survey.tokens import issue_token  # noqa: E402

SECRET = "bench-secret-" + "x9" * 20
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
TIME_LIMIT_S = 600
START_LIMIT_S = 120


class Client:
    """One keep-alive HTTP/1.1 connection: enough protocol for this server, nothing more."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, form: dict[str, object] | None = None
    ) -> tuple[int, bytes, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        body = urlencode(form or {}, doseq=True).encode() if form is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if form is not None:
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        await self.writer.drain()
        assert self.reader is not None
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        data = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, data, headers.get("location", "")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Timings:
    def __init__(self) -> None:
        self.by_kind: dict[str, list[float]] = defaultdict(list)

    async def timed(
        self,
        kind: str,
        client: Client,
        method: str,
        path: str,
        form: dict[str, object] | None = None,
    ) -> tuple[int, bytes, str]:
        start = time.perf_counter()
        result = await client.request(method, path, form)
        self.by_kind[kind].append(time.perf_counter() - start)
        return result


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children (Linux /proc): what
    the server spent, whatever else the shared machine was doing."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    pids.append(int(entry.name))
            except (OSError, IndexError):
                continue
    total = 0
    for p in pids:
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(database_url: str | None) -> float:
    """User + system CPU so far of the PostgreSQL backends serving the study's database
    (0 on SQLite, whose work is inside the server process). Readable when the database
    runs on this machine and /proc shows its processes."""
    if not database_url:
        return 0.0
    engine = sa.create_engine(normalise_url(database_url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            pids = conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
            total = 0
            for pid in pids:
                with contextlib.suppress(OSError):
                    fields = _stat(int(pid))
                    total += int(fields[11]) + int(fields[12])
    finally:
        engine.dispose()
    return total / os.sysconf("SC_CLK_TCK")


class Figures(NamedTuple):
    """What a run measured, for scripts that compare runs (bench_team_throughput.py)."""

    submissions_per_s: float
    submit_p50_ms: float
    submit_p99_ms: float
    server_cpu_ms_per_submission: float
    database_cpu_ms_per_submission: float


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def fill_drafts(port: int, token: str, timings: Timings) -> tuple[int, str]:
    """A respondent's pages, as a browser does them, ending on the review page.

    Returns the revision and CSRF token the review page's submit form carries."""
    client = Client(port)
    try:
        status, page, _ = await timings.timed("get page", client, "GET", f"/s/{token}/p/1")
        assert status == 200, status
        csrf = CSRF.search(page).group(1).decode()  # type: ignore[union-attr]
        revision = 0
        for number, fields in PAGES.items():
            form = {"csrf_token": csrf, "revision": revision, "action": "next", **fields}
            status, _, location = await timings.timed(
                "save draft", client, "POST", f"/s/{token}/p/{number}", form
            )
            assert status == 303, (status, number)
            revision += 1
            kind = "get review" if location.endswith("/review") else "get page"
            status, _, _ = await timings.timed(kind, client, "GET", location)
            assert status == 200, status
        return revision, csrf
    finally:
        client.close()


async def submit(
    port: int, token: str, form: tuple[int, str], twice: bool, timings: Timings
) -> None:
    """Press Submit on the review page (twice for a double click), then see the receipt."""
    client = Client(port)
    try:
        body = {"csrf_token": form[1], "revision": form[0]}
        for _ in range(2 if twice else 1):
            status, _, location = await timings.timed(
                "submit", client, "POST", f"/s/{token}/submit", body
            )
            assert status == 303, status
            assert location.endswith("/receipt"), location
        status, _, _ = await timings.timed("get receipt", client, "GET", location)
        assert status == 200, status
    finally:
        client.close()


async def pool(jobs: list, concurrency: int) -> float:  # type: ignore[type-arg]
    queue: asyncio.Queue = asyncio.Queue()  # type: ignore[type-arg]
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            await queue.get_nowait()()

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), TIME_LIMIT_S)
    return time.perf_counter() - start


def prepare(folder: Path, database_url: str | None, organisations: int) -> dict[int, str]:
    init_study(folder, database_url=database_url)
    tokens: dict[int, str] = {}
    with StudyStore.open(folder, database_url=database_url) as store, store.session() as s:
        for i in range(organisations):
            org = add_organisation(s, f"Synthetic organisation {i:04d}", "executive_agency")
            tokens[org.id] = issue_token(org)
    return tokens


def serve(
    folder: Path, database_url: str | None, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INNOSTUDY_WEB_SECRET_KEY": SECRET}
    if database_url:
        env["INNOSTUDY_DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "innostudy",
            "--study",
            str(folder),
            "serve",
            "--port",
            str(port),
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Two processes importing the whole app take half a minute on a busy 2-core machine.
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


def verify(folder: Path, database_url: str | None, tokens: dict[int, str]) -> tuple[int, int, int]:
    """(lost, duplicated, wrong answers) among the organisations that submitted."""
    with StudyStore.open(folder, database_url=database_url) as store, store.session() as s:
        submitted = dict(
            s.execute(
                sa.select(Response.organisation_id, Response.answers).where(
                    Response.status == ResponseStatus.SUBMITTED
                )
            ).all()
        )
        per_response = s.execute(
            sa.select(Response.organisation_id, sa.func.count())
            .join(ResponseRevision, ResponseRevision.response_id == Response.id)
            .where(ResponseRevision.status == ResponseStatus.SUBMITTED)
            .group_by(Response.organisation_id)
        ).all()
        organisations = s.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert organisations == len(tokens)
    lost = sum(1 for org in tokens if org not in submitted)
    duplicated = sum(n - 1 for _, n in per_response if n > 1)
    wrong = sum(1 for answers in submitted.values() if answers != STORED)
    return lost, duplicated, wrong


def run(database_url: str | None, organisations: int, concurrency: int, workers: int) -> Figures:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="innostudy-bench-") as tmp:
        folder = Path(tmp) / "study"
        tokens = prepare(folder, database_url, organisations)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        server = serve(folder, database_url, port, workers)
        timings = Timings()
        try:
            revisions: dict[int, tuple[int, str]] = {}

            def draft_job(org: int, token: str):  # type: ignore[no-untyped-def]
                async def job() -> None:
                    revisions[org] = await fill_drafts(port, token, timings)

                return job

            cpu0 = cpu_seconds(server.pid)
            drafts_s = asyncio.run(pool([draft_job(o, t) for o, t in tokens.items()], concurrency))
            cpu1 = cpu_seconds(server.pid)
            db1 = database_cpu_seconds(database_url)

            def submit_job(i: int, org: int, token: str):  # type: ignore[no-untyped-def]
                return lambda: submit(port, token, revisions[org], i % 10 == 0, timings)

            submit_s = asyncio.run(
                pool([submit_job(i, o, t) for i, (o, t) in enumerate(tokens.items())], concurrency)
            )
            cpu2 = cpu_seconds(server.pid)
            db2 = database_cpu_seconds(database_url)
        finally:
            server.terminate()
            server.wait(timeout=20)
        lost, duplicated, wrong = verify(folder, database_url, tokens)
    figures = report(
        "PostgreSQL" if database_url else "SQLite",
        workers,
        organisations,
        concurrency,
        timings,
        (drafts_s, submit_s),
        (cpu0, cpu1, cpu2),
        load_before,
    )
    database_ms = 1000 * (db2 - db1) / organisations
    if database_url:
        print(
            f"database CPU (PostgreSQL backends): submit phase {database_ms:.2f} ms per submission"
        )
    print(f"lost submissions: {lost}; duplicated submissions: {duplicated}; ", end="")
    print(f"answers differing: {wrong}")
    if lost or duplicated or wrong:
        raise SystemExit(1)
    return figures._replace(database_cpu_ms_per_submission=database_ms)


def _line(kind: str, values: list[float]) -> str:
    return (
        f"  {kind:<11} n={len(values):>5}  p50 {pct(values, 0.5):6.1f} ms  "
        f"p99 {pct(values, 0.99):6.1f} ms  mean {1000 * statistics.fmean(values):6.1f} ms"
    )


def report(
    backend: str,
    workers: int,
    organisations: int,
    concurrency: int,
    timings: Timings,
    walls: tuple[float, float],
    cpu: tuple[float, float, float],
    load_before: float,
) -> Figures:
    drafts_s, submit_s = walls
    submit_kinds = ("submit", "get receipt")
    requests = sum(len(v) for k, v in timings.by_kind.items() if k not in submit_kinds)
    resent = len(timings.by_kind["submit"]) - organisations
    print(
        f"backend: {backend}; {organisations} respondents, {concurrency} concurrent, "
        f"{workers} server process(es)"
    )
    print(
        f"drafts phase: {requests} requests in {drafts_s:.1f} s = {requests / drafts_s:.0f} "
        f"requests/s ({organisations / drafts_s:.1f} respondents through all pages per s)"
    )
    print(
        f"submit phase: {organisations} submissions (+{resent} resent) in {submit_s:.2f} s "
        f"= {organisations / submit_s:.0f} submissions/s"
    )
    for kind, values in sorted(timings.by_kind.items()):
        print(_line(kind, values))
    print(_line("all", [t for v in timings.by_kind.values() for t in v]))
    # Each submission is the submit POST plus the receipt GET the browser follows to.
    per_request = 1000 * (cpu[1] - cpu[0]) / requests
    per_submission = 1000 * (cpu[2] - cpu[1]) / organisations
    print(
        f"server CPU: drafts phase {per_request:.2f} ms per request; submit phase "
        f"{per_submission:.2f} ms per submission (POST + receipt), i.e. at most "
        f"{1000 / per_submission:.0f} submissions/s per free core; "
        f"{len(os.sched_getaffinity(0))} cores, load average before the run {load_before:.1f}"
    )
    submits = timings.by_kind["submit"]
    return Figures(
        organisations / submit_s, pct(submits, 0.5), pct(submits, 0.99), per_submission, 0.0
    )


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, uniquely named database on the server ``admin_url`` names, dropped after."""
    admin = sa.create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"innostudy_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=640)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--postgres", help="an admin URL; a fresh database is created and dropped")
    args = parser.parse_args()
    if not args.postgres:
        run(None, args.respondents, args.concurrency, args.workers)
        return
    with fresh_database(args.postgres) as url:
        run(url, args.respondents, args.concurrency, args.workers)


if __name__ == "__main__":
    main()
