"""Gather a study into a ``RefiProject``: what leaves innostudy, and what deliberately does not.

Exported: coders who made accepted codings (as users); every active code (and any
other code an exported coding uses) with colour, description, rules and memo; each
transcript as one plain-text source (``sourcetext``), with its accepted codings as
selections, one per span and coder; focus groups and participants as cases with
variables; code memos, coding memos and session notes as notes. Every free text but the
turns passes the personal-data rule (``redact_out``), and the report counts what it
replaced.

Left out, and counted in the export report: suggestions and rejected codings (and
every coding by a model, whose accepted suggestions are exported as the reviewer's own
coding); the words and codings of participants who withdrew (their turns are replaced
by ``WITHHELD_TEXT`` unless ``include_withdrawn``); raw text, speaker labels as typed,
names and contact details, which never leave (participants appear by code only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.coded import counts_as_coded
from innostudy.coding.provenance import machine_assistance
from innostudy.exchange.refi.cases_out import CaseWriter
from innostudy.exchange.refi.codebook_qdc import CodeText, normalise_colour, pack_description
from innostudy.exchange.refi.ids import Guids, study_namespace
from innostudy.exchange.refi.notes_out import ASSISTANCE, NoteBook
from innostudy.exchange.refi.project import RefiCode, RefiProject, RefiUser
from innostudy.exchange.refi.redact_out import redact_project
from innostudy.exchange.refi.sources_out import SourceWriter
from innostudy.exchange.refi.variables import VariableTable
from innostudy.model import (
    Code,
    CoderKind,
    CodeStatus,
    Coding,
    StudyInfo,
)
from innostudy.personal_data import PersonalData
from innostudy.survey.instrument import Instrument
from innostudy.wording import counted

ORIGIN = "innostudy"


@dataclass(frozen=True)
class ExportOptions:
    survey_variables: tuple[str, ...] = ()
    include_withdrawn: bool = False


@dataclass
class ExportReport:
    """What the export holds and what it left out, for the user to read."""

    counts: dict[str, int] = field(default_factory=dict)  # singular noun → how many
    left_out: Counter[tuple[str, str]] = field(default_factory=Counter)  # (noun, why) → how many
    redacted: int = 0  # personal details replaced in names, notes and memos

    def lines(self) -> list[str]:
        held = ", ".join(counted(n, noun) for noun, n in self.counts.items())
        out = [f"Exported {held}."]
        if self.redacted:
            out.append(
                f"Redacted {counted(self.redacted, 'personal detail')} (names, email addresses, "
                "phone numbers) in names, notes and memos."
            )
        if self.left_out:
            gone = [f"{counted(n, noun)} {why}" for (noun, why), n in self.left_out.items()]
            out.append("Left out: " + "; ".join(gone) + ".")
        return out


def exportable(coding: Coding) -> tuple[str, str] | None:
    """Why a coding stays behind (noun, reason), or None if it is exported."""
    if counts_as_coded(coding):
        return None
    if coding.coder.kind is CoderKind.MODEL:
        return "coding", f"by a model ({coding.status.value} suggestions)"
    return "coding", f"{coding.status.value}, not accepted"


def project_from_study(
    session: Session,
    options: ExportOptions | None = None,
    instrument: Instrument | None = None,
    *,
    version: str = "",
) -> tuple[RefiProject, ExportReport]:
    options = options or ExportOptions()
    info = session.scalar(sa.select(StudyInfo).order_by(StudyInfo.id).limit(1))
    if info is None:
        raise LookupError("the database holds no study")
    guids = Guids(study_namespace(info.created_at))
    project = RefiProject(
        name=info.name, origin=f"{ORIGIN} {version}".strip(), created_at=info.created_at
    )
    report = ExportReport()
    notes = NoteBook(guids)

    variables = VariableTable(guids)
    cases = CaseWriter(
        session, guids, variables, instrument, options.survey_variables, options.include_withdrawn
    )
    codings = _codings(session, report)
    codes = _codes(session, guids, notes, {c.code_id for c in codings})
    sources = SourceWriter(session, guids, notes, variables, options.include_withdrawn)
    project.sources = sources.write(codings, codes, report.left_out)
    users = {c.coder.id: c.coder for c in codings if sources.exported(c)}
    project.users = [
        RefiUser(guid=guids("coder", coder.id), name=coder.name)
        for coder in sorted(users.values(), key=lambda c: c.name)
    ]
    project.codes = [codes[c.id] for c in _roots(session) if c.id in codes]
    project.cases, withdrawn = cases.write(sources.speaking, sources.by_group)
    if withdrawn:
        report.left_out[("participant", "who withdrew (no case)")] += withdrawn
    project.variables = variables.declared()
    assistance = notes.project_note(ASSISTANCE, "\n".join(machine_assistance(session).lines()))
    project.note_guids = [*notes.project_note_guids(session), *assistance]
    project.notes = notes.notes
    report.redacted = redact_project(project, PersonalData.of(session))

    report.counts = _counts(project, sources.turns, len(codes))
    return project, report


def _counts(project: RefiProject, turns: int, codes: int) -> dict[str, int]:
    return {
        "source": len(project.sources),
        "turn": turns,
        "code": codes,
        "selection": sum(len(s.selections) for s in project.sources),
        "coding": sum(len(sel.codings) for s in project.sources for sel in s.selections),
        "coder": len(project.users),
        "case": len(project.cases),
        "variable": len(project.variables),
        "note": len(project.notes),
    }


def codebook_from_study(session: Session, *, version: str = "") -> RefiProject:
    """Just the codes (for a .qdc): the same codes, GUIDs and order as the project export."""
    info = session.scalar(sa.select(StudyInfo).order_by(StudyInfo.id).limit(1))
    if info is None:
        raise LookupError("the database holds no study")
    guids = Guids(study_namespace(info.created_at))
    used = {c.code_id for c in _codings(session, ExportReport())}
    codes = _codes(session, guids, NoteBook(guids), used)
    project = RefiProject(name=info.name, origin=f"{ORIGIN} {version}".strip())
    project.codes = [codes[c.id] for c in _roots(session) if c.id in codes]
    return project


def _codings(session: Session, report: ExportReport) -> list[Coding]:
    rows = session.scalars(
        sa.select(Coding)
        .options(selectinload(Coding.coder), selectinload(Coding.code))
        .order_by(Coding.id)
    ).all()
    kept: list[Coding] = []
    for coding in rows:
        reason = exportable(coding)
        if reason is None:
            kept.append(coding)
        else:
            report.left_out[reason] += 1
    return kept


def _roots(session: Session) -> list[Code]:
    return list(
        session.scalars(
            sa.select(Code)
            .where(Code.parent_id.is_(None))
            .order_by(Code.codebook_id, Code.position, Code.id)
        )
    )


def _codes(session: Session, guids: Guids, notes: NoteBook, used: set[int]) -> dict[int, RefiCode]:
    """Active codes and every code a kept coding uses (with its ancestors), as a tree."""
    rows = session.scalars(sa.select(Code).order_by(Code.codebook_id, Code.position, Code.id)).all()
    by_id = {c.id: c for c in rows}
    keep = {c.id for c in rows if c.status is CodeStatus.ACTIVE} | used
    for code_id in list(keep):
        parent = by_id[code_id].parent_id
        while parent is not None and parent not in keep:
            keep.add(parent)
            parent = by_id[parent].parent_id
    refi: dict[int, RefiCode] = {}
    for code in rows:
        if code.id not in keep:
            continue
        text = CodeText(code.description, code.include, code.exclude, list(code.examples))
        refi[code.id] = RefiCode(
            guid=guids("code", code.codebook_id, code.key),
            name=code.name,
            description=pack_description(text),
            colour=normalise_colour(code.colour) or "" if code.colour else "",
            note_guids=notes.code_memo(code),
        )
    children: dict[int, list[RefiCode]] = defaultdict(list)
    for code in rows:
        if code.id in refi and code.parent_id is not None and code.parent_id in refi:
            children[code.parent_id].append(refi[code.id])
    for code_id, kids in children.items():
        refi[code_id].children = kids
    return refi
