"""Reading a ``.qdpx`` from any tool into a ``RefiProject``, naming every problem's place.

The archive is opened through ``zipsafe``; ``project.qde`` (or the archive's one
``*.qde``) is parsed with line numbers; each text source's plain text is read from
``sources/`` (or ``Sources/``), decoded as UTF-8 with or without a BOM (the BOM is not
a position), and its line endings normalised. What innostudy cannot hold (pictures,
PDFs, audio and video, sets, links, graphs, sources outside the archive) is collected
as warnings for the importer to report; nothing else is judged here.
"""

from __future__ import annotations

from pathlib import Path

from innostudy.errors import InputError
from innostudy.exchange.refi.codebook_qdc import read_codes
from innostudy.exchange.refi.project import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiValue,
    RefiVariable,
)
from innostudy.exchange.refi.project_qdpx import PROJECT_ENTRY, source_entry
from innostudy.exchange.refi.rich_text import docx_text
from innostudy.exchange.refi.source_paths import locate
from innostudy.exchange.refi.xmlutil import Element, XmlReader, listing, local
from innostudy.textfiles import decode, normalise_newlines
from innostudy.wording import counted
from innostudy.zipsafe import SafeZip, ZipLimits

_MEDIA = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


class _Parser:
    def __init__(self, xml: XmlReader) -> None:
        self.x = xml
        self.warnings: list[str] = []

    def refs(self, el: Element, name: str) -> list[str]:
        return [self.x.required_guid(r, "targetGUID") for r in self.x.children(el, name)]

    def project(self) -> RefiProject:
        x, root = self.x, self.x.root
        if local(root) != "Project":
            raise x.error(root, None, f"root element is <{local(root)}>, not <Project>")
        p = RefiProject(
            name=x.text_attr(root, "name"),
            origin=x.text_attr(root, "origin"),
            created_at=x.datetime_attr(root, "creationDateTime"),
            description=x.child_text(root, "Description"),
            note_guids=self.refs(root, "NoteRef"),
            file=x.label,
        )
        for el in self._section(root, "Users", "User"):
            name = el.get("name") or el.get("id") or f"user {x.required_guid(el)[:8]}"
            p.users.append(RefiUser(x.required_guid(el), name.strip(), x.line(el)))
        codebook = x.child(root, "CodeBook")
        codes = x.child(codebook, "Codes") if codebook is not None else None
        if codes is not None:
            p.codes = read_codes(x, codes, self.warnings)
        p.variables = [self.variable(el) for el in self._section(root, "Variables", "Variable")]
        p.cases = [self.case(el) for el in self._section(root, "Cases", "Case")]
        self.sources(root, p)
        p.notes = [self.note(el) for el in self._section(root, "Notes", "Note")]
        for section, item in (("Sets", "Set"), ("Links", "Link"), ("Graphs", "Graph")):
            found = self._section(root, section, item)
            if found:
                self.warnings.append(
                    f"{counted(len(found), item.lower())} ({listing(found)}) not imported: "
                    f"innostudy has no {section.lower()}"
                )
        p.warnings = self.warnings
        return p

    def _section(self, root: Element, section: str, item: str) -> list[Element]:
        el = self.x.child(root, section)
        return self.x.children(el, item) if el is not None else []

    def variable(self, el: Element) -> RefiVariable:
        return RefiVariable(
            guid=self.x.required_guid(el),
            name=(self.x.attr(el, "name") or "").strip(),
            type=self.x.text_attr(el, "typeOfVariable", "Text"),
            description=self.x.child_text(el, "Description"),
            line=self.x.line(el),
        )

    def values(self, el: Element) -> list[RefiValue]:
        out: list[RefiValue] = []
        for vv in self.x.children(el, "VariableValue"):
            ref = self.x.child(vv, "VariableRef")
            if ref is None:
                raise self.x.error(vv, "VariableRef", "a <VariableValue> needs a <VariableRef>")
            value = next((c for c in vv if local(c).endswith("Value")), None)
            if value is None:  # an empty value: nothing to keep
                continue
            out.append(
                RefiValue(
                    variable_guid=self.x.required_guid(ref, "targetGUID"),
                    type=local(value).removesuffix("Value"),
                    value="".join(value.itertext()).strip(),
                    line=self.x.line(vv),
                )
            )
        return out

    def case(self, el: Element) -> RefiCase:
        return RefiCase(
            guid=self.x.required_guid(el),
            name=(el.get("name") or "").strip(),
            description=self.x.child_text(el, "Description"),
            values=self.values(el),
            source_guids=self.refs(el, "SourceRef"),
            selection_guids=self.refs(el, "SelectionRef"),
            code_guids=self.refs(el, "CodeRef"),
            line=self.x.line(el),
        )

    def coding(self, el: Element) -> RefiCoding:
        ref = self.x.child(el, "CodeRef")
        if ref is None:
            raise self.x.error(el, "CodeRef", "a <Coding> needs a <CodeRef>")
        return RefiCoding(
            guid=self.x.required_guid(el),
            code_guid=self.x.required_guid(ref, "targetGUID"),
            user_guid=self.x.guid(el, "creatingUser", required=False),
            created_at=self.x.datetime_attr(el, "creationDateTime"),
            note_guids=self.refs(el, "NoteRef"),
            line=self.x.line(el),
        )

    def selection(self, el: Element) -> RefiSelection:
        start = self.x.int_attr(el, "startPosition")
        end = self.x.int_attr(el, "endPosition")
        if start < 0 or end < start:
            raise self.x.error(
                el, "endPosition", f"selection {start}-{end} does not run forwards from 0"
            )
        return RefiSelection(
            guid=self.x.required_guid(el),
            start=start,
            end=end,
            user_guid=self.x.guid(el, "creatingUser", required=False),
            created_at=self.x.datetime_attr(el, "creationDateTime"),
            description=self.x.child_text(el, "Description"),
            codings=[self.coding(c) for c in self.x.children(el, "Coding")],
            note_guids=self.refs(el, "NoteRef"),
            line=self.x.line(el),
        )

    def sources(self, root: Element, p: RefiProject) -> None:
        section = self.x.child(root, "Sources")
        media: dict[str, list[Element]] = {}
        for el in section if section is not None else []:
            kind = local(el)
            if kind == "TextSource":
                p.sources.append(self.text_source(el, len(p.sources) + 1))
            elif kind in _MEDIA:
                media.setdefault(kind, []).append(el)
        for kind, found in media.items():
            self.warnings.append(
                f"{counted(len(found), _MEDIA[kind] + ' source')} ({listing(found)}) not imported: "
                "innostudy holds text sources only"
            )

    def text_source(self, el: Element, number: int) -> RefiSource:
        x = self.x
        inline = x.child(el, "PlainTextContent")
        path = el.get("plainTextPath") if inline is None else None
        rich = el.get("richTextPath")
        return RefiSource(
            guid=x.required_guid(el),
            name=(el.get("name") or _stem(path or rich) or f"source {number}").strip(),
            text="".join(inline.itertext()) if inline is not None else "",
            path=path,
            rich_path=rich,
            description=x.child_text(el, "Description"),
            user_guid=x.guid(el, "creatingUser", required=False),
            created_at=x.datetime_attr(el, "creationDateTime"),
            selections=[self.selection(s) for s in x.children(el, "PlainTextSelection")],
            codings=[self.coding(c) for c in x.children(el, "Coding")],
            note_guids=self.refs(el, "NoteRef"),
            values=self.values(el),
            line=self.x.line(el),
        )

    def note(self, el: Element) -> RefiNote:
        inline = self.x.child(el, "PlainTextContent")
        return RefiNote(
            guid=self.x.required_guid(el),
            name=(el.get("name") or "").strip(),
            text="".join(inline.itertext()) if inline is not None else "",
            user_guid=self.x.guid(el, "creatingUser", required=False),
            created_at=self.x.datetime_attr(el, "creationDateTime"),
            annotates=len(self.x.children(el, "PlainTextSelection")),
            line=self.x.line(el),
            path=el.get("plainTextPath") if inline is None else None,
        )


