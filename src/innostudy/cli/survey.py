"""`innostudy survey …`: the instrument, invitations, response imports and exports."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from innostudy.cli.common import SURVEY, KeepFormulas, console, err_console, open_store, state, who
from innostudy.errors import InputErrors, StudyError
from innostudy.storage.study_folder import locate_study
from innostudy.wording import counted

survey_app = typer.Typer(
    help="The survey: instrument, invitations, responses.", no_args_is_help=True
)
instrument_app = typer.Typer(
    help="Bring an instrument in from other survey tools, or send it out as XLSForm.",
    no_args_is_help=True,
)
ACTOR = "innostudy survey import"


@survey_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="Instrument YAML file to check.")]) -> None:
    """Check an instrument file and list every problem with its line."""
    from innostudy.survey.instrument import check_instrument

    problems = check_instrument(file)
    if problems:
        for problem in problems[1:]:
            console.print(f"  {problem}")
        raise InputErrors(problems)
    console.print(f"{file}: instrument is valid")


@survey_app.command("show")
def show(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Instrument file (default: the study's).")
    ] = None,
) -> None:
    """Print the instrument readably: sections, questions, types, choices and skip rules."""
    from innostudy.survey.instrument import load_instrument
    from innostudy.survey.instrument_definition import study_instrument
    from innostudy.survey.render_text import instrument_as_text

    if file is None:
        with open_store(ctx) as store:
            instrument = study_instrument(store)
    else:
        instrument = load_instrument(file)
    console.print(instrument_as_text(instrument), markup=False)


@survey_app.command("invite")
def invite_command(
    ctx: typer.Context,
    orgs: Annotated[
        Path, typer.Argument(help="CSV/XLSX: organisation, type, external_id, contact, email…")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Mail-merge CSV (default: files/invitations/)."),
    ] = None,
    organisation_type: Annotated[str, typer.Option(help="Type for rows without one.")] = "",
    reissue: Annotated[
        bool,
        typer.Option("--reissue", help="Give listed organisations already invited new links."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing.")] = False,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Register organisations, give each a personal survey link, write a mail-merge CSV."""
    from innostudy.survey.invitations import invite

    with open_store(ctx) as store:
        target = output or store.files_dir / "invitations" / f"mail-merge-{_stamp()}.csv"
        report = invite(
            store,
            orgs,
            target,
            default_type=organisation_type,
            reissue=reissue,
            dry_run=dry_run,
            actor="innostudy survey invite",
            keep_formulas=keep_formulas,
        )
    verb = "would invite" if dry_run else "invited"
    console.print(
        f"{orgs}: {verb} {counted(len(report.added), 'new organisation')}; "
        f"{len(report.already)} already in the study",
        markup=False,
    )
    if report.reissued:
        console.print(f"  new links for {len(report.reissued)} (their old links no longer work)")
    if report.link_warning:
        err_console.print(f"Warning: {report.link_warning}", markup=False)
    if report.mail_merge is not None:
        console.print(f"Mail-merge file: {report.mail_merge}", markup=False)
        console.print(
            "  It holds personal links and contact details: keep it private, "
            "and delete it once the invitations are sent."
        )


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long work; the callback takes (done, total)."""
    columns = (TextColumn(label), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    quiet = not err_console.is_terminal  # a bar only where someone watches it
    with Progress(*columns, console=err_console, transient=True, disable=quiet) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total or None)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


FormatOption = Annotated[
    str,
    typer.Option("--format", help="auto, csv, xlsx, qualtrics, limesurvey, kobo, redcap or spss."),
]


@survey_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Response file: CSV/TSV, XLSX or SPSS .sav.")],
    fmt: FormatOption = "auto",
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="YAML file mapping columns to questions.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything, write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Import the valid rows; quarantine the others."),
    ] = False,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="Where to list the problems (default: files/quarantine/ in the study)."),
    ] = None,
    organisation_type: Annotated[
        str | None,
        typer.Option(help="Type for organisations the file adds, when it has no type column."),
    ] = None,
    known_only: Annotated[
        bool,
        typer.Option("--known-only", help="Refuse rows of organisations not yet in the study."),
    ] = False,
    beside_submitted: Annotated[
        bool,
        typer.Option(
            "--beside-submitted",
            help="Keep rows that would change a submitted response as revisions beside it "
            "(the submission and its receipt stay as they are); refused otherwise.",
        ),
    ] = False,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (default: detected).")
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            help="Order of day, month and year in the file's dates, e.g. %d/%m/%Y "
            "(default: decided from each whole column)."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="Time zone of times the file gives without one, e.g. Europe/London "
            "(default: the file's own, else this computer's)."
        ),
    ] = None,
    organisation_column: Annotated[
        str | None,
        typer.Option(help="The column that names each row's organisation (any column)."),
    ] = None,
    infer_instrument: Annotated[
        bool,
        typer.Option(
            "--infer-instrument",
            help="Write an instrument derived from the file (any CSV, XLSX or .sav: headers, "
            "labels and answers) into the study folder for review, instead of importing.",
        ),
    ] = False,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Import survey responses: every row is checked; strict unless --skip-invalid."""
    from innostudy.storage.bulk import bulk_write_session
    from innostudy.survey.importing import ImportOptions, import_responses
    from innostudy.survey.importing.summary import problem_lines, summary_lines

    if infer_instrument:
        _infer(file, fmt, locate_study(state(ctx).study))
        return
    with open_store(ctx) as store:
        if quarantine is None and not dry_run:
            quarantine = store.files_dir / "quarantine" / f"{file.stem}-{_stamp()}.csv"
        options = ImportOptions(
            format=fmt,
            mapping=mapping,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            allow_new_organisations=not known_only,
            organisation_type=organisation_type or "",
            encoding=encoding,
            delimiter=delimiter,
            quarantine=quarantine,
            actor=ACTOR,
            beside_submitted=beside_submitted,
            date_format=date_format,
            timezone=timezone,
            organisation_column=organisation_column,
            keep_formulas=keep_formulas,
        )
        from innostudy.survey.instrument_definition import study_instrument

        instrument = study_instrument(store)
        with progress_bar("Importing") as progress, bulk_write_session(store) as s:
            report = import_responses(s, file, instrument, options, progress=progress)
    for line in summary_lines(report) + (problem_lines(report) if dry_run else []):
        console.print(line, markup=False)


