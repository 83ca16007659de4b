"""Codes coming in (from a ``.qdpx`` or a ``.qdc``), matched onto the study's codebook.

A code is matched by its path of names (``Barriers and enablers / Culture``, in any
letter case) to a code the study already has; otherwise it is added with a key made
from its name under its parent's key (``barriers.culture``), made unique if needed.

Merging into a working study keeps what the study has: a matched code keeps its
description, rules, colour and memo, fields the study left empty are filled in, and
a difference is reported. Replacing (``innostudy init --from``) makes the study's
codebook the file's: matched codes take the file's fields and order, and the default
codes the file does not have are removed (a new study has no codings yet).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import slug
from innostudy.exchange.refi.codebook_qdc import unpack_description
from innostudy.exchange.refi.project import RefiCode, walk_codes
from innostudy.exchange.refi.xmlutil import listing
from innostudy.model import Code, Codebook, CodeStatus, Coding, Quote
from innostudy.wording import counted

NAME_MAX = 200
KEY_PART_MAX = 40


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


class CodeMerger:
    def __init__(
        self, session: Session, book: Codebook, warnings: list[str], *, replace: bool
    ) -> None:
        self.session = session
        self.book = book
        self.warnings = warnings
        self.replace = replace
        self.rows = list(
            session.scalars(
                sa.select(Code).where(Code.codebook_id == book.id).order_by(Code.position)
            )
        )
        self.index = {(c.parent_id, _fold(c.name)): c for c in self.rows}
        self.keys = {c.key for c in self.rows}
        self.position = max((c.position for c in self.rows), default=-1) + 1
        self.added = 0
        self.matched = 0
        self._differ: list[str] = []

    def merge(self, codes: list[RefiCode], memos: Mapping[str, str]) -> dict[str, Code]:
        """GUID → the study's code for every code in the file (added where new)."""
        out: dict[str, Code] = {}
        not_codable: list[str] = []
        for position, (code, parent) in enumerate(walk_codes(codes)):
            parent_row = out[parent.guid] if parent is not None else None
            name = self._name(code.name)
            row = self.index.get((parent_row.id if parent_row else None, _fold(name)))
            if row is None:
                row = self._add(code, name, parent_row, memos.get(code.guid, ""))
            else:
                self.matched += 1
                self._update(row, code, memos.get(code.guid, ""))
            if self.replace:
                row.position = position
            out[code.guid] = row
            if not code.codable:
                not_codable.append(code.name)
        if not_codable:
            self.warnings.append(
                f"{counted(len(not_codable), 'code')} ({listing(not_codable)}) marked not "
                "codable (a folder) in the file; imported as ordinary codes"
            )
        if self._differ:
            self.warnings.append(
                f"{counted(len(self._differ), 'code')} differing from the study's "
                f"({listing(self._differ)}): kept the study's description, rules, colour and memo"
            )
        if self.replace:
            self._remove_unmatched(set(map(id, out.values())))
        self.session.flush()
        return out

    def _name(self, name: str) -> str:
        if len(name) > NAME_MAX:
            self.warnings.append(f"code name '{name[:40]}…' shortened to {NAME_MAX} characters")
            return name[:NAME_MAX]
        return name

    def _key(self, name: str, parent: Code | None) -> str:
        base = slug(name)[:KEY_PART_MAX].strip("_") or "code"
        key = f"{parent.key}.{base}" if parent is not None else base
        candidate, n = key, 1
        while candidate in self.keys:
            n += 1
            candidate = f"{key}_{n}"
        self.keys.add(candidate)
        return candidate

    def _add(self, code: RefiCode, name: str, parent: Code | None, memo: str) -> Code:
        text = unpack_description(code.description)
        row = Code(
            codebook_id=self.book.id,
            parent_id=parent.id if parent is not None else None,
            key=self._key(name, parent),
            name=name,
            description=text.description,
            include=text.include,
            exclude=text.exclude,
            examples=text.examples,
            colour=code.colour,
            memo=memo,
            position=self.position,
            status=CodeStatus.ACTIVE,
        )
        self.position += 1
        self.session.add(row)
        self.session.flush()
        self.index[(row.parent_id, _fold(name))] = row
        self.added += 1
        return row

    def _update(self, row: Code, code: RefiCode, memo: str) -> None:
        text = unpack_description(code.description)
        incoming = {
            "description": text.description,
            "include": text.include,
            "exclude": text.exclude,
            "examples": text.examples,
            "colour": code.colour,
            "memo": memo,
        }
        differs = False
        for field, value in incoming.items():
            current = getattr(row, field)
            if self.replace or not current:
                setattr(row, field, value)
            elif value and value != current:
                differs = True
        if differs:
            self._differ.append(row.name)

    def _remove_unmatched(self, kept: set[int]) -> None:
        """Replace mode: drop codes the file does not have, deepest first, if nothing uses them."""
        used = set(self.session.scalars(sa.select(Coding.code_id).distinct()))
        used |= set(
            self.session.scalars(sa.select(Quote.code_id).where(Quote.code_id.is_not(None)))
        )
        doomed = [c for c in self.rows if id(c) not in kept]
        depth = {c.id: c.key.count(".") for c in doomed}
        for row in sorted(doomed, key=lambda c: -depth[c.id]):
            if row.id in used:
                continue
            self.session.delete(row)
            self.session.flush()