def _stem(path: str | None) -> str:
    """A source's name from its file when the tool wrote none (qc does not)."""
    if not path:
        return ""
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def parse_project(data: bytes, label: str) -> RefiProject:
    """``project.qde`` bytes → RefiProject (source texts not yet loaded)."""
    return _Parser(XmlReader(data, label)).project()


def _find_qde(archive: SafeZip) -> str:
    if archive.find(PROJECT_ENTRY) is not None:
        return PROJECT_ENTRY
    candidates = [n for n in archive.names() if "/" not in n and n.lower().endswith(".qde")]
    if len(candidates) == 1:
        return candidates[0]
    found = f" (it holds {len(candidates)})" if candidates else ""
    raise InputError(
        archive.path, None, None, f"no project.qde in the archive{found}; is it a .qdpx file?"
    )


def _load(archive: SafeZip, p: RefiProject, path: str, line: int | None, what: str) -> str | None:
    """The text a source or note path names; None (with a warning) when it leads outside."""
    found = locate(archive, path)
    if found.entry is None and found.internal:
        raise InputError(
            p.file,
            line,
            "plainTextPath",
            f"{what}: {source_entry(path)} is missing from the archive",
        )
    if found.entry is None:
        return None
    if found.by_name_only:
        p.warnings.append(
            f"{what}: path {path} is not in the archive; its file name is, and was read"
        )
    # REFI says UTF-8; a tool that wrote UTF-16 or Windows-1252 is read as any text file
    # is. Line ends are kept as written: the caller notes CRLF before normalising.
    return decode(archive.read(found.entry), archive.entry_label(found.entry), normalise=False).text


