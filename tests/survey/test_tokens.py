from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Organisation
from innostudy.storage.store import StudyStore
from innostudy.survey.tokens import hash_token, issue_token, new_token, organisation_for_token


def test_tokens_are_long_and_unique() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) >= 43 for t in tokens)  # 256 bits in URL-safe base64


def test_only_the_hash_is_stored_and_lookup_works(demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        org = s.scalars(sa.select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        token = issue_token(org)
        s.flush()
        assert org.token_hash == hash_token(token) and token not in org.token_hash
        assert organisation_for_token(s, token) is org
        assert organisation_for_token(s, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert organisation_for_token(s, "") is None
        assert organisation_for_token(s, "x" * 500) is None
