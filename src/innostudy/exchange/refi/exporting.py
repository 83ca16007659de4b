"""Export a study as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``): the public entry points.

Both read the study in one transaction (a consistent snapshot), build the whole file in
memory, validate it, and only then move it into place; an existing file is replaced
only when the caller says so.
"""

from __future__ import annotations

from pathlib import Path

from innostudy import __version__
from innostudy.atomic import write_atomic
from innostudy.errors import InputError
from innostudy.exchange.refi.codebook_qdc import write_qdc
from innostudy.exchange.refi.from_study import (
    ExportOptions,
    ExportReport,
    codebook_from_study,
    project_from_study,
)
from innostudy.exchange.refi.project_qdpx import write_qdpx
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument_definition import study_instrument


def _check_target(path: Path, suffix: str, force: bool) -> None:
    if path.suffix.lower() != suffix:
        raise InputError(path, None, None, f"the file name must end in {suffix}")
    if path.is_dir():
        raise InputError(path, None, None, "is a folder; name a file")
    if path.exists() and not force:
        raise InputError(path, None, None, "already exists; pass --force to replace it")


def export_qdpx(
    store: StudyStore, path: Path, options: ExportOptions | None = None, *, force: bool = False
) -> ExportReport:
    """Write the study's qualitative project to ``path`` (a .qdpx file)."""
    options = options or ExportOptions()
    _check_target(path, ".qdpx", force)
    instrument = study_instrument(store) if options.survey_variables else None
    with store.session() as s:
        project, report = project_from_study(s, options, instrument, version=__version__)
    write_qdpx(project, path)
    return report


def export_qdc(store: StudyStore, path: Path, *, force: bool = False) -> int:
    """Write the study's codebook to ``path`` (a .qdc file); returns the number of codes."""
    _check_target(path, ".qdc", force)
    with store.session() as s:
        project = codebook_from_study(s, version=__version__)
    data = write_qdc(project.codes, project.origin)
    write_atomic(path, data)
    return sum(1 for _ in project.walk_codes())
