"""Derive an instrument from a response file when there is no instrument file.

From a Qualtrics export: its three header rows (export tag, question text, ImportId)
and the answers themselves. From an SPSS ``.sav``: variable labels, value labels,
measurement levels and multiple-response sets. The result is a first draft for a
person to review (types are guesses from the answers seen); the notes say what was
guessed. It is written out as instrument YAML, never installed silently.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innostudy.errors import InputError
from innostudy.survey.importing.cells import _FLOAT, _INT
from innostudy.survey.importing.formats import qualtrics
from innostudy.survey.importing.matching import loose, role_of
from innostudy.survey.importing.tables import open_table
from innostudy.survey.instrument import KEY_PATTERN, Instrument, parse_instrument
from innostudy.survey.instrument_io import write_instrument_file

MAX_CHOICES = 15
SAMPLE_ROWS = 20_000
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SUB = re.compile(r"^(?P<base>.+?)_(?P<n>[0-9]+)$")


@dataclass
class _Draft:
    source: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    def key(self, name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name.strip()) or "q"
        base = base if KEY_PATTERN.match(base) else f"q_{base}"
        key, n = base, 2
        while key in self.keys:
            key, n = f"{base}_{n}", n + 1
        self.keys.add(key)
        return key

    def instrument(self, title: str) -> Instrument:
        if not self.questions:
            raise InputError(self.source, None, None, "no column could be read as a question")
        data = {
            "id": re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "inferred",
            "title": title,
            "version": "1",
            "sections": [{"key": "survey", "title": title, "questions": self.questions}],
        }
        return parse_instrument(data, self.source)


def slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")[:40] or "choice"
    value, n = base, 2
    while value in taken:
        value, n = f"{base}_{n}", n + 1
    taken.add(value)
    return value


def _choices(labels: list[str], codes: list[int] | None = None) -> list[dict[str, Any]]:
    taken: set[str] = set()
    items = []
    for position, label in enumerate(labels, start=1):
        item: dict[str, Any] = {"value": slug(label, taken), "label": label}
        code = codes[position - 1] if codes else position
        if code != position:
            item["code"] = code
        items.append(item)
    return items


def _scalar(
    draft: _Draft, key: str, label: str, values: list[str], *, choice: bool = False
) -> dict[str, Any]:
    """A one-column question, typed from the answers seen (``choice``: the tool said so)."""
    seen = [v.strip() for v in values if v.strip()]
    distinct = list(dict.fromkeys(seen))
    repeated = len(distinct) < len(seen)
    q: dict[str, Any] = {"key": key, "label": label or key}
    numeric = bool(seen) and all(_FLOAT.fullmatch(v) for v in seen)
    codes = numeric and all(_INT.fullmatch(v) for v in distinct) and len(distinct) <= MAX_CHOICES
    if seen and all(_ISO.fullmatch(v) for v in seen):
        q["type"] = "date"
    elif numeric and not (choice or (codes and repeated)):
        q["type"] = "number"
        if all(_INT.fullmatch(v) for v in seen):
            q["integer"] = True
    elif seen and len(distinct) <= MAX_CHOICES and (choice or repeated):
        q["type"] = "single_choice"
        ordered = sorted(distinct, key=int) if codes else distinct
        q["choices"] = _choices(ordered, [int(v) for v in ordered] if codes else None)
        if codes:
            for c in q["choices"]:
                c["value"] = c["label"]
        draft.notes.append(
            f"{key}: read as a single choice from the {len(distinct)} answers seen; check the list"
        )
    else:
        long = any(len(v) > 200 or "\n" in v for v in seen)
        q["type"] = "long_text" if long else "text"
        if not seen:
            draft.notes.append(f"{key}: no answers seen; taken as text")
    return q


# -- Qualtrics -------------------------------------------------------------------------------


def infer_from_qualtrics(path: Path) -> tuple[Instrument, list[str]]:
    table = open_table(path)
    kind = qualtrics.layout(table)
    if kind is None:
        raise InputError(path, 3, None, "not a Qualtrics export: the third row holds no ImportId")
    tags, texts = table.head(3)[0], table.head(3)[1]
    if kind == "legacy":
        tags = [texts[i] if re.fullmatch(r"V[0-9]+", t.strip()) else t for i, t in enumerate(tags)]
    columns: dict[int, list[str]] = defaultdict(list)
    for n, (_, cells) in enumerate(table.records(3 if kind == "current" else 2)):
        if n >= SAMPLE_ROWS:
            break
        for i, cell in enumerate(cells):
            columns[i].append(cell)
    draft = _Draft(str(path))
    groups: dict[str, list[int]] = defaultdict(list)
    order: list[tuple[str, Any]] = []
    for i, tag in enumerate(tags):
        if (
            tag.strip().casefold() in qualtrics.METADATA
            or loose(tag) in qualtrics.ROLES
            or tag.startswith("Q_")
            or not tag.strip()
            or role_of(tag)
        ):
            continue
        sub = _SUB.match(tag.strip())
        if sub is not None and not tag.endswith("_TEXT"):
            if sub["base"] not in groups:
                order.append(("group", sub["base"]))
            groups[sub["base"]].append(i)
        else:
            order.append(("one", i))
    for kind, item in order:
        if kind == "one":
            i = int(item)
            text = texts[i] if i < len(texts) else ""
            choice = "selected choice" in text.casefold()  # Qualtrics marks choice questions
            q = _scalar(draft, draft.key(tags[i]), _stem(text), columns[i], choice=choice)
            if choice:
                _maybe_multi(q, columns[i], draft)
            draft.questions.append(q)
        else:
            members = groups[str(item)]
            draft.questions.append(_group(draft, str(item), members, (tags, texts), columns))
    return draft.instrument(path.stem.replace("_", " ")), draft.notes


def _stem(text: str) -> str:
    parts = [p.strip() for p in text.split(" - ") if p.strip().casefold() != "selected choice"]
    return parts[0] if parts else ""


def _tail(text: str) -> str:
    parts = [p.strip() for p in text.split(" - ") if p.strip().casefold() != "selected choice"]
    return parts[-1] if len(parts) > 1 else ""


def _maybe_multi(q: dict[str, Any], values: list[str], draft: _Draft) -> None:
    """A choice column whose answers are comma-separated lists is a multi-choice."""
    lists = [v for v in values if "," in v]
    if not lists:
        return
    parts = list(dict.fromkeys(p.strip() for v in values for p in v.split(",") if p.strip()))
    if len(parts) <= MAX_CHOICES:
        single = f"{q['key']}: read as a single choice"
        draft.notes[:] = [n for n in draft.notes if not n.startswith(single)]
        q["type"], q["choices"] = "multi_choice", _choices(parts)
        draft.notes.append(
            f"{q['key']}: answers are lists separated by commas; read as a multi-choice"
        )


def _group(
    draft: _Draft,
    base: str,
    members: list[int],
    header: tuple[list[str], list[str]],
    columns: dict[int, list[str]],
) -> dict[str, Any]:
    tags, texts = header
    labels = [_tail(texts[i]) or tags[i] for i in members]
    codes = [int(_SUB.match(tags[i].strip())["n"]) for i in members]  # type: ignore[index]
    values = {v.strip() for i in members for v in columns[i] if v.strip()}
    key = draft.key(base)
    stem = _stem(texts[members[0]]) or key
    ticked = all(
        v.strip() in ("", "0", "1", labels[k]) for k, i in enumerate(members) for v in columns[i]
    )
    if ticked:
        return {
            "key": key,
            "type": "multi_choice",
            "label": stem,
            "choices": _choices(labels, codes),
        }
    in_range = all(v.isdigit() and 1 <= int(v) <= len(members) for v in values)
    if in_range and _ranks(members, columns):
        return {"key": key, "type": "ranking", "label": stem, "choices": _choices(labels, codes)}
    scale = sorted(values, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else 0, v))
    draft.notes.append(
        f"{key}: read as a matrix with the levels seen ({', '.join(scale)}); check their order"
    )
    taken: set[str] = set()
    items = [{"key": _item_key(label, taken), "label": label} for label in labels]
    return {
        "key": key,
        "type": "likert_matrix",
        "label": stem,
        "scale": _choices(scale),
        "items": items,
    }


def _item_key(label: str, taken: set[str]) -> str:
    key = slug(label, taken)
    if not KEY_PATTERN.match(key):
        taken.discard(key)
        key = slug(f"item_{key}", taken)
    return key


def _ranks(members: list[int], columns: dict[int, list[str]]) -> bool:
    """Each row's numbers are 1, 2, 3… without repeats: a ranking, not ratings."""
    rows = len(columns[members[0]]) if members else 0
    for r in range(rows):
        given = sorted(int(columns[i][r]) for i in members if columns[i][r].strip().isdigit())
        if given and given != list(range(1, len(given) + 1)):
            return False
    return True


