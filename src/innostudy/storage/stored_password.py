"""Studies made before issue 18 kept the database password in ``study.toml`` (and copied
it into the study row, so every ``pg_dump`` carried it). This moves it out, safely:

1. the password goes where libpq finds it (``~/.pgpass``, or nowhere when the
   environment already gives it);
2. the study must connect without the stored password, or nothing else changes;
3. ``study.toml`` is rewritten with the URL alone (one line replaced, the rest kept,
   the result re-read and compared), then the study row is cleaned.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from innostudy.atomic import write_atomic
from innostudy.config import load_settings, set_setting
from innostudy.errors import ConfigError, DatabaseError, InputError
from innostudy.storage.credentials import stored_password, without_password
from innostudy.storage.engine import (
    EXCLUSIVE,
    IMMEDIATE,
    check_connection,
    make_engine,
    normalise_url,
)
from innostudy.storage.study_folder import STUDY_TOML, locate_study

PGPASS_ENV = "PGPASSFILE"
DESTINATIONS = ("pgpass", "environment")


@dataclass(frozen=True)
class Moved:
    url: str  # what study.toml and the study row now hold
    pgpass: Path | None  # the password file written, if any
    from_file: bool  # study.toml held it
    from_database: bool  # the study row held it


def pgpass_path() -> Path:
    return Path(os.environ.get(PGPASS_ENV) or Path.home() / ".pgpass")


def _field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def pgpass_line(url: URL, password: str) -> str:
    """The libpq password-file entry for ``url``: host:port:database:user:password."""
    parts = [url.host or "localhost", str(url.port or 5432), url.database or "*"]
    parts += [url.username or "*", password]
    return ":".join(_field(p) for p in parts)


def add_to_pgpass(path: Path, url: URL, password: str) -> bool:
    """Add the entry (file mode 0600, libpq ignores others); False if it was already there.

    An entry for the same server, database and user with another password is refused:
    which one is right is for a person to decide."""
    line = pgpass_line(url, password)
    key = line.rsplit(":", 1)[0] + ":"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, existing in enumerate(lines, start=1):
        if existing == line:
            return False
        if existing.startswith(key):
            raise InputError(
                path, number, None, "already holds another password for this database and user"
            )
    write_atomic(path, "\n".join([*lines, line]) + "\n", mode=0o600)
    return True


def _remove_from_pgpass(path: Path, url: URL, password: str) -> None:
    line = pgpass_line(url, password)
    kept = [x for x in path.read_text(encoding="utf-8").splitlines() if x != line]
    write_atomic(path, "".join(f"{x}\n" for x in kept), mode=0o600)


def move_password(folder: Path | None, destination: str) -> Moved:
    """Take the password out of the study's files and row (see the module docstring)."""
    if destination not in DESTINATIONS:
        raise InputError("--to", None, None, f"must be one of: {', '.join(DESTINATIONS)}")
    root = locate_study(folder)
    toml_path = root / STUDY_TOML
    settings = load_settings(toml_path)
    stored = str(settings["database.url"])
    pgpass: Path | None = None
    if stored_password(stored):
        url = _move_out_of_file(toml_path, stored, destination)
        pgpass = pgpass_path() if destination == "pgpass" else None
    else:
        url = settings.database_url
    in_database = _clean_study_row(url) if url else False
    if not stored_password(stored) and not in_database:
        raise ConfigError(f"{toml_path}: the study holds no database password; nothing to move")
    return Moved(url, pgpass, stored_password(stored), in_database)


def _move_out_of_file(toml_path: Path, stored: str, destination: str) -> str:
    full = normalise_url(stored)
    clean = without_password(make_url(stored)).render_as_string(hide_password=False)
    pgpass = pgpass_path() if destination == "pgpass" else None
    added = pgpass is not None and add_to_pgpass(pgpass, full, str(full.password))
    engine = make_engine(clean)
    try:
        check_connection(engine)
    except DatabaseError as exc:
        if added and pgpass is not None:
            _remove_from_pgpass(pgpass, full, str(full.password))
        raise DatabaseError(f"{exc}; study.toml is unchanged") from None
    finally:
        engine.dispose()
    set_setting(toml_path, "database.url", clean)  # that line alone, the rest kept
    return clean


def _clean_study_row(url: str) -> bool:
    """Replace a password-bearing database.url in the study row; True if there was one."""
    from innostudy.model import StudyInfo

    table = cast(sa.Table, StudyInfo.__table__)
    engine = make_engine(url)
    found = False
    try:
        with engine.execution_options(**{IMMEDIATE: EXCLUSIVE}).begin() as conn:
            for row_id, settings in conn.execute(sa.select(table.c.id, table.c.settings)):
                kept = str(settings.get("database.url", ""))
                if stored_password(kept):
                    found = True
                    clean = without_password(make_url(kept)).render_as_string(hide_password=False)
                    conn.execute(
                        sa.update(table)
                        .where(table.c.id == row_id)
                        .values(settings=settings | {"database.url": clean})
                    )
    finally:
        engine.dispose()
    return found
