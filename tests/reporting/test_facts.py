"""The table of named facts is documented, and the default narrative states no fact that a
placeholder does not produce."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from markdown_it import MarkdownIt

from innostudy.coding.group_matrix import CodeGroupMatrix, MatrixColumn, MatrixRow
from innostudy.model import Sector
from innostudy.reporting.fact_context import FactContext
from innostudy.reporting.facts import FACTS, find_fact
from innostudy.reporting.outline import default_narrative_dir
from innostudy.reporting.placeholders import find_placeholders, is_standalone
from innostudy.reporting.resolver import Unresolved

DOCS = Path(__file__).parents[2] / "docs" / "report.md"


def test_every_fact_is_documented_with_its_example() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([^`]+)` \| [^|]+ \| (.+?) \|$", docs, re.M)
    }
    missing = [f.name for f in FACTS if f.name not in rows]
    assert missing == []
    for fact in FACTS:
        assert rows[fact.name] == fact.example, fact.name


def test_fact_names_are_unique_and_parts_reach_the_resolver() -> None:
    names = [f.name for f in FACTS]
    assert len(names) == len(set(names))
    found = find_fact("themes.barriers.most_raised_by")
    assert found is not None and found[1] == {"area": "barriers"}
    found = find_fact("themes.barriers.culture.people")
    assert found is not None and found[1] == {"code": "barriers.culture"}
    found = find_fact("origin.senior_managers.pct.headline")
    assert found is not None and found[1] == {"stat": "origin.senior_managers.pct"}
    assert find_fact("sessions.held") is not None and find_fact("no.such.thing") is None


def narrative_sentences(folder: Path) -> list[tuple[str, str]]:
    """(file, sentence) for every sentence of prose: paragraphs and list items."""
    md = MarkdownIt("commonmark")
    out = []
    for path in sorted(folder.glob("*.md")):
        tokens = md.parse(path.read_text(encoding="utf-8"))
        for before, token in zip([None, *tokens], tokens, strict=False):
            if token.type != "inline" or is_standalone(token.content):
                continue
            if before is not None and before.type == "heading_open":
                continue
            text = " ".join(token.content.split())
            for sentence in re.split(r"(?<=[.!?;])\s+(?=[A-Z{])", text):
                out.append((path.name, sentence))
    return out


@pytest.mark.parametrize("folder", [default_narrative_dir()], ids=["default"])
def test_every_sentence_of_the_default_narrative_rests_on_a_placeholder(folder: Path) -> None:
    sentences = narrative_sentences(folder)
    assert len(sentences) > 40
    assert [(f, s) for f, s in sentences if not find_placeholders(s)] == []


def _sides(civil: list[int], comparison: list[int]) -> FactContext:
    """A matrix of three areas with only the two sector totals: enough for comparison.top_area."""
    columns = [
        MatrixColumn("civil_service", "All civil service", None, Sector.CIVIL_SERVICE, 100),
        MatrixColumn("comparison", "All comparison", None, Sector.COMPARISON, 80),
    ]
    names = ["Costs", "Barriers", "Impacts"]
    rows = [
        MatrixRow(i, name.lower(), name, 0, [civil[i], comparison[i]])
        for i, name in enumerate(names)
    ]
    return cast(FactContext, SimpleNamespace(matrix=CodeGroupMatrix("turn", columns, rows)))


def test_the_top_area_is_named_only_when_both_sides_agree() -> None:
    found = find_fact("comparison.top_area")
    assert found is not None and found[1] == {}
    fact = found[0]
    assert fact.resolve(_sides([10, 30, 5], [8, 20, 9])) == "Barriers"
    assert fact.resolve(_sides([30, 30, 5], [30, 30, 9])) == "Costs and Barriers"
    with pytest.raises(Unresolved, match="civil-service groups gave most turns to Costs, the "):
        fact.resolve(_sides([31, 30, 5], [8, 20, 9]))
    with pytest.raises(Unresolved, match="no comparison turn has been coded yet"):
        fact.resolve(_sides([31, 30, 5], [0, 0, 0]))
