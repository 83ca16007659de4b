"""An instrument derived from any table of responses: plain CSV/XLSX, Kobo and ODK data.

Each column's type comes from what it holds: a list of choices from its distinct answers
(up to ``MAX_CHOICES``, and only when answers repeat), numbers, dates (however written,
dates.py), free text. Columns that share a stem and hold ticks (``origin/ministers``,
``origin.ministers``, ``origin___1``, ``origin[SQ001]``) are one multi-choice; when the
stem is a column too (Kobo's "single and separate columns"), that column is read and the
ticks left aside. Group paths (``general/category``) lose their groups. Survey-tool
metadata (times, ids, Kobo's ``_status``…) and the columns that name the organisation
are not questions. The result is a draft: every guess is in the notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from innostudy.survey.importing.cells import date_text
from innostudy.survey.importing.dates import DateOrder, Shape, shape
from innostudy.survey.importing.formats import kobo, limesurvey, qualtrics, redcap
from innostudy.survey.importing.matching import role_of
from innostudy.survey.importing.tables import Table, open_table
from innostudy.survey.inference import MAX_CHOICES, SAMPLE_ROWS, _choices, _Draft, _scalar
from innostudy.survey.instrument import Instrument

_SPLIT = re.compile(r"^(?P<stem>.+?)(?:/|\.|___|\[)(?P<part>[^/\[\]]+?)\]?$")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TICKS = {"", "0", "1", "0.0", "1.0", "y", "n", "yes", "no", "true", "false", "x"}
_NOT_QUESTIONS = (
    {m.casefold() for m in kobo.METADATA}
    | set(kobo.ROLES)
    | set(limesurvey.ROLES)
    | {m.casefold() for m in limesurvey.METADATA}
    | {m.casefold() for m in qualtrics.METADATA}
    | {"meta-instanceid", "redcap_survey_identifier", "redcap_event_name"}
)


def infer_from_table(path: Path) -> tuple[Instrument, list[str]]:
    table = open_table(path)
    skip = 2 if kobo.has_hashtags(table) else 1
    header = table.head(1)[0]
    columns = _sample(table, skip, len(header))
    draft = _Draft(str(path))
    used: set[int] = set()
    stems = _stems(header)
    for i, name in enumerate(header):
        if i in used or _not_a_question(name, columns[i], i):
            continue
        members = stems.get(name.strip(), [])
        if members:  # the stem is a column too: the list in it is the answer
            used.update(members)
            draft.questions.append(_listed(draft, name, [header[m] for m in members]))
            continue
        split = _SPLIT.match(name.strip())
        group = stems.get(split["stem"], []) if split else []
        if split and len(group) > 1 and _ticks(columns, group):
            used.update(group)
            draft.questions.append(_ticked(draft, split["stem"], [header[m] for m in group]))
            continue
        label = _last(name)
        q = _scalar(draft, draft.key(_key_text(label)), label, columns[i])
        _dates(draft, q, columns[i])
        draft.questions.append(q)
    title = path.stem.replace("_", " ")
    return draft.instrument(title), draft.notes


def _sample(table: Table, skip: int, width: int) -> dict[int, list[str]]:
    columns: dict[int, list[str]] = defaultdict(list)
    for n, (_, cells) in enumerate(table.records(skip)):
        if n >= SAMPLE_ROWS:
            break
        for i in range(min(width, len(cells))):
            columns[i].append("" if cells[i] == "NA" else cells[i])
    return columns


def _not_a_question(name: str, values: list[str], index: int) -> bool:
    key = name.strip().casefold()
    if not key or key in _NOT_QUESTIONS or key.startswith(redcap.METADATA_PREFIXES):
        return True
    if key.endswith(("_complete", "_timestamp")) or role_of(name) is not None:
        return True
    return index == 0 and key in ("id", "record_id", "respid", "response_id")


def _stems(header: list[str]) -> dict[str, list[int]]:
    """Stem → the columns ``stem/part`` (and the like) that follow from it."""
    found: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(header):
        split = _SPLIT.match(name.strip())
        if split is not None:
            found[split["stem"]].append(i)
    return found


def _ticks(columns: dict[int, list[str]], members: list[int]) -> bool:
    return all(v.strip().casefold() in TICKS for m in members for v in columns[m])


def _part(name: str) -> str:
    split = _SPLIT.match(name.strip())
    return split["part"] if split else name


def _last(name: str) -> str:
    """A group path's last step: ``general/category`` is ``category``."""
    return name.strip().split("/")[-1] or name


def _key_text(label: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", label):
        return label
    words = re.sub(r"[^0-9a-z]+", "_", label.casefold()).strip("_")[:40].strip("_")
    return words or "q"


def _listed(draft: _Draft, name: str, parts: list[str]) -> dict[str, Any]:
    labels = [_part(p) for p in parts]
    draft.notes.append(
        f"{name}: a list of choices with one column per choice; read as a multi-choice "
        f"of {len(labels)}"
    )
    return {
        "key": draft.key(_key_text(_last(name))),
        "type": "multi_choice",
        "label": _last(name),
        "choices": _choices(labels),
    }


def _ticked(draft: _Draft, stem: str, parts: list[str]) -> dict[str, Any]:
    labels = [_part(p) for p in parts]
    draft.notes.append(f"{stem}: {len(labels)} columns of ticks; read as one multi-choice")
    return {
        "key": draft.key(_key_text(_last(stem))),
        "type": "multi_choice",
        "label": _last(stem),
        "choices": _choices(labels),
    }


def _dates(draft: _Draft, q: dict[str, Any], values: list[str]) -> None:
    """A column of dates written another way than ISO (25/03/2024, 25-Mar-2024…)."""
    seen = [v.strip() for v in values if v.strip()]
    if q["type"] not in ("text", "single_choice") or not seen:
        return
    if any(_is_plain_number(v) or shape(v) is Shape.NEITHER for v in seen):
        return
    order = DateOrder()
    for v in seen:
        order.see(v)
    if order.ambiguous or (order.matters and order.order is None):
        draft.notes.append(
            f"{q['key']}: looks like dates, but day and month cannot be told apart; "
            "left as text (import with --date-format after making it a date question)"
        )
        return
    if all(_ISO.fullmatch(date_text(v, order.order)) for v in seen):
        q.pop("choices", None)
        q["type"] = "date"
        draft.notes[:] = [n for n in draft.notes if not n.startswith(f"{q['key']}:")]
        draft.notes.append(f"{q['key']}: dates; read as a date question")


def _is_plain_number(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+(\.[0-9]+)?", text))


__all__ = ["MAX_CHOICES", "infer_from_table"]
