"""Importing survey responses from the files other survey tools export.

``import_responses(session, path, instrument, options)`` is the one entry point; the
formats it reads are in ``formats/``, and docs/survey-import.md describes each.
"""

from innostudy.survey.importing.core import (
    ImportOptions,
    ImportRejected,
    ImportReport,
    import_responses,
    plan_for,
)
from innostudy.survey.importing.formats import FORMAT_NAMES

__all__ = [
    "FORMAT_NAMES",
    "ImportOptions",
    "ImportRejected",
    "ImportReport",
    "import_responses",
    "plan_for",
]
