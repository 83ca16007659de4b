"""The study's areas (five by default): titles, summaries and focus-group discussion prompts.

They are the spine shared by instrument sections (``area:``), top-level codebook codes,
briefing slides and report sections, so they are one definition of the study
(``AREAS``), read from the database like the others (definitions/).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innostudy.definitions.kind import Kind
from innostudy.errors import InputError
from innostudy.yamldoc import line_of, load_yaml, parse_yaml


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    summary: str
    prompts: tuple[str, ...]


def load_areas(path: Path) -> list[Area]:
    return parse_areas(load_yaml(path), str(path))


def parse_areas_text(text: str, source: str) -> list[Area]:
    return parse_areas(parse_yaml(text, source), source)


def parse_areas(data: Any, source: str) -> list[Area]:
    items = data.get("areas") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(
            source, line_of(data), "areas", "must be a non-empty list of areas", unit="line"
        )
    areas: list[Area] = []
    for item in items:
        if not isinstance(item, dict) or not item.get("key") or not item.get("title"):
            raise InputError(
                source, line_of(item), "key", "each area needs a 'key' and a 'title'", unit="line"
            )
        prompts = item.get("prompts", [])
        if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
            raise InputError(
                source,
                line_of(item, "prompts"),
                "prompts",
                "prompts must be a list of strings",
                unit="line",
            )
        areas.append(
            Area(str(item["key"]), str(item["title"]), str(item.get("summary", "")), tuple(prompts))
        )
    return areas


AREAS: Kind[list[Area]] = Kind("areas", parse_areas_text)
