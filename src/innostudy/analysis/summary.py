"""The analysis of a study as one object: tables, named statistics and named figures.

This is the Python API later stages build on::

    from innostudy.analysis import summary
    s = summary.load(store)                       # computed from the database, never stale
    summary.stat(s, "time_to_market.median")      # 24.0
    summary.format_stat(s, "category.it_web.pct") # "20%"
    summary.figure(s, "barriers_ranked", "svg")   # chart bytes
    s.tables["choices"]                           # a polars DataFrame

``read(folder)`` loads what ``innostudy analyse`` wrote (summary.json plus the Parquet
tables), so a briefing or report can be rebuilt from a saved analysis too.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from innostudy.analysis import formatting
from innostudy.analysis.figures import FigureSpec, figure_specs
from innostudy.analysis.frames import SurveyData, load_survey_data
from innostudy.analysis.stage_checks import SETTING as STAGE_SETTING
from innostudy.analysis.stage_checks import StageRule, parse_rules, stage_notes
from innostudy.analysis.stat_names import StatValue, flatten
from innostudy.analysis.tables import TABLES, build_tables
from innostudy.errors import InnostudyError, InputError
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument_definition import study_instrument

SUMMARY_FILE = "summary.json"
PARQUET_DIR = "parquet"
FORMAT_NAME = "innostudy-analysis"
FORMAT_VERSION = 1


class UnknownNameError(InnostudyError):
    """A statistic or figure name that the analysis does not have."""


@dataclass(frozen=True)
class Summary:
    study_name: str
    synthetic: bool
    generated_at: str
    respondents: int
    stats: dict[str, StatValue]
    units: dict[str, str]
    figures: dict[str, FigureSpec]
    tables: dict[str, pl.DataFrame] = field(repr=False)
    notes: tuple[str, ...] = ()

    def question_label(self, key: str) -> str:
        rows = self.tables["questions"].filter(pl.col("question") == key)
        return str(rows["label"][0]) if rows.height else key


def analyse(
    data: SurveyData,
    *,
    study_name: str = "",
    synthetic: bool = False,
    now: datetime | None = None,
    stage_rules: Sequence[StageRule] = (),
) -> Summary:
    """Tables, statistics and figure list for one set of survey data (pure; no database)."""
    tables = build_tables(data, stage_rules)
    stats, units = flatten(tables)
    return Summary(
        study_name=study_name,
        synthetic=synthetic,
        generated_at=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        respondents=data.respondents,
        stats=stats,
        units=units,
        figures=figure_specs(data.instrument),
        tables=tables,
        notes=(*data.notes, *stage_notes(tables["stage_checks"])),
    )


def load(store: StudyStore) -> Summary:
    """The study's analysis, computed now from its database and instrument."""
    with store.session() as session:
        instrument = study_instrument(store, session)
        data = load_survey_data(session, instrument)
    rules = parse_rules(str(store.settings[STAGE_SETTING]), instrument)
    return analyse(
        data,
        study_name=store.settings.study_name,
        synthetic=store.settings.synthetic,
        stage_rules=rules,
    )


def to_json(summary: Summary) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "study": {"name": summary.study_name, "synthetic": summary.synthetic},
        "generated_at": summary.generated_at,
        "respondents": summary.respondents,
        "notes": list(summary.notes),
        "stats": summary.stats,
        "units": summary.units,
        "figures": {name: spec.as_json() for name, spec in summary.figures.items()},
        "tables": {name: TABLES[name] for name in summary.tables},
    }


def read(folder: Path) -> Summary:
    """A saved analysis: ``folder/summary.json`` and the tables in ``folder/parquet/``."""
    path = folder / SUMMARY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, None, "not found; run `innostudy analyse` first") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, None, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(path, None, "format", "not an innostudy analysis summary")
    if data.get("version") != FORMAT_VERSION:
        raise InputError(
            path, None, "version", f"version {data.get('version')} is not {FORMAT_VERSION}"
        )
    tables = {}
    for name in data["tables"]:
        table_path = folder / PARQUET_DIR / f"{name}.parquet"
        if not table_path.is_file():
            raise InputError(table_path, None, None, "missing; run `innostudy analyse` again")
        tables[name] = pl.read_parquet(table_path)
    return Summary(
        study_name=data["study"]["name"],
        synthetic=bool(data["study"]["synthetic"]),
        generated_at=data["generated_at"],
        respondents=int(data["respondents"]),
        stats=data["stats"],
        units=data["units"],
        figures={n: FigureSpec.from_json(spec) for n, spec in data["figures"].items()},
        tables=tables,
        notes=tuple(data["notes"]),
    )


def _unknown(kind: str, name: str, known: list[str]) -> UnknownNameError:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return UnknownNameError(
        f"unknown {kind} '{name}'{hint} (`innostudy analyse --list` shows every name)"
    )


def stat(summary: Summary, name: str) -> StatValue:
    """The value of a named statistic (percentages in percent); unknown names are errors."""
    try:
        return summary.stats[name]
    except KeyError:
        raise _unknown("statistic", name, list(summary.stats)) from None


def format_stat(summary: Summary, name: str) -> str:
    """A statistic written as slides and the report write it ("37%", "24", "<0.001")."""
    value = stat(summary, name)
    unit = summary.units[name]
    if value is None:
        return formatting.MISSING
    if unit == "%":
        return formatting.pct(float(value))
    if unit == "count":
        return formatting.count(int(value))
    if unit == "p":
        return formatting.p_value(float(value))
    if unit == "statistic":
        return f"{float(value):.2f}"
    if unit == "flag":
        return "yes" if value else "no"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formatting.number(float(value))
    return str(value)


def stat_names(summary: Summary, pattern: str | None = None) -> list[str]:
    """Every statistic's name, in a stable order; ``pattern`` is a shell glob."""
    names = list(summary.stats)
    return [n for n in names if fnmatch.fnmatchcase(n, pattern)] if pattern else names


def figure_names(summary: Summary, pattern: str | None = None) -> list[str]:
    """Every figure's name, in instrument order; ``pattern`` is a shell glob."""
    names = list(summary.figures)
    return [n for n in names if fnmatch.fnmatchcase(n, pattern)] if pattern else names


def figure_spec(summary: Summary, name: str) -> FigureSpec:
    try:
        return summary.figures[name]
    except KeyError:
        raise _unknown("figure", name, list(summary.figures)) from None


def figure(summary: Summary, name: str, fmt: str = "png") -> bytes:
    """A named figure as PNG or SVG bytes."""
    from innostudy.analysis.charts import render

    return render(summary, figure_spec(summary, name), fmt)
