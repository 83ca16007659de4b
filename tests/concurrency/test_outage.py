"""The database server stops under a running `innostudy serve` and comes back: the app
answers with its own pages meanwhile and recovers without a restart.

The server is a PostgreSQL cluster of the test's own (own port, temporary folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.concurrency.own_cluster import OwnCluster
from tests.concurrency.team import Browser, Server, build_team_study, free_port
from tests.web.survey_data import PAGES

pytestmark = pytest.mark.slow


def test_an_outage_and_the_recovery_without_a_restart(tmp_path: Path) -> None:
    cluster = OwnCluster(free_port())
    cluster.start()
    running = True
    server: Server | None = None
    try:
        admin = sa.create_engine(
            cluster.url.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE "study"'))
        admin.dispose()
        team = build_team_study(tmp_path / "study", cluster.database_url("study"))
        token = next(iter(team.tokens.values()))
        server = Server(team.folder)
        visitor = Browser(server.url)
        assert visitor.request(f"/s/{token}/p/1")[0] == 200

        cluster.stop()
        running = False
        status, body, headers = visitor.request(f"/s/{token}/p/1")
        assert status == 503
        assert headers["content-type"].startswith("text/html")
        assert headers["retry-after"] == "30"
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "Temporarily unavailable" in body
        status, body, _ = visitor.request(f"/s/{token}/p/1", headers={"Accept": "application/json"})
        assert (status, json.loads(body)["error"]) == (503, "database_unavailable")
        status, body, _ = visitor.request("/healthz")
        assert status == 503
        assert json.loads(body)["checks"]["database"] == "unreachable"
        cli = subprocess.run(
            [sys.executable, "-m", "innostudy", "--study", str(team.folder), "code", "list"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == 1
        where = cluster.database_url("study").replace("postgresql:", "postgresql+psycopg:")
        assert cli.stderr.startswith(f"Error: cannot connect to database {where}: ")
        assert cli.stderr.endswith("Connection refused\n")
        assert len(cli.stderr.strip().splitlines()) == 1

        cluster.start()
        running = True
        page = visitor.request(f"/s/{token}/p/1")
        assert page[0] == 200
        form = {"csrf_token": Browser.csrf_in(page[1]), "revision": "0", "action": "save"}
        assert visitor.request(f"/s/{token}/p/1", form | PAGES[1])[0] == 303
        assert visitor.request("/healthz")[0] == 200
        log = server.stop()
        server = None
        assert "Traceback" not in log, log
    finally:
        if server is not None:
            server.stop()
        if running:
            cluster.stop()
        cluster.remove()
