"""Codebook files (YAML) and their copy in the study database.

Accepted forms, both checked with line numbers::

    codes:                          # minimal: name + description (+ examples)
      - name: Culture
        description: Reluctance to change ways of working.
        examples: ["People said 'we've always done it this way'."]

    codes:                          # full: dotted keys, hierarchy, rules, colours
      - key: barriers
        name: Barriers and enablers
        colour: "#D55E00"
        children:
          - key: barriers.culture
            name: Culture
            description: ...
            include: ...
            exclude: ...
            examples: [...]

A code without ``key`` gets one from its name (lower case, words joined by ``_``),
prefixed by its parent's key, so ``barriers`` → ``barriers.culture``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError, InputErrors, NotFoundError
from innostudy.model import Code, Codebook, CodeStatus
from innostudy.yamldoc import line_of, load_yaml, parse_yaml

_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass
class CodeSpec:
    key: str
    name: str
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    colour: str = ""
    children: list[CodeSpec] = field(default_factory=list)
    line: int | None = None

    @property
    def parent_key(self) -> str | None:
        return self.key.rsplit(".", 1)[0] if "." in self.key else None


@dataclass
class CodebookSpec:
    name: str
    description: str
    codes: list[CodeSpec]
    source: str = ""

    def walk(self) -> Iterator[CodeSpec]:
        """Every code, parents before their children, in file order."""
        stack = list(reversed(self.codes))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))

    def leaves(self) -> list[CodeSpec]:
        return [c for c in self.walk() if not c.children]

    def code(self, key: str) -> CodeSpec:
        for c in self.walk():
            if c.key == key:
                return c
        raise KeyError(key)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"


def load_codebook(path: Path) -> CodebookSpec:
    return parse_codebook(load_yaml(path), str(path))


def parse_codebook_text(text: str, source: str) -> CodebookSpec:
    return parse_codebook(parse_yaml(text, source), source)


def parse_codebook(data: Any, source: str) -> CodebookSpec:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list) or not data["codes"]:
        raise InputError(
            source, line_of(data), "codes", "a codebook is a mapping with a non-empty 'codes' list"
        )
    errors: list[InputError] = []
    codes = [_parse_code(item, None, source, errors) for item in data["codes"]]
    spec = CodebookSpec(
        name=str(data.get("name", Path(source).stem)),
        description=str(data.get("description", "")),
        codes=[c for c in codes if c is not None],
        source=source,
    )
    seen: dict[str, CodeSpec] = {}
    for code in spec.walk():
        if code.key in seen:
            errors.append(
                InputError(
                    source, code.line, "key", f"code key '{code.key}' is used twice", unit="line"
                )
            )
        seen[code.key] = code
    if errors:
        raise InputErrors(errors)
    return spec


def _parse_code(
    item: Any, parent: str | None, source: str, errors: list[InputError]
) -> CodeSpec | None:
    def fail(name: str, message: str) -> None:
        errors.append(InputError(source, line_of(item, name), name, message, unit="line"))

    if not isinstance(item, dict):
        errors.append(
            InputError(source, None, "codes", "each code must be a mapping with a 'name'")
        )
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        fail("name", "each code needs a 'name'")
        return None
    key = str(item.get("key") or (f"{parent}.{slug(name)}" if parent else slug(name)))
    if not _KEY.match(key):
        fail("key", f"code key '{key}' must be lower-case letters, digits and _ separated by dots")
    elif parent and not key.startswith(parent + "."):
        fail("key", f"code key '{key}' must start with its parent's key '{parent}.'")
    examples = item.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        fail("examples", f"code '{key}': examples must be a list of strings")
        examples = []
    colour = str(item.get("colour", item.get("color", "")))
    if colour and not _COLOUR.match(colour):
        fail("colour", f"code '{key}': colour must look like #1f77b4")
    children_raw = item.get("children", [])
    if not isinstance(children_raw, list):
        fail("children", f"code '{key}': children must be a list of codes")
        children_raw = []
    children = [_parse_code(child, key, source, errors) for child in children_raw]
    return CodeSpec(
        key=key,
        name=name.strip(),
        description=str(item.get("description", "")).strip(),
        include=str(item.get("include", "")).strip(),
        exclude=str(item.get("exclude", "")).strip(),
        examples=[e.strip() for e in examples],
        colour=colour,
        children=[c for c in children if c is not None],
        line=line_of(item),
    )


def sync_codebook(session: Session, spec: CodebookSpec, book: Codebook | None = None) -> Codebook:
    """Store the codebook (into ``book``, else the one of its name); codes are matched by
    key, so existing codings keep their codes."""
    book = book or session.scalar(sa.select(Codebook).where(Codebook.name == spec.name))
    if book is None:
        book = Codebook(name=spec.name, description=spec.description)
        session.add(book)
        session.flush()
    book.name = spec.name
    book.description = spec.description
    existing = {
        c.key: c for c in session.scalars(sa.select(Code).where(Code.codebook_id == book.id))
    }
    for position, code in enumerate(spec.walk()):
        row = existing.get(code.key) or Code(codebook_id=book.id, key=code.key)
        row.name = code.name
        row.description = code.description
        row.include = code.include
        row.exclude = code.exclude
        row.examples = list(code.examples)
        row.colour = code.colour
        row.position = position
        row.status = CodeStatus.ACTIVE
        row.parent_id = existing[code.parent_key].id if code.parent_key in existing else None
        session.add(row)
        session.flush()
        existing[code.key] = row
    return book


def study_codebook(session: Session) -> Codebook:
    """The study's codebook (the first one stored; a study has one unless it imported more)."""
    book = session.scalar(sa.select(Codebook).order_by(Codebook.id).limit(1))
    if book is None:
        raise NotFoundError("codebook")
    return book


def codes_by_key(session: Session, book: Codebook) -> dict[str, Code]:
    return {c.key: c for c in session.scalars(sa.select(Code).where(Code.codebook_id == book.id))}
