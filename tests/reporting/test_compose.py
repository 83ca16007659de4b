"""Composition through the resolver seam, with plain values: numbering, placement, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.reporting.compose import compose
from innostudy.reporting.document import (
    BulletList,
    Figure,
    GapBlock,
    Heading,
    QuoteItem,
    QuoteList,
    Table,
    plain,
)
from innostudy.reporting.outline import Outline, SectionSpec
from innostudy.reporting.quotes import QuoteSelection
from innostudy.reporting.resolver import Unresolved


class FakeResolver:
    def stat(self, name: str) -> str:
        values = {"rate": "77%", "odd": "a*b_c"}
        if name == "empty":
            raise Unresolved("no session has been held")
        if name not in values:
            raise LookupError(f"unknown stat '{name}'")
        return values[name]

    def figure(self, name: str) -> Figure:
        return Figure(name, f"Caption {name}", f"Alt {name}", b"<svg/>", b"png")

    def table(self, name: str) -> Table:
        return Table(f"Table {name}", ["a", "b"], [["1", "2"]])

    def joint(self, area: str) -> Table:
        return Table(f"Joint {area}", ["theme"], [["x"]])

    def comparison(self, area: str) -> Table:
        raise Unresolved(f"no turn has been coded under '{area}'")

    def quote(self, label: str) -> QuoteItem:
        if label == "Q-9":
            raise LookupError("Q-9 cannot be used: participant BUS-02 has withdrawn")
        return QuoteItem(label, "Said verbatim.", "Business group")

    def quotes(self, params: dict[str, str]) -> QuoteSelection:
        if params.get("code") == "none":
            return QuoteSelection([], [])
        return QuoteSelection([QuoteItem("Q-1", "One.", "Business group")], ["Senior group"])


def outline(tmp_path: Path, files: dict[str, str]) -> Outline:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sections = tuple(
        SectionSpec(name.split(".")[0], name.split(".")[0].title(), name) for name in files
    )
    return Outline("T", "", sections, tmp_path)


def doc(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return compose(outline(tmp_path, files), FakeResolver(), synthetic=True, generated_at="now")


def test_paragraphs_figures_and_tables_are_numbered_across_sections(tmp_path: Path) -> None:
    d = doc(
        tmp_path,
        {
            "a.md": "First.\n\nSecond with {{stat: rate}}.\n\n{{figure: f1}}\n\n{{table: t}}\n",
            "b.md": "Third.\n\n{{figure: f2}}\n\n{{joint: costs}}\n",
        },
    )
    assert [p.number for p in d.paragraphs()] == [1, 2, 3]
    assert plain(d.paragraphs()[1].inlines) == "Second with 77%."
    assert [(f.name, f.number) for f in d.figures()] == [("f1", 1), ("f2", 2)]
    tables = [b for s in d.sections for b in s.blocks if isinstance(b, Table)]
    assert [t.number for t in tables] == [1, 2]


def test_stat_values_are_not_read_as_markdown(tmp_path: Path) -> None:
    d = doc(tmp_path, {"a.md": "Value {{stat: odd}} here.\n"})
    assert plain(d.paragraphs()[0].inlines) == "Value a*b_c here."


def test_markdown_structure_is_kept(tmp_path: Path) -> None:
    d = doc(
        tmp_path,
        {
            "a.md": "<!-- a note to the analyst -->\n\n### Sub\n\n- one *two*\n- three\n\n{{quotes: code=x}}\n\n{{quotes: code=none}}\n"
        },
    )
    blocks = d.sections[0].blocks
    assert isinstance(blocks[0], Heading) and blocks[0].level == 3
    assert isinstance(blocks[1], BulletList) and [plain(i) for i in blocks[1].items] == [
        "one two",
        "three",
    ]
    assert [r.kind for r in blocks[1].items[0]] == ["text", "em"]
    assert isinstance(blocks[2], QuoteList) and blocks[2].quotes[0].attribution == "Business group"
    assert isinstance(blocks[3], GapBlock) and "no usable selected quote" in blocks[3].gap.reason
    assert [g.source for g in d.gaps] == ["{{quotes: code=none}}"]
    assert (
        d.gaps[0]
        .describe()
        .endswith(
            "a.md, line 10: {{quotes: code=none}}: no usable selected quote matches it yet "
            "(choose some with `innostudy quotes add CODING_ID`)"
        )
    )
    assert d.warnings == [
        f"{tmp_path.name}/a.md: {{{{quotes: code=x}}}} shows no quote from Senior group, which "
        "have quotes on it (raise limit= or use per_group=)"
    ]
    assert d.paragraphs() == []


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("Fine.\n\nLine three {{stat: nope}}.\n", 3, "{{stat: nope}}", "unknown stat 'nope'"),
        ("Para\ncontinues {{stat: nope}}\n", 2, "{{stat: nope}}", "unknown stat 'nope'"),
        (
            "See {{figure: x}} inline.\n",
            1,
            "{{figure: x}}",
            "{{figure: …}} must stand alone as its own paragraph",
        ),
        ("\n\n{{graph: x}}\n", 3, "{{graph: x}}", "unknown placeholder kind 'graph'"),
        (
            "{{quote: Q-9}}\n",
            1,
            "{{quote: Q-9}}",
            "Q-9 cannot be used: participant BUS-02 has withdrawn",
        ),
        ("<div>raw</div>\n", 1, "html", "raw HTML is not allowed in the narrative; use Markdown"),
    ],
)
def test_problems_name_file_line_and_placeholder(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    with pytest.raises(InputError) as info:
        doc(tmp_path, {"a.md": text})
    assert str(info.value).startswith(
        f"{tmp_path / 'a.md'}, line {line}, field '{field}': {message}"
    )


def test_a_missing_narrative_file_is_named(tmp_path: Path) -> None:
    o = Outline("T", "", (SectionSpec("x", "X", "missing.md"),), tmp_path)
    with pytest.raises(InputError, match=r"narrative file missing\.md not found"):
        compose(o, FakeResolver(), synthetic=False, generated_at="now")


def test_renderers_agree_on_content(tmp_path: Path) -> None:
    from innostudy.reporting.render_html import render_html
    from innostudy.reporting.render_markdown import render_markdown

    d = doc(
        tmp_path, {"a.md": "Text <b>&</b> {{stat: rate}}.\n\n{{figure: f1}}\n\n{{quote: Q-2}}\n"}
    )
    html, md = render_html(d), render_markdown(d)
    assert 'Text &lt;b&gt;&amp;&lt;/b&gt; <span class="stat" data-stat="rate">77%</span>.' in html
    assert "<b>" not in html.split("<body>")[1].split("</main>")[0].replace("<blockquote", "")
    assert "data:image/svg+xml;base64," in html and "Figure 1: Caption f1" in html
    assert "**1.** Text \\<b\\>&\\</b\\> 77%." in md
    assert "![Alt f1](figures/f1.svg)" in md and "*Figure 1: Caption f1*" in md
    assert "- “*Said verbatim.*” (Business group)" in md
