"""Invitation tokens: unguessable, shown once, stored only as a hash.

A token is 32 random bytes from ``secrets`` (256 bits, URL-safe base64). Because tokens
are high-entropy, a plain SHA-256 is enough to store them safely and still find an
organisation by its token in one indexed lookup; the final comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.model import Organisation

TOKEN_BYTES = 32


def new_token() -> str:
    """A token that never starts with "-": a spreadsheet reads "-abc" as a formula, so the
    mail-merge CSV would have to write it as "'-abc" and the link's token would not match."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if token[0] != "-":
            return token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def organisation_for_token(session: Session, token: str) -> Organisation | None:
    """The organisation invited with ``token``, or None (never says which part was wrong)."""
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    org = session.scalar(sa.select(Organisation).where(Organisation.token_hash == digest))
    if org is None or org.token_hash is None or not hmac.compare_digest(org.token_hash, digest):
        return None
    return org


def issue_token(organisation: Organisation) -> str:
    """Give an organisation a new token; the plain token is returned once and never stored."""
    token = new_token()
    organisation.token_hash = hash_token(token)
    return token
