"""Writing REFI-QDA projects: ``project.qde`` (QDA-XML 1.0, ``Project.xsd``) in a ``.qdpx`` ZIP.

The archive holds ``project.qde`` and one UTF-8 text file per source under ``sources/``
(referenced as ``internal://<guid>.txt``; lower case, as the specification's section on
the archive layout has it and as ATLAS.ti requires). The output is byte-for-byte
reproducible: element order follows the schema, GUIDs are deterministic (``ids``), and
every ZIP entry carries the study's creation time rather than the clock's.
Every ``project.qde`` is validated against ``Project.xsd`` before it is written.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from innostudy.atomic import atomic_bytes
from innostudy.exchange.refi.codebook_qdc import add_codes
from innostudy.exchange.refi.project import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiValue,
)
from innostudy.exchange.refi.schema import check_project_xml
from innostudy.exchange.refi.xmlutil import PROJECT_NS, Element, XmlWriter, format_datetime

PROJECT_ENTRY = "project.qde"
SOURCES_DIR = "sources"
INTERNAL = "internal://"


def _dt(value: datetime | None) -> str | None:
    return format_datetime(value) if value is not None else None


class _ProjectWriter:
    def __init__(self, project: RefiProject) -> None:
        self.p = project
        self.w = XmlWriter(
            "Project",
            PROJECT_NS,
            {
                "name": project.name,
                "origin": project.origin or None,
                "creationDateTime": _dt(project.created_at),
            },
        )

    def build(self) -> bytes:
        p, w, root = self.p, self.w, self.w.root
        if p.users:
            users = w.add(root, "Users")
            for u in p.users:
                w.add(users, "User", {"guid": u.guid, "name": u.name})
        if p.codes:
            add_codes(w, w.add(w.add(root, "CodeBook"), "Codes"), p.codes)
        if p.variables:
            variables = w.add(root, "Variables")
            for v in p.variables:
                el = w.add(
                    variables,
                    "Variable",
                    {"guid": v.guid, "name": v.name, "typeOfVariable": v.type},
                )
                if v.description:
                    w.add_text(el, "Description", v.description)
        if p.cases:
            cases = w.add(root, "Cases")
            for case in p.cases:
                self._case(cases, case)
        if p.sources:
            sources = w.add(root, "Sources")
            for source in p.sources:
                self._source(sources, source)
        if p.notes:
            notes = w.add(root, "Notes")
            for note in p.notes:
                self._note(notes, note)
        if p.description:
            w.add_text(root, "Description", p.description)
        self._refs(root, "NoteRef", p.note_guids)
        data = w.tostring()
        check_project_xml(data)
        return data

    def _refs(self, parent: Element, name: str, guids: list[str]) -> None:
        for guid in guids:
            self.w.add(parent, name, {"targetGUID": guid})

    def _values(self, parent: Element, values: list[RefiValue]) -> None:
        for value in values:
            el = self.w.add(parent, "VariableValue")
            self.w.add(el, "VariableRef", {"targetGUID": value.variable_guid})
            self.w.add_text(el, f"{value.type}Value", value.value)

    def _case(self, parent: Element, case: RefiCase) -> None:
        el = self.w.add(parent, "Case", {"guid": case.guid, "name": case.name})
        if case.description:
            self.w.add_text(el, "Description", case.description)
        self._refs(el, "CodeRef", case.code_guids)
        self._values(el, case.values)
        self._refs(el, "SourceRef", case.source_guids)
        self._refs(el, "SelectionRef", case.selection_guids)

    def _source(self, parent: Element, source: RefiSource) -> None:
        el = self.w.add(
            parent,
            "TextSource",
            {
                "guid": source.guid,
                "name": source.name,
                "plainTextPath": source.path,
                "creatingUser": source.user_guid,
                "creationDateTime": _dt(source.created_at),
            },
        )
        if source.description:
            self.w.add_text(el, "Description", source.description)
        if source.path is None:
            self.w.add_text(el, "PlainTextContent", source.text)
        for selection in source.selections:
            self._selection(el, selection)
        for coding in source.codings:
            self._coding(el, coding)
        self._refs(el, "NoteRef", source.note_guids)
        self._values(el, source.values)

    def _selection(self, parent: Element, sel: RefiSelection) -> None:
        el = self.w.add(
            parent,
            "PlainTextSelection",
            {
                "guid": sel.guid,
                "startPosition": str(sel.start),
                "endPosition": str(sel.end),
                "creatingUser": sel.user_guid,
                "creationDateTime": _dt(sel.created_at),
            },
        )
        if sel.description:
            self.w.add_text(el, "Description", sel.description)
        for coding in sel.codings:
            self._coding(el, coding)
        self._refs(el, "NoteRef", sel.note_guids)

    def _coding(self, parent: Element, coding: RefiCoding) -> None:
        el = self.w.add(
            parent,
            "Coding",
            {
                "guid": coding.guid,
                "creatingUser": coding.user_guid,
                "creationDateTime": _dt(coding.created_at),
            },
        )
        self.w.add(el, "CodeRef", {"targetGUID": coding.code_guid})
        self._refs(el, "NoteRef", coding.note_guids)

    def _note(self, parent: Element, note: RefiNote) -> None:
        el = self.w.add(
            parent,
            "Note",
            {
                "guid": note.guid,
                "name": note.name,
                "creatingUser": note.user_guid,
                "creationDateTime": _dt(note.created_at),
            },
        )
        self.w.add_text(el, "PlainTextContent", note.text)


def project_xml(project: RefiProject) -> bytes:
    """``project.qde`` for the project, validated against ``Project.xsd``."""
    return _ProjectWriter(project).build()


def source_entry(path: str) -> str:
    """The archive entry an ``internal://`` path names."""
    return f"{SOURCES_DIR}/{path.removeprefix(INTERNAL)}"


def write_qdpx(project: RefiProject, path: Path) -> None:
    qde = project_xml(project)
    stamp = (project.created_at or datetime(1980, 1, 1, tzinfo=UTC)).astimezone(UTC)
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    with atomic_bytes(path) as handle, zipfile.ZipFile(handle, "w") as archive:
        archive.writestr(entry(PROJECT_ENTRY), qde)
        for source in project.sources:
            if source.path is not None:
                archive.writestr(entry(source_entry(source.path)), source.text.encode("utf-8"))
