"""Reading and writing REFI-QDA XML safely, with line numbers for every error.

Reading is lenient about namespaces (tools have written ``urn:QDA-XML:project:1.0``,
older drafts and none at all), so elements are matched by local name. It is strict
about what innostudy needs: a missing GUID, a position that is not a number or a
reference to nothing stops the import with the file, line and field.

The parser never resolves entities, loads DTDs or touches the network (no XXE).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from innostudy.errors import InputError
from innostudy.exchange.refi.ids import normalise_guid

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

_GUID = re.compile(
    r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$"
)

Element = Any  # lxml elements are untyped for mypy


def local(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


class XmlReader:
    """One parsed XML document and the helpers that turn its problems into InputErrors."""

    def __init__(self, data: bytes, label: str) -> None:
        self.label = label
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        self._lines = data.split(b"\n")
        try:
            self.root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            message = str(exc.msg).split(", line ")[0]
            raise InputError(label, line, None, f"not well-formed XML: {message}") from None

    def line(self, el: Element) -> int | None:
        """The line where the element's start tag begins.

        libxml2 reports the line where the start tag ends, which for a tag with its
        attributes over several lines is not where a person would look.
        """
        end: int | None = el.sourceline
        if end is None:
            return None
        name = local(el).encode()
        for number in range(end, max(end - 50, 0), -1):
            text = self._lines[number - 1] if number <= len(self._lines) else b""
            if b"<" + name in text or b":" + name in text:
                return number
        return end

    def error(self, el: Element | None, field: str | None, message: str) -> InputError:
        line = self.line(el) if el is not None else None
        return InputError(self.label, line, field, message, unit="line")

    @staticmethod
    def children(el: Element, name: str) -> list[Element]:
        return [c for c in el if local(c) == name]

    @staticmethod
    def child(el: Element, name: str) -> Element | None:
        return next((c for c in el if local(c) == name), None)

    def child_text(self, el: Element, name: str) -> str:
        found = self.child(el, name)
        return "".join(found.itertext()) if found is not None else ""

    def attr(self, el: Element, name: str, *, required: bool = True) -> str | None:
        value: str | None = el.get(name)
        if value is None and required:
            raise self.error(el, name, f"<{local(el)}> has no '{name}' attribute")
        return value

    def text_attr(self, el: Element, name: str, default: str = "") -> str:
        value = el.get(name)
        return default if value is None else value

    def guid(self, el: Element, name: str = "guid", *, required: bool = True) -> str | None:
        value = self.attr(el, name, required=required)
        if value is None:
            return None
        if not _GUID.match(value.strip()):
            raise self.error(el, name, f"'{value}' is not a GUID")
        return normalise_guid(value)

    def required_guid(self, el: Element, name: str = "guid") -> str:
        value = self.guid(el, name)
        assert value is not None
        return value

    def int_attr(self, el: Element, name: str) -> int:
        value = self.attr(el, name)
        assert value is not None
        try:
            return int(value.strip())
        except ValueError:
            raise self.error(el, name, f"'{value}' is not a whole number") from None

    def bool_attr(self, el: Element, name: str, default: bool) -> bool:
        value = el.get(name)
        if value is None:
            return default
        if value.strip() in ("true", "1"):
            return True
        if value.strip() in ("false", "0"):
            return False
        raise self.error(el, name, f"'{value}' is not true or false")

    @staticmethod
    def datetime_attr(el: Element, name: str) -> datetime | None:
        """A dateTime, or None when absent or unreadable (dates are context, not data)."""
        return parse_datetime(el.get(name))


def parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with a Z, whole seconds (what QDA tools write and read)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class XmlWriter:
    """Builds one namespaced document; attributes keep the order they are given in."""

    def __init__(self, root: str, namespace: str, attrs: dict[str, str | None]) -> None:
        self.ns = namespace
        self.root = etree.Element(self._tag(root), nsmap={None: namespace})
        self.set(self.root, attrs)

    def _tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    @staticmethod
    def set(el: Element, attrs: dict[str, str | None]) -> None:
        for key, value in attrs.items():
            if value is not None:
                el.set(key, value)

    def add(
        self, parent: Element, name: str, attrs: dict[str, str | None] | None = None
    ) -> Element:
        el = etree.SubElement(parent, self._tag(name))
        self.set(el, attrs or {})
        return el

    def add_text(self, parent: Element, name: str, text: str) -> Element:
        el = self.add(parent, name)
        el.text = xml_safe(text)
        return el

    def tostring(self) -> bytes:
        data: bytes = etree.tostring(
            self.root, xml_declaration=True, encoding="utf-8", pretty_print=True
        )
        return data


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot carry control characters; they never occur in real transcripts."""
    return _XML_INVALID.sub("\ufffd", text)


def listing(items: list[Element] | list[str], limit: int = 3) -> str:
    """``'a', 'b', 'c' and 4 more``: names for a one-line warning."""
    names = [i if isinstance(i, str) else str(i.get("name", "?")) for i in items]
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
