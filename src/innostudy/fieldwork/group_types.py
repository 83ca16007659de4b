"""Focus-group types as data: one of the study's definitions (``GROUP_TYPES``), read from
the database's current revision; the ``group_type`` rows follow each adopted revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.definitions.kind import Kind
from innostudy.errors import InputError, InputErrors
from innostudy.model import GroupType, Sector
from innostudy.yamldoc import line_of, load_yaml, parse_yaml


@dataclass(frozen=True)
class GroupTypeSpec:
    key: str
    label: str
    short_label: str
    sector: Sector
    code_prefix: str
    level: str
    recruit_from: str
    min_size: int
    max_size: int
    description: str
    job_titles: tuple[str, ...] = ()  # words in a respondent's job title that place them here


def load_group_types(path: Path) -> list[GroupTypeSpec]:
    return parse_group_types(load_yaml(path), str(path))


def parse_group_types_text(text: str, source: str) -> list[GroupTypeSpec]:
    return parse_group_types(parse_yaml(text, source), source)


def parse_group_types(data: Any, source: str) -> list[GroupTypeSpec]:
    items = data.get("group_types") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(
            source,
            line_of(data),
            "group_types",
            "must be a non-empty list of group types",
            unit="line",
        )
    errors: list[InputError] = []
    specs = [s for s in (_parse(source, item, errors) for item in items) if s is not None]
    keys = [s.key for s in specs]
    for key in {k for k in keys if keys.count(k) > 1}:
        errors.append(
            InputError(
                source, None, "key", f"group type '{key}' appears more than once", unit="line"
            )
        )
    if errors:
        raise InputErrors(errors)
    return specs


def _parse(source: str, item: Any, errors: list[InputError]) -> GroupTypeSpec | None:
    def fail(field: str, message: str) -> None:
        errors.append(InputError(source, line_of(item, field), field, message, unit="line"))

    if not isinstance(item, dict) or not item.get("key"):
        fail("key", "each group type needs a 'key'")
        return None
    key = str(item["key"])
    try:
        sector = Sector(item.get("sector"))
    except ValueError:
        fail("sector", f"group type '{key}': sector must be civil_service or comparison")
        return None
    low, high = item.get("min_size", 6), item.get("max_size", 12)
    if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
        fail(
            "min_size",
            f"group type '{key}': sizes must be whole numbers with 1 <= min_size <= max_size",
        )
        return None
    titles = item.get("job_titles", [])
    if not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
        fail("job_titles", f"group type '{key}': job_titles must be a list of words or phrases")
        return None
    label = str(item.get("label", key))
    return GroupTypeSpec(
        key=key,
        label=label,
        short_label=str(item.get("short_label", label)),
        sector=sector,
        code_prefix=str(item.get("code_prefix", key[:3].upper())),
        level=str(item.get("level", "")),
        recruit_from=str(item.get("recruit_from", "contacts")),
        min_size=low,
        max_size=high,
        description=str(item.get("description", "")),
        job_titles=tuple(t.strip() for t in titles),
    )


def sync_group_types(session: Session, specs: list[GroupTypeSpec]) -> list[GroupType]:
    """Insert new types and update changed ones; types in use are never deleted."""
    existing = {g.key: g for g in session.scalars(sa.select(GroupType))}
    rows: list[GroupType] = []
    for position, spec in enumerate(specs):
        row = existing.get(spec.key) or GroupType(key=spec.key)
        row.label = spec.label
        row.short_label = spec.short_label
        row.sector = spec.sector
        row.min_size = spec.min_size
        row.max_size = spec.max_size
        row.code_prefix = spec.code_prefix
        row.level = spec.level
        row.recruit_from = spec.recruit_from
        row.description = spec.description
        row.position = position
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _follow(session: Session, specs: list[GroupTypeSpec], actor: str) -> list[str]:
    sync_group_types(session, specs)
    return []


GROUP_TYPES: Kind[list[GroupTypeSpec]] = Kind("group_types", parse_group_types_text, _follow)
