"""Narrative Markdown + placeholders → a Document, with paragraphs numbered across the report.

Each narrative file is parsed with markdown-it (CommonMark). A paragraph that is only a
block placeholder becomes that block (a figure, table, quote list, joint display);
``{{stat: …}}`` may sit inside sentences. Every problem names the narrative file and
line, e.g. ``narrative/04-costs.md, line 12, field '{{stat: nope}}': unknown stat``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from innostudy.errors import InputError
from innostudy.reporting.document import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    Inline,
    Note,
    Paragraph,
    QuoteList,
    Section,
    Table,
)
from innostudy.reporting.outline import Outline
from innostudy.reporting.placeholders import (
    INLINE_KINDS,
    Placeholder,
    PlaceholderError,
    find_placeholders,
    is_standalone,
    parse_placeholder,
)
from innostudy.reporting.resolver import Resolver
from innostudy.textfiles import read_text

_MD = MarkdownIt("commonmark")
_ESCAPE = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#!|"})


class _FileComposer:
    def __init__(self, path: Path, resolver: Resolver) -> None:
        self.path = path
        self.resolver = resolver

    def fail(self, line: int | None, source: str | None, message: str) -> InputError:
        return InputError(self.path, line, source, message, unit="line")

    def placeholder(self, source: str, line: int) -> Placeholder:
        try:
            return parse_placeholder(source)
        except PlaceholderError as exc:
            raise self.fail(line, source, str(exc)) from None

    def resolve(self, ph: Placeholder, line: int) -> Block:
        r = self.resolver
        handlers: dict[str, Callable[[], Block]] = {
            "figure": lambda: r.figure(ph.argument),
            "table": lambda: r.table(ph.argument),
            "joint": lambda: r.joint(ph.argument),
            "quote": lambda: QuoteList([r.quote(ph.argument)]),
            "quotes": lambda: self._quote_list(ph),
        }
        try:
            return handlers[ph.kind]()
        except LookupError as exc:
            raise self.fail(line, ph.source, str(exc.args[0] if exc.args else exc)) from None

    def _quote_list(self, ph: Placeholder) -> Block:
        found = self.resolver.quotes(ph.params)
        if not found:
            return Note(f"No quotes match {ph.source.strip('{} ')}.")
        return QuoteList(found)

    def substitute(self, text: str, first_line: int) -> str:
        """Replace inline placeholders by their values; block ones here are errors."""
        out: list[str] = []
        cursor = 0
        for start, end, source in find_placeholders(text):
            line = first_line + text[:start].count("\n")
            ph = self.placeholder(source, line)
            if ph.kind not in INLINE_KINDS:
                raise self.fail(
                    line, source, f"{{{{{ph.kind}: …}}}} must stand alone as its own paragraph"
                )
            try:
                value = self.resolver.stat(ph.argument)
            except LookupError as exc:
                raise self.fail(line, source, str(exc.args[0] if exc.args else exc)) from None
            out += [text[cursor:start], value.translate(_ESCAPE)]
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def inlines(self, token: Token) -> list[Inline]:
        line = (token.map[0] + 1) if token.map else 1
        content = self.substitute(token.content, line)
        return _inline_runs(_MD.parseInline(content)[0].children or [])

    def blocks(self, text: str) -> list[Block]:
        tokens = _MD.parse(text)
        blocks: list[Block] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            line = (tok.map[0] + 1) if tok.map else None
            if tok.type == "heading_open":
                # The report title is h1 and section titles h2, so narrative headings start
                # at h3 whatever the analyst typed (# to ###), keeping deeper levels deeper.
                blocks.append(Heading(self.inlines(tokens[i + 1]), min(max(int(tok.tag[1]), 3), 5)))
                i += 3
            elif tok.type == "paragraph_open":
                inline = tokens[i + 1]
                if is_standalone(inline.content) and find_placeholders(inline.content):
                    source = find_placeholders(inline.content)[0][2]
                    ph = self.placeholder(source, line or 1)
                    if ph.kind in INLINE_KINDS:
                        blocks.append(Paragraph(self.inlines(inline)))
                    else:
                        blocks.append(self.resolve(ph, line or 1))
                else:
                    blocks.append(Paragraph(self.inlines(inline)))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                close = tok.type.replace("_open", "_close")
                items, i = self._list_items(tokens, i + 1, close)
                blocks.append(BulletList(items, ordered=tok.type.startswith("ordered")))
            elif tok.type in ("fence", "code_block"):
                blocks.append(Note(tok.content.rstrip("\n")))
                i += 1
            elif tok.type == "html_block" and tok.content.lstrip().startswith("<!--"):
                i += 1  # an HTML comment: a note to the analyst, never rendered
            elif tok.type == "html_block":
                raise self.fail(
                    line, "html", "raw HTML is not allowed in the narrative; use Markdown"
                )
            else:
                i += 1
        return blocks

    def _list_items(
        self, tokens: list[Token], i: int, close: str
    ) -> tuple[list[list[Inline]], int]:
        items: list[list[Inline]] = []
        depth = 0
        while i < len(tokens) and not (tokens[i].type == close and depth == 0):
            tok = tokens[i]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif tok.type == "inline":
                items.append(self.inlines(tok))
            i += 1
        return items, i + 1


def _inline_runs(children: list[Token]) -> list[Inline]:
    runs: list[Inline] = []
    styles: list[str] = []
    href = ""
    for child in children:
        kind = child.type
        if kind in ("em_open", "strong_open"):
            styles.append(kind.split("_")[0])
        elif kind in ("em_close", "strong_close") and styles:
            styles.pop()
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = ""
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Inline(" "))
        elif kind == "code_inline":
            runs.append(Inline(child.content, "code"))
        elif kind in ("text", "html_inline", "image"):
            style = "link" if href else (styles[-1] if styles else "text")
            runs.append(Inline(child.content, style, href))
    return _merge(runs)


def _merge(runs: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for run in runs:
        if merged and merged[-1].kind == run.kind and merged[-1].href == run.href:
            merged[-1] = Inline(merged[-1].text + run.text, run.kind, run.href)
        else:
            merged.append(run)
    return merged


def compose(
    outline: Outline, resolver: Resolver, *, synthetic: bool, generated_at: str
) -> Document:
    sections: list[Section] = []
    for number, spec in enumerate(outline.sections, start=1):
        path = outline.folder / spec.file
        if not path.exists():
            raise InputError(
                outline.folder / "outline.yaml",
                None,
                spec.key,
                f"narrative file {spec.file} not found",
            )
        text = read_text(path).text
        blocks = _FileComposer(path, resolver).blocks(text)
        sections.append(Section(spec.key, spec.title, blocks, number))
    document = Document(outline.title, outline.subtitle, synthetic, generated_at, sections)
    _number(document)
    return document


def _number(document: Document) -> None:
    """Paragraphs, figures and tables are numbered in reading order across the report."""
    counters = {"paragraph": 0, "figure": 0, "table": 0}
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                counters["paragraph"] += 1
                block.number = counters["paragraph"]
            elif isinstance(block, Figure):
                counters["figure"] += 1
                block.number = counters["figure"]
            elif isinstance(block, Table):
                counters["table"] += 1
                block.number = counters["table"]
