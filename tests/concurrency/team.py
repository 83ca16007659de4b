"""A small study a team works on at once, on either backend, and ways to act on it
concurrently: CLI commands in separate processes that start at the same instant, and a
real `innostudy serve` reached over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from innostudy.accounts import add_user
from innostudy.fieldwork.groups import add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import Role, Segment, Speaker
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.organisations import add_organisation
from innostudy.survey.tokens import issue_token
from innostudy.transcripts.importing import import_transcript

SECRET = "race-secret-0123456789-abcdefghijklmnop-XYZ"
PASSWORD = "correct horse battery staple"
ORG_TYPE = "executive_agency"
TURNS = [
    "We waited a whole financial year before the budget for the pilot was approved.",
    "The approval gateway asked for a business case we could not write without a pilot.",
    "Front-line staff suggested the idea, but nobody senior sponsored it at first.",
    "Procurement rules made it hard to work with the small supplier we wanted.",
    "Users told us the new service saved them a trip to the office every month.",
    "Fear of failure was the biggest barrier; a minister's interest changed that.",
]


@dataclass
class TeamStudy:
    folder: Path
    database_url: str | None
    tokens: dict[int, str] = field(default_factory=dict)  # organisation id → survey token
    segments: list[int] = field(default_factory=list)  # participants' turns

    def open(self) -> StudyStore:
        return StudyStore.open(self.folder)


def build_team_study(folder: Path, database_url: str | None, organisations: int = 8) -> TeamStudy:
    """Invited organisations, a coder account and one transcript of participants' turns."""
    init_study(folder, database_url=database_url)
    study = TeamStudy(folder.resolve(), database_url)
    transcript = folder.parent / f"{folder.name}-session.txt"
    with study.open() as store, store.session() as s:
        for i in range(organisations):
            org = add_organisation(s, f"Synthetic organisation {i:02d}", ORG_TYPE)
            study.tokens[org.id] = issue_token(org)
        add_user(s, "cody", PASSWORD, Role.CODER)
        group = add_group(s, "Project managers", "cs_project")
        codes = [add_participant(s, group).code for _ in range(3)]
        transcript.write_text(
            "".join(f"{codes[i % 3]}: {text}\n\n" for i, text in enumerate(TURNS * 3)),
            encoding="utf-8",
        )
        import_transcript(s, transcript, add_session(s, group))
        study.segments = list(
            s.scalars(
                sa.select(Segment.id)
                .join(Speaker)
                .where(Speaker.participant_id.is_not(None))
                .order_by(Segment.id)
            )
        )
    assert len(study.segments) == len(TURNS) * 3
    return study


# -- CLI commands that start together ---------------------------------------------------

_DRIVER = """
import os, sys, time
from innostudy.cli.main import run
open(sys.argv[1] + ".ready", "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
sys.argv = ["innostudy", *sys.argv[3:]]
run()
"""


@dataclass
class Finished:
    args: list[str]
    exit_code: int
    stdout: str
    stderr: str


def run_together(
    folder: Path, commands: list[list[str]], *, timeout: float = 240
) -> list[Finished]:
    """Run CLI commands on the study in separate processes, released at the same instant
    once every interpreter has imported innostudy (so start-up time does not stagger them)."""
    gate = folder.parent / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "INNOSTUDY_STUDY": str(folder), "INNOSTUDY_ENCODER": "hashing"}
    procs = []
    for i, args in enumerate(commands):
        marker = f"{gate}-{i}"
        procs.append(
            (
                marker,
                subprocess.Popen(
                    [sys.executable, "-c", _DRIVER, marker, str(gate), *args],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + timeout
    while not all(Path(f"{m}.ready").exists() for m, _ in procs):
        assert time.monotonic() < deadline, "the commands did not start"
        assert all(p.poll() is None for _, p in procs), [p.communicate() for _, p in procs]
        time.sleep(0.01)
    Path(gate).touch()
    done = []
    for (_, proc), args in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        done.append(Finished(args, proc.returncode, out, err))
    return done


def assert_clean(result: Finished) -> None:
    """No traceback, no SQL, no parameters: at most one line of error."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "[SQL:" not in result.stderr and "[parameters:" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) <= 1, result.stderr


# -- a real server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`innostudy serve` in its own process, as a team would run it."""

    def __init__(self, folder: Path, *, workers: int = 1, env: dict[str, str] | None = None):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder.parent / f"server-{self.port}.log"
        command = [sys.executable, "-m", "innostudy", "--study", str(folder), "serve"]
        command += ["--port", str(self.port), "--workers", str(workers)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command,
                env={
                    **os.environ,
                    "INNOSTUDY_WEB_SECRET_KEY": SECRET,
                    # plain http on loopback: cookies without Secure, as a proxy in front would
                    "INNOSTUDY_WEB_SECURE_COOKIES": "false",
                    **(env or {}),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_up()

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        raise AssertionError("server did not start: " + self.log.read_text())

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=20)
        return self.log.read_text()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')


class Browser:
    """One visitor: keeps cookies, never follows redirects, returns (status, body, headers)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read().decode(), {k.lower(): v for k, v in r.headers.items()}
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), {k.lower(): v for k, v in e.headers.items()}

    def csrf(self, path: str) -> str:
        status, body, _ = self.request(path)
        assert status == 200, (status, body[:500])
        return self.csrf_in(body)

    @staticmethod
    def csrf_in(body: str) -> str:
        found = CSRF.search(body)
        assert found, body[:500]
        return found.group(1)

    @staticmethod
    def revision_in(body: str) -> int:
        found = REVISION.search(body)
        assert found, body[:500]
        return int(found.group(1))

    def login(self, username: str) -> None:
        token = self.csrf("/login")
        form = {"csrf_token": token, "username": username, "password": PASSWORD, "next": "/"}
        status, body, _ = self.request("/login", form)
        assert status == 303, (status, body[:500])