STATUS_CHOICES = {
    "answered": ("submitted", "draft"),
    "submitted": ("submitted",),
    "draft": ("draft",),
    "invited": ("invited",),
    "all": ("submitted", "draft", "invited"),
}


@survey_app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="File to write (.csv, .xlsx, .parquet or .sav).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, xlsx, parquet or sav (default: from the suffix)."),
    ] = None,
    status: Annotated[
        str,
        typer.Option(
            help="Which responses: answered (submitted and drafts), submitted, draft, invited, all."
        ),
    ] = "answered",
    labels: Annotated[
        bool, typer.Option("--labels", help="Write choice labels instead of values (CSV, XLSX).")
    ] = False,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Export the responses, one row per response; contacts and tokens are never included."""
    from innostudy.errors import InnostudyError
    from innostudy.model import ResponseStatus
    from innostudy.survey.exporting import export_responses
    from innostudy.survey.instrument_definition import study_instrument

    if status not in STATUS_CHOICES:
        raise InnostudyError(f"--status must be one of: {', '.join(STATUS_CHOICES)}")
    with open_store(ctx) as store, store.session() as s:
        count = export_responses(
            s,
            study_instrument(store, s),
            file,
            fmt,
            statuses=[ResponseStatus(v) for v in STATUS_CHOICES[status]],
            labels=labels,
            keep_formulas=keep_formulas,
        )
    console.print(f"Wrote {count} response{'s' if count != 1 else ''} to {file}", markup=False)


def _infer(file: Path, fmt: str, study: Path) -> None:
    from innostudy.survey.inference import infer_instrument_file

    written, notes = infer_instrument_file(file, study, fmt)
    console.print(f"Inferred an instrument from {file}; written to {written}", markup=False)
    for note in notes:
        console.print(f"  note: {note}", markup=False)
    console.print(
        f"Next: review and edit it, then `innostudy survey instrument use {written}` to make "
        f"it the study's instrument, then `innostudy survey import {file}`.",
        markup=False,
    )


Force = Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")]


def _instrument_folder(ctx: typer.Context) -> Path:
    """Where converted instruments go: the study folder, else the current one (never beside
    the input, whose folder may be read-only)."""
    try:
        return locate_study(state(ctx).study)
    except StudyError:
        return Path.cwd()


@instrument_app.command("import")
def instrument_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Instrument: YAML, XLSForm (.xlsx or CSV), .lss, REDCap CSV.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="auto, yaml, xlsform, lss or redcap.")
    ] = "auto",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="YAML file to write (default: in the study folder, or the current folder "
            "outside a study).",
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Read an instrument from another survey tool and write it as instrument YAML to review."""
    from innostudy.survey.inference import free_name
    from innostudy.survey.instrument_io import read_instrument_file, write_instrument_file

    found = read_instrument_file(file, fmt)
    target = output or free_name(_instrument_folder(ctx) / f"{file.stem}.instrument.yaml")
    write_instrument_file(found.instrument, target, "yaml", force=force)
    questions = sum(1 for _ in found.instrument.questions())
    sections = len(found.instrument.sections)
    console.print(
        f"Read an instrument ({found.format}) from {file}: "
        f"{sections} section{'s' * (sections != 1)}, {questions} question{'s' * (questions != 1)}; "
        f"written to {target}",
        markup=False,
    )
    for note in found.notes:
        console.print(f"  note: {note}", markup=False)
    console.print(
        f"Next: review it, then `innostudy survey instrument use {target}` to make it the "
        "study's instrument.",
        markup=False,
    )


