"""The demo analyst's narrative: the default narrative with the demo's own sections.

``report init`` gives every study the default narrative, whose every factual sentence is
a placeholder and whose purpose and conclusions are left to the analyst as gaps. The
demo plays the analyst: it writes the default files, then its own (``demo/narrative/``):
an outline with separate Definitions and Triggers sections, its purpose, a comparison
with the private sector drawing on all four comparison groups, and synthetic conclusions.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from innostudy.definitions.folder import adopt_text
from innostudy.reporting.outline import OUTLINE, OUTLINE_FILE, init_narrative
from innostudy.textfiles import read_text

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore


def demo_narrative_dir() -> Path:
    return Path(str(resources.files("innostudy").joinpath("demo", "narrative")))


def write_demo_narrative(store: StudyStore, *, actor: str) -> Path:
    """Write the default narrative, then the demo's own files over it, and make the demo's
    outline the study's (as an analyst would with `definitions import`); the folder."""
    init_narrative(store, actor=actor)
    target = store.path(str(store.settings["report.narrative"]))
    for path in sorted(demo_narrative_dir().iterdir()):
        if path.suffix in (".md", ".yaml"):
            shutil.copyfile(path, target / path.name)
    adopt_text(
        store,
        OUTLINE,
        read_text(target / OUTLINE_FILE).text,
        source="the synthetic demo's outline",
        actor=actor,
        force=True,
    )
    return target
