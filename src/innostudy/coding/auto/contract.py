"""`innostudy autocode`: the fixed file contract that outside evaluations call.

    autocode --codebook CODEBOOK.yaml --input SEGMENTS.jsonl --output OUT.jsonl
             [--train LABELLED.jsonl]

Input lines ``{"id", "text"}``; training lines ``{"id", "text", "code"}``; both may add
``"group"`` (the transcript or session a line comes from). Output lines ``{"id", "code",
"confidence", "ranked": [[code, score], ...], "codes": [[code, score], ...]}`` in input
order; ``codes`` holds every code at or above its threshold, best first. Codes
are named as the codebook names them: by ``key`` when the codebook gives keys, and by
``name`` when it does not (the minimal form), because that is what callers label with.
Training labels may use either. Everything is read and checked before anything is
written; the output appears whole (written beside, then renamed) or not at all.
See docs/autocode.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innostudy.atomic import atomic_text
from innostudy.coding.auto.base import CodeText, Encoder, Example
from innostudy.coding.auto.calibration import calibrate_thresholds
from innostudy.coding.auto.learner import Context, EmbeddingCoder
from innostudy.coding.codebook import CodebookSpec, parse_codebook
from innostudy.errors import InputError
from innostudy.textfiles import numbered_lines_stream
from innostudy.yamldoc import load_yaml


@dataclass(frozen=True)
class ContractCodebook:
    codes: list[CodeText]
    labels: dict[str, str]  # key → the identifier written to the output
    lookup: dict[str, str]  # key or name → key


def load_contract_codebook(path: Path) -> ContractCodebook:
    data = load_yaml(path)
    spec = parse_codebook(data, str(path))
    keyed = _has_keys(data.get("codes", []) if isinstance(data, dict) else [])
    leaves = spec.leaves()
    _check_unique_names(spec, leaves, keyed, path)
    codes = [CodeText(c.key, c.name, c.description, c.include, tuple(c.examples)) for c in leaves]
    labels = {c.key: (c.key if keyed else c.name) for c in leaves}
    lookup = {**{c.name: c.key for c in leaves}, **{c.key: c.key for c in leaves}}
    return ContractCodebook(codes, labels, lookup)


def _has_keys(items: list[Any]) -> bool:
    for item in items:
        if isinstance(item, dict) and ("key" in item or _has_keys(item.get("children") or [])):
            return True
    return False


def _check_unique_names(spec: CodebookSpec, leaves: list[Any], keyed: bool, path: Path) -> None:
    if keyed:
        return
    seen: set[str] = set()
    for code in leaves:
        if code.name in seen:
            raise InputError(
                path, code.line, "name", f"code name '{code.name}' is used twice", unit="line"
            )
        seen.add(code.name)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, raw in numbered_lines_stream(path):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, number, None, f"not valid JSON ({exc.msg})") from exc
        if not isinstance(item, dict):
            raise InputError(path, number, None, "each line must be a JSON object")
        yield number, item


def _field(path: Path, number: int, item: dict[str, Any], name: str) -> Any:
    value = item.get(name)
    if name == "id":
        if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
            raise InputError(path, number, "id", "needs an 'id' (a string or an integer)")
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, number, name, f"needs a non-empty string '{name}'")
    return value


def _group(path: Path, number: int, item: dict[str, Any]) -> str:
    """The optional group (transcript or session); lines without one share a group."""
    value = item.get("group", "")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(path, number, "group", "'group' must be a string or an integer")
    return str(value)


@dataclass(frozen=True)
class Segment:
    ident: Any
    text: str
    group: str


def read_segments(path: Path) -> list[Segment]:
    out: list[Segment] = []
    seen: dict[Any, int] = {}
    for number, item in _lines(path):
        ident = _field(path, number, item, "id")
        text = _field(path, number, item, "text")
        if ident in seen:
            raise InputError(
                path, number, "id", f"id {ident!r} was already used on line {seen[ident]}"
            )
        seen[ident] = number
        out.append(Segment(ident, text, _group(path, number, item)))
    if not out:
        raise InputError(path, None, None, "holds no segments")
    return out


def read_training(path: Path, book: ContractCodebook) -> list[Example]:
    out: list[Example] = []
    for number, item in _lines(path):
        ident = _field(path, number, item, "id")
        text = _field(path, number, item, "text")
        code = _field(path, number, item, "code")
        if code not in book.lookup:
            raise InputError(path, number, "code", f"'{code}' is not a code in the codebook")
        out.append(Example(text, book.lookup[code], str(ident), _group(path, number, item)))
    return out


def autocode(
    codebook: Path, segments: Path, output: Path, encoder: Encoder, train: Path | None = None
) -> int:
    """Run the contract; returns how many segments were coded."""
    book = load_contract_codebook(codebook)
    items = read_segments(segments)
    examples = read_training(train, book) if train is not None else []
    if output.is_dir():
        raise InputError(output, None, None, "is a folder; give a file name for the output")
    if not output.parent.is_dir():
        raise InputError(output, None, None, f"folder {output.parent} does not exist")
    coder = EmbeddingCoder(encoder, ranked=len(book.codes), nearest=0)
    vectors = encoder.encode([seg.text for seg in items])
    groups = [seg.group for seg in items]
    coder.fit(book.codes, examples, context=Context(vectors, groups))
    reviews = coder.held_out_reviews()
    if reviews:  # thresholds from the training lines' cross-validated suggestions
        calibrated = calibrate_thresholds(reviews, coder.default_threshold)
        coder.thresholds, coder.default_threshold = dict(calibrated.per_code), calibrated.pooled
    suggestions = coder.suggest_vectors(vectors, groups)
    with atomic_text(output) as out:
        for seg, s in zip(items, suggestions, strict=True):
            line = {
                "id": seg.ident,
                "code": book.labels[s.code],
                "confidence": s.confidence,
                "ranked": [[book.labels[k], p] for k, p in s.ranked],
                "codes": [[book.labels[k], p] for k, p in s.codes],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(items)
