"""Import a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into a study, all or nothing.

Two steps, so nothing is written until the whole file is known to be usable:

1. ``prepare_import`` reads the archive safely, parses the XML, loads every source and
   checks every reference and position (``checks``); any problem raises an
   ``InputError`` naming the file, the entry or XML line, and the field.
2. ``apply_import`` writes codes, cases, sources, turns, codings, coders and notes in the
   caller's transaction, and returns a summary with a warning for everything the study
   could not hold.

``import_file`` does both on an open study (one transaction), then rewrites the
codebook file when codes were added. ``innostudy init --from`` calls ``apply_import``
inside the creation of a new study with ``replace_codebook``, so the new study's
codebook is the file's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import study_codebook
from innostudy.coding.codebook_definition import CODEBOOK, codebook_changed
from innostudy.coding.manual import coder_named
from innostudy.definitions.folder import check_folder_file
from innostudy.definitions.views import write_file
from innostudy.errors import InputError, NotFoundError
from innostudy.exchange.refi.cases_in import CaseImporter
from innostudy.exchange.refi.checks import check_project, normalise_values
from innostudy.exchange.refi.codebook_qdc import read_qdc
from innostudy.exchange.refi.codes_in import CodeMerger
from innostudy.exchange.refi.notes_in import NoteIndex
from innostudy.exchange.refi.project import RefiProject
from innostudy.exchange.refi.reading import read_qdpx
from innostudy.exchange.refi.sources_in import SourceImporter
from innostudy.exchange.refi.sourcetext import split_source
from innostudy.model import Code, Codebook, DefinitionRevision, ImportBatch, ImportKind
from innostudy.storage.store import StudyStore
from innostudy.transcripts.importing import redactor_for_study
from innostudy.wording import counted

KINDS = ("qdpx", "qdc")


@dataclass(frozen=True)
class ImportOptions:
    actor: str = ""
    redact: bool = True


@dataclass
class PreparedImport:
    path: Path
    kind: str
    digest: str
    project: RefiProject


@dataclass
class ImportSummary:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # worth knowing, not a loss
    codebook_revision: DefinitionRevision | None = None  # recorded when codes were added
    dry_run: bool = False

    def lines(self) -> list[str]:
        held = ", ".join(counted(n, noun) for noun, n in self.counts.items())
        if self.dry_run:
            return [
                f"Dry run of {self.path.name}: nothing is stored. It holds {held}.",
                *self.notices,
            ]
        return [f"Imported {self.path.name}: {held}.", *self.notices]


class _RolledBack(Exception):
    """Ends a dry run's transaction: everything was written and checked, none of it kept."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


def prepare_import(path: Path, kind: str) -> PreparedImport:
    """Read and check the whole file; raises InputError before anything is written."""
    if kind not in KINDS:
        raise InputError(path, None, None, f"unknown kind '{kind}' (one of: {', '.join(KINDS)})")
    if kind == "qdc":
        book = read_qdc(path)
        project = RefiProject(name=path.stem, origin=book.origin, codes=book.codes, file=str(path))
        project.warnings = book.warnings
    else:
        project = read_qdpx(path)
        normalise_values(project, project.warnings)
        check_project(project)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return PreparedImport(path, kind, digest, project)


def _refuse_repeat(session: Session, prepared: PreparedImport) -> None:
    if prepared.kind != "qdpx":
        return  # a codebook merges into itself harmlessly
    earlier = session.scalar(
        sa.select(ImportBatch).where(
            ImportBatch.kind == ImportKind.PROJECT, ImportBatch.file_sha256 == prepared.digest
        )
    )
    if earlier is not None:
        raise InputError(
            prepared.path,
            None,
            None,
            f"this file was already imported on {earlier.imported_at:%Y-%m-%d %H:%M} UTC "
            f"(import {earlier.id}); importing it again would duplicate its transcripts",
        )


def _codebook(session: Session, name: str) -> Codebook:
    try:
        return study_codebook(session)
    except NotFoundError:
        book = Codebook(name=name or "Imported codebook")
        session.add(book)
        session.flush()
        return book