def _rich(archive: SafeZip, p: RefiProject, source: RefiSource) -> str | None:
    """The source's rich-text copy as plain text, when there is one in the archive."""
    if not source.rich_path:
        return None
    found = locate(archive, source.rich_path)
    if found.entry is None:
        return None
    text = docx_text(archive.read(found.entry), archive.entry_label(found.entry))
    if text.strip():
        moved = len(source.selections)
        p.warnings.append(
            f"source '{source.name}' has no plain text; its rich text ({source.rich_path}) was "
            "read instead"
            + (f", and its {counted(moved, 'selection')} may sit a little off" if moved else "")
        )
    return text


def _lost(source: RefiSource) -> str:
    codings = len(source.codings) + sum(len(s.codings) for s in source.selections)
    if not source.selections and not codings:
        return ""
    return (
        f", nor its {counted(len(source.selections), 'selection')} and {counted(codings, 'coding')}"
    )


def _source_text(archive: SafeZip, p: RefiProject, source: RefiSource) -> str | None:
    """The source's raw text, from its plain text or else its rich text; None if outside."""
    raw: str | None = source.text
    if source.path is not None:
        raw = _load(archive, p, source.path, source.line, f"source '{source.name}'")
    rich = _rich(archive, p, source) if raw is None or not raw.strip() else None
    if raw is None and rich is None:
        p.warnings.append(
            f"source '{source.name}' points outside the archive ({source.path}); "
            f"not imported{_lost(source)}"
        )
        return None
    text = rich if rich is not None and rich.strip() else raw or ""
    if not text.strip():
        p.warnings.append(f"source '{source.name}' is empty; kept as an empty transcript")
    return text


def read_qdpx(path: Path, limits: ZipLimits | None = None) -> RefiProject:
    """The whole project, with every text source's plain text loaded and normalised."""
    with SafeZip(path, limits) as archive:
        qde = _find_qde(archive)
        p = parse_project(archive.read(qde), archive.entry_label(qde))
        kept: list[RefiSource] = []
        for source in p.sources:
            raw = _source_text(archive, p, source)
            if raw is None:
                continue
            source.crlf = "\r" in raw
            source.text = normalise_newlines(raw.removeprefix("\ufeff"))
            kept.append(source)
        p.sources = kept
        for note in p.notes:
            if note.path is not None:
                loaded = _load(archive, p, note.path, note.line, f"note '{note.name}'")
                if loaded is None:
                    p.warnings.append(
                        f"note '{note.name}' points outside the archive ({note.path}); not imported"
                    )
                note.text = loaded or ""
    return p
