"""The demo's files for QDA tools: ``exchange/study.qdpx`` and ``exchange/study.qdc``.

They are written through the same export a user runs (``innostudy export qdpx``), with
two survey answers as case variables, so the demo shows what a team would take into
NVivo, ATLAS.ti, MAXQDA or QualCoder.
"""

from __future__ import annotations

from collections.abc import Callable

from innostudy.exchange.refi.exporting import export_qdc, export_qdpx
from innostudy.exchange.refi.from_study import ExportOptions
from innostudy.storage.store import StudyStore

EXCHANGE_DIR = "exchange"
DEMO_SURVEY_VARIABLES = ("cost_band", "overall_success")


def write_exchange_files(store: StudyStore, say: Callable[[str], None]) -> None:
    folder = store.path(EXCHANGE_DIR)
    options = ExportOptions(survey_variables=DEMO_SURVEY_VARIABLES)
    report = export_qdpx(store, folder / "study.qdpx", options, force=True)
    codes = export_qdc(store, folder / "study.qdc", force=True)
    say(
        f"Exchange: {EXCHANGE_DIR}/study.qdpx ({report.counts['coding']} codings) and "
        f"{EXCHANGE_DIR}/study.qdc ({codes} codes) for NVivo, ATLAS.ti, MAXQDA and QualCoder"
    )
