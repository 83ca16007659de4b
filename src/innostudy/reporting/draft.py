"""`innostudy report draft`: a first draft of each area's section, written from the data.

The draft says what an analyst would say first about an area: the survey's headline
figures with their intervals and bases, which groups raised the area most and least
(as shares of their own turns), where the civil-service and comparison groups differ,
and balanced quotes. Every sentence is made of placeholders, so the draft cannot drift
from the data: it is rewritten into words each time the report is made, and
``report check`` warns when a value changes under the analyst's sentence. Candidate
quotes, ranked by how typical they are of their theme (``typicality``), are listed in a
comment with the command that selects each; nothing is selected for the analyst.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from innostudy.analysis.summary import Summary
from innostudy.areas import Area
from innostudy.atomic import write_atomic
from innostudy.coding.coded import MainCoding
from innostudy.errors import StudyError
from innostudy.reporting.typicality import candidates
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import Instrument, Question, QuestionType

_CHOICE = (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE, QuestionType.MONEY_BAND)


def _question(q: Question) -> str | None:
    """The headline sentence for one survey question, or None for kinds without one."""
    label = re.split(r"(?<=[.?!])\s", q.label)[0].rstrip("?.: ")  # the question's first sentence
    if q.type in _CHOICE:
        return (
            f"Asked “{label}”, the commonest answer was “{{{{stat: {q.key}.top_label}}}}”, "
            f"given by {{{{stat: {q.key}.top_pct.headline}}}}."
        )
    if q.type is QuestionType.RANKING:
        return (
            f"Asked to “{label}”, organisations ranked “{{{{stat: {q.key}.top_label}}}}” first "
            f"most often, {{{{stat: {q.key}.top_first_share.headline}}}}."
        )
    if q.type is QuestionType.LIKERT_MATRIX:
        return (
            f"Asked “{label}”, organisations rated “{{{{stat: {q.key}.top_item_label}}}}” "
            f"high most often ({{{{stat: {q.key}.top_item_high_share}}}}) and "
            f"“{{{{stat: {q.key}.bottom_item_label}}}}” least often "
            f"({{{{stat: {q.key}.bottom_item_high_share}}}})."
        )
    if q.type.is_numeric:
        return (
            f"The median answer to “{label}” was {{{{stat: {q.key}.median}}}} (mean "
            f"{{{{stat: {q.key}.mean}}}}; {{{{stat: {q.key}.n}}}} answering)."
        )
    return None


def area_draft(
    session: Session,
    area: Area,
    instrument: Instrument,
    summary: Summary,
    main: MainCoding,
) -> str:
    key = area.key
    lines = [
        f"<!-- A first draft of “{area.title}” written by `innostudy report draft`. Every",
        "sentence is placeholders: keep them and rewrite the words around them. -->",
        "",
    ]
    for q in (q for q in instrument.questions() if q.area == key):
        sentence = _question(q)
        if sentence:
            lines += [sentence, ""]
    figures = [f for f in summary.figures.values() if f.area == key]
    lines += [f"{{{{figure: {f.name}}}}}\n" for f in figures if not f.name.endswith("_by_org_type")]
    lines += [
        f"In the focus groups, {{{{stat: themes.{key}.people}}}} participants present raised "
        f"this area. It took the largest share of the turns of "
        f"{{{{stat: themes.{key}.most_raised_by}}}} and the smallest of "
        f"{{{{stat: themes.{key}.least_raised_by}}}}; the theme raised most was "
        f"{{{{stat: themes.{key}.top_theme}}}}.",
        "",
        f"The civil-service groups gave {{{{stat: comparison.{key}.civil_service}}}} to this "
        f"area and the comparison groups {{{{stat: comparison.{key}.comparison}}}}; they "
        f"differed most on {{{{stat: comparison.{key}.largest_gap}}}}.",
        "",
        f"{{{{comparison: {key}}}}}",
        "",
        f"{{{{quotes: code={key} per_group=1}}}}",
        "",
        *_candidates(session, main, key),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _candidates(session: Session, main: MainCoding, area: str) -> list[str]:
    found = candidates(session, main, area)
    if not found:
        return [
            "<!-- No candidate quotes yet: nothing in this area is coded in the main coding. -->"
        ]
    lines = ["<!-- Candidate quotes, the most typical of their theme first, balanced by group."]
    lines.append("     Select one with the command beside it (add --text to shorten it):")
    for c in found:
        preview = " ".join(c.text.split())[:90].replace("--", "–")
        lines.append(
            f"     {c.group}, {c.theme} ({c.typicality:.2f}): "
            f"innostudy quotes add {c.coding_id}  “{preview}…”"
        )
    return [*lines, "-->"]


def write_drafts(folder: Path, drafts: dict[str, str], *, force: bool = False) -> list[Path]:
    """``draft-<area>.md`` files in the narrative folder; existing ones only with ``force``."""
    paths = {folder / f"draft-{key}.md": text for key, text in drafts.items()}
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise StudyError(
            f"{existing[0]} already exists (an edited draft?); pass --force to overwrite it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in paths.items():
        write_atomic(path, text)
    return list(paths)


def draft_study(
    store: StudyStore, areas: list[str] | None = None, *, force: bool = False
) -> list[Path]:
    """Write a draft for each of the study's areas (or the ``areas`` named)."""
    from innostudy.analysis import summary as analysis
    from innostudy.areas import load_areas
    from innostudy.coding.coded import study_main_coding
    from innostudy.errors import NotFoundError
    from innostudy.survey.instrument import load_instrument

    known = load_areas(store.setting_path("fieldwork.areas"))
    chosen = known if not areas else []
    for key in areas or []:
        area = next((a for a in known if a.key == key), None)
        if area is None:
            raise NotFoundError("area", key, listing="report draft --help")
        chosen.append(area)
    instrument = load_instrument(store.setting_path("survey.instrument"))
    summary = analysis.load(store)
    with store.session() as session:
        main = study_main_coding(session, store.settings)
        drafts = {a.key: area_draft(session, a, instrument, summary, main) for a in chosen}
    return write_drafts(store.path(str(store.settings["report.narrative"])), drafts, force=force)
