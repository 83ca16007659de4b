"""An instrument as an XLSForm (the ODK/KoboToolbox form standard): survey, choices, settings.

The mapping, both ways (xlsform_read.py reads), documented in docs/instrument-format.md:

    section            begin_group (appearance field-list; innostudy_area when not its key)
    text / long_text   text / text with appearance multiline
    single_choice      select_one LIST
    likert             select_one LIST with appearance likert
    money_band         select_one LIST with innostudy_type money_band
    multi_choice       select_multiple LIST
    ranking            rank LIST
    likert_matrix      begin_group (appearance table-list) holding one select_one per item
    number             integer or decimal
    months             integer with innostudy_type months
    date               date
    min/max, max_length, min/max_selected   constraint (". >= 1 and . <= 10", …)
    description, intro note rows (innostudy_type description / intro)
    choice codes       innostudy_code column of the choices sheet

Extra columns (innostudy_*) are ignored by ODK and Kobo, so a form deploys as it is and
comes back unchanged. XLSForm has no inline choice lists: those get a list named after
their question.
"""

from __future__ import annotations

from typing import Any

from innostudy.survey.instrument import Choice, Instrument, Question, QuestionType, Section

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "innostudy_type",
    "innostudy_area",
)
CHOICES_COLUMNS = ("list_name", "name", "label", "innostudy_code")
SETTINGS_COLUMNS = ("form_title", "form_id", "version")

Row = dict[str, str]
Sheets = dict[str, list[Row]]

_SELECT = {
    QuestionType.SINGLE_CHOICE: "select_one",
    QuestionType.MONEY_BAND: "select_one",
    QuestionType.LIKERT: "select_one",
    QuestionType.MULTI_CHOICE: "select_multiple",
    QuestionType.RANKING: "rank",
}
_APPEARANCE = {QuestionType.LONG_TEXT: "multiline", QuestionType.LIKERT: "likert"}
_MARKED = {QuestionType.MONEY_BAND: "money_band", QuestionType.MONTHS: "months"}


def _num(value: float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def inline_list_names(instrument: Instrument) -> dict[str, str]:
    """Question key → the list name its inline choices get (XLSForm lists are all named)."""
    taken = set(instrument.choice_lists)
    names: dict[str, str] = {}
    for q in instrument.questions():
        if q.type.uses_choices and q.choice_list is None:
            name, n = q.key, 2
            while name in taken:
                name, n = f"{q.key}_{n}", n + 1
            taken.add(name)
            names[q.key] = name
    return names


def constraint(q: Question) -> tuple[str, str]:
    """The XLSForm constraint for a question's limits, and a message for respondents."""
    parts: list[str] = []
    said: list[str] = []
    t = q.type
    if t in (QuestionType.TEXT, QuestionType.LONG_TEXT) and q.max_length is not None:
        parts.append(f"string-length(.) <= {q.max_length}")
        said.append(f"at most {q.max_length} characters")
    if t in (QuestionType.MULTI_CHOICE, QuestionType.RANKING):
        verb = "rank" if t is QuestionType.RANKING else "choose"
        if q.min_selected is not None:
            parts.append(f"count-selected(.) >= {q.min_selected}")
            said.append(f"{verb} at least {q.min_selected}")
        if q.max_selected is not None:
            parts.append(f"count-selected(.) <= {q.max_selected}")
            said.append(f"{verb} at most {q.max_selected}")
    if t.is_numeric or t is QuestionType.DATE:
        wrap = (lambda v: f"date('{v}')") if t is QuestionType.DATE else _num
        if q.minimum is not None:
            parts.append(f". >= {wrap(q.minimum)}")
            said.append(f"at least {_num(q.minimum)}")
        if q.maximum is not None:
            parts.append(f". <= {wrap(q.maximum)}")
            said.append(f"at most {_num(q.maximum)}")
    message = "; ".join(said)
    return " and ".join(parts), message[:1].upper() + message[1:]


def _question_type(q: Question, lists: dict[str, str]) -> str:
    if q.type in _SELECT:
        return f"{_SELECT[q.type]} {q.choice_list or lists[q.key]}"
    if q.type is QuestionType.NUMBER:
        return "integer" if q.integer else "decimal"
    if q.type is QuestionType.MONTHS:
        return "integer"
    if q.type is QuestionType.DATE:
        return "date"
    return "text"


def _question_rows(q: Question, lists: dict[str, str]) -> list[Row]:
    common = {"hint": q.hint, "relevant": q.relevant or ""}
    if q.type is QuestionType.LIKERT_MATRIX:
        scale = q.choice_list or lists[q.key]
        rows = [
            {
                "type": "begin_group",
                "name": q.key,
                "label": q.label,
                "appearance": "table-list",
                "innostudy_type": "likert_matrix",
                **common,
            }
        ]
        rows += [
            {
                "type": f"select_one {scale}",
                "name": i.key,
                "label": i.label,
                "required": "yes" if q.required else "",
            }
            for i in q.items
        ]
        return [*rows, {"type": "end_group", "name": q.key}]
    check, message = constraint(q)
    row = {
        "type": _question_type(q, lists),
        "name": q.key,
        "label": q.label,
        "required": "yes" if q.required else "",
        "constraint": check,
        "constraint_message": message if check else "",
        "appearance": _APPEARANCE.get(q.type, ""),
        "innostudy_type": _MARKED.get(q.type, ""),
        **common,
    }
    return [row]


def _section_rows(section: Section, lists: dict[str, str]) -> list[Row]:
    rows: list[Row] = [
        {
            "type": "begin_group",
            "name": section.key,
            "label": section.title,
            "appearance": "field-list",
            "innostudy_area": section.area if section.area != section.key else "",
        }
    ]
    if section.intro:
        rows.append(
            {
                "type": "note",
                "name": f"{section.key}_intro",
                "label": section.intro,
                "innostudy_type": "intro",
            }
        )
    for q in section.questions:
        rows += _question_rows(q, lists)
    rows.append({"type": "end_group", "name": section.key})
    return rows


def _choice_rows(name: str, choices: tuple[Choice, ...]) -> list[Row]:
    return [
        {
            "list_name": name,
            "name": c.value,
            "label": c.label,
            "innostudy_code": str(c.code) if c.code != position else "",
        }
        for position, c in enumerate(choices, start=1)
    ]


def to_sheets(instrument: Instrument) -> Sheets:
    """The three sheets as rows of column → text (empty cells as empty strings)."""
    lists = inline_list_names(instrument)
    survey: list[Row] = []
    if instrument.description:
        survey.append(
            {
                "type": "note",
                "name": "description",
                "label": instrument.description,
                "innostudy_type": "description",
            }
        )
    for section in instrument.sections:
        survey += _section_rows(section, lists)
    choices: list[Row] = []
    for name, items in instrument.choice_lists.items():
        choices += _choice_rows(name, items)
    for q in instrument.questions():
        if q.key in lists:
            choices += _choice_rows(lists[q.key], q.choices)
    settings = [
        {"form_title": instrument.title, "form_id": instrument.id, "version": instrument.version}
    ]
    return {
        "survey": [_complete(r, SURVEY_COLUMNS) for r in survey],
        "choices": [_complete(r, CHOICES_COLUMNS) for r in choices],
        "settings": [_complete(r, SETTINGS_COLUMNS) for r in settings],
    }


def _complete(row: dict[str, Any], columns: tuple[str, ...]) -> Row:
    return {c: str(row.get(c) or "") for c in columns}


COLUMNS = {"survey": SURVEY_COLUMNS, "choices": CHOICES_COLUMNS, "settings": SETTINGS_COLUMNS}
