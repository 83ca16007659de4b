"""Changing the codebook while coding goes on: add, rename, merge and split codes.

Codings follow the code they were applied with: a merge moves them (and quotes) onto
the surviving code, a rename keeps them (codings point at the code, not its name), and
a split moves the codings it is told to move. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import _KEY, codes_by_key, study_codebook
from innostudy.errors import InputError, NotFoundError
from innostudy.model import AuditEvent, Code, CodeStatus, Coding, Quote, utcnow


def _audit(
    session: Session, actor: str, action: str, code: Code, detail: dict[str, object]
) -> None:
    session.add(
        AuditEvent(actor=actor, action=action, entity_type="code", entity_id=code.id, detail=detail)
    )


def code_by_key(session: Session, key: str) -> Code:
    code = codes_by_key(session, study_codebook(session)).get(key)
    if code is None:
        raise NotFoundError("code", key, listing="code codebook")
    return code


def add_code(
    session: Session,
    key: str,
    name: str,
    *,
    description: str = "",
    include: str = "",
    exclude: str = "",
    examples: list[str] | None = None,
    actor: str = "",
) -> Code:
    """A new code; its parent is the code whose key prefixes it (``barriers.x`` → ``barriers``)."""
    book = study_codebook(session)
    existing = codes_by_key(session, book)
    _check_new_key(key, existing)
    parent = existing.get(key.rsplit(".", 1)[0]) if "." in key else None
    if "." in key and parent is None:
        raise InputError(
            "codebook", None, "key", f"parent code '{key.rsplit('.', 1)[0]}' does not exist"
        )
    code = Code(
        codebook_id=book.id,
        key=key,
        name=name.strip(),
        parent_id=parent.id if parent else None,
        description=description,
        include=include,
        exclude=exclude,
        examples=list(examples or []),
        position=max((c.position for c in existing.values()), default=-1) + 1,
    )
    session.add(code)
    session.flush()
    _audit(session, actor, "code.add", code, {"key": key, "name": code.name})
    return code


def _check_new_key(key: str, existing: Mapping[str, Code]) -> None:
    if not _KEY.match(key):
        raise InputError(
            "codebook",
            None,
            "key",
            f"code key '{key}' must be lower-case letters, digits and _ separated by dots",
        )
    if key in existing:
        raise InputError("codebook", None, "key", f"code key '{key}' already exists")


def rename_code(
    session: Session,
    code: Code,
    *,
    name: str | None = None,
    key: str | None = None,
    actor: str = "",
) -> Code:
    """New name and/or key; children's keys follow a new key, codings stay on the code."""
    detail: dict[str, object] = {}
    if name is not None and name.strip() != code.name:
        detail["name"] = [code.name, name.strip()]
        code.name = name.strip()
    if key is not None and key != code.key:
        existing = codes_by_key(session, code.codebook)
        _check_new_key(key, existing)
        if code.parent is not None and not key.startswith(code.parent.key + "."):
            raise InputError(
                "codebook",
                None,
                "key",
                f"code key '{key}' must start with its parent's key '{code.parent.key}.'",
            )
        old = code.key
        for other in existing.values():
            if other.key.startswith(old + "."):
                other.key = key + other.key[len(old) :]
        code.key = key
        detail["key"] = [old, key]
    if detail:
        _audit(session, actor, "code.rename", code, detail)
    session.flush()
    return code


def merge_codes(session: Session, source: Code, target: Code, *, actor: str = "") -> int:
    """Fold ``source`` into ``target``: its codings and quotes move; returns codings moved.

    A coder who had already applied ``target`` to the same span keeps one coding (the
    duplicate from ``source`` is removed; its memo is carried over).
    """
    if source.id == target.id:
        raise InputError("codebook", None, "code", "cannot merge a code into itself")
    children = session.scalar(
        sa.select(sa.func.count())
        .select_from(Code)
        .where(Code.parent_id == source.id, Code.status == CodeStatus.ACTIVE)
    )
    if children:
        raise InputError(
            "codebook", None, "code", f"'{source.key}' has sub-codes; merge or move them first"
        )
    moved = 0
    for coding in session.scalars(sa.select(Coding).where(Coding.code_id == source.id)).all():
        twin = session.scalar(
            sa.select(Coding).where(
                Coding.code_id == target.id,
                Coding.coder_id == coding.coder_id,
                Coding.segment_id == coding.segment_id,
                Coding.start == coding.start,
                Coding.end == coding.end,
            )
        )
        if twin is not None:
            if coding.memo:
                twin.memo = "\n".join(m for m in (twin.memo, coding.memo) if m)
            session.execute(
                sa.update(Quote).where(Quote.coding_id == coding.id).values(coding_id=twin.id)
            )
            session.delete(coding)
        else:
            coding.code_id = target.id
            coding.updated_at = utcnow()
        moved += 1
    session.execute(sa.update(Quote).where(Quote.code_id == source.id).values(code_id=target.id))
    source.status = CodeStatus.MERGED
    source.merged_into_id = target.id
    _audit(session, actor, "code.merge", source, {"into": target.key, "codings": moved})
    session.flush()
    return moved


def split_code(
    session: Session,
    source: Code,
    into: list[tuple[str, str]],
    moves: Mapping[int, str],
    *,
    actor: str = "",
) -> list[Code]:
    """New codes (key, name) beside ``source``; codings named in ``moves`` (id → new key)
    move to them, the rest stay on ``source`` (retired if none stay)."""
    if not into:
        raise InputError("codebook", None, "into", "name at least one new code to split into")
    new_keys = {k for k, _ in into}
    for coding_id, key in moves.items():
        if key not in new_keys:
            raise InputError(
                "split",
                None,
                "move",
                f"coding {coding_id} is moved to '{key}', which is not one of the new codes",
            )
        coding = session.get(Coding, coding_id)
        if coding is None or coding.code_id != source.id:
            raise InputError(
                "split", None, "move", f"coding {coding_id} is not a coding of '{source.key}'"
            )
    parent_key = source.parent.key if source.parent else None
    made = {
        key: add_code(session, key, name, description=f"Split from {source.key}.", actor=actor)
        for key, name in into
        if parent_key is None or key.startswith(parent_key + ".") or _bad_sibling(key, parent_key)
    }
    for coding_id, key in moves.items():
        coding = session.get_one(Coding, coding_id)
        coding.code_id = made[key].id
        coding.updated_at = utcnow()
    left = session.scalar(
        sa.select(sa.func.count()).select_from(Coding).where(Coding.code_id == source.id)
    )
    if not left:
        source.status = CodeStatus.RETIRED
    _audit(session, actor, "code.split", source, {"into": sorted(new_keys), "moved": len(moves)})
    session.flush()
    return list(made.values())


def _bad_sibling(key: str, parent_key: str) -> bool:
    raise InputError(
        "codebook",
        None,
        "into",
        f"new code '{key}' must sit beside the old one, under '{parent_key}.'",
    )
