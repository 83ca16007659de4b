"""An import report in words, for the command line (kept here so the CLI stays thin)."""

from __future__ import annotations

from innostudy.survey.importing.core import ImportReport
from innostudy.wording import counted

SHOWN_COLUMNS = 12


def summary_lines(report: ImportReport) -> list[str]:
    o = report.outcome
    verb = "would import" if report.dry_run else "imported"
    encoding = f", {report.encoding}" if report.encoding else ""
    new = f"{o.created} new"
    if o.answered_invitations:
        new += f" ({o.answered_invitations} of them answering an invitation)"
    changed = f"{o.updated} changed" + (" (earlier answers kept as revisions)" if o.updated else "")
    lines = [
        f"{report.file}: {report.format} file{encoding}, {counted(report.rows, 'row')}",
        f"  {verb}: {new}, {changed}, {o.unchanged} unchanged",
    ]
    if o.new_organisations - report.anonymous > 0:
        lines.append(
            f"  {counted(o.new_organisations - report.anonymous, 'new organisation')} registered"
        )
    if report.anonymous:
        lines.append(
            f"  {counted(report.anonymous, 'response')} named no organisation (anonymous): kept as "
            "unidentified respondents, each under its own response id; analysis shows them "
            "as organisation type 'unidentified'"
        )
    if o.retimed:
        lines.append(
            f"  respondents' own times filled in on {counted(o.retimed, 'unchanged response')}"
        )
    if report.times_read:
        lines.append(
            f"  respondents' times without a time zone read as {report.timezone} "
            "(--timezone to change)"
        )
    if o.beside:
        lines.append(
            f"  {counted(o.beside, 'row')} kept as revisions beside submitted responses "
            "(the submissions are unchanged)"
        )
    lines += [f"  note: {note}" for note in report.notes]
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
