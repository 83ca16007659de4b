"""Which organisation each imported row belongs to.

A row names its organisation by invitation token, external id or name, strongest
first; the first one present decides and the others are not compared. A token must
belong to an invited organisation. An unknown external id or name registers a new
organisation when the row (or ``--organisation-type``) gives its type, unless the
import is limited to known organisations. One organisation answers once per file:
later rows for it are rejected, naming the first.

A row that names no organisation at all (an anonymous survey link, a survey without
tokens) is kept as an *unidentified respondent*: an organisation of type
``unidentified`` keyed by the survey tool's own response id (``qualtrics:R_1a2B…``),
so importing the file again finds the same responses instead of adding them twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.model import Organisation
from innostudy.survey.organisations import ORG_TYPE_LABELS, UNIDENTIFIED
from innostudy.survey.tokens import hash_token

NAME_LIMIT = 300
TYPE_LIMIT = 80
EXTERNAL_ID_LIMIT = 120
_LABEL_TO_TYPE = {label.casefold(): key for key, label in ORG_TYPE_LABELS.items()}


def org_type_key(text: str) -> str:
    """``Executive agency``, ``executive-agency`` and ``executive_agency`` are one type."""
    t = " ".join(text.split())
    known = _LABEL_TO_TYPE.get(t.casefold())
    if known is not None:
        return known
    return re.sub(r"[^0-9a-z]+", "_", t.casefold()).strip("_")


class NewOrganisation(NamedTuple):
    name: str
    org_type: str
    external_id: str | None


@dataclass(frozen=True, slots=True)
class Resolved:
    """An existing organisation (``org_id``) or one to register (``new``)."""

    org_id: int | None = None
    new: NewOrganisation | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class Refused:
    field: str
    value: str
    reason: str


@dataclass
class OrganisationIndex:
    by_token: dict[str, int] = field(default_factory=dict)
    by_external: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    first_row: dict[int, int] = field(default_factory=dict)
    new_names: dict[str, int] = field(default_factory=dict)
    new_externals: dict[str, int] = field(default_factory=dict)
    allow_new: bool = True
    default_type: str = ""
    type_keys: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the format, which names the response ids of unidentified respondents

    @classmethod
    def load(
        cls, session: Session, *, allow_new: bool, default_type: str, source: str = ""
    ) -> OrganisationIndex:
        index = cls(allow_new=allow_new, default_type=org_type_key(default_type), source=source)
        rows = session.execute(
            sa.select(
                Organisation.id,
                Organisation.name,
                Organisation.external_id,
                Organisation.token_hash,
            )
        )
        for org_id, name, external_id, token_hash in rows:
            index.by_name[name] = org_id
            if external_id is not None:
                index.by_external[external_id] = org_id
            if token_hash is not None:
                index.by_token[token_hash] = org_id
        return index

    def resolve(
        self,
        row: int,
        token: str,
        external_id: str,
        name: str,
        org_type: str,
        response_id: str = "",
    ) -> Resolved | Refused:
        """The organisation a row names (cells as read: they are stripped here)."""
        token, external_id, name = token.strip(), external_id.strip(), name.strip()
        found = self._find(token, external_id, name, org_type, response_id.strip())
        if isinstance(found, Refused):
            return found
        new = found.new
        if new is not None:
            first = self.new_names.get(new.name)
            if first is None and new.external_id:
                first = self.new_externals.get(new.external_id)
            if first is None:
                self.new_names[new.name] = row
                if new.external_id:
                    self.new_externals[new.external_id] = row
                return found
        else:
            first = self.first_row.setdefault(found.org_id or 0, row)
            if first == row:
                return found
        if token:
            return Refused(
                "token",
                token,
                f"the organisation already has a response in row {first} of this file "
                "(one response per organisation)",
            )
        if found.anonymous:
            return Refused(
                "response_id",
                response_id.strip(),
                f"response id '{response_id.strip()}' was already in row {first} of this file",
            )
        label = name or external_id
        return Refused(
            "organisation",
            label,
            f"'{label}' already has a response in row {first} of this file "
            "(one response per organisation)",
        )

    def _find(
        self, token: str, external_id: str, name: str, org_type: str, response_id: str
    ) -> Resolved | Refused:
        if token:
            org_id = self.by_token.get(hash_token(token))
            if org_id is None:
                return Refused("token", token, "unknown invitation token")
            return Resolved(org_id)
        if external_id:
            org_id = self.by_external.get(external_id)
            if org_id is not None:
                return Resolved(org_id)
            if not name and response_id == external_id:
                return self._unidentified(response_id)  # REDCap: the record id is both
            if not name:
                return Refused(
                    "external_id",
                    external_id,
                    f"unknown external id '{external_id}' and no organisation name "
                    "to register it under",
                )
            return self._new(name, external_id, org_type)
        if name:
            org_id = self.by_name.get(name)
            if org_id is not None:
                return Resolved(org_id)
            return self._new(name, None, org_type)
        if response_id:
            return self._unidentified(response_id)
        return Refused(
            "organisation",
            "",
            "the row does not say which organisation it is from (no token, external id or name)",
        )

    def _unidentified(self, response_id: str) -> Resolved | Refused:
        """An anonymous response, keyed by the survey tool's id for it."""
        key = f"{self.source}:{response_id}" if self.source else response_id
        org_id = self.by_external.get(key)
        if org_id is not None:
            return Resolved(org_id, anonymous=True)
        if not self.allow_new:
            return Refused(
                "organisation",
                response_id,
                "the response names no organisation (an anonymous response) and the import "
                "was limited to known organisations",
            )
        if len(key) > EXTERNAL_ID_LIMIT:
            return Refused(
                "response_id",
                response_id[:40],
                f"a response id may have at most {EXTERNAL_ID_LIMIT - len(self.source) - 1} "
                "characters",
            )
        name = f"Unidentified respondent ({key})"
        return Resolved(None, NewOrganisation(name, UNIDENTIFIED, key), anonymous=True)

    def _new(self, name: str, external_id: str | None, org_type: str) -> Resolved | Refused:
        if not self.allow_new:
            return Refused(
                "organisation",
                name,
                f"'{name}' is not an organisation of this study "
                "(the import was limited to known organisations)",
            )
        if name in self.by_name:
            return Refused(
                "organisation",
                name,
                f"the name '{name}' belongs to another organisation of the study "
                f"(not external id '{external_id}')",
            )
        kind = self.default_type
        if org_type and not org_type.isspace():
            kind = self.type_keys.get(org_type) or self.type_keys.setdefault(
                org_type, org_type_key(org_type)
            )
        problem = _check_new(name, kind, external_id)
        if problem is not None:
            return problem
        return Resolved(None, NewOrganisation(name, kind, external_id))


def _check_new(name: str, org_type: str, external_id: str | None) -> Refused | None:
    if not org_type:
        return Refused(
            "organisation_type",
            "",
            f"'{name}' is not in the study yet: give its type (an organisation_type column "
            "or --organisation-type) to register it, or invite it first",
        )
    if len(name) > NAME_LIMIT:
        return Refused(
            "organisation", name[:40], f"a name may have at most {NAME_LIMIT} characters"
        )
    if len(org_type) > TYPE_LIMIT:
        return Refused(
            "organisation_type", org_type[:40], f"a type may have at most {TYPE_LIMIT} characters"
        )
    if external_id is not None and len(external_id) > EXTERNAL_ID_LIMIT:
        return Refused(
            "external_id",
            external_id[:40],
            f"an external id may have at most {EXTERNAL_ID_LIMIT} characters",
        )
    return None
