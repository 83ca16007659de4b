"""`innostudy user …` and `innostudy serve`'s refusal of unsafe settings."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from innostudy.model import User
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


def _users(folder: Path) -> list[tuple[str, str, str]]:
    with StudyStore.open(folder) as store, store.session() as s:
        return [
            (u.username, u.role.value, u.password_hash)
            for u in s.scalars(sa.select(User).order_by(User.username))
        ]


@pytest.fixture
def study(tmp_path: Path, cli: Cli) -> Path:
    assert cli("init", tmp_path / "s").exit_code == 0
    return tmp_path / "s"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_user_add_stores_an_argon2_hash(
    study: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "a long enough password\n")
    result = cli("--study", study, "user", "add", "Ada", "--role", "admin", "--password-stdin")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "Added admin 'ada'"
    [(name, role, digest)] = _users(study)
    assert (name, role) == ("ada", "admin")
    assert digest.startswith("$argon2id$")
    assert PasswordHasher().verify(digest, "a long enough password")
    listed = cli("--study", study, "user", "list")
    assert listed.stdout.split()[:3] == ["ada", "admin", "active"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["bob", "--role", "boss"],
            "a long enough password\n",
            "Error: --role, field 'role': unknown role 'boss' (one of: admin, researcher, coder)",
        ),
        (
            ["bob"],
            "short\n",
            "Error: password, field 'password': must be at least 12 characters long",
        ),
        (
            ["b ob"],
            "a long enough password\n",
            "Error: USERNAME, field 'username': 'b ob' is not a valid user name (2-80 characters: a-z, 0-9, '.', '_', '-')",
        ),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    study: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    _stdin(monkeypatch, stdin)
    result = cli("--study", study, "user", "add", *args, "--password-stdin")
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert _users(study) == []


def test_a_second_user_with_the_same_name_is_refused(
    study: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "a long enough password\n")
    cli("--study", study, "user", "add", "bob", "--password-stdin")
    before = _users(study)
    _stdin(monkeypatch, "another long password\n")
    result = cli("--study", study, "user", "add", "BOB", "--password-stdin")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "Error: USERNAME, field 'username': a user called 'bob' already exists",
    )
    assert _users(study) == before


def test_disable_enable_role_and_password(
    study: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "a long enough password\n")
    cli("--study", study, "user", "add", "bob", "--password-stdin")
    assert cli("--study", study, "user", "disable", "bob").exit_code == 0
    assert "disabled" in cli("--study", study, "user", "list").stdout
    assert cli("--study", study, "user", "enable", "bob").exit_code == 0
    assert (
        cli("--study", study, "user", "role", "bob", "coder").stdout.strip() == "'bob' is now coder"
    )
    old = _users(study)[0][2]
    _stdin(monkeypatch, "a different long password\n")
    assert cli("--study", study, "user", "password", "bob", "--password-stdin").exit_code == 0
    assert _users(study)[0][2] != old
    missing = cli("--study", study, "user", "disable", "nobody")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        "Error: no user 'nobody'; list them with `innostudy user list`",
    )


HOW_TO = (
    " Create one with `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'` and "
    "set it before serving, e.g. `export INNOSTUDY_WEB_SECRET_KEY=<the printed value>` "
    "(keep the same value across restarts); or try the app on this computer with "
    "`innostudy serve --dev`"
)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "Error: web settings: INNOSTUDY_WEB_SECRET_KEY is not set." + HOW_TO),
        (
            "changethis",
            "Error: web settings: INNOSTUDY_WEB_SECRET_KEY is a placeholder; set a random value."
            + HOW_TO,
        ),
        (
            "abcdefghij0123",
            "Error: web settings: INNOSTUDY_WEB_SECRET_KEY is 14 characters; at least 32 are "
            "needed." + HOW_TO,
        ),
    ],
)
def test_serve_refuses_a_missing_or_placeholder_secret(
    study: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, secret: str | None, message: str
) -> None:
    if secret is None:
        monkeypatch.delenv("INNOSTUDY_WEB_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("INNOSTUDY_WEB_SECRET_KEY", secret)
    result = cli("--study", study, "serve")
    assert (result.exit_code, result.stderr.strip()) == (1, message)


def test_the_suggested_command_makes_a_key_serve_accepts() -> None:
    """The instruction in the message works: its command prints a key that passes."""
    import re
    import subprocess

    from innostudy.web.settings import HOW_TO_SET_SECRET, load_web_settings

    command = re.search(r"`(python3 -c '[^`]+')`", HOW_TO_SET_SECRET)
    assert command is not None
    code = command.group(1).split(" -c ", 1)[1].strip("'")
    key = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert load_web_settings(secret_key=key).secret == key.encode()


def test_dev_mode_is_for_loopback_only(study: Path, cli: Cli) -> None:
    result = cli("--study", study, "serve", "--dev", "--host", "0.0.0.0")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "Error: dev mode serves only a loopback address, not 0.0.0.0",
    )
