"""An import report in words, for the command line (kept here so the CLI stays thin)."""

from __future__ import annotations

from innostudy.survey.importing.core import ImportReport
from innostudy.wording import counted

SHOWN_COLUMNS = 12


def summary_lines(report: ImportReport) -> list[str]:
    o = report.outcome
    verb = "would import" if report.dry_run else "imported"
    encoding = f", {report.encoding}" if report.encoding else ""
    lines = [
        f"{report.file}: {report.format} file{encoding}, {counted(report.rows, 'row')}",
        f"  {verb}: {o.created} new, {o.updated} changed (old answers kept as revisions), "
        f"{o.unchanged} unchanged",
    ]
    if o.new_organisations:
        lines.append(f"  {counted(o.new_organisations, 'new organisation')} registered")
    if o.beside:
        lines.append(
            f"  {counted(o.beside, 'row')} kept as revisions beside submitted responses "
            "(the submissions are unchanged)"
        )
    if report.rejected_rows:
        where = f", listed in {report.quarantine}" if report.quarantine else ""
        lines.append(
            f"  quarantined: {counted(report.rejected_rows, 'row')} "
            f"with {counted(report.problem_count, 'problem')}{where}"
        )
    if report.empty_rows:
        lines.append(f"  {counted(report.empty_rows, 'empty row')} skipped")
    if report.left_out:
        lines.append(f"  {counted(report.left_out, 'preview or test response')} left out")
    if report.unmapped:
        shown = ", ".join(report.unmapped[:SHOWN_COLUMNS])
        more = len(report.unmapped) - SHOWN_COLUMNS
        lines.append(
            f"  unmapped columns (not read): {shown}" + (f" and {more} more" if more > 0 else "")
        )
    return lines


def problem_lines(report: ImportReport, limit: int = 20) -> list[str]:
    """The first problems, one per line, for a dry run."""
    shown = [f"  {p.sentence(report.file)}" for p in report.problems[:limit]]
    more = report.problem_count - len(shown)
    if more > 0:
        shown.append(f"  … and {more} more")
    return shown
