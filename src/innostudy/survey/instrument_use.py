"""``survey instrument use FILE``: a reviewed instrument becomes the study's, in one step.

The file is checked in full (every problem with its line), read in any format innostudy
reads (YAML as it is; XLSForm, .lss or a REDCap dictionary converted to YAML), and
adopted as the instrument's next revision, so the previous instrument stays in the
history and this folder's instrument.yaml shows the new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from innostudy.definitions.adopting import Adoption
from innostudy.definitions.folder import adopt_file
from innostudy.survey.instrument import Instrument
from innostudy.survey.instrument_definition import INSTRUMENT
from innostudy.survey.instrument_io import read_instrument_file
from innostudy.survey.instrument_yaml import dump_instrument

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore


@dataclass
class Use:
    adoption: Adoption[Instrument]
    format: str
    notes: list[str] = field(default_factory=list)


def use_instrument(
    store: StudyStore, path: Path, fmt: str = "auto", *, actor: str, force: bool = False
) -> Use:
    found = read_instrument_file(path, fmt)
    text = None if found.format == "yaml" else dump_instrument(found.instrument)
    adoption = adopt_file(store, INSTRUMENT, path, actor=actor, force=force, text=text)
    return Use(adoption, found.format, found.notes)
