"""Read a LimeSurvey survey structure file (.lss) into an instrument, with notes.

Both layouts are read: LimeSurvey 2–3, where texts sit in the question, answer and
group rows, and LimeSurvey 4–6, where they sit in *_l10ns tables. Groups become
sections, question codes become keys, answer options and sub-questions become choices
or matrix items, mandatory questions are required, and the question attributes that
set limits (maximum_chars, min/max_num_value_n, min/max_answers) carry over. Skip rules
are translated from ExpressionScript when they are simple comparisons; others are left
out and named in the notes.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from innostudy.errors import InputError
from innostudy.survey.instrument import KEY_PATTERN, Instrument, parse_instrument
from innostudy.survey.relevance import RelevanceError, parse, references

_BREAKS = re.compile(r"<(?:br|/p|/div|/li|/h[1-6])\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_ARRAY_SCALES = {
    "A": [(str(n), str(n)) for n in range(1, 6)],
    "B": [(str(n), str(n)) for n in range(1, 11)],
    "C": [("Y", "Yes"), ("U", "Uncertain"), ("N", "No")],
    "E": [("I", "Increase"), ("S", "Same"), ("D", "Decrease")],
}
_FIXED = {"G": [("F", "Female"), ("M", "Male")], "Y": [("Y", "Yes"), ("N", "No")]}
_SIMPLE = {"S": "text", "T": "long_text", "U": "long_text", "N": "number", "D": "date"}
_SKIPPED = {"X": "text display", "*": "equation", "|": "file upload", "I": "language switch"}
# Types read as several questions, one per sub-question (key ``CODE_SUB``).
_SPLIT = {"K": "number", "Q": "text"}
TYPE_NAMES = {
    "1": "array (dual scale)",
    "5": "5 point choice",
    "A": "array (5 point choice)",
    "B": "array (10 point choice)",
    "C": "array (yes/no/uncertain)",
    "D": "date/time",
    "E": "array (increase/same/decrease)",
    "F": "array",
    "G": "gender",
    "H": "array by column",
    "K": "multiple numerical input",
    "L": "list (radio)",
    "M": "multiple choice",
    "N": "numerical input",
    "O": "list with comment",
    "P": "multiple choice with comments",
    "Q": "multiple short text",
    "R": "ranking",
    "S": "short free text",
    "T": "long free text",
    "U": "huge free text",
    "Y": "yes/no",
    "!": "list (dropdown)",
    ":": "array (numbers)",
    ";": "array (texts)",
    "|": "file upload",
    "*": "equation",
    "X": "text display",
    "I": "language switch",
}


def dual_scale_key(code: str, scale: int) -> str:
    """The matrix that holds scale 0 or 1 of a dual-scale array: ``Q1_1`` and ``Q1_2``.

    LimeSurvey codes never contain an underscore, so these cannot clash with a code.
    """
    return f"{code}_{scale + 1}"


def part_key(code: str, sub: str) -> str:
    """The question that holds one sub-question of a multiple numerical or text input."""
    return f"{code}_{sub}"


def plain(text: str) -> str:
    """Question texts are HTML in LimeSurvey; the instrument holds plain text."""
    spaced = _BREAKS.sub(" ", text or "")
    return " ".join(html.unescape(_TAGS.sub("", spaced)).split())


def _tables(path: Path) -> dict[str, list[dict[str, str]]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise InputError(path, None, None, f"not a LimeSurvey structure file: {exc}") from None
    if root.findtext("LimeSurveyDocType") not in ("Survey", None):
        raise InputError(
            path, None, None, "not a survey structure (.lss): a LimeSurvey file of another kind"
        )
    tables: dict[str, list[dict[str, str]]] = {}
    for table in root:
        rows = table.find("rows")
        if rows is not None:
            tables[table.tag] = [{c.tag: (c.text or "") for c in row} for row in rows]
    tables["_languages"] = [
        {"language": e.text or ""}
        for e in root.iter("language")
        if e.getparent() is not None and e.getparent().tag == "languages"
    ]
    return tables


class _Lss:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.t = _tables(path)
        languages = [r["language"] for r in self.t.get("_languages", []) if r["language"]]
        self.language = languages[0] if languages else ""
        self.notes: list[str] = []
        self.attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for row in self.t.get("question_attributes", []):
            if row.get("language", "") in ("", self.language):
                self.attributes[row.get("qid", "")][row.get("attribute", "")] = row.get("value", "")

    def mine(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [r for r in rows if r.get("language", self.language) in ("", self.language)]

    def texts(self, table: str, key: str, field: str) -> dict[str, str]:
        return {r.get(key, ""): r.get(field, "") for r in self.mine(self.t.get(table, []))}


def read_lss(path: Path) -> tuple[Instrument, list[str]]:
    lss = _Lss(path)
    survey = (lss.mine(lss.t.get("surveys_languagesettings", [])) or [{}])[0]
    sid = (lss.t.get("surveys") or lss.t.get("groups") or [{}])[0].get("sid", "survey")
    data: dict[str, Any] = {
        "id": f"limesurvey-{sid}",
        "title": plain(survey.get("surveyls_title", "")) or f"LimeSurvey {sid}",
        "version": "1",
        "sections": _sections(lss),
    }
    description = plain(survey.get("surveyls_description", ""))
    if description:
        data["description"] = description
    if not data["sections"]:
        raise InputError(path, None, None, "the survey has no questions innostudy can use")
    return parse_instrument(data, str(path)), lss.notes


def _sections(lss: _Lss) -> list[dict[str, Any]]:
    names = lss.texts("group_l10ns", "gid", "group_name") or lss.texts(
        "groups", "gid", "group_name"
    )
    intros = lss.texts("group_l10ns", "gid", "description") or lss.texts(
        "groups", "gid", "description"
    )
    groups = {r["gid"]: r for r in lss.mine(lss.t.get("groups", []))}
    order = sorted(groups, key=lambda g: int(groups[g].get("group_order") or 0))
    questions = _questions_by_group(lss)
    sections: list[dict[str, Any]] = []
    taken: set[str] = set()
    seen: list[str] = []
    for gid in order:
        title = plain(names.get(gid, "")) or f"Group {gid}"
        key = _slug(title, taken)
        qs = [q for row in questions.get(gid, []) for q in _questions(lss, row, seen)]
        if qs:
            section: dict[str, Any] = {"key": key, "title": title, "questions": qs}
            if plain(intros.get(gid, "")):
                section["intro"] = plain(intros[gid])
            sections.append(section)
    return sections


def _slug(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", title.casefold()).strip("_")[:40] or "section"
    base = base if KEY_PATTERN.match(base) else f"s_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def _questions_by_group(lss: _Lss) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in lss.mine(lss.t.get("questions", [])):
        if row.get("parent_qid", "0") in ("", "0"):
            found[row.get("gid", "")].append(row)
    for rows in found.values():
        rows.sort(key=lambda r: int(r.get("question_order") or 0))
    return found


def _questions(lss: _Lss, row: dict[str, str], seen: list[str]) -> list[dict[str, Any]]:
    """One question, or several for the types that split (dual scales, multiple inputs)."""
    kind, code, qid = row.get("type", ""), row.get("title", ""), row.get("qid", "")
    q = _question(lss, row, seen)
    if q is None or kind not in ("1", *_SPLIT):
        return [q] if q is not None else []
    seen.remove(code)  # later rules name the parts, never the code itself
    if kind == "1":
        return _dual_scale(lss, q, code, qid)
    parts = []
    subs = _subquestions(lss, qid)
    if not subs:
        lss.notes.append(f"question {code}: a {TYPE_NAMES[kind]} without sub-questions; left out")
        return []
    for sub in subs:
        part = {k: v for k, v in q.items() if k in ("required", "relevant", "hint")}
        part |= {"key": part_key(code, sub["code"]), "type": _SPLIT[kind]}
        part["label"] = f"{q['label']} - {sub['text'] or sub['code']}"
        parts.append(part)
        seen.append(part["key"])
    lss.notes.append(
        f"question {code}: a {TYPE_NAMES[kind]}, read as {len(parts)} questions "
        f"({', '.join(p['key'] for p in parts[:3])}{'…' if len(parts) > 3 else ''})"
    )
    return parts


def _dual_scale(lss: _Lss, q: dict[str, Any], code: str, qid: str) -> list[dict[str, Any]]:
    """A dual-scale array is two matrices over the same items, one per scale."""
    items = [{"key": s["code"], "label": s["text"] or s["code"]} for s in _subquestions(lss, qid)]
    attributes = lss.attributes.get(qid, {})
    matrices = []
    for scale, header in ((0, "dualscale_headerA"), (1, "dualscale_headerB")):
        levels = _answers(lss, qid, scale)
        title = plain(attributes.get(header, "")) or f"scale {scale + 1}"
        matrix = {k: v for k, v in q.items() if k in ("required", "relevant", "hint")}
        matrix |= {
            "key": dual_scale_key(code, scale),
            "type": "likert_matrix",
            "label": f"{q['label']} ({title})",
            "scale": _choices(levels),
            "items": items,
        }
        if levels:
            matrices.append(matrix)
    lss.notes.append(
        f"question {code}: a dual-scale array, read as two matrices "
        f"({', '.join(m['key'] for m in matrices)})"
    )
    return matrices


def _subquestions(lss: _Lss, qid: str) -> list[dict[str, str]]:
    rows = [r for r in lss.mine(lss.t.get("subquestions", [])) if r.get("parent_qid") == qid]
    rows += [r for r in lss.mine(lss.t.get("questions", [])) if r.get("parent_qid") == qid]
    texts = lss.texts("question_l10ns", "qid", "question")
    unique = {r["qid"]: r for r in rows if r.get("scale_id", "0") in ("", "0")}
    ordered = sorted(unique.values(), key=lambda r: int(r.get("question_order") or 0))
    return [
        {"code": r.get("title", ""), "text": plain(r.get("question") or texts.get(r["qid"], ""))}
        for r in ordered
    ]


def _answers(lss: _Lss, qid: str, scale: int = 0) -> list[tuple[str, str]]:
    texts = lss.texts("answer_l10ns", "aid", "answer")
    wanted = ("", "0") if scale == 0 else (str(scale),)
    rows = [
        r
        for r in lss.mine(lss.t.get("answers", []))
        if r.get("qid") == qid and r.get("scale_id", "0") in wanted
    ]
    rows.sort(key=lambda r: int(r.get("sortorder") or 0))
    return [
        (r.get("code", ""), plain(r.get("answer") or texts.get(r.get("aid", ""), ""))) for r in rows
    ]


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"value": code, "label": label or code} for code, label in pairs]


def _question(lss: _Lss, row: dict[str, str], seen: list[str]) -> dict[str, Any] | None:
    code, kind, qid = row.get("title", ""), row.get("type", ""), row.get("qid", "")
    text = (
        plain(row.get("question") or lss.texts("question_l10ns", "qid", "question").get(qid, ""))
        or code
    )
    if kind in _SKIPPED:
        lss.notes.append(f"question {code}: a {_SKIPPED[kind]} is not a question; left out")
        return None
    if not KEY_PATTERN.match(code):
        lss.notes.append(f"question {code}: its code is not a valid key; left out")
        return None
    q: dict[str, Any] = {"key": code, "label": text}
    if not _typed(lss, q, kind, qid):
        named = f" ({TYPE_NAMES[kind]})" if kind in TYPE_NAMES else ""
        lss.notes.append(
            f"question {code}: LimeSurvey type '{kind}'{named} has no innostudy equivalent; "
            "left out"
        )
        return None
    help_text = plain(row.get("help") or lss.texts("question_l10ns", "qid", "help").get(qid, ""))
    if help_text:
        q["hint"] = help_text
    if row.get("mandatory", "N") == "Y":
        q["required"] = True
    if row.get("other", "N") == "Y":
        lss.notes.append(f"question {code}: the 'Other' option and its text were left out")
    rule = translate_expression(row.get("relevance", "1"), seen)
    if rule is None:
        lss.notes.append(
            f"question {code}: skip rule left out (not a simple comparison): {row.get('relevance')}"
        )
    elif rule:
        q["relevant"] = rule
    _limits(q, lss.attributes.get(qid, {}))
    seen.append(code)
    return q


def _typed(lss: _Lss, q: dict[str, Any], kind: str, qid: str) -> bool:
    if kind in _SIMPLE:
        q["type"] = _SIMPLE[kind]
    elif kind in ("L", "!", "O"):
        q["type"], q["choices"] = "single_choice", _choices(_answers(lss, qid))
    elif kind in _FIXED:
        q["type"], q["choices"] = "single_choice", _choices(_FIXED[kind])
    elif kind in ("M", "P"):
        subs = _subquestions(lss, qid)
        q["type"], q["choices"] = "multi_choice", _choices([(s["code"], s["text"]) for s in subs])
    elif kind == "R":
        q["type"], q["choices"] = "ranking", _choices(_answers(lss, qid))
    elif kind in _SPLIT or kind == "1":
        q["type"] = "text"  # a placeholder: _questions splits it into several questions
    elif kind == "5":
        q["type"], q["scale"] = "likert", _choices([(str(n), str(n)) for n in range(1, 6)])
    elif kind in ("F", "H", *_ARRAY_SCALES):
        scale = _ARRAY_SCALES.get(kind) or _answers(lss, qid)
        items = [
            {"key": s["code"], "label": s["text"] or s["code"]} for s in _subquestions(lss, qid)
        ]
        q["type"], q["scale"], q["items"] = "likert_matrix", _choices(scale), items
    else:
        return False
    offered: list[Any] = q.get("choices", q.get("scale", [None]))
    return offered != []  # an empty list: nothing to choose from


def _limits(q: dict[str, Any], attributes: dict[str, str]) -> None:
    def whole(name: str) -> int | None:
        value = attributes.get(name, "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None

    if q["type"] in ("text", "long_text") and whole("maximum_chars"):
        q["max_length"] = whole("maximum_chars")
    if q["type"] == "number":
        for name, field in (("min_num_value_n", "min"), ("max_num_value_n", "max")):
            value = attributes.get(name, "").strip()
            if re.fullmatch(r"-?\d+(\.\d+)?", value):
                q[field] = float(value)
        if attributes.get("num_value_int_only", "0") == "1":
            q["integer"] = True
    if q["type"] in ("multi_choice", "ranking"):
        few, many = (
            ("min_ranked", "max_ranked")
            if q["type"] == "ranking"
            else ("min_selected", "max_selected")
        )
        if whole("min_answers"):
            q[few] = whole("min_answers")
        if whole("max_answers"):
            q[many] = whole("max_answers")


_LS_TOKEN = re.compile(
    r"""("[^"]*"|'[^']*'|&&|\|\||==|!=|<=|>=|[<>()!]|[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?|\s+)"""
)


