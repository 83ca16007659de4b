"""Invitations: register the organisations in scope and give each a personal survey link.

``invite(store, ORGS.csv)`` reads one organisation per row (name, type, external id,
and the contact person), checks every row before writing anything, registers the
organisations that are new, gives each an unguessable token (survey.tokens: 256 bits,
stored only as a hash) and an invited response, and writes a mail-merge CSV with each
personal link. Tokens cannot be shown again, so the mail-merge file is written next to
its final name first and moved into place once the database has committed; if the
database fails, the file is removed. Re-running with the same list adds only the
organisations not yet in the study (``reissue`` gives those listed new tokens instead).

The mail-merge file holds contact details and personal links: it is written because the
user asked for it, and only there; nothing else exports contacts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.atomic import StagedFile
from innostudy.cells import csv_writer
from innostudy.errors import InputError, InputErrors
from innostudy.model import (
    ImportBatch,
    ImportKind,
    Organisation,
    ResponseSource,
    ResponseStatus,
    utcnow,
)
from innostudy.storage.store import StudyStore
from innostudy.survey.importing.identity import NAME_LIMIT, TYPE_LIMIT, org_type_key
from innostudy.survey.importing.matching import loose
from innostudy.survey.importing.tables import open_table
from innostudy.survey.links import LinkBase, link_base
from innostudy.survey.organisations import ContactDetails, add_organisation
from innostudy.survey.responses import Provenance, record_answers
from innostudy.survey.tokens import issue_token

MAIL_MERGE_COLUMNS = (
    "organisation",
    "organisation_type",
    "external_id",
    "contact_name",
    "email",
    "job_title",
    "link",
    "token",
)
_COLUMNS = {
    "name": (
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "name",
        "org",
    ),
    "type": ("organisation type", "organization type", "org type", "type", "kind"),
    "external_id": ("external id", "ref", "reference", "id", "org id"),
    "contact": ("contact", "contact name", "contact person", "person"),
    "email": ("email", "e-mail", "contact email", "email address"),
    "phone": ("phone", "telephone", "contact phone", "tel"),
    "job_title": ("job title", "role", "position"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Invitee:
    row: int
    name: str
    org_type: str
    external_id: str | None
    contact: ContactDetails


@dataclass
class InviteReport:
    file: str
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    reissued: list[str] = field(default_factory=list)
    mail_merge: Path | None = None
    dry_run: bool = False
    link_warning: str = ""  # links that respondents elsewhere cannot open, and the fix


def read_invitees(path: Path, *, default_type: str = "") -> list[Invitee]:
    """Every row of an organisations file, checked; all problems are raised together."""
    table = open_table(path)
    header = table.head(1)[0]
    columns = {
        role: i
        for role, names in _COLUMNS.items()
        for i, h in enumerate(header)
        if loose(h) in {loose(n) for n in names}
    }
    if "name" not in columns:
        raise InputError(path, 1, None, "no organisation column (organisation, name) in the header")
    errors: list[InputError] = []
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for number, cells in table.records(1):
        if not any(c.strip() for c in cells):
            continue
        values = {role: cells[i].strip() if i < len(cells) else "" for role, i in columns.items()}
        invitee, problems = _invitee(path, number, values, default_type, seen)
        errors += problems
        if invitee is not None:
            invitees.append(invitee)
    if errors:
        raise InputErrors(errors)
    if not invitees:
        raise InputError(path, None, None, "no organisations in the file")
    return invitees


def _invitee(
    path: Path, number: int, values: dict[str, str], default_type: str, seen: dict[str, int]
) -> tuple[Invitee | None, list[InputError]]:
    def get(role: str) -> str:
        return values.get(role, "")

    name, kind, email = get("name"), get("type") or default_type, get("email")
    errors = []
    if not name:
        errors.append(InputError(path, number, "organisation", "no organisation name"))
    elif len(name) > NAME_LIMIT:
        errors.append(
            InputError(
                path, number, "organisation", f"a name may have at most {NAME_LIMIT} characters"
            )
        )
    if not kind:
        errors.append(
            InputError(
                path,
                number,
                "organisation_type",
                "no type (give a type column or --organisation-type)",
            )
        )
    elif len(org_type_key(kind)) > TYPE_LIMIT:
        errors.append(
            InputError(
                path,
                number,
                "organisation_type",
                f"a type may have at most {TYPE_LIMIT} characters",
            )
        )
    if email and not _EMAIL.match(email):
        errors.append(InputError(path, number, "email", f"'{email}' is not an email address"))
    for key in (f"name:{name}", f"id:{get('external_id')}" if get("external_id") else ""):
        if key and key in seen:
            errors.append(
                InputError(
                    path,
                    number,
                    "organisation",
                    f"'{name}' is already in row {seen[key]} of this file",
                )
            )
        elif key:
            seen[key] = number
    if errors:
        return None, errors
    contact = ContactDetails(get("contact"), email, get("phone"), get("job_title"))
    return Invitee(number, name, org_type_key(kind), get("external_id") or None, contact), []


def _check_against_study(
    session: Session, path: Path, invitees: Sequence[Invitee]
) -> dict[str, Organisation]:
    """Organisations of the study by name; refuses an external id taken by another one."""
    by_name = {o.name: o for o in session.scalars(sa.select(Organisation))}
    by_external = {o.external_id: o for o in by_name.values() if o.external_id}
    problems = []
    for inv in invitees:
        other = by_external.get(inv.external_id) if inv.external_id else None
        if other is not None and other is not by_name.get(inv.name):
            problems.append(
                InputError(
                    path,
                    inv.row,
                    "external_id",
                    f"external id '{inv.external_id}' already belongs to '{other.name}'",
                )
            )
    if problems:
        raise InputErrors(problems)
    return by_name


def register_invitees(
    session: Session, path: Path, invitees: Sequence[Invitee], *, reissue: bool, actor: str
) -> tuple[list[tuple[Invitee, str]], list[str]]:
    """New organisations (and, with ``reissue``, listed ones) with their new plain tokens."""
    by_name = _check_against_study(session, path, invitees)
    batch = ImportBatch(
        kind=ImportKind.ORGANISATIONS,
        file_name=path.name,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        file_format="organisations",
        actor=actor,
    )
    session.add(batch)
    session.flush()
    issued: list[tuple[Invitee, str]] = []
    already: list[str] = []
    now = utcnow()
    for inv in invitees:
        org = by_name.get(inv.name)
        if org is not None:
            already.append(inv.name)
            if reissue:
                issued.append((inv, issue_token(org)))
                org.invited_at = now
            continue
        org = add_organisation(
            session, inv.name, inv.org_type, contact=inv.contact, external_id=inv.external_id
        )
        issued.append((inv, issue_token(org)))
        org.invited_at = now
        provenance = Provenance(ResponseSource.IMPORT, path.name, inv.row, batch.id, actor)
        record_answers(
            session,
            org,
            {},
            status=ResponseStatus.INVITED,
            provenance=provenance,
            instrument_version="",
        )
    batch.rows_total = len(invitees)
    batch.rows_imported = len(issued)
    session.flush()
    return issued, already


def _write_mail_merge(
    staged: StagedFile,
    issued: list[tuple[Invitee, str]],
    base: LinkBase,
    *,
    keep_formulas: bool,
) -> None:
    """The personal links, written beside their final name and moved in place only after
    the tokens are committed; readable by the owner only (it holds live tokens)."""
    with staged.temp.open("w", encoding="utf-8", newline="") as f:
        out = csv_writer(f, keep_formulas=keep_formulas)
        out.writerow(MAIL_MERGE_COLUMNS)
        for inv, token in issued:
            c = inv.contact
            row = [inv.name, inv.org_type, inv.external_id or "", c.name, c.email, c.job_title]
            out.writerow([*row, base.link(token), token])


def invite(
    store: StudyStore,
    path: Path,
    mail_merge: Path,
    *,
    default_type: str = "",
    reissue: bool = False,
    dry_run: bool = False,
    actor: str = "",
    keep_formulas: bool = False,
) -> InviteReport:
    """Register the organisations in ``path`` and write the mail-merge file (see module)."""
    invitees = read_invitees(path, default_type=default_type)
    base = link_base(store.settings)
    report = InviteReport(str(path), dry_run=dry_run, link_warning=base.warning())
    if mail_merge.exists():
        raise InputError(
            mail_merge, None, None, "the mail-merge file already exists; choose another name"
        )
    if dry_run:
        with store.session() as s:
            known = _check_against_study(s, path, invitees)
        report.already = [inv.name for inv in invitees if inv.name in known]
        report.added = [inv.name for inv in invitees if inv.name not in known]
        return report
    staged = StagedFile(mail_merge, mode=0o600)
    try:
        with store.write_session() as s:
            issued, report.already = register_invitees(
                s, path, invitees, reissue=reissue, actor=actor
            )
            if issued:
                _write_mail_merge(staged, issued, base, keep_formulas=keep_formulas)
        report.added = [inv.name for inv, _ in issued if inv.name not in report.already]
        report.reissued = [inv.name for inv, _ in issued if inv.name in report.already]
        report.mail_merge = staged.commit() if issued else None
    finally:
        staged.discard()
    return report
