"""Read a REDCap data dictionary (CSV) into an instrument, with notes.

Forms become sections (a section header inside a form starts a new section), field
names become keys, radio and dropdown fields single choices, checkboxes multi-choices,
yes/no and true/false fields two-choice questions, notes long text; text fields with
integer/number/date validation become numbers and dates, with their min and max.
Consecutive radio fields of one matrix group become a Likert matrix. Branching logic
is translated to XLSForm syntax (``[a] = '1'`` → ``${a} = '1'``, ``[c(2)] = '1'`` →
``selected(${c}, '2')``). Choice values are REDCap's raw codes, so raw REDCap exports
import against the result directly. Calculated, file and descriptive fields are left
out and named in the notes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from innostudy.errors import InputError
from innostudy.survey.instrument import KEY_PATTERN, Instrument, parse_instrument
from innostudy.survey.lss import plain
from innostudy.survey.relevance import RelevanceError, parse, references
from innostudy.textfiles import read_text

COLUMNS = {
    "name": "variable / field name",
    "form": "form name",
    "header": "section header",
    "type": "field type",
    "label": "field label",
    "choices": "choices, calculations, or slider labels",
    "note": "field note",
    "validation": "text validation type or show slider number",
    "min": "text validation min",
    "max": "text validation max",
    "logic": "branching logic (show field only if...)",
    "required": "required field?",
    "matrix": "matrix group name",
}
_DATES = {"date_ymd", "date_dmy", "date_mdy"}
_CHECKED = re.compile(r"\[(\w+)\((\w+)\)\]\s*=\s*['\"]?1['\"]?")
_FIELD = re.compile(r"\[(\w+)\]")


def is_data_dictionary(header: list[str]) -> bool:
    return bool(header) and header[0].strip().casefold().lstrip("\ufeff") == COLUMNS["name"]


def read_dictionary(path: Path) -> tuple[Instrument, list[str]]:
    rows = list(csv.reader(io.StringIO(read_text(path).text)))
    if not rows or not is_data_dictionary(rows[0]):
        raise InputError(
            path,
            1,
            None,
            "not a REDCap data dictionary: the first column must be 'Variable / Field Name'",
        )
    index = {h.strip().casefold(): i for i, h in enumerate(rows[0])}
    missing = [v for v in ("name", "form", "type", "label") if COLUMNS[v] not in index]
    if missing:
        raise InputError(path, 1, COLUMNS[missing[0]], "column missing from the data dictionary")
    fields = [
        {
            k: (row[index[c]].strip() if c in index and index[c] < len(row) else "")
            for k, c in COLUMNS.items()
        }
        | {"row": n}
        for n, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    notes: list[str] = []
    sections = _sections(path, fields, notes)
    if not sections:
        raise InputError(path, None, None, "the dictionary has no fields innostudy can use")
    data = {
        "id": f"redcap-{path.stem}",
        "title": path.stem.replace("_", " ").title(),
        "version": "1",
        "sections": sections,
    }
    return parse_instrument(data, str(path)), notes


def _sections(path: Path, fields: list[dict[str, Any]], notes: list[str]) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    seen: list[str] = []
    form = None
    matrix: dict[str, Any] | None = None
    for n, f in enumerate(fields):
        if n == 0 and f["type"] == "text":
            notes.append(f"field {f['name']}: the record id names the organisation; not a question")
            continue
        if f["form"] != form or f["header"]:
            form = f["form"]
            title = plain(f["header"]) or form.replace("_", " ").capitalize()
            key = (
                form
                if not any(s["key"] == form for s in sections)
                else f"{form}_{len(sections) + 1}"
            )
            sections.append({"key": key, "title": title, "area": form, "questions": []})
        if matrix is not None and (
            f["matrix"] != matrix["key"] or f["type"] not in ("radio", "dropdown")
        ):
            _close(sections, matrix, seen)
            matrix = None
        if f["matrix"] and f["type"] in ("radio", "dropdown"):
            matrix = _matrix(path, matrix, f, notes, seen)
            continue
        q = _field(path, f, notes, seen)
        if q is not None:
            sections[-1]["questions"].append(q)
            seen.append(q["key"])
    if matrix is not None:
        _close(sections, matrix, seen)
    return [s for s in sections if s["questions"]]


def _matrix(
    path: Path, matrix: dict[str, Any] | None, f: dict[str, Any], notes: list[str], seen: list[str]
) -> dict[str, Any]:
    scale = _choices(path, f)
    if matrix is None:
        matrix = {
            "key": f["matrix"],
            "type": "likert_matrix",
            "label": plain(f["header"]) or f["matrix"].replace("_", " ").capitalize(),
            "scale": scale,
            "items": [],
            "required": [],
        }
        rule = _logic(f["logic"], seen)
        if rule:
            matrix["relevant"] = rule
    matrix["items"].append({"key": f["name"], "label": plain(f["label"]) or f["name"]})
    matrix["required"].append(f["required"].casefold() == "y")
    return matrix


def _close(sections: list[dict[str, Any]], matrix: dict[str, Any], seen: list[str]) -> None:
    required = matrix.pop("required")
    if required and all(required):
        matrix["required"] = True
    sections[-1]["questions"].append(matrix)
    seen.append(matrix["key"])


def _field(
    path: Path, f: dict[str, Any], notes: list[str], seen: list[str]
) -> dict[str, Any] | None:
    name, kind = f["name"], f["type"]
    if not KEY_PATTERN.match(name):
        raise InputError(path, f["row"], COLUMNS["name"], f"'{name}' is not a valid field name")
    q: dict[str, Any] = {"key": name, "label": plain(f["label"]) or name}
    if kind in ("radio", "dropdown"):
        q["type"], q["choices"] = "single_choice", _choices(path, f)
    elif kind == "checkbox":
        q["type"], q["choices"] = "multi_choice", _choices(path, f)
    elif kind in ("yesno", "truefalse"):
        yes, no = ("Yes", "No") if kind == "yesno" else ("True", "False")
        q["type"], q["choices"] = (
            "single_choice",
            [{"value": "1", "label": yes}, {"value": "0", "label": no, "code": 0}],
        )
    elif kind == "notes":
        q["type"] = "long_text"
    elif kind == "text":
        _text(q, f)
    elif kind == "slider":
        q.update(type="number", min=0, max=100, integer=True)
    else:
        notes.append(f"field {name}: a {kind} field is not a question; left out")
        return None
    if f["note"]:
        q["hint"] = plain(f["note"])
    if f["required"].casefold() == "y":
        q["required"] = True
    rule = _logic(f["logic"], seen)
    if rule is None:
        notes.append(f"field {name}: branching logic left out (cannot translate): {f['logic']}")
    elif rule:
        q["relevant"] = rule
    return q


def _text(q: dict[str, Any], f: dict[str, Any]) -> None:
    validation = f["validation"]
    if validation in ("integer", "number", "number_1dp", "number_2dp"):
        q["type"] = "number"
        if validation == "integer":
            q["integer"] = True
        for bound in ("min", "max"):
            if re.fullmatch(r"-?\d+(\.\d+)?", f[bound]):
                q[bound] = float(f[bound])
    elif validation in _DATES:
        q["type"] = "date"
        for bound in ("min", "max"):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", f[bound]):
                q[bound] = f[bound]
    else:
        q["type"] = "text"


def _choices(path: Path, f: dict[str, Any]) -> list[dict[str, Any]]:
    choices = []
    for position, part in enumerate(p for p in f["choices"].split("|") if p.strip()):
        code, sep, label = part.partition(",")
        if not sep:
            raise InputError(
                path, f["row"], COLUMNS["choices"], f"'{part.strip()}' is not 'code, label'"
            )
        choice: dict[str, Any] = {"value": code.strip(), "label": plain(label) or code.strip()}
        if code.strip().lstrip("-").isdigit() and int(code) != position + 1:
            choice["code"] = int(code)
        choices.append(choice)
    if not choices:
        raise InputError(path, f["row"], COLUMNS["choices"], f"field {f['name']} has no choices")
    return choices


def _logic(logic: str, seen: list[str]) -> str | None:
    """REDCap branching logic in XLSForm syntax; "" when there is none, None when too hard."""
    if not logic.strip():
        return ""
    rule = _CHECKED.sub(lambda m: f"selected(${{{m[1]}}}, '{m[2]}')", logic)
    rule = _FIELD.sub(lambda m: "${" + m[1] + "}", rule).replace("<>", "!=").replace('"', "'")
    try:
        refs = references(parse(rule))
    except RelevanceError:
        return None
    return rule if all(r in seen for r in refs) else None
