"""The report outline: sections in order, each with the analyst's Markdown narrative file.

The outline and narrative live in the study folder (``narrative/`` by default) so the
analyst edits them like any document; ``innostudy report init`` writes the default ones.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from innostudy.errors import InputError, StudyError
from innostudy.yamldoc import line_of, load_yaml

OUTLINE_FILE = "outline.yaml"


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    file: str


@dataclass(frozen=True)
class Outline:
    title: str
    subtitle: str
    sections: tuple[SectionSpec, ...]
    folder: Path


def default_narrative_dir() -> Path:
    return Path(str(resources.files("innostudy").joinpath("defaults", "narrative")))


def load_outline(folder: Path) -> Outline:
    path = folder / OUTLINE_FILE
    data = load_yaml(path)
    items = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(
            path,
            line_of(data),
            "sections",
            "an outline needs a non-empty 'sections' list",
            unit="line",
        )
    sections: list[SectionSpec] = []
    for item in items:
        if not isinstance(item, dict) or not item.get("key") or not item.get("file"):
            raise InputError(
                path,
                line_of(item),
                "sections",
                "each section needs 'key', 'title' and 'file'",
                unit="line",
            )
        sections.append(
            SectionSpec(str(item["key"]), str(item.get("title", item["key"])), str(item["file"]))
        )
    keys = [s.key for s in sections]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        raise InputError(path, None, "key", f"section '{duplicate}' appears twice", unit="line")
    assert isinstance(data, dict)
    return Outline(
        str(data.get("title", "")), str(data.get("subtitle", "")), tuple(sections), folder
    )


def write_default_narrative(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the default outline and narrative files into ``target`` for the analyst to edit."""
    source = default_narrative_dir()
    names = sorted(p.name for p in source.iterdir() if p.suffix in (".md", ".yaml"))
    existing = [target / n for n in names if (target / n).exists()]
    if existing and not force:
        raise StudyError(
            f"{target}: narrative files already exist ({existing[0].name}…); "
            "pass --force to overwrite them"
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(source / name, target / name)
    return [target / n for n in names]
