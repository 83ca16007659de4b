"""Read an XLSForm (survey, choices, settings rows) into an Instrument, with notes.

Forms written by xlsform.py come back exactly. Forms from elsewhere (KoboToolbox,
ODK) come in with everything the instrument format can hold; the rest (calculations,
metadata fields, repeats, notes, constraints other than limits, skip rules that read
later questions) is left out and listed in the notes, so the reviewer knows.
The result is checked by the same parser as instrument YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from innostudy.errors import InputError
from innostudy.survey import relevance
from innostudy.survey.instrument import KEY_PATTERN, Instrument, parse_instrument
from innostudy.survey.xlsform import Row, Sheets

METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
_CONSTRAINT = re.compile(
    r"^(?:string-length\(\.\)\s*<=\s*(?P<length>\d+)"
    r"|count-selected\(\.\)\s*(?P<count_op>>=|<=)\s*(?P<count>\d+)"
    r"|\.\s*(?P<op>>=|<=)\s*(?:date\('(?P<date>[0-9-]+)'\)"
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)))$"
)
_SIMPLE = {"text": "text", "integer": "number", "decimal": "number", "date": "date"}
_SELECT = {"select_one": "single_choice", "select_multiple": "multi_choice", "rank": "ranking"}


@dataclass
class _Reader:
    source: str
    sheets: Sheets
    notes: list[str] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    description: str = ""
    label_column: str = "label"
    skipped: list[str] = field(default_factory=list)

    def error(self, sheet: str, row: int, column: str, message: str) -> InputError:
        return InputError(f"{self.source} (sheet '{sheet}')", row, column, message, unit="row")

    def note(self, row: int, text: str) -> None:
        self.notes.append(f"survey row {row}: {text}")

    def label(self, row: Row) -> str:
        return self.text(row, "label")

    def text(self, row: Row, column: str) -> str:
        """A column in the chosen language (``hint::English (en)``), or the plain one."""
        language = self.label_column.partition("::")[2]
        found = row.get(f"{column}::{language}") if language else None
        return (found or row.get(column) or "").strip()

    def current(self, row: int) -> dict[str, Any]:
        if not self.sections:
            self.sections.append({"key": "questions", "title": "Questions", "questions": []})
            self.note(row, "questions outside any group were put in a section 'questions'")
        section: dict[str, Any] = self.sections[-1]
        return section


def read_sheets(sheets: Sheets, source: str) -> tuple[Instrument, list[str]]:
    """The instrument an XLSForm describes, and notes on what could not be carried over."""
    reader = _Reader(source, sheets)
    reader.label_column = _label_column(sheets.get("survey", []), sheets.get("settings", []))
    if not sheets.get("survey"):
        raise InputError(source, None, "survey", "no 'survey' sheet with questions")
    lists = _choice_lists(reader)
    _walk(reader, lists)
    if reader.skipped:
        reader.notes.append(f"metadata and calculated fields left out: {', '.join(reader.skipped)}")
    settings = (sheets.get("settings") or [{}])[0]
    data: dict[str, Any] = {
        "id": settings.get("form_id") or "form",
        "title": settings.get("form_title") or settings.get("form_id") or "Form",
        "version": settings.get("version") or "1",
        "choice_lists": lists,
        "sections": [s for s in reader.sections if s["questions"]],
    }
    if reader.description:
        data["description"] = reader.description
    if not data["sections"]:
        raise InputError(source, None, "survey", "the form has no questions innostudy can use")
    return parse_instrument(data, source), reader.notes


def _label_column(survey: list[Row], settings: list[Row]) -> str:
    columns = list(survey[0]) if survey else []
    if "label" in columns:
        return "label"
    language = (settings[0].get("default_language", "") if settings else "").strip()
    labelled = [c for c in columns if c.startswith("label::")]
    preferred = [c for c in labelled if language and language in c]
    return (preferred or labelled or ["label"])[0]


def _choice_lists(reader: _Reader) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(reader.sheets.get("choices", []), start=2):
        name, value = row.get("list_name", "").strip(), row.get("name", "").strip()
        if not name and not value:
            continue
        if not name or not value:
            raise reader.error(
                "choices",
                n,
                "list_name" if not name else "name",
                "needs both a list_name and a name",
            )
        items = lists.setdefault(name, [])
        item: dict[str, Any] = {"value": value, "label": reader.label(row) or value}
        code = row.get("innostudy_code", "").strip()
        if code:
            if not re.fullmatch(r"-?\d+", code):
                raise reader.error(
                    "choices", n, "innostudy_code", f"'{code}' is not a whole number"
                )
            item["code"] = int(code)
        items.append(item)
    return lists


def _walk(reader: _Reader, lists: dict[str, list[dict[str, Any]]]) -> None:
    matrix: dict[str, Any] | None = None
    depth = 0  # groups inside a section are flattened
    skipping = 0  # inside a repeat
    for n, row in enumerate(reader.sheets["survey"], start=2):
        kind = " ".join(row.get("type", "").split())
        word = kind.replace(" ", "_").split("_")[0] if kind else ""
        if not kind:
            continue
        if skipping:
            skipping += kind in ("begin_repeat", "begin repeat")
            skipping -= kind in ("end_repeat", "end repeat")
            continue
        if kind in ("begin_repeat", "begin repeat"):
            reader.note(n, f"repeat '{row.get('name', '')}' left out: an organisation answers once")
            skipping = 1
        elif kind in ("begin_group", "begin group"):
            if _is_matrix(row):
                matrix = _start_matrix(reader, row, n)
            elif not reader.sections or depth == 0:
                reader.sections.append(_section(reader, row))
                depth = 1
            else:
                depth += 1
        elif kind in ("end_group", "end group"):
            if matrix is not None:
                _finish_matrix(reader, matrix, n)
                matrix = None
            else:
                depth = max(0, depth - 1)
        elif matrix is not None:
            _matrix_item(reader, matrix, row, n)
        elif word == "note":
            _note_row(reader, row, n)
        else:
            question = _question(reader, row, n, lists)
            if question is not None:
                reader.current(n)["questions"].append(question)
                reader.keys.append(question["key"])


def _is_matrix(row: Row) -> bool:
    return row.get("innostudy_type", "") == "likert_matrix" or "table-list" in row.get(
        "appearance", ""
    )


def _section(reader: _Reader, row: Row) -> dict[str, Any]:
    key = _key(row.get("name", "section"))
    section: dict[str, Any] = {"key": key, "title": reader.label(row) or key, "questions": []}
    if row.get("innostudy_area", "").strip():
        section["area"] = row["innostudy_area"].strip()
    return section


def _note_row(reader: _Reader, row: Row, n: int) -> None:
    kind = row.get("innostudy_type", "")
    if kind == "description":
        reader.description = reader.label(row)
    elif kind == "intro" and reader.sections:
        reader.sections[-1]["intro"] = reader.label(row)
    else:
        reader.note(n, f"note '{row.get('name', '')}' left out (innostudy shows no notes)")


def _key(name: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_]", "_", name.strip())
    return key if KEY_PATTERN.match(key) else f"q_{key}"


def _question(reader: _Reader, row: Row, n: int, lists: dict[str, Any]) -> dict[str, Any] | None:
    kind = " ".join(row.get("type", "").split())
    head, _, rest = kind.partition(" ")
    name = row.get("name", "").strip()
    if head in METADATA_TYPES or head in ("calculate", "hidden"):
        reader.skipped.append(name)
        return None
    if head == "or_other" or rest.endswith("or_other"):
        reader.note(n, f"'{name}': the 'or_other' choice was left out")
    qtype = _SELECT.get(head) or _SIMPLE.get(head) or ("number" if head == "range" else None)
    if qtype is None:
        reader.note(n, f"'{name}' ({kind}) left out: innostudy has no such question type")
        return None
    key = _key(name)
    if key != name:
        reader.note(n, f"'{name}' renamed '{key}' (letters, digits and _ only)")
    q: dict[str, Any] = {"key": key, "type": qtype, "label": reader.label(row) or key}
    _refine(reader, q, row, n, lists, rest)
    return q


def _refine(
    reader: _Reader, q: dict[str, Any], row: Row, n: int, lists: dict[str, Any], rest: str
) -> None:
    marked = row.get("innostudy_type", "").strip()
    appearance = row.get("appearance", "")
    head = row.get("type", "").split()[0]
    if q["type"] in ("single_choice", "multi_choice", "ranking"):
        list_name = rest.split()[0] if rest else ""
        if list_name not in lists:
            raise reader.error(
                "survey",
                n,
                "type",
                f"'{q['key']}' uses the choice list '{list_name}', which the choices sheet lacks",
            )
        if q["type"] == "single_choice" and marked == "money_band":
            q["type"] = "money_band"
        elif q["type"] == "single_choice" and "likert" in appearance:
            q["type"] = "likert"
        q["scale" if q["type"] == "likert" else "choices"] = list_name
    elif q["type"] == "text" and "multiline" in appearance:
        q["type"] = "long_text"
    elif q["type"] == "number":
        if marked == "months":
            q["type"] = "months"
        elif head in ("integer", "range"):
            q["integer"] = True
        if head == "range":
            _range(q, row.get("parameters", ""))
    if reader.text(row, "hint"):
        q["hint"] = reader.text(row, "hint")
    if row.get("required", "").strip().casefold() in ("yes", "true", "true()", "1"):
        q["required"] = True
    _relevant(reader, q, row.get("relevant", ""), n)
    _constraint(reader, q, row.get("constraint", ""), n)


def _range(q: dict[str, Any], parameters: str) -> None:
    values = dict(p.split("=", 1) for p in parameters.split() if "=" in p)
    for name, field_name in (("start", "min"), ("end", "max")):
        if name in values:
            q[field_name] = float(values[name])


def _relevant(reader: _Reader, q: dict[str, Any], rule: str, n: int) -> None:
    rule = rule.strip()
    if not rule:
        return
    try:
        refs = relevance.references(relevance.parse(rule))
    except relevance.RelevanceError as exc:
        reader.note(
            n, f"skip rule of '{q['key']}' left out (innostudy cannot read it: {exc}): {rule}"
        )
        return
    late = [r for r in refs if r not in reader.keys]
    if late:
        reader.note(
            n,
            f"skip rule of '{q['key']}' left out (it reads '{late[0]}', "
            f"not an earlier question): {rule}",
        )
        return
    q["relevant"] = rule


def _constraint(reader: _Reader, q: dict[str, Any], text: str, n: int) -> None:
    text = text.strip()
    if not text:
        return
    kept = []
    for clause in (c.strip() for c in re.split(r"\s+and\s+", text)):
        m = _CONSTRAINT.match(clause)
        if m is None:
            reader.note(n, f"constraint of '{q['key']}' not carried over: {clause}")
            continue
        kept.append(clause)
        if m["length"] and q["type"] in ("text", "long_text"):
            q["max_length"] = int(m["length"])
        elif m["count"] and q["type"] in ("multi_choice", "ranking"):
            few, many = (
                ("min_ranked", "max_ranked")
                if q["type"] == "ranking"
                else ("min_selected", "max_selected")
            )
            q[few if m["count_op"] == ">=" else many] = int(m["count"])
        elif m["op"]:
            value: Any = m["date"] or float(m["number"] or 0)
            if (q["type"] == "date" and m["date"]) or (
                q["type"] in ("number", "months") and m["number"]
            ):
                q["min" if m["op"] == ">=" else "max"] = value


def _start_matrix(reader: _Reader, row: Row, n: int) -> dict[str, Any]:
    key = _key(row.get("name", "matrix"))
    matrix: dict[str, Any] = {
        "key": key,
        "type": "likert_matrix",
        "label": reader.label(row) or key,
        "items": [],
        "required": [],
    }
    if reader.text(row, "hint"):
        matrix["hint"] = reader.text(row, "hint")
    _relevant(reader, matrix, row.get("relevant", ""), n)
    return matrix


def _matrix_item(reader: _Reader, matrix: dict[str, Any], row: Row, n: int) -> None:
    head, _, rest = " ".join(row.get("type", "").split()).partition(" ")
    if head != "select_one" or not rest:
        reader.note(
            n,
            f"'{row.get('name', '')}' in the table '{matrix['key']}' left out: "
            "only select_one rows make a matrix",
        )
        return
    scale = rest.split()[0]
    if matrix.setdefault("scale", scale) != scale:
        reader.note(
            n,
            f"'{row.get('name', '')}' uses another list than the rest of '{matrix['key']}'; "
            "left out",
        )
        return
    matrix["items"].append({"key": _key(row.get("name", "")), "label": reader.label(row)})
    matrix["required"].append(
        row.get("required", "").strip().casefold() in ("yes", "true", "true()", "1")
    )


def _finish_matrix(reader: _Reader, matrix: dict[str, Any], n: int) -> None:
    required = matrix.pop("required")
    if not matrix["items"]:
        reader.note(n, f"table '{matrix['key']}' has no select_one rows: left out")
        return
    if all(required):
        matrix["required"] = True
    elif any(required):
        reader.note(
            n,
            f"only some items of '{matrix['key']}' are required; innostudy requires "
            "all or none: none",
        )
    reader.current(n)["questions"].append(matrix)
    reader.keys.append(matrix["key"])
