"""The REFI-QDA schemas shipped in this package, and checking documents against them.

``Project.xsd`` is the official QDA-XML 1.0 Project schema (18 March 2019, MIT, see
README.md beside it); ``Codebook.xsd`` is innostudy's rendering of the codebook format.
Every document innostudy writes is checked before it is written: a failure is a bug in
innostudy, never the user's fault, so it raises ``SchemaViolation`` rather than an
``InputError``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lxml import etree


class SchemaViolation(RuntimeError):
    """innostudy produced XML that its own schema rejects (a bug)."""


@cache
def _schema(name: str) -> etree.XMLSchema:
    data = resources.files("innostudy.exchange.refi").joinpath(name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data))


def project_schema() -> etree.XMLSchema:
    return _schema("Project.xsd")


def codebook_schema() -> etree.XMLSchema:
    return _schema("Codebook.xsd")


def schema_errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    """Every violation as ``line N: message`` (empty when the document is valid)."""
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _check(schema: etree.XMLSchema, data: bytes, what: str) -> None:
    errors = schema_errors(schema, data)
    if errors:
        raise SchemaViolation(f"{what} does not validate: {errors[0]} ({len(errors)} problems)")


def check_project_xml(data: bytes) -> None:
    _check(project_schema(), data, "project.qde")


def check_codebook_xml(data: bytes) -> None:
    _check(codebook_schema(), data, "codebook")
