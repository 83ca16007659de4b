"""When the database is down or busy: the app's own page (or JSON), its security headers,
a retry hint; and /healthz says which part is down. Real databases throughout: an
unreachable PostgreSQL is a port nothing listens on, a busy one is a held lock."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from innostudy.storage.engine import STUDY_LOCK, make_engine
from innostudy.storage.store import StudyStore
from innostudy.storage.upgrade import SchemaState
from innostudy.studies import init_study
from innostudy.survey.organisations import add_organisation
from innostudy.survey.tokens import issue_token
from innostudy.web.app import create_app
from innostudy.web.settings import WebSettings
from tests.web.conftest import SECRET, csrf_of
from tests.web.survey_data import PAGES

HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return init_study(tmp_path / "study")


def _client(store: StudyStore) -> TestClient:
    return TestClient(
        create_app(WebSettings(secret_key=SECRET), store), base_url="https://testserver"
    )


@pytest.fixture
def down(study: Path) -> Iterator[TestClient]:
    """The study's app over a PostgreSQL server that does not answer (nothing on port 1)."""
    engine = make_engine("postgresql://innostudy@127.0.0.1:1/gone")
    store = StudyStore(study, StudyStore.open(study).settings, engine, SchemaState("current", ""))
    with _client(store) as client:
        yield client
    engine.dispose()


def _headers_present(response: object) -> None:
    for name in HEADERS:
        assert name in response.headers, name  # type: ignore[attr-defined]


def test_an_outage_gives_the_apps_own_page_with_a_retry_hint(down: TestClient) -> None:
    page = down.get("/s/some-token")
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"] == "30"
    _headers_present(page)
    assert "<title>Temporarily unavailable" in page.text
    assert "Please try again in a minute" in page.text
    assert "Traceback" not in page.text and "127.0.0.1" not in page.text


def test_an_outage_answers_json_to_those_who_ask_for_it(down: TestClient) -> None:
    answer = down.get("/s/some-token/p/1", headers={"accept": "application/json"})
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    _headers_present(answer)
    body = answer.json()
    assert body["error"] == "database_unavailable"
    assert body["retry_after"] == 30
    assert body["message"].startswith("The study's database cannot be reached just now")


def test_healthz_says_the_database_is_down(down: TestClient) -> None:
    answer = down.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "checks": {
            "database": "unreachable",
            "schema": "unknown (the database is unreachable)",
            "study_folder": "ok",
        },
    }


def test_healthz_when_all_is_well_and_when_the_schema_is_behind(study: Path) -> None:
    with StudyStore.open(study) as store, _client(store) as client:
        assert client.get("/healthz").json() == {
            "status": "ok",
            "checks": {"database": "ok", "schema": "ok", "study_folder": "ok"},
        }
        with store.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'i8a'"))
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["schema"].startswith("at revision i8a, this innostudy needs ")
    assert answer.json()["checks"]["schema"].endswith(": run `innostudy db upgrade`")


def test_an_unexpected_error_still_gets_the_apps_page_and_headers(study: Path) -> None:
    with StudyStore.open(study) as store:
        app: FastAPI = create_app(WebSettings(secret_key=SECRET), store)

        @app.get("/broken")
        def broken() -> None:
            raise RuntimeError("a bug")

        with TestClient(app, raise_server_exceptions=False) as client:
            page = client.get("/broken")
            answer = client.get("/broken", headers={"accept": "application/json"})
    assert page.status_code == 500
    _headers_present(page)
    assert "<title>Server error" in page.text and "a bug" not in page.text
    assert answer.json()["error"] == "server_error"


@pytest.mark.slow
def test_a_save_while_another_writer_holds_the_study_too_long_is_a_busy_page(
    tmp_path: Path, database_url: str
) -> None:
    folder = init_study(tmp_path / "busy", database_url=database_url)
    with StudyStore.open(folder) as store:
        with store.session() as s:
            token = issue_token(add_organisation(s, "Busy Agency", "executive_agency"))
        with _client(store) as client:
            form = {"csrf_token": csrf_of(client.get(f"/s/{token}/p/1")), "revision": "0"}
            with _writer_holding(store):
                started = time.monotonic()
                page = client.post(f"/s/{token}/p/1", data=form | PAGES[1])
            waited = time.monotonic() - started
            again = client.post(f"/s/{token}/p/1", data=form | PAGES[1], follow_redirects=False)
    assert page.status_code == 503, page.text[:300]
    assert waited >= 9
    assert page.headers["retry-after"] == "5"
    _headers_present(page)
    assert "The study is busy" in page.text
    assert again.status_code == 303  # nothing was written, so the same page saves now


class _writer_holding:
    """Another process's writer in the middle of a long transaction."""

    def __init__(self, store: StudyStore) -> None:
        self.store = store
        self.release = threading.Event()

    def __enter__(self) -> None:
        if self.store.is_sqlite:
            self.raw = sqlite3.connect(str(self.store.engine.url.database))
            self.raw.execute("BEGIN IMMEDIATE")
            return
        self.conn = self.store.engine.connect()
        self.conn.exec_driver_sql("SELECT pg_advisory_xact_lock({}, {})".format(*STUDY_LOCK))

    def __exit__(self, *exc: object) -> None:
        if self.store.is_sqlite:
            self.raw.rollback()
            self.raw.close()
        else:
            self.conn.rollback()
            self.conn.close()
