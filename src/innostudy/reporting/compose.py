"""Narrative Markdown + placeholders → a Document, with paragraphs numbered across the report.

Each narrative file is parsed with markdown-it (CommonMark). A paragraph that is only a
block placeholder becomes that block (a figure, table, quote list, joint display);
``{{stat: …}}`` may sit inside sentences. A wrong placeholder stops everything with the
narrative file and line, e.g. ``narrative/04-costs.md, line 12, field '{{stat: nope}}':
unknown stat``. A right one with nothing behind it yet becomes a *gap* (``Gap``), listed
on the document, so ``report`` can refuse it and ``report --draft`` can show it. The
composer also records what every placeholder produced (for ``report check --accept``)
and warns about numbers typed into the narrative that no placeholder produced.
"""

from __future__ import annotations

import hashlib
import re
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
    Gap,
    GapBlock,
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
from innostudy.reporting.resolver import Resolver, Unresolved
from innostudy.textfiles import read_text

_MD = MarkdownIt("commonmark")
# A resolved inline placeholder travels through markdown-it as a private-use marker, so
# the renderers can tell a value the data produced from the analyst's own words.
_MARK = re.compile("\ue000(\\d+)\ue001")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*%?")


class Collected:
    """What composing the whole report found besides blocks: gaps, warnings, values."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.gaps: list[Gap] = []
        self.warnings: list[str] = []
        self.values: dict[str, dict[str, str]] = {}
        self.inline: list[Inline] = []  # resolved inline values, indexed by their marker

    def where(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.folder.parent))
        except ValueError:
            return str(path)

    def value(self, path: Path, source: str, value: str) -> None:
        self.values.setdefault(path.name, {})[source] = value


def block_value(block: Block) -> str:
    """A short, stable text for what a block placeholder showed (for ``--accept``)."""
    if isinstance(block, Table):
        text = "\n".join("\t".join(r) for r in [block.header, *block.rows])
    elif isinstance(block, QuoteList):
        return "quotes " + ", ".join(q.label for q in block.quotes)
    elif isinstance(block, Figure):
        text = block.svg.decode("utf-8", "replace")
    else:
        return type(block).__name__
    return f"{type(block).__name__.lower()} {hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _todo(what: str) -> Block:
    raise Unresolved(f"still to be written: {what}")


class _FileComposer:
    def __init__(self, path: Path, resolver: Resolver, found: Collected) -> None:
        self.path = path
        self.resolver = resolver
        self.found = found

    def fail(self, line: int | None, source: str | None, message: str) -> InputError:
        return InputError(self.path, line, source, message, unit="line")

    def gap(self, line: int, source: str, exc: Unresolved) -> Gap:
        gap = Gap(self.found.where(self.path), line, source, str(exc))
        self.found.gaps.append(gap)
        return gap

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
            "comparison": lambda: r.comparison(ph.argument),
            "quote": lambda: QuoteList([r.quote(ph.argument)], ph.source),
            "quotes": lambda: self._quote_list(ph),
            "todo": lambda: _todo(ph.argument),
        }
        try:
            block = handlers[ph.kind]()
        except LookupError as exc:
            raise self.fail(line, ph.source, str(exc.args[0] if exc.args else exc)) from None
        except Unresolved as exc:
            return GapBlock(self.gap(line, ph.source, exc))
        self.found.value(self.path, ph.source, block_value(block))
        return block

    def _quote_list(self, ph: Placeholder) -> Block:
        chosen = self.resolver.quotes(ph.params)
        if chosen.unshown:
            self.found.warnings.append(
                f"{self.found.where(self.path)}: {ph.source} shows no quote from "
                f"{', '.join(chosen.unshown)}, which have quotes on it "
                "(raise limit= or use per_group=)"
            )
        if not chosen.quotes:
            raise Unresolved(
                "no usable selected quote matches it yet "
                "(choose some with `innostudy quotes add CODING_ID`)"
            )
        return QuoteList(chosen.quotes, ph.source)

    def substitute(self, text: str, first_line: int) -> str:
        """Replace inline placeholders by markers of their values; block ones here are errors."""
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
                value = Inline(self.resolver.stat(ph.argument), "stat", ph.argument)
                self.found.value(self.path, source, value.text)
            except LookupError as exc:
                raise self.fail(line, source, str(exc.args[0] if exc.args else exc)) from None
            except Unresolved as exc:
                gap = self.gap(line, source, exc)
                value = Inline(f"[gap: {source} — {gap.reason}]", "gap", source)
            self.found.inline.append(value)
            out += [text[cursor:start], f"\ue000{len(self.found.inline) - 1}\ue001"]
            cursor = end
        out.append(text[cursor:])
        self._typed_numbers("".join(t for t in _MARK.split("".join(out))[::2]), first_line)
        return "".join(out)

    def _typed_numbers(self, words: str, line: int) -> None:
        for m in _NUMBER.finditer(words):
            self.found.warnings.append(
                f"{self.found.where(self.path)}, line {line + words[: m.start()].count(chr(10))}: "
                f"the number '{m.group(0).rstrip('.,')}' was typed by hand; no placeholder "
                "produced it, so the data may no longer support it"
            )

    def inlines(self, token: Token) -> list[Inline]:
        line = (token.map[0] + 1) if token.map else 1
        content = self.substitute(token.content, line)
        runs = _inline_runs(_MD.parseInline(content)[0].children or [])
        return _merge([piece for run in runs for piece in self._unmark(run)])

    def _unmark(self, run: Inline) -> list[Inline]:
        parts = _MARK.split(run.text)
        if len(parts) == 1:
            return [run]
        out: list[Inline] = []
        for i, part in enumerate(parts):
            if i % 2:
                out.append(self.found.inline[int(part)])
            elif part:
                out.append(Inline(part, run.kind, run.href))
        return out

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
    found = Collected(outline.folder)
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
        blocks = _FileComposer(path, resolver, found).blocks(text)
        sections.append(Section(spec.key, spec.title, blocks, number))
    document = Document(
        outline.title,
        outline.subtitle,
        synthetic,
        generated_at,
        sections,
        found.gaps,
        found.warnings,
        found.values,
    )
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
