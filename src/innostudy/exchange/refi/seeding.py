"""``innostudy init DIR --from FILE``: a new study whose content comes from a QDA tool.

The file is read and checked completely before the study folder is created; the study
is then built like any other (``studies.init_study``, atomic), named after the project,
and the file is imported into it with ``replace_codebook``: the new study's codebook is
the file's (codes whose names match the default codebook keep its keys, so the study's
areas still line up), and that codebook is recorded as the codebook's next revision
(its file shows it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from innostudy.config import Settings
from innostudy.definitions.views import write_file
from innostudy.exchange.refi.importing import (
    ImportOptions,
    ImportSummary,
    PreparedImport,
    apply_import,
    prepare_import,
)
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study


def kind_of(path: Path) -> str:
    return "qdc" if path.suffix.lower() == ".qdc" else "qdpx"


def seed_study(
    store: StudyStore, prepared: PreparedImport, options: ImportOptions
) -> ImportSummary:
    with store.write_session() as s:
        summary = apply_import(s, prepared, options, replace_codebook=True)
    if summary.codebook_revision is not None:
        write_file(store.folder, store.settings, summary.codebook_revision)
    return summary


def init_study_from(
    folder: Path,
    source: Path,
    *,
    force: bool = False,
    confirm: str | None = None,
    database_url: str | None = None,
    options: ImportOptions | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> tuple[Path, ImportSummary]:
    """Create a study at ``folder`` holding what ``source`` (.qdpx or .qdc) holds."""
    prepared = prepare_import(source, kind_of(source))
    name = prepared.project.name.strip()
    settings = Settings().with_values(study__name=name) if name else None
    done: list[ImportSummary] = []
    created = init_study(
        folder,
        force=force,
        confirm=confirm,
        database_url=database_url,
        settings=settings,
        say=say,
        then=lambda store: done.append(seed_study(store, prepared, options or ImportOptions())),
    )
    return created, done[0]
