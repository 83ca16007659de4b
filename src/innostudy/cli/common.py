"""What every CLI command shares: the global options, opening the study, printing."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from innostudy.storage.store import StudyStore

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

# Panels in pipeline order; `innostudy --help` lists commands under these.
SETUP = "1 · Set up"
SURVEY = "2 · Survey"
ANALYSIS = "3 · Analysis and briefing"
FIELDWORK = "4 · Focus groups"
TRANSCRIPTS = "5 · Transcripts"
CODING = "6 · Coding"
REPORT = "7 · Report"
EXCHANGE = "8 · Exchange with QDA tools"
WEB = "9 · Web app"


@dataclass
class CliState:
    study: Path | None = None
    database_url: str | None = None


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def open_store(ctx: typer.Context, *, prepare: bool = True) -> StudyStore:
    """Open the study named by --study / $INNOSTUDY_STUDY / the current folder."""
    st = state(ctx)
    store = StudyStore.open(st.study, database_url=st.database_url, prepare=prepare)
    store.check_files = True  # a command refuses to work beside a stale definition file
    if store.schema.action == "upgraded" and store.schema.backup is not None:
        err_console.print(
            f"Upgraded the study database; the previous version is kept at {store.schema.backup}"
        )
    if store.password_in_settings:
        err_console.print(
            "Warning: study.toml holds the database password in plain text, and so does "
            "every backup of the database; move it out with `innostudy db move-password` "
            "(docs/team.md)",
            markup=False,
        )
    return store


def who() -> str:
    """The person running the command, as the history of definitions records them (the
    login name; set USER or LOGNAME to record another)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


KeepFormulas = Annotated[
    bool,
    typer.Option(
        "--keep-formulas",
        help="Write CSV text starting with = + - @ exactly; by default it gets a leading ' "
        "so a spreadsheet shows it instead of running it.",
    ),
]