def apply_import(
    session: Session,
    prepared: PreparedImport,
    options: ImportOptions | None = None,
    *,
    replace_codebook: bool = False,
) -> ImportSummary:
    """Write a prepared file into the study through ``session`` (the caller's transaction)."""
    options = options or ImportOptions()
    _refuse_repeat(session, prepared)
    project = prepared.project
    warnings = list(project.warnings)
    batch = ImportBatch(
        kind=ImportKind.PROJECT if prepared.kind == "qdpx" else ImportKind.CODEBOOK,
        file_name=prepared.path.name,
        file_sha256=prepared.digest,
        file_format=prepared.kind,
        actor=options.actor,
    )
    session.add(batch)
    session.flush()
    notes = NoteIndex(project)
    memos = {code.guid: notes.memo(code.note_guids) for code, _ in project.walk_codes()}
    merger = CodeMerger(
        session, _codebook(session, project.name), warnings, replace=replace_codebook
    )
    codes = merger.merge(project.codes, memos)
    summary = ImportSummary(prepared.path, warnings=warnings)
    summary.counts = {"code": len(codes), "new code": merger.added}
    if prepared.kind == "qdpx":
        _load_project(session, project, codes, notes, options, batch, summary)
    if project.description.strip():
        warnings.append("the project description is not kept: innostudy has no place for it")
    if merger.added or replace_codebook:
        summary.codebook_revision = codebook_changed(
            session, actor=options.actor, source=f"import {prepared.path.name}"
        )
    batch.rows_total = sum(len(s.selections) for s in project.sources)
    batch.rows_imported = summary.counts.get("coding", 0)
    batch.detail = {"origin": project.origin, "counts": summary.counts, "warnings": warnings}
    session.flush()
    return summary


def _load_project(
    session: Session,
    project: RefiProject,
    codes: dict[str, Code],
    notes: NoteIndex,
    options: ImportOptions,
    batch: ImportBatch,
    summary: ImportSummary,
) -> None:
    own = project.origin.lower().startswith("innostudy")
    case_names = {c.name for c in project.cases if c.name}
    parts = {
        source.guid: split_source(source.text, known_labels=case_names, own_layout=own)
        for source in project.sources
    }
    labels = {part.speaker for found in parts.values() for part in found if part.speaker}
    cases = CaseImporter(session, project, labels, summary.warnings).run()
    for user in project.users:
        coder_named(session, user.name[:120])
    redactor = redactor_for_study(session) if options.redact else None
    sources = SourceImporter(session, project, cases, codes, notes, redactor, batch)
    sources.run(parts)
    summary.warnings += sources.warnings() + notes.warnings()
    t = sources.tally
    if t.matched:
        summary.notices.append(
            f"{counted(t.matched, 'source')} matched transcripts the study already has (same "
            "session, name and turns): new codings were added to them"
        )
    if t.known:
        summary.notices.append(
            f"{counted(t.known, 'coding')} already in the study, not added again"
        )
    summary.counts |= {
        "source": t.transcripts + t.matched,
        "turn": t.segments,
        "coding": t.codings,
        "coder": len({u.name for u in project.users}) + (1 if t.unattributed else 0),
        "participant": len(cases.participants),
        "new participant": cases.participants_added,
        "new focus group": cases.groups_added,
        "new session": t.sessions_added,
    }


def import_file(
    store: StudyStore,
    path: Path,
    kind: str,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
) -> ImportSummary:
    """Import ``path`` into an open study in one transaction; when it adds codes, the
    codebook's next revision is recorded with it and this folder's codebook file shows it.

    Refused beside a stale or edited codebook file, whose edits would be overwritten. A
    dry run does all of it, counts and warnings included, then rolls the transaction back
    and writes no file: what it reports is what an import would do.
    """
    prepared = prepare_import(path, kind)
    check_folder_file(store, CODEBOOK.name)
    try:
        with store.write_session() as s:
            summary = apply_import(s, prepared, options)
            if dry_run:
                raise _RolledBack(summary)
    except _RolledBack as done:
        done.summary.dry_run = True
        done.summary.codebook_revision = None
        return done.summary
    row = summary.codebook_revision
    if row is not None:
        written = write_file(store.folder, store.settings, row)
        summary.notices.append(
            f"the new codes are revision {row.number} of the codebook ({written.name} shows it; "
            f"`innostudy definitions history codebook` lists the earlier ones)"
        )
    return summary