# -- SPSS ------------------------------------------------------------------------------------


def infer_from_sav(path: Path) -> tuple[Instrument, list[str]]:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), row_limit=SAMPLE_ROWS, output_format="dict")
    except Exception as exc:  # pyreadstat's own error types
        raise InputError(path, None, None, f"not a readable SPSS .sav file ({exc})") from None
    draft = _Draft(str(path))
    labels = {
        n: label or ""
        for n, label in zip(meta.column_names, meta.column_labels or [], strict=False)
    }
    value_labels = meta.variable_value_labels or {}
    used: set[str] = set()
    for name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        members = list(spec.get("variable_list", []))
        used |= set(members)
        choices = [labels.get(m) or m for m in members]
        draft.questions.append(
            {
                "key": draft.key(name),
                "type": "multi_choice",
                "label": spec.get("label") or name,
                "choices": _choices(choices),
            }
        )
    groups = {
        g["members"][0]: g for g in _dichotomies(meta.column_names, labels, value_labels, used)
    }
    for g in groups.values():
        used |= set(g["members"][1:])
    for name in meta.column_names:
        if name in groups:
            draft.questions.append(
                groups[name]["question"] | {"key": draft.key(groups[name]["base"])}
            )
        elif not (name in used or role_of(name) or role_of(labels.get(name) or "")):
            question = _sav_variable(
                draft, name, labels.get(name) or name, value_labels.get(name), frame[name], meta
            )
            draft.questions.append(question)
    return draft.instrument(path.stem.replace("_", " ")), draft.notes


