"""REFI-QDA codes: the ``Code`` element (shared by ``.qdc`` and ``project.qde``) and ``.qdc`` files.

Targets the REFI-QDA Codebook format (namespace ``urn:QDA-XML:codebook:1.0``), whose
``Code`` element has the same shape as in the Project schema (``Project.xsd``, QDA-XML
1.0 of 18 March 2019); innostudy validates its ``.qdc`` files against ``Codebook.xsd``,
written from that part of ``Project.xsd``.

A REFI code has a name, a colour and one free-text ``Description``. innostudy's codes
also carry include and exclude rules and examples; they travel inside the description
as trailing paragraphs that start ``Include:``, ``Exclude:`` and ``Example:``, which
people in any QDA tool can read and which innostudy parses back on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from innostudy.errors import InputError
from innostudy.exchange.refi.project import RefiCode
from innostudy.exchange.refi.schema import check_codebook_xml
from innostudy.exchange.refi.xmlutil import (
    CODEBOOK_NS,
    Element,
    XmlReader,
    XmlWriter,
    listing,
    local,
)
from innostudy.wording import counted

_RULES = (("Include: ", "include"), ("Exclude: ", "exclude"), ("Example: ", "example"))
_COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


@dataclass
class CodeText:
    """A code's description split into innostudy's parts."""

    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)


def pack_description(text: CodeText) -> str:
    blocks = [text.description.strip()] if text.description.strip() else []
    if text.include.strip():
        blocks.append(f"Include: {text.include.strip()}")
    if text.exclude.strip():
        blocks.append(f"Exclude: {text.exclude.strip()}")
    blocks += [f"Example: {e.strip()}" for e in text.examples if e.strip()]
    return "\n\n".join(blocks)


def unpack_description(description: str) -> CodeText:
    """Trailing ``Include:``/``Exclude:``/``Example:`` paragraphs back into their fields.

    Read from the end, in the order innostudy writes them (include, exclude, examples);
    a paragraph out of that order stays part of the description.
    """
    blocks = re.split(r"\n[ \t]*\n", description.strip().replace("\r\n", "\n"))
    out = CodeText()
    stage = 0  # 0: examples may still come, 1: exclude seen, 2: include seen
    while blocks:
        block = blocks[-1]
        kind = next((k for prefix, k in _RULES if block.startswith(prefix)), None)
        value = block.split(": ", 1)[1].strip() if kind else ""
        if kind == "example" and stage == 0:
            out.examples.insert(0, value)
        elif kind == "exclude" and stage == 0:
            out.exclude, stage = value, 1
        elif kind == "include" and stage <= 1:
            out.include, stage = value, 2
        else:
            break
        blocks.pop()
    out.description = "\n\n".join(blocks).strip()
    return out


def normalise_colour(colour: str) -> str | None:
    """``#abc`` → ``#AABBCC``; six digits stay as given; None if not a colour at all."""
    colour = colour.strip()
    if not _COLOUR.match(colour):
        return None
    if len(colour) == 4:
        return "#" + "".join(ch * 2 for ch in colour[1:]).upper()
    return colour


# -- writing -----------------------------------------------------------------------------------


def add_codes(writer: XmlWriter, parent: Element, codes: list[RefiCode]) -> None:
    """Append ``Code`` elements (with children) under ``parent``, in schema order."""
    for code in codes:
        el = writer.add(
            parent,
            "Code",
            {
                "guid": code.guid,
                "name": code.name,
                "isCodable": "true" if code.codable else "false",
                "color": code.colour or None,
            },
        )
        if code.description:
            writer.add_text(el, "Description", code.description)
        if writer.ns != CODEBOOK_NS:  # the codebook format has no notes
            for guid in code.note_guids:
                writer.add(el, "NoteRef", {"targetGUID": guid})
        add_codes(writer, el, code.children)


def write_qdc(codes: list[RefiCode], origin: str) -> bytes:
    writer = XmlWriter("CodeBook", CODEBOOK_NS, {"origin": origin})
    add_codes(writer, writer.add(writer.root, "Codes"), codes)
    data = writer.tostring()
    check_codebook_xml(data)
    return data


# -- reading -----------------------------------------------------------------------------------


def read_codes(xml: XmlReader, codes_el: Element, warnings: list[str]) -> list[RefiCode]:
    """The ``Code`` elements under a ``Codes`` (or ``Code``) element, recursively."""
    out: list[RefiCode] = []
    for el in xml.children(codes_el, "Code"):
        name = (xml.attr(el, "name") or "").strip()
        if not name:
            raise xml.error(el, "name", "a code needs a name")
        colour = normalise_colour(el.get("color", "")) if el.get("color") else ""
        if colour is None:
            warnings.append(f"code '{name}': colour '{el.get('color')}' is not #RRGGBB; dropped")
            colour = ""
        out.append(
            RefiCode(
                guid=xml.required_guid(el),
                name=name,
                description=xml.child_text(el, "Description"),
                colour=colour,
                codable=xml.bool_attr(el, "isCodable", True),
                note_guids=[
                    xml.required_guid(n, "targetGUID") for n in xml.children(el, "NoteRef")
                ],
                children=read_codes(xml, el, warnings),
                line=xml.line(el),
            )
        )
    return out


@dataclass
class RefiCodebook:
    codes: list[RefiCode]
    origin: str
    warnings: list[str]


def read_qdc(path: Path) -> RefiCodebook:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    xml = XmlReader(data, str(path))
    if local(xml.root) != "CodeBook":
        raise xml.error(
            xml.root, None, f"root element is <{local(xml.root)}>, not <CodeBook> (a .qdc file)"
        )
    codes_el = xml.child(xml.root, "Codes")
    if codes_el is None:
        raise xml.error(xml.root, "Codes", "the codebook has no <Codes>")
    warnings: list[str] = []
    codes = read_codes(xml, codes_el, warnings)
    sets_el = xml.child(xml.root, "Sets")
    sets = xml.children(sets_el, "Set") if sets_el is not None else []
    if sets:
        warnings.append(
            f"{counted(len(sets), 'code set')} ({listing(sets)}) not imported: "
            "innostudy has no code sets"
        )
    return RefiCodebook(codes, xml.root.get("origin", ""), warnings)
