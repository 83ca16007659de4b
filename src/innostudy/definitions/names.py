"""Which definitions a study has, and where each one's file sits in a study folder.

A definition is a setting that changes what the study means. Each lives in the
database (``definition_revision``); the file named here is its view in a folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from innostudy.config import Settings
from innostudy.errors import NotFoundError


@dataclass(frozen=True)
class DefinitionFile:
    name: str  # as typed on the command line and stored in definition_revision.name
    title: str  # as written in sentences
    setting: str  # the setting that names the file (or, with ``filename``, its folder)
    filename: str = ""

    def relative(self, settings: Settings) -> str:
        """The file's path relative to the study folder, as a person would type it."""
        base = str(settings[self.setting])
        return f"{base.rstrip('/')}/{self.filename}" if self.filename else base

    def path(self, root: Path, settings: Settings) -> Path:
        return root / self.relative(settings)


DEFINITIONS = (
    DefinitionFile("instrument", "instrument", "survey.instrument"),
    DefinitionFile("codebook", "codebook", "coding.codebook"),
    DefinitionFile("group_types", "group types", "fieldwork.group_types"),
    DefinitionFile("areas", "areas", "fieldwork.areas"),
    DefinitionFile("outline", "report outline", "report.narrative", "outline.yaml"),
)
BY_NAME = {d.name: d for d in DEFINITIONS}


def definition(name: str) -> DefinitionFile:
    found = BY_NAME.get(name.replace("-", "_"))
    if found is None:
        raise NotFoundError("definition", name, listing="definitions status")
    return found


def definition_files(root: Path, settings: Settings) -> dict[str, Path]:
    """Every definition's file in the folder ``root`` (whether it exists or not)."""
    return {d.name: d.path(root, settings) for d in DEFINITIONS}
