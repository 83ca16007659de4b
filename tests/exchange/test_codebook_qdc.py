"""Codebooks (.qdc) out and in, and innostudy's rules inside a REFI description."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import xmlschema

from innostudy.coding.codebook import load_codebook
from innostudy.exchange.refi.codebook_qdc import (
    CodeText,
    normalise_colour,
    pack_description,
    read_qdc,
    unpack_description,
)
from innostudy.model import Code
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from tests.conftest import Cli
from tests.exchange.foreign import FOREIGN_QDC
from tests.exchange.helpers import fingerprint

SCHEMAS = Path(__file__).parents[2] / "src/innostudy/exchange/refi"


@pytest.mark.parametrize(
    "text",
    [
        CodeText("Plain.", "", "", []),
        CodeText("Two\n\nparagraphs.", "in", "out", ["one", "two"]),
        CodeText("", "", "", ["only an example"]),
        CodeText("Rules only", "", "not this", []),
        CodeText("", "a rule without a description", "", []),
    ],
)
def test_rules_travel_inside_the_description(text: CodeText) -> None:
    packed = pack_description(text)
    assert unpack_description(packed) == text


def test_paragraphs_out_of_innostudy_order_stay_in_the_description() -> None:
    odd = "Text\n\nExample: e\n\nInclude: out of order"
    assert unpack_description(odd) == CodeText("Text\n\nExample: e", "out of order", "", [])


def test_colours() -> None:
    assert normalise_colour("#abc") == "#AABBCC"
    assert normalise_colour("#0072B2") == "#0072B2"
    assert normalise_colour("red") is None


def test_the_default_codebook_exported_validates_and_reads_back(tmp_path: Path, cli: Cli) -> None:
    study = init_study(tmp_path / "s")
    target = tmp_path / "codes.qdc"
    result = cli("--study", study, "export", "qdc", target)
    assert (result.exit_code, result.stdout.strip()) == (0, f"Wrote 31 codes to {target}")
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(str(target))
    book = read_qdc(target)
    spec = load_codebook(study / "codebook.yaml")
    exported = {c.name: (c.colour, unpack_description(c.description)) for c in _walk(book.codes)}
    expected = {
        c.name: (c.colour, CodeText(c.description, c.include, c.exclude, c.examples))
        for c in spec.walk()
    }
    assert exported == expected
    assert [c.name for c in book.codes] == [c.name for c in spec.codes]


def _walk(codes: list) -> list:  # type: ignore[type-arg]
    out = []
    for code in codes:
        out += [code, *_walk(code.children)]
    return out


def test_a_foreign_codebook_merges_into_the_study(tmp_path: Path, cli: Cli) -> None:
    study = init_study(tmp_path / "s")
    qdc = tmp_path / "other.qdc"
    qdc.write_text(FOREIGN_QDC)
    result = cli("--study", study, "import", "qdc", qdc)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        "Imported other.qdc: 4 codes, 3 new codes.",
        "the new codes are revision 2 of the codebook (codebook.yaml shows it; "
        "`innostudy definitions history codebook` lists the earlier ones)",
    ]
    assert result.stderr.strip().splitlines() == [  # no backup copy to warn about any more
        "Warning: 1 code set ('Round one') not imported: innostudy has no code sets"
    ]
    assert not list(study.glob("codebook.yaml.*"))
    with StudyStore.open(study) as store, store.session() as s:
        keys = {c.key: c for c in s.scalars(sa.select(Code))}
        # "Origins and triggers" is the study's own top code: matched, not duplicated
        assert keys["origins.front_line_ideas"].parent is not None
        assert keys["origins.front_line_ideas"].parent.key == "origins"
        assert keys["origins.front_line_ideas"].colour == "#009E73"
        assert keys["partnerships"].exclude == "contracts with suppliers."
        assert keys["partnerships.voluntary_sector"].name == "Voluntary sector"
        assert len(keys) == 34
    spec = load_codebook(study / "codebook.yaml")  # the rewritten file reads back
    assert {c.key for c in spec.walk()} == set(keys)


def test_a_broken_codebook_is_refused_whole(tmp_path: Path, cli: Cli) -> None:
    study = init_study(tmp_path / "s")
    qdc = tmp_path / "bad.qdc"
    qdc.write_text(FOREIGN_QDC.replace('name="Voluntary sector" ', ""))
    before = fingerprint(study)
    result = cli("--study", study, "import", "qdc", qdc)
    line = next(
        i
        for i, t in enumerate(qdc.read_text().splitlines(), 1)
        if "a2000000-0000-4000-8000-000000000004" in t
    )
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"Error: {qdc}, line {line}, field 'name': <Code> has no 'name' attribute",
    )
    assert fingerprint(study) == before


def test_a_project_is_not_a_codebook(tmp_path: Path, cli: Cli) -> None:
    study = init_study(tmp_path / "s")
    qdc = tmp_path / "p.qdc"
    qdc.write_text('<?xml version="1.0"?>\n<Project name="x"/>\n')
    result = cli("--study", study, "import", "qdc", qdc)
    assert result.stderr.strip() == (
        f"Error: {qdc}, line 2: root element is <Project>, not <CodeBook> (a .qdc file)"
    )


def test_init_from_a_codebook(tmp_path: Path, cli: Cli) -> None:
    qdc = tmp_path / "other.qdc"
    qdc.write_text(FOREIGN_QDC)
    result = cli("init", tmp_path / "s", "--from", qdc)
    assert result.exit_code == 0, result.stderr
    with StudyStore.open(tmp_path / "s") as store, store.session() as s:
        names = sorted(s.scalars(sa.select(Code.name)))
    # the study's codebook is the file's; a matching default code keeps its key
    assert names == ["Front-line ideas", "Origins and triggers", "Partnerships", "Voluntary sector"]
    spec = load_codebook(tmp_path / "s" / "codebook.yaml")
    assert [c.key for c in spec.walk()] == [
        "origins",
        "origins.front_line_ideas",
        "partnerships",
        "partnerships.voluntary_sector",
    ]