@instrument_app.command("export")
def instrument_export(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Argument(help="form.xlsx, a folder (one CSV per sheet) or .yaml.")
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="xlsform, xlsform-csv or yaml (default: from OUTPUT)."),
    ] = None,
    instrument: Annotated[
        Path | None, typer.Option(help="Instrument file (default: the study's).")
    ] = None,
    force: Force = False,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Write the instrument as an XLSForm for ODK or KoboToolbox (or as YAML)."""
    from innostudy.survey.instrument import load_instrument
    from innostudy.survey.instrument_definition import study_instrument
    from innostudy.survey.instrument_io import write_instrument_file

    if instrument is None:
        with open_store(ctx) as store:
            loaded, what = study_instrument(store), "the study's instrument"
    else:
        loaded, what = load_instrument(instrument), str(instrument)
    written = write_instrument_file(loaded, output, fmt, force=force, keep_formulas=keep_formulas)
    console.print(f"Wrote {what} as {written} to {output}", markup=False)


@instrument_app.command("use")
def instrument_use(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Reviewed instrument: YAML, XLSForm, .lss or REDCap CSV.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="auto, yaml, xlsform, lss or redcap.")
    ] = "auto",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Adopt it even if it was made from an older revision, and replace this "
            "folder's instrument file even if it has changes of its own.",
        ),
    ] = False,
) -> None:
    """Make a reviewed instrument the study's; the previous one is kept as a revision."""
    from innostudy.cli.definitions import print_adoption
    from innostudy.survey.instrument_use import use_instrument

    with open_store(ctx) as store:
        used = use_instrument(store, file, fmt, actor=who(), force=force)
        print_adoption(store, used.adoption, file)
    for note in used.notes:
        console.print(f"  note: {note}", markup=False)
    if used.adoption.changed:
        console.print("Next: `innostudy survey import FILE` checks responses against it.")


def register(app: typer.Typer) -> None:
    survey_app.add_typer(instrument_app, name="instrument")
    app.add_typer(survey_app, name="survey", rich_help_panel=SURVEY)
