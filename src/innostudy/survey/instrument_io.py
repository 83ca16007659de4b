"""Instrument files in every format innostudy reads and writes, chosen by name or content.

Read: instrument YAML, XLSForm (.xlsx, or one CSV per sheet), LimeSurvey .lss, REDCap
data dictionary (CSV). Write: YAML, XLSForm .xlsx, XLSForm CSV folder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from innostudy.atomic import atomic_folder, atomic_path, write_atomic
from innostudy.errors import InputError, StudyError
from innostudy.survey.instrument import Instrument, load_instrument
from innostudy.survey.instrument_yaml import dump_instrument
from innostudy.textfiles import read_text

READ_FORMATS = ("auto", "yaml", "xlsform", "lss", "redcap")
WRITE_FORMATS = ("yaml", "xlsform", "xlsform-csv")


@dataclass(frozen=True)
class ReadInstrument:
    instrument: Instrument
    format: str
    notes: list[str]


def detect_format(path: Path) -> str:
    suffix = path.suffix.casefold()
    if path.is_dir():
        return "xlsform"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".lss":
        return "lss"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsform"
    if suffix == ".csv":
        from innostudy.survey.redcap_dictionary import is_data_dictionary

        header = next(csv.reader(io.StringIO(read_text(path).text)), [])
        return "redcap" if is_data_dictionary(header) else "xlsform"
    raise InputError(path, None, None, "cannot tell the instrument format; pass --format")


def read_instrument_file(path: Path, fmt: str = "auto") -> ReadInstrument:
    if not path.exists():
        raise InputError(path, None, None, "file not found")
    if fmt not in READ_FORMATS:
        raise InputError(
            path,
            None,
            None,
            f"unknown instrument format '{fmt}' (one of: {', '.join(READ_FORMATS)})",
        )
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "yaml":
        return ReadInstrument(load_instrument(path), fmt, [])
    if fmt == "lss":
        from innostudy.survey.lss import read_lss

        instrument, notes = read_lss(path)
        return ReadInstrument(instrument, fmt, notes)
    if fmt == "redcap":
        from innostudy.survey.redcap_dictionary import read_dictionary

        instrument, notes = read_dictionary(path)
        return ReadInstrument(instrument, fmt, notes)
    from innostudy.survey.xlsform_files import read_csv_sheets, read_workbook
    from innostudy.survey.xlsform_read import read_sheets

    is_workbook = path.suffix.casefold() in (".xlsx", ".xlsm")
    sheets = read_workbook(path) if is_workbook else read_csv_sheets(path)
    instrument, notes = read_sheets(sheets, str(path))
    return ReadInstrument(instrument, "xlsform", notes)


def write_instrument_file(
    instrument: Instrument,
    path: Path,
    fmt: str | None = None,
    *,
    force: bool = False,
    keep_formulas: bool = False,
) -> str:
    """Write ``instrument`` to ``path``; the format comes from ``fmt`` or the suffix."""
    fmt = fmt or (
        "xlsform" if path.suffix.casefold() == ".xlsx" else "yaml" if path.suffix else "xlsform-csv"
    )
    if fmt not in WRITE_FORMATS:
        raise InputError(
            path,
            None,
            None,
            f"cannot write an instrument as '{fmt}' (one of: {', '.join(WRITE_FORMATS)})",
        )
    if path.exists() and not force:
        raise StudyError(f"{path}: already exists; choose another name or pass --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "yaml":
        write_atomic(path, dump_instrument(instrument))
        return fmt
    from innostudy.survey.xlsform import to_sheets
    from innostudy.survey.xlsform_files import write_csv_sheets, write_workbook

    sheets = to_sheets(instrument)
    if fmt == "xlsform":
        with atomic_path(path) as temp:
            write_workbook(sheets, temp)
    else:
        with atomic_folder(path) as folder:
            write_csv_sheets(sheets, folder, keep_formulas=keep_formulas)
    return fmt
