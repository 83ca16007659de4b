"""People who log in to the web app: accounts, argon2 password hashes and login sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
recommended profile) and rehashed on login when those parameters change. A login
session is a random token in an HttpOnly cookie; the database keeps only its SHA-256,
so signing out, disabling a user or changing a password ends the session for good.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from innostudy.errors import InputError, NotFoundError
from innostudy.model import Coder, CoderKind, Coding, LoginSession, Role, User, utcnow
from innostudy.wording import counted

MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")

_hasher = PasswordHasher()
# Verified against when the username does not exist, so a wrong name costs as long as a
# wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str) -> str | None:
    """Why a password is refused, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    if password.strip() != password:
        return "must not start or end with white space"
    return None


def parse_role(value: str, source: str = "--role") -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InputError(
            source, None, "role", f"unknown role '{value}' (one of: {known})"
        ) from None


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username.strip().lower()))


@dataclass(frozen=True)
class CoderClash:
    """A coder already called like a new account, which no account owns yet."""

    coder: Coder
    codings: int


def coder_clash(session: Session, username: str) -> CoderClash | None:
    """The coder a new account called ``username`` would meet, if any.

    Coders are known by name (``--coder ana`` on the command line), and a signed-in
    person codes as the coder of their account; an account named like an existing coder
    must therefore never become that coder without being told to (docs/web.md).
    """
    coder = session.scalar(sa.select(Coder).where(Coder.name == username.strip().lower()))
    if coder is None:
        return None
    codings = session.scalar(sa.select(sa.func.count()).where(Coding.coder_id == coder.id))
    return CoderClash(coder, int(codings or 0))


def _check_coder_name(clash: CoderClash | None, name: str, *, claim: bool) -> None:
    if clash is None:
        return
    if clash.coder.kind is not CoderKind.PERSON:
        problem = f"'{name}' is the name of an automatic coder; choose another user name"
    elif clash.coder.user_id is not None:
        problem = f"a coder called '{name}' belongs to another account; choose another user name"
    elif clash.codings and not claim:
        problem = (
            f"a coder called '{name}' already has {counted(clash.codings, 'coding')} made from "
            "the command line; choose another user name, or, if this account is that person, "
            f"add it with `innostudy user add {name} --claim-coder`"
        )
    else:
        return
    raise InputError("USERNAME", None, "username", problem)


def add_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str = "",
    claim_coder: bool = False,
) -> User:
    """Create an account; the name is checked, the password must be long enough.

    A person coder of the same name with codings is refused unless ``claim_coder``: then
    the account continues that coder's work (it may change those codings)."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InputError(
            "USERNAME",
            None,
            "username",
            f"'{username}' is not a valid user name (2-80 characters: a-z, 0-9, '.', '_', '-')",
        )
    if user_by_name(session, name) is not None:
        raise InputError("USERNAME", None, "username", f"a user called '{name}' already exists")
    clash = coder_clash(session, name)
    _check_coder_name(clash, name, claim=claim_coder)
    problem = password_problem(password)
    if problem is not None:
        raise InputError("password", None, "password", problem)
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    if clash is not None:
        clash.coder.user_id = user.id
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.username)))


def require_user(session: Session, username: str) -> User:
    user = user_by_name(session, username)
    if user is None:
        raise NotFoundError("user", username, listing="user list")
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change a password; every open login of that user ends."""
    problem = password_problem(password)
    if problem is not None:
        raise InputError("password", None, "password", problem)
    user.password_hash = hash_password(password)
    end_sessions(session, user)


def set_disabled(session: Session, user: User, disabled: bool) -> None:
    """Disable (or re-enable) an account; disabling ends every open login at once."""
    user.disabled_at = utcnow() if disabled else None
    if disabled:
        end_sessions(session, user)


def set_role(session: Session, user: User, role: Role) -> None:
    user.role = role
    end_sessions(session, user)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user whose name and password these are, or None (the same for every failure)."""
    user = user_by_name(session, username)
    if user is None or user.disabled_at is not None:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class NewLogin:
    """A login just opened: ``token`` goes into the cookie and is never stored."""

    token: str
    login: LoginSession


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, *, lifetime: timedelta) -> NewLogin:
    token = secrets.token_urlsafe(32)
    login = LoginSession(
        token_hash=_token_hash(token), user_id=user.id, expires_at=utcnow() + lifetime
    )
    session.add(login)
    session.flush()
    return NewLogin(token, login)


def session_user(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The signed-in user for a cookie token, or None if it is unknown, ended or expired."""
    if not token or len(token) > 200:
        return None
    moment = now or utcnow()
    row = session.execute(
        sa.select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    login, user = row
    if login.ended_at is not None or login.expires_at <= moment or user.disabled_at is not None:
        return None
    return user


def end_session(session: Session, token: str) -> None:
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions(session: Session, user: User) -> None:
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
