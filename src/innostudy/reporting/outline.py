"""The report outline: sections in order, each with the analyst's Markdown narrative file.

The outline is one of the study's definitions (``OUTLINE``), kept in the database with
its history and shown as ``narrative/outline.yaml``; the narrative Markdown files stay
in the folder, where the analyst edits them like any document. ``innostudy report init``
writes the default ones and makes the default outline the study's.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from innostudy.definitions.kind import Kind
from innostudy.definitions.reading import read
from innostudy.definitions.revisions import current_revision
from innostudy.errors import InputError, StudyError
from innostudy.yamldoc import line_of, load_yaml, parse_yaml

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore

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
    """The outline file in ``folder`` (the packaged default's, before a study has one)."""
    path = folder / OUTLINE_FILE
    return dataclasses.replace(parse_outline(load_yaml(path), str(path)), folder=folder)


def parse_outline_text(text: str, source: str) -> Outline:
    return parse_outline(parse_yaml(text, source), source)


def parse_outline(data: Any, path: str) -> Outline:
    """The outline in ``data``; its ``folder`` is set by the reader (where the narrative is)."""
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
        str(data.get("title", "")), str(data.get("subtitle", "")), tuple(sections), Path()
    )


OUTLINE: Kind[Outline] = Kind("outline", parse_outline_text)


def study_outline(store: StudyStore) -> tuple[Outline, bool]:
    """The study's outline with its narrative folder, or the packaged default (``True``)
    while the study has none."""
    folder = store.path(str(store.settings["report.narrative"]))
    with store.session() as session:
        stored = current_revision(session, OUTLINE.name) is not None
    if stored:
        return dataclasses.replace(read(store, OUTLINE), folder=folder), False
    if (folder / OUTLINE_FILE).is_file():
        relative = OUTLINE.file.relative(store.settings)
        raise StudyError(
            f"{relative} is not the study's report outline yet; make it the study's with "
            f"`innostudy definitions import {relative}`"
        )
    return load_outline(default_narrative_dir()), True


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


def init_narrative(store: StudyStore, *, actor: str, force: bool = False) -> tuple[list[Path], int]:
    """Write the default narrative into the study folder and make its outline the study's.

    A study that already has an outline keeps it unless ``force``: a colleague's folder
    must not put the default back over the team's outline.
    """
    from innostudy.definitions.folder import adopt_text
    from innostudy.textfiles import read_text

    with store.session() as session:
        existing = current_revision(session, OUTLINE.name)
    if existing is not None and not force:
        raise StudyError(
            f"the study already has a report outline (revision {existing.number}); "
            "`innostudy definitions export outline` writes it to this folder, and "
            "`innostudy report init --force` replaces it with the default"
        )
    folder = store.path(str(store.settings["report.narrative"]))
    written = write_default_narrative(folder, force=force)
    adoption = adopt_text(
        store,
        OUTLINE,
        read_text(folder / OUTLINE_FILE).text,
        source="innostudy report init (the default outline)",
        actor=actor,
        force=True,
    )
    return written, adoption.revision.number