def _dichotomies(
    names: list[str],
    labels: dict[str, str],
    value_labels: dict[str, dict[Any, str]],
    used: set[str],
) -> list[dict[str, Any]]:
    """Variables Q3_1, Q3_2… with 0/1 labels and "Stem - Option" labels: one multi-choice."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        sub = _SUB.match(name)
        if (
            sub
            and name not in used
            and set(value_labels.get(name, {})) <= {0.0, 1.0}
            and " - " in (labels.get(name) or "")
        ):
            groups[sub["base"]].append(name)
    found = []
    for base, members in groups.items():
        if len(members) < 2:
            continue
        stem = _stem(labels[members[0]])
        options = [_tail(labels[m]) for m in members]
        codes = [int(_SUB.match(m)["n"]) for m in members]  # type: ignore[index]
        found.append(
            {
                "base": base,
                "members": members,
                "question": {
                    "type": "multi_choice",
                    "label": stem,
                    "choices": _choices(options, codes),
                },
            }
        )
    return found


def _sav_variable(
    draft: _Draft,
    name: str,
    label: str,
    value_labels: dict[Any, str] | None,
    values: Any,
    meta: Any,
) -> dict[str, Any]:
    key = draft.key(name)
    fmt = str((meta.original_variable_types or {}).get(name, "")).upper()
    if value_labels:
        codes = sorted(value_labels)
        whole = all(float(c).is_integer() for c in codes)
        ordinal = (meta.variable_measure or {}).get(name) == "ordinal" and len(codes) >= 3
        q: dict[str, Any] = {
            "key": key,
            "label": label,
            "type": "likert" if ordinal else "single_choice",
        }
        q["scale" if ordinal else "choices"] = _choices(
            [value_labels[c] for c in codes], [int(c) for c in codes] if whole else None
        )
        return q
    if fmt.startswith(("DATE", "ADATE", "EDATE", "SDATE")):
        return {"key": key, "label": label, "type": "date"}
    texts = [str(v) for v in values if v is not None and str(v) not in ("nan", "NaT")]
    if fmt.startswith("A"):
        long = any(len(t) > 200 or "\n" in t for t in texts)
        return {"key": key, "label": label, "type": "long_text" if long else "text"}
    q = {"key": key, "label": label, "type": "number"}
    with contextlib.suppress(ValueError):
        if texts and all(float(t).is_integer() for t in texts):
            q["integer"] = True
    return q


def infer_instrument(path: Path, fmt: str = "auto") -> tuple[Instrument, list[str]]:
    """An instrument derived from any response file: Qualtrics, SPSS, or any other table."""
    from innostudy.survey.inference_tables import infer_from_table

    if path.suffix.casefold() in (".sav", ".zsav") or fmt == "spss":
        return infer_from_sav(path)
    if fmt == "qualtrics" or (fmt == "auto" and qualtrics.detect(open_table(path))):
        return infer_from_qualtrics(path)
    return infer_from_table(path)


def infer_instrument_file(path: Path, folder: Path, fmt: str = "auto") -> tuple[Path, list[str]]:
    """Infer, write the YAML into ``folder`` (the study's), return where and the notes.

    The input's own folder may be read-only (a shared drive, a downloads folder); the
    study folder is where the instrument will be used.
    """
    instrument, notes = infer_instrument(path, fmt)
    target = free_name(folder / f"{path.stem}.instrument.yaml")
    write_instrument_file(instrument, target, "yaml")
    return target, notes


def free_name(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… if it is taken (nothing is overwritten)."""
    found, n = path, 2
    while found.exists():
        found, n = (
            path.with_name(f"{path.name.removesuffix('.instrument.yaml')}-{n}.instrument.yaml"),
            n + 1,
        )
    return found
