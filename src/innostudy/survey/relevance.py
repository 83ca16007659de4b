"""Skip rules: a small, safe expression language in XLSForm's syntax.

Relevance is written the way XLSForm writes it, so instruments move between YAML and
XLSForm unchanged::

    ${category} = 'other'
    selected(${origin}, 'frontline_staff') and ${business_case} != 'no'
    count-selected(${triggers}) >= 2 or not(${baseline} = 'yes')

Grammar (nothing else is accepted; there is no eval)::

    expr    := and ('or' and)*
    and     := unary ('and' unary)*
    unary   := 'not' '(' expr ')' | compare
    compare := atom (('=' | '!=' | '<' | '<=' | '>' | '>=') atom)?
    atom    := '(' expr ')' | ${name} | 'text' | "text" | number | func '(' args ')'
    func    := selected | count-selected | true | false

An unanswered question reads as '' (as in XLSForm), so ``${q} != ''`` means "answered".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\})
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<op>!=|<=|>=|=|<|>|\(|\)|,)
      | (?P<word>[A-Za-z][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)

FUNCTIONS = {"selected": 2, "count-selected": 1, "true": 0, "false": 0}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


class RelevanceError(ValueError):
    """An expression that does not parse; the message says where."""


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and", "or", "not"
    args: tuple[Expr, ...]


Expr = Ref | Literal | Call | Compare | BoolOp


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RelevanceError(f"cannot read {text[pos:].strip()[:20]!r} at character {pos + 1}")
        kind = next(k for k in ("ref", "str", "num", "op", "word") if m.group(k) is not None)
        tokens.append((kind, m.group("name") if kind == "ref" else m.group(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise RelevanceError(
                f"expression ends too early{f', expected {value!r}' if value else ''}"
            )
        if value is not None and tok[1] != value:
            raise RelevanceError(f"expected {value!r} but found {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Expr:
        if not self.tokens:
            raise RelevanceError("empty expression")
        expr = self.parse_or()
        if self.peek() is not None:
            raise RelevanceError(f"unexpected {self.peek()[1]!r} after a complete expression")  # type: ignore[index]
        return expr

    def _binary(self, word: str, inner: Callable[[], Expr]) -> Expr:
        args = [inner()]
        while self.peek() == ("word", word):
            self.take()
            args.append(inner())
        return args[0] if len(args) == 1 else BoolOp(word, tuple(args))

    def parse_or(self) -> Expr:
        return self._binary("or", self.parse_and)

    def parse_and(self) -> Expr:
        return self._binary("and", self.parse_unary)

    def parse_unary(self) -> Expr:
        if self.peek() == ("word", "not"):
            self.take()
            self.take("(")
            inner = self.parse_or()
            self.take(")")
            return BoolOp("not", (inner,))
        return self.parse_compare()

    def parse_compare(self) -> Expr:
        left = self.parse_atom()
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in COMPARISONS:
            self.take()
            return Compare(tok[1], left, self.parse_atom())
        return left

    def parse_atom(self) -> Expr:
        kind, value = self.take()
        if kind == "op" and value == "(":
            inner = self.parse_or()
            self.take(")")
            return inner
        if kind == "ref":
            return Ref(value)
        if kind == "str":
            return Literal(value[1:-1])
        if kind == "num":
            return Literal(float(value))
        if kind == "word" and value in FUNCTIONS:
            return self.parse_call(value)
        raise RelevanceError(f"unexpected {value!r}")

    def parse_call(self, name: str) -> Call:
        self.take("(")
        args: list[Expr] = []
        if self.peek() != ("op", ")"):
            args.append(self.parse_or())
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.parse_or())
        self.take(")")
        if len(args) != FUNCTIONS[name]:
            raise RelevanceError(f"{name}() takes {FUNCTIONS[name]} argument(s), not {len(args)}")
        return Call(name, tuple(args))


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Expr:
    """The rule's syntax tree; cached, as every page view and validation asks again."""
    return _Parser(text).parse()


def references(expr: Expr) -> list[str]:
    """Question keys an expression reads, in order of first use."""
    found: list[str] = []

    def walk(e: Expr) -> None:
        if isinstance(e, Ref) and e.name not in found:
            found.append(e.name)
        elif isinstance(e, Call | BoolOp):
            for a in e.args:
                walk(a)
        elif isinstance(e, Compare):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return found


def _value(expr: Expr, answers: Mapping[str, Any]) -> Any:
    if isinstance(expr, Ref):
        value = answers.get(expr.name)
        return "" if value is None or value == [] else value
    if isinstance(expr, Literal):
        return expr.value
    return evaluate(expr, answers)


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value  # ints stay ints: float() overflows on a long one, comparison is exact
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    ln, rn = _number(left), _number(right)
    if ln is not None and rn is not None:
        a: Any = ln
        b: Any = rn
    elif isinstance(left, str) and isinstance(right, str):
        a, b = left, right
    else:
        if op in ("=", "!="):
            equal = left == right
            return equal if op == "=" else not equal
        return False
    return bool(
        {
            "=": a == b,
            "!=": a != b,
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
        }[op]
    )


