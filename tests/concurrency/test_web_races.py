"""Races through a real `innostudy serve`: a double click in the coding workbench, and an
import while respondents save pages of the same organisations.

Requests are real HTTP requests from threads released by a barrier, so the server
handles them at the same time; the expected outcome is SQLite's.
"""

from __future__ import annotations

import csv
import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa

from innostudy.accounts import add_user
from innostudy.model import Coding, Organisation, Response, ResponseRevision, Role
from tests.concurrency.team import (
    PASSWORD,
    Browser,
    Server,
    TeamStudy,
    assert_clean,
    run_together,
)
from tests.web.survey_data import PAGES

pytestmark = pytest.mark.slow
T = TypeVar("T")


@pytest.fixture
def server(team: TeamStudy) -> Iterator[Server]:
    running = Server(team.folder)
    try:
        yield running
    finally:
        log = running.stop()
        assert "Traceback" not in log, log


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def test_a_double_click_on_apply_code(team: TeamStudy, server: Server) -> None:
    """Both clicks end on the workbench (303); the turn has the coding once."""
    with team.open() as store, store.session() as s:
        for trial in range(6):
            add_user(s, f"coder{trial}", PASSWORD, Role.CODER)
    for trial in range(6):  # a new account each time: creating its coder is in the race
        browser = Browser(server.url)
        browser.login(f"coder{trial}")
        segment = team.segments[trial]
        csrf = browser.csrf("/coding/transcripts/1")
        form = {"csrf_token": csrf, "code_key": "costs", "start": "0", "end": "20"}
        path = f"/coding/segments/{segment}/codings"
        click = functools.partial(browser.request, path, form)
        results = at_once([click, click])
        assert [status for status, _, _ in results] == [303, 303], [r[1][:300] for r in results]
        with team.open() as store, store.session() as s:
            rows = s.scalars(sa.select(Coding).where(Coding.segment_id == segment)).all()
            assert len(rows) == 1
            assert {location for _, _, h in results for location in [h["location"]]} == {
                f"/coding/transcripts/1?added={rows[0].id}#seg-{segment}"
            }


def _draft_file(path: Path, names: list[str], title: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["organisation", "status", "innovation_title", "cost_band"])
        for name in names:
            writer.writerow([name, "draft", title, "under_100k"])
    return path


def _save_page_one(server: Server, token: str, stop: threading.Event) -> Counter[int]:
    """A respondent saving page 1 again and again from the page they last saw."""
    statuses: Counter[int] = Counter()
    browser = Browser(server.url)
    while not stop.is_set():
        status, body, _ = browser.request(f"/s/{token}/p/1")
        assert status == 200, body[:300]
        csrf = Browser.csrf_in(body)
        revision = Browser.revision_in(body)
        title = f"Respondent title {statuses.total()}"
        form = {"csrf_token": csrf, "revision": str(revision), "action": "save", **PAGES[1]}
        status, body, _ = browser.request(f"/s/{token}/p/1", form | {"innovation_title": title})
        statuses[status] += 1
    return statuses


def test_an_import_while_respondents_save_pages(
    team: TeamStudy, server: Server, tmp_path: Path
) -> None:
    with team.open() as store, store.session() as s:
        names = {o.id: o.name for o in s.scalars(sa.select(Organisation))}
    files = [
        _draft_file(tmp_path / f"wave-{n}.csv", list(names.values()), f"Imported title {n}")
        for n in range(3)
    ]
    stop = threading.Event()
    seen: list[Counter[int]] = []
    threads = [
        threading.Thread(target=lambda t=token: seen.append(_save_page_one(server, t, stop)))
        for token in list(team.tokens.values())[:4]
    ]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        for file in files:
            [imported] = run_together(team.folder, [["survey", "import", str(file)]])
            assert imported.exit_code == 0, imported.stderr
            assert_clean(imported)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    statuses = sum(seen, Counter())
    # saves go through, or (the import changed the page under them) get a clean 409 page
    assert set(statuses) <= {303, 409}, statuses
    assert statuses[303] > 0
    with team.open() as store, store.session() as s:
        for response in s.scalars(sa.select(Response)):
            revisions = s.scalars(
                sa.select(ResponseRevision.revision)
                .where(ResponseRevision.response_id == response.id)
                .order_by(ResponseRevision.revision)
            ).all()
            assert revisions == list(range(1, response.revision + 1))
