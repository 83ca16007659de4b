"""`innostudy groups|participants|consent …`: recruit focus groups and record consent."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from innostudy.cli import sessions
from innostudy.cli.common import FIELDWORK, KeepFormulas, console, err_console, open_store
from innostudy.cli.output import FormatOption, ListFormat, emit, print_jsonl, print_table
from innostudy.storage.store import StudyStore
from innostudy.wording import counted

if TYPE_CHECKING:
    from innostudy.fieldwork.group_types import GroupTypeSpec
    from innostudy.fieldwork.plan import Plan

groups_app = typer.Typer(help="Plan and set up focus groups.", no_args_is_help=True)
participants_app = typer.Typer(
    help="Participants: pseudonymous codes and roles; contact details kept apart.",
    no_args_is_help=True,
)
consent_app = typer.Typer(help="Record consent and withdrawals.", no_args_is_help=True)

ShowContacts = Annotated[
    bool,
    typer.Option("--show-contacts", help="Include names, emails and phones (personal data)."),
]
Choice = Annotated[str | None, typer.Option(help="yes, no or not_asked.", show_default=False)]
ACTOR = "innostudy cli"


def _synced_types(store: StudyStore) -> list[GroupTypeSpec]:
    """The study's group types (the database's revision; a stale or edited group_types.yaml
    here is refused), with the group_type rows in step with them."""
    from innostudy.definitions.reading import read
    from innostudy.fieldwork.group_types import GROUP_TYPES, sync_group_types

    with store.write_session() as s:
        specs = read(store, GROUP_TYPES, s)
        sync_group_types(s, specs)
    return specs


@groups_app.command("plan")
def plan(
    ctx: typer.Context,
    contacts: Annotated[
        Path | None, typer.Option(help="Contacts CSV for comparison groups.", show_default=False)
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="Write a recruitment sheet (CSV with personal data) here."),
    ] = None,
    create_groups: Annotated[
        bool, typer.Option("--create-groups", help="Set up the proposed groups that are missing.")
    ] = False,
    show_contacts: ShowContacts = False,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Propose groups and candidates: civil service from the survey, others from contacts."""
    from innostudy.fieldwork.plan import (
        create_planned_groups,
        existing_groups,
        load_contacts,
        make_plan,
        not_yet_recruited,
        survey_candidates,
        write_sheet,
    )

    with open_store(ctx) as store:
        specs = _synced_types(store)
        people = load_contacts(contacts, specs) if contacts is not None else []
        with store.write_session() as s:
            candidates = [*survey_candidates(s), *not_yet_recruited(s, people)]
            proposal = make_plan(specs, candidates, existing=existing_groups(s))
            created = create_planned_groups(s, proposal) if create_groups else []
    _print_plan(proposal, show_contacts)
    for group in created:
        console.print(f"Created group {group.id}: {group.name}", markup=False)
    if output is not None:
        count = write_sheet(proposal, output, keep_formulas=keep_formulas)
        console.print(f"Recruitment sheet: {output} ({count} people; holds personal data)")


def _print_plan(proposal: Plan, show_contacts: bool) -> None:
    for g in proposal.groups:
        console.print(
            f"{g.group_name} ({g.spec.key}, {g.spec.sector.value}, {g.spec.min_size}-"
            f"{g.spec.max_size}): {g.existing} recruited, {len(g.invited)} to invite, "
            f"{len(g.reserve)} in reserve",
            markup=False,
        )
        for c in g.invited:
            who = f"{c.name} <{c.email}>, " if show_contacts else ""
            console.print(
                f"    {who}{c.role or '-'}, {c.organisation_type or '-'} ({c.source})", markup=False
            )
    if proposal.unplaced:
        console.print(f"Not placed (no group type matches the job title): {len(proposal.unplaced)}")
    for warning in proposal.warnings:
        err_console.print(f"Warning: {warning}", markup=False)


@groups_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the new focus group.")],
    type_key: Annotated[str, typer.Option("--type", help="Group type key (see group_types.yaml).")],
    label: Annotated[
        str | None, typer.Option(help="How quotes attribute it (default: the type's label).")
    ] = None,
) -> None:
    """Add a focus group and print its ID."""
    from innostudy.fieldwork.groups import add_group

    with open_store(ctx) as store:
        _synced_types(store)
        with store.write_session() as s:
            group = add_group(s, name, type_key, label=label)
            group_id = group.id
    console.print(group_id)


@groups_app.command("list")
def list_groups(ctx: typer.Context, fmt: FormatOption = ListFormat.TEXT) -> None:
    """List focus groups with their size against their type's bounds."""
    from innostudy.fieldwork.groups import group_rows

    with open_store(ctx) as store, store.session() as s:
        rows = group_rows(s)
    emit(
        fmt,
        rows,
        ["ID", "NAME", "TYPE", "SECTOR", "SIZE", "WITHDRAWN", "CHECK"],
        lambda r: [
            r.id,
            r.name,
            r.type_key,
            r.sector,
            f"{r.participants} ({r.min_size}-{r.max_size})",
            r.withdrawn,
            r.warning or "ok",
        ],
    )