_TICKED = re.compile(r"(selected\(\$\{\w+\}, '[^']*'\)) = 'Y'")
_UNTICKED = re.compile(r"(selected\(\$\{\w+\}, '[^']*'\)) != 'Y'")


def translate_expression(expression: str, earlier: list[str]) -> str | None:
    """A LimeSurvey relevance equation in XLSForm syntax; "" for always, None when too hard."""
    text = (expression or "").strip().strip("{}").strip()
    if text in ("", "1"):
        return ""
    out: list[str] = []
    pos = 0
    for m in _LS_TOKEN.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        token = m.group(0)
        if token.isspace():
            continue
        out.append(_token(token, earlier))
    if pos != len(text) or "?" in out:
        return None
    rule = " ".join(out).replace("( ", "(").replace(" )", ")")
    # Q1_SQ001 == "Y" (a ticked sub-question) reads as selected(${Q1}, 'SQ001')
    rule = _TICKED.sub(r"\1", rule)
    rule = _UNTICKED.sub(r"not(\1)", rule)
    if re.search(r"selected\([^)]*\) *[=!<>]", rule):
        return None
    try:
        refs = references(parse(rule))
    except RelevanceError:
        return None
    return rule if all(r in earlier for r in refs) else None


def _token(token: str, earlier: list[str]) -> str:
    words = {"&&": "and", "||": "or", "==": "=", "and": "and", "or": "or", "eq": "=", "ne": "!="}
    if token in words:
        return words[token]
    if token[0] in "\"'":
        return "'" + token[1:-1].replace("'", "") + "'"
    if token[0].isalpha() or token[0] == "_":
        name = token.removesuffix(".NAOK").removesuffix(".value")
        if name in earlier:
            return "${" + name + "}"
        base, _, sub = name.partition("_")
        if base in earlier and sub:
            return f"selected(${{{base}}}, '{sub}')"
        return "?"
    return token if token not in ("!",) else "?"
