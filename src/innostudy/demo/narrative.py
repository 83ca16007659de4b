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

from innostudy.reporting.outline import write_default_narrative


def demo_narrative_dir() -> Path:
    return Path(str(resources.files("innostudy").joinpath("demo", "narrative")))


def write_demo_narrative(target: Path) -> list[Path]:
    written = write_default_narrative(target)
    source = demo_narrative_dir()
    for path in sorted(source.iterdir()):
        if path.suffix in (".md", ".yaml"):
            shutil.copyfile(path, target / path.name)
            if target / path.name not in written:
                written.append(target / path.name)
    return written
