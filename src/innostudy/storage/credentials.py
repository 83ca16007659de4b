"""The database password: taken from the environment or libpq's own files, never written.

A study names its database by a URL without a password (``study.toml``, the study row
in the database, every message). The password comes, at connection time only, from
``INNOSTUDY_DATABASE_PASSWORD``, or from libpq itself: ``PGPASSWORD``, ``~/.pgpass``
(``PGPASSFILE``) or a service file (``?service=name``, ``PGSERVICEFILE``). Text that
may hold a URL (an unparseable one, a driver's message) is masked before it is shown.
"""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

PASSWORD_ENV = "INNOSTUDY_DATABASE_PASSWORD"
MASK = "***"

# scheme://user:password@ — greedy up to the authority's last '@', as URL parsers read it.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:)[^\s/?#]*@")
# key=value connection strings (libpq's "password=..." inside a message or a URL query)
_KEYWORD_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)('[^']*'|[^\s&;]+)", re.I)


def mask_password(text: str) -> str:
    """``text`` with every password a URL or ``password=`` pair in it could carry masked."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", text)
    return _KEYWORD_PASSWORD.sub(lambda m: f"{m['head']}{MASK}", text)


def without_password(url: URL) -> URL:
    """The URL as a study may write it down: no password, and no ``password=`` query."""
    query = {k: v for k, v in url.query.items() if k.lower() != "password"}
    # URL.set(password=None) means "leave it as it is"; the tuple's own _replace clears it
    return url.set(query=query)._replace(password=None)


def has_password(url: URL) -> bool:
    return url.password is not None or any(k.lower() == "password" for k in url.query)


def stored_password(url: str) -> bool:
    """Does this URL, as a study stores it (study.toml, the study row), carry a password?"""
    try:
        return bool(url) and has_password(make_url(url))
    except (ValueError, ArgumentError):
        return False


def with_environment_password(url: URL) -> URL:
    """PostgreSQL URLs without a password take INNOSTUDY_DATABASE_PASSWORD when it is set.

    Otherwise libpq looks for one itself (PGPASSWORD, ~/.pgpass, a service file), so
    nothing here has to know those files.
    """
    secret = os.environ.get(PASSWORD_ENV)
    if secret and url.password is None and url.get_backend_name() == "postgresql":
        return url.set(password=secret)
    return url
