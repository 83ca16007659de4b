"""A fast recogniser of valid rows, generated as Python source for one file and instrument.

Most rows of a large import are valid and plainly written (choice values, ``1``/``0``
ticks, whole numbers, ISO dates). For a plan and an instrument this module writes one
straight-line function, ``check(cells, complete)``, that reads such a row, checks it
and writes its JSON in one pass, without a function call per question. It returns
``(answers, json_text)`` when the row is surely valid, and None when anything is
unusual; then the reference path (decoding.RowDecoder + compiled.CompiledInstrument)
reads the row and names the problem. The fast path never decides that a row is
invalid, so it cannot change what an import accepts: tests/survey/test_fastpath.py
checks on generated rows that whatever it accepts is read exactly as the reference
path reads it and is valid by ``validate_answers``.

Groups of columns (the ticks of a multi-choice, the ranks of a ranking, the items of a
matrix) repeat the same few patterns over many rows, so each group is read once per
distinct pattern and remembered; rows with the same pattern share the (read-only)
list or dict.

The generated code holds no text from the file or the instrument except as ``repr``
literals; lookup tables and helpers reach it through its namespace.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from innostudy.survey.importing.cells import _FLOAT, _INT, ChoiceLookup
from innostudy.survey.importing.plan import Binding, ColumnPlan, Item, Mark, RankAt, RankOf, Whole
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.relevance import compile_rule

FastCheck = Callable[[Sequence[str], bool], "tuple[dict[str, Any], str] | None"]
Group = Callable[[Sequence[str]], Any]  # None (unanswered), BAD, or (value, json fragment)

# The JSON of answers as the writer stores them; fragments must match it exactly.
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# What that encoder does for a string, without its Python-level dispatch (a hot path)
quoted = json.encoder.encode_basestring
BAD = object()
MEMO_LIMIT = 50_000
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class _Source:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "INT": _INT.fullmatch,
            "FLOAT": _FLOAT.fullmatch,
            "ISO": _ISO.fullmatch,
            "valid_date": _valid_date,
            "isfinite": math.isfinite,
            "dumps": dumps,
            "quoted": quoted,
            "BAD": BAD,
        }

    def add(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def const(self, value: Any) -> str:
        name = f"C{len(self.namespace)}"
        self.namespace[name] = value
        return name


def compile_fast_check(plan: ColumnPlan, instrument: Instrument) -> FastCheck:
    src = _Source()
    src.add(0, "def check(cells, complete):")
    src.add(1, "a = {}")
    src.add(1, "j = []")
    for q in instrument.questions():
        bound = [(i, b) for i, b in sorted(plan.answers.items()) if b.question == q.key]
        if bound:
            src.add(1, f"# {q.key} ({q.type.value})")
            _decode(src, plan, q, bound)
    for q in instrument.questions():
        _presence(src, q)
    src.add(1, "return a, '{' + ','.join(j) + '}'")
    code = compile("\n".join(src.lines), "<innostudy fast row check>", "exec")
    exec(code, src.namespace)  # the source is ours; data enters only through the namespace
    check: FastCheck = src.namespace["check"]
    return check


def _of(bound: list[tuple[int, Binding]], kind: type) -> list[tuple[int, Any]]:
    return [(i, b) for i, b in bound if type(b) is kind]


def _decode(src: _Source, plan: ColumnPlan, q: Question, bound: list[tuple[int, Binding]]) -> None:
    """Mirror the reader RowDecoder chooses for ``q`` (whole first, then the parts)."""
    whole = _of(bound, Whole)
    if whole:
        _whole(src, plan, q, whole[0][0])
    elif q.type is QuestionType.MULTI_CHOICE and _of(bound, Mark):
        _group(src, q, _of(bound, Mark), _marks_reader(q, _of(bound, Mark)))
    elif q.type is QuestionType.RANKING and _of(bound, RankOf):
        _group(src, q, _of(bound, RankOf), _ranks_reader(q, _of(bound, RankOf)))
    elif q.type is QuestionType.RANKING and _of(bound, RankAt):
        for i, _ in _of(bound, RankAt):  # rank positions: left to the reference path
            src.add(1, f"if cells[{i}]: return None")
    elif q.type is QuestionType.LIKERT_MATRIX and _of(bound, Item):
        _group(src, q, _of(bound, Item), _items_reader(plan, q, _of(bound, Item)))


def _key(q: Question) -> str:
    return repr(dumps(q.key) + ":")


def _whole(src: _Source, plan: ColumnPlan, q: Question, i: int) -> None:
    key, t = repr(q.key), q.type
    src.add(1, f"c = cells[{i}]")
    src.add(1, "if c:")
    if t in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        if q.max_length is not None:
            src.add(2, f"if len(c) > {q.max_length}: return None")
        src.add(2, f"a[{key}] = c")
        src.add(2, f"j.append({_key(q)} + quoted(c))")
    elif t.is_numeric:
        _number(src, q)
    elif t is QuestionType.DATE:
        src.add(2, "if len(c) != 10 or not ISO(c) or not valid_date(c): return None")
        if q.minimum is not None:
            src.add(2, f"if c < {str(q.minimum)!r}: return None")
        if q.maximum is not None:
            src.add(2, f"if c > {str(q.maximum)!r}: return None")
        src.add(2, f"a[{key}] = c")
        src.add(2, f"j.append({_key(q)} + '\"' + c + '\"')")
    elif t in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
        src.add(2, f"v = {src.const(_list_reader(plan, q, i))}(cells)")
        src.add(2, "if v is None or v is BAD: return None")
        src.add(2, f"a[{key}] = v[0]")
        src.add(2, "j.append(v[1])")
    else:
        prefix = dumps(q.key) + ":"
        table = {
            text: (value, prefix + dumps(value)) for text, value in _fast_lookup(plan, q).items()
        }
        src.add(2, f"v = {src.const(table)}.get(c)")
        src.add(2, "if v is None: return None")
        src.add(2, f"a[{key}] = v[0]")
        src.add(2, "j.append(v[1])")


def _number(src: _Source, q: Question) -> None:
    whole = q.integer or q.type is QuestionType.MONTHS
    src.add(2, "if len(c) < 18 and c.isdigit() and c.isascii():")
    src.add(3, "v = int(c)")
    src.add(2, "elif FLOAT(c) and not INT(c):")
    src.add(3, "v = float(c)")
    src.add(3, "if not isfinite(v): return None")
    if whole:
        src.add(3, "if not v.is_integer(): return None")
    src.add(2, "else:")
    src.add(3, "return None")
    if q.minimum is not None:
        src.add(2, f"if v < {float(q.minimum)!r}: return None")
    if q.maximum is not None:
        src.add(2, f"if v > {float(q.maximum)!r}: return None")
    src.add(2, f"a[{q.key!r}] = v")
    src.add(2, f"j.append({_key(q)} + repr(v))")


def _group(src: _Source, q: Question, columns: list[tuple[int, Any]], read: Group) -> None:
    src.add(1, f"v = {src.const(read)}(cells)")
    src.add(1, "if v is not None:")
    src.add(2, "if v is BAD: return None")
    src.add(2, f"a[{q.key!r}] = v[0]")
    src.add(2, "j.append(v[1])")


def _memoised(indexes: list[int], compute: Callable[[tuple[str, ...]], Any]) -> Group:
    """Read a group of cells once per distinct pattern of texts."""
    get = itemgetter(*indexes) if len(indexes) > 1 else (lambda cells: (cells[indexes[0]],))
    memo: dict[tuple[str, ...], Any] = {}

    def read(cells: Sequence[str]) -> Any:
        key = get(cells)
        found = memo.get(key, memo)
        if found is memo:
            found = compute(key)
            if len(memo) < MEMO_LIMIT:
                memo[key] = found
        return found

    return read


def _answer(q: Question, value: Any) -> tuple[Any, str]:
    return value, dumps(q.key) + ":" + dumps(value)


def _within(q: Question, values: list[str]) -> bool:
    low = q.min_selected if q.min_selected is not None else 0
    high = q.max_selected if q.max_selected is not None else len(values)
    return low <= len(values) <= high


def _marks_reader(q: Question, marks: list[tuple[int, Mark]]) -> Group:
    order = [c.value for c in q.choices]
    slots = sorted(marks, key=lambda m: order.index(m[1].choice))
    choices = [b.choice for _, b in slots]

    def compute(cells: tuple[str, ...]) -> Any:
        chosen = []
        for choice, cell in zip(choices, cells, strict=True):
            if cell == "1":
                chosen.append(choice)
            elif cell and cell != "0":
                return BAD
        if not chosen:
            return None
        return _answer(q, chosen) if _within(q, chosen) else BAD

    return _memoised([i for i, _ in slots], compute)


def _ranks_reader(q: Question, ranks: list[tuple[int, RankOf]]) -> Group:
    choices = [b.choice for _, b in ranks]

    def compute(cells: tuple[str, ...]) -> Any:
        given: dict[int, str] = {}
        for choice, cell in zip(choices, cells, strict=True):
            if not cell:
                continue
            if len(cell) > 6 or not cell.isdigit() or not cell.isascii() or int(cell) in given:
                return BAD
            given[int(cell)] = choice
        if not given:
            return None
        if min(given) != 1 or max(given) != len(given):
            return BAD
        ranked = [given[n] for n in range(1, len(given) + 1)]
        return _answer(q, ranked) if _within(q, ranked) else BAD

    return _memoised([i for i, _ in ranks], compute)


def _items_reader(plan: ColumnPlan, q: Question, items: list[tuple[int, Item]]) -> Group:
    order = [i.key for i in q.items]
    slots = sorted(items, key=lambda s: order.index(s[1].item))
    keys = [b.item for _, b in slots]
    table = _fast_lookup(plan, q)

    def compute(cells: tuple[str, ...]) -> Any:
        levels = {}
        for item, cell in zip(keys, cells, strict=True):
            if cell:
                level = table.get(cell)
                if level is None:
                    return BAD
                levels[item] = level
        return _answer(q, levels) if levels else None

    return _memoised([i for i, _ in slots], compute)


def _list_reader(plan: ColumnPlan, q: Question, index: int) -> Group:
    table = _fast_lookup(plan, q)
    seps = plan.list_separators
    _, texts = _candidates(plan, q)
    unusual = any(s.isspace() or not s for s in seps) or any(t != t.strip() for t in texts)
    if unusual or any(sep in text for sep in seps for text in [*texts, *q.choice_values]):
        return lambda _cells: (
            BAD
        )  # e.g. labels containing a separator: the reference path joins them
    order = {c.value: n for n, c in enumerate(q.choices)}

    def compute(cells: tuple[str, ...]) -> Any:
        cell = cells[0]
        found = table.get(cell)
        if found is not None:
            values = [found]
        else:
            sep = next((s for s in seps if s in cell), None)
            if sep is None:
                return BAD
            parts = [table.get(p.strip()) for p in cell.split(sep) if p.strip()]
            if not parts or None in parts:
                return BAD
            values = [p for p in parts if p is not None]
        if len(set(values)) != len(values) or not _within(q, values):
            return BAD
        if q.type is QuestionType.MULTI_CHOICE:
            values.sort(key=order.__getitem__)
        return _answer(q, values)

    return _memoised([index], compute)


def _candidates(plan: ColumnPlan, q: Question) -> tuple[ChoiceLookup, list[str]]:
    lookup = ChoiceLookup.of(q.choices)
    for raw, value in plan.recodes.get(q.key, {}).items():
        lookup.by_value[raw] = value
    texts = [*lookup.by_value, *(c.label for c in q.choices), *(str(c.code) for c in q.choices)]
    return lookup, texts


def _fast_lookup(plan: ColumnPlan, q: Question) -> dict[str, str]:
    """Exact cell texts → the choice value the reference lookup gives for them.

    Only texts without surrounding spaces, and never an empty value: the reference
    path strips cells and treats an empty answer as no answer; leaving those cases out
    keeps the two paths identical.
    """
    lookup, texts = _candidates(plan, q)
    table: dict[str, str] = {}
    for text in texts:
        found = lookup.find(text)
        if found and text and text == text.strip():
            table[text] = found
    return table


def _presence(src: _Source, q: Question) -> None:
    """Skip rules, required questions and complete matrices, as validate_answers has them."""
    key = repr(q.key)
    if q.relevant:
        rule = src.const(compile_rule(q.relevance))
        src.add(1, f"if {key} in a:")
        src.add(2, f"if not {rule}(a): return None")
        if q.required:
            src.add(1, f"elif complete and {rule}(a): return None")
    elif q.required:
        src.add(1, f"if complete and {key} not in a: return None")
    if q.required and q.type is QuestionType.LIKERT_MATRIX:
        src.add(1, f"if complete and {key} in a and len(a[{key}]) != {len(q.items)}: return None")