@participants_app.command("add")
def participant_add(
    ctx: typer.Context,
    group: Annotated[str, typer.Option(help="Focus group name.")],
    role: Annotated[str, typer.Option(help="Role or job title.")] = "",
    level: Annotated[str, typer.Option(help="Level (default: the group type's).")] = "",
    organisation_type: Annotated[str, typer.Option(help="Kind of organisation.")] = "",
    name: Annotated[str, typer.Option(help="Full name (personal data, kept apart).")] = "",
    email: Annotated[str, typer.Option(help="Email (personal data).")] = "",
    phone: Annotated[str, typer.Option(help="Phone (personal data).")] = "",
    organisation: Annotated[str, typer.Option(help="Organisation name (personal data).")] = "",
) -> None:
    """Add one participant and print their pseudonymous code."""
    from innostudy.fieldwork.groups import PersonalDetails, add_participant
    from innostudy.fieldwork.participants import find_group
    from innostudy.fieldwork.tables import check_email

    with open_store(ctx) as store, store.write_session() as s:
        target = find_group(s, group)
        personal = PersonalDetails(name, check_email(email, "--email", None), phone, organisation)
        participant = add_participant(
            s,
            target,
            role=role,
            level=level or target.group_type.level,
            organisation_type=organisation_type,
            personal=personal,
        )
        code = participant.code
    console.print(code)


@participants_app.command("import")
def participant_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Recruitment sheet (CSV).")]
) -> None:
    """Add every participant of a recruitment sheet (all or none), with consent if given."""
    from innostudy.fieldwork.participants import import_participants

    with open_store(ctx) as store, store.write_session() as s:
        codes = [p.code for p in import_participants(s, file, actor=ACTOR)]
    console.print(f"Added {counted(len(codes), 'participant')}: {', '.join(codes)}")


@participants_app.command("list")
def participant_list(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option(help="Only this focus group.")] = None,
    show_contacts: ShowContacts = False,
    fmt: FormatOption = ListFormat.TEXT,
) -> None:
    """List participants by code with consent; personal data only with --show-contacts."""
    from innostudy.fieldwork.participants import find_group, participant_rows

    with open_store(ctx) as store, store.session() as s:
        rows = participant_rows(
            s, group=find_group(s, group) if group else None, contacts=show_contacts
        )
    personal = ("name", "email", "phone", "organisation")
    records = [
        {k: v for k, v in dataclasses.asdict(r).items() if show_contacts or k not in personal}
        for r in rows
    ]
    if fmt is ListFormat.JSONL:
        print_jsonl(records)
        return
    header = [k.upper() for k in records[0]] if records else ["CODE"]
    print_table(header, [list(r.values()) for r in records])


def _when(value: str | None, option: str) -> datetime | None:
    from innostudy.fieldwork.tables import parse_date

    day = parse_date(value or "", option, None, option.strip("-"))
    return datetime.combine(day, time(12), tzinfo=UTC) if day else None


@consent_app.command("record")
def consent_record(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Participant code, e.g. SCS-03.")],
    audio: Choice = None,
    video: Choice = None,
    notes: Choice = None,
    quotation: Choice = None,
    date: Annotated[str | None, typer.Option(help="Date consent was given (YYYY-MM-DD).")] = None,
) -> None:
    """Record what a participant agreed to; kinds not given keep their value."""
    from innostudy.fieldwork.consent_records import consent_choice, record_consent
    from innostudy.fieldwork.participants import find_participant

    given = {"audio": audio, "video": video, "notes": notes, "quotation": quotation}
    choices = {
        k: consent_choice(v, source=f"--{k}", row=None, field=k)
        for k, v in given.items()
        if v is not None
    }
    when = _when(date, "--date")
    with open_store(ctx) as store, store.write_session() as s:
        participant = find_participant(s, code)
        record_consent(
            s, participant, choices, consent_date=when.date() if when else None, actor=ACTOR
        )
        summary = " ".join(f"{k}={getattr(participant.consent, k).value}" for k in given)
    console.print(f"{code.upper()}: {summary}")


@consent_app.command("withdraw")
def consent_withdraw(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Participant code.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the audit trail).")] = "",
    date: Annotated[str | None, typer.Option(help="Date of withdrawal (default: now).")] = None,
) -> None:
    """Withdraw a participant: their words leave coding, quotes and reports (kept for audit)."""
    from innostudy.fieldwork.consent_records import withdraw
    from innostudy.fieldwork.participants import find_participant

    when = _when(date, "--date")
    with open_store(ctx) as store, store.write_session() as s:
        withdraw(s, find_participant(s, code), reason=reason, at=when, actor=ACTOR)
    console.print(f"{code.upper()} withdrawn: their words are now excluded from analysis")


@consent_app.command("reinstate")
def consent_reinstate(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="Participant code.")]
) -> None:
    """Undo a withdrawal recorded by mistake (both stay in the audit trail)."""
    from innostudy.fieldwork.consent_records import reinstate
    from innostudy.fieldwork.participants import find_participant

    with open_store(ctx) as store, store.write_session() as s:
        reinstate(s, find_participant(s, code), actor=ACTOR)
    console.print(f"{code.upper()} reinstated")


def register(app: typer.Typer) -> None:
    app.add_typer(groups_app, name="groups", rich_help_panel=FIELDWORK)
    app.add_typer(participants_app, name="participants", rich_help_panel=FIELDWORK)
    app.add_typer(consent_app, name="consent", rich_help_panel=FIELDWORK)
    sessions.register(app)