def evaluate(expr: Expr, answers: Mapping[str, Any]) -> Any:
    """Value of ``expr`` given the answers so far (booleans for conditions)."""
    if isinstance(expr, Ref | Literal):
        return _value(expr, answers)
    if isinstance(expr, Compare):
        return _compare(expr.op, _value(expr.left, answers), _value(expr.right, answers))
    if isinstance(expr, BoolOp):
        if expr.op == "not":
            return not truthy(evaluate(expr.args[0], answers))
        results = (truthy(evaluate(a, answers)) for a in expr.args)
        return all(results) if expr.op == "and" else any(results)
    if expr.name == "true":
        return True
    if expr.name == "false":
        return False
    target = _value(expr.args[0], answers)
    chosen = target if isinstance(target, list) else ([] if target == "" else [target])
    if expr.name == "count-selected":
        return float(len(chosen))
    wanted = _value(expr.args[1], answers)
    return str(wanted) in [str(c) for c in chosen]


def truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return value not in ("", None, [], {})


def is_relevant(expr: Expr | None, answers: Mapping[str, Any]) -> bool:
    """A question with no rule is always relevant."""
    return True if expr is None else truthy(evaluate(expr, answers))


Rule = Callable[[Mapping[str, Any]], Any]


def compile_expr(expr: Expr) -> Rule:
    """``expr`` as a closure giving exactly what ``evaluate(expr, answers)`` gives.

    Imports evaluate the same few rules for every row; walking the tree once here
    instead of once per row is most of the cost of a skip rule. The closures reuse the
    evaluator's own helpers, so both read a rule the same way.
    """
    if isinstance(expr, Ref):
        name = expr.name

        def ref(answers: Mapping[str, Any]) -> Any:
            value = answers.get(name)
            return "" if value is None or value == [] else value

        return ref
    if isinstance(expr, Literal):
        literal = expr.value
        return lambda _answers: literal
    if isinstance(expr, Compare):
        if isinstance(expr.right, Literal) and _number(expr.right.value) is None:
            return _compare_with_text(expr.op, compile_expr(expr.left), str(expr.right.value))
        op, left, right = expr.op, compile_expr(expr.left), compile_expr(expr.right)
        return lambda answers: _compare(op, left(answers), right(answers))
    if isinstance(expr, BoolOp):
        parts = [compile_expr(a) for a in expr.args]
        if expr.op == "not":
            inner = parts[0]
            return lambda answers: not truthy(inner(answers))
        if expr.op == "and":
            return lambda answers: all(truthy(p(answers)) for p in parts)
        return lambda answers: any(truthy(p(answers)) for p in parts)
    return _compile_call(expr)


def _compile_call(expr: Call) -> Rule:
    if expr.name in ("true", "false"):
        constant = expr.name == "true"
        return lambda _answers: constant
    target = compile_expr(expr.args[0])

    def chosen(answers: Mapping[str, Any]) -> list[Any]:
        value = target(answers)
        return value if isinstance(value, list) else ([] if value == "" else [value])

    if expr.name == "count-selected":
        return lambda answers: float(len(chosen(answers)))
    if isinstance(expr.args[1], Literal):
        text = str(expr.args[1].value)
        return lambda answers: any(
            (c if type(c) is str else str(c)) == text for c in chosen(answers)
        )
    wanted = compile_expr(expr.args[1])
    return lambda answers: str(wanted(answers)) in [str(c) for c in chosen(answers)]


def _compare_with_text(op: str, left: Rule, text: str) -> Rule:
    """``_compare`` when the right side is text that is not a number (``${q} = 'other'``).

    Then the two are never compared as numbers: text compares as text, anything else
    is only ever unequal.
    """
    ops: dict[str, Callable[[str, str], bool]] = {
        "=": str.__eq__,
        "!=": str.__ne__,
        "<": str.__lt__,
        "<=": str.__le__,
        ">": str.__gt__,
        ">=": str.__ge__,
    }
    compare = ops[op]

    def rule(answers: Mapping[str, Any]) -> bool:
        value = left(answers)
        if isinstance(value, str):
            return compare(value, text)
        if op in ("=", "!="):
            equal = value == text
            return equal if op == "=" else not equal
        return False

    return rule


def compile_rule(expr: Expr | None) -> Callable[[Mapping[str, Any]], bool]:
    """Like ``is_relevant``, compiled once: a question with no rule is always relevant."""
    if expr is None:
        return lambda _answers: True
    rule = compile_expr(expr)
    return lambda answers: truthy(rule(answers))
