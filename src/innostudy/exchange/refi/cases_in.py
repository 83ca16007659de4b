"""Cases coming in: as focus groups and participants, with their variables.

innostudy holds two kinds of case. A case with a ``Group type`` but no ``Focus group``
(and not used as a speaker label) is a focus group; its type must be one of the study's
group types (by key, label or short label). Every other named case is a participant,
whose code is the case name: ``Focus group``, ``Role``, ``Level``, ``Organisation
type`` and ``May be quoted`` fill innostudy's own fields; any other variable is kept on
the participant (``Participant.variables``) and exported again. A case with no name
(how some tools attach variables to a source) cannot be held and is reported.

A group or participant the study already has (same name or code) is reused as it is;
differences are reported, never written over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.exchange.refi.project import RefiCase, RefiProject, RefiValue
from innostudy.exchange.refi.variables import (
    FOCUS_GROUP,
    GROUP_TYPE,
    LEVEL,
    MAY_QUOTE,
    ORGANISATION_TYPE,
    ROLE,
    SECTOR,
)
from innostudy.exchange.refi.xmlutil import listing
from innostudy.model import Consent, ConsentChoice, FocusGroup, GroupType, Participant
from innostudy.wording import counted

CODE_MAX = 40
NAME_MAX = 200
FIELDS = {ROLE: ("role", 200), LEVEL: ("level", 80), ORGANISATION_TYPE: ("organisation_type", 80)}


@dataclass
class CaseResult:
    groups: dict[str, FocusGroup] = field(default_factory=dict)  # by name
    participants: dict[str, Participant] = field(default_factory=dict)  # by code
    groups_added: int = 0
    participants_added: int = 0
    group_case_sources: dict[str, str] = field(default_factory=dict)  # source guid → group name


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class CaseImporter:
    def __init__(
        self, session: Session, project: RefiProject, labels: set[str], warnings: list[str]
    ) -> None:
        self.session = session
        self.project = project
        self.labels = labels
        self.warnings = warnings
        self.names = {v.guid: v.name for v in project.variables}
        self.result = CaseResult()
        self.types = list(session.scalars(sa.select(GroupType).order_by(GroupType.position)))

    def values(self, values: list[RefiValue]) -> dict[str, RefiValue]:
        return {self.names[v.variable_guid]: v for v in values}

    def is_group(self, case: RefiCase) -> bool:
        names = self.values(case.values)
        return GROUP_TYPE in names and FOCUS_GROUP not in names and case.name not in self.labels

    def run(self) -> CaseResult:
        unnamed = [c for c in self.project.cases if not c.name]
        if unnamed:
            self.warnings.append(
                f"{counted(len(unnamed), 'case')} without a name (variables attached to sources, "
                "as some tools write them); not imported"
            )
        named = [c for c in self.project.cases if c.name]
        for case in (c for c in named if self.is_group(c)):
            self._group(case)
        skipped: list[str] = []
        for case in (c for c in named if not self.is_group(c)):
            if case.name in self.result.participants or len(case.name) > CODE_MAX:
                skipped.append(case.name)
            else:
                self._participant(case)
        if skipped:
            self.warnings.append(
                f"{counted(len(skipped), 'case')} could not become participants "
                f"({listing(skipped)}): "
                f"a participant code is unique and at most {CODE_MAX} characters"
            )
        self.session.flush()
        return self.result

    def group_type(self, label: str) -> GroupType | None:
        wanted = _fold(label)
        return next(
            (
                t
                for t in self.types
                if wanted in {_fold(t.key), _fold(t.label), _fold(t.short_label)}
            ),
            None,
        )

    def group_named(self, name: str, type_label: str | None, notes: str = "") -> FocusGroup | None:
        name = name[:NAME_MAX]
        if name in self.result.groups:
            return self.result.groups[name]
        group = self.session.scalar(sa.select(FocusGroup).where(FocusGroup.name == name))
        if group is None:
            gtype = self.group_type(type_label) if type_label else None
            if gtype is None:
                known = ", ".join(t.label for t in self.types)
                self.warnings.append(
                    f"focus group '{name}' not created: its group type '{type_label or ''}' is not "
                    f"one of the study's ({known})"
                )
                return None
            group = FocusGroup(
                name=name, group_type=gtype, label=gtype.short_label or gtype.label, notes=notes
            )
            self.session.add(group)
            self.session.flush()
            self.result.groups_added += 1
        elif type_label and self.group_type(type_label) not in (None, group.group_type):
            self.warnings.append(
                f"focus group '{name}' is a {group.group_type.label} group in the study, "
                f"'{type_label}' in the file; kept the study's"
            )
        self.result.groups[name] = group
        return group

    def _group(self, case: RefiCase) -> None:
        values = self.values(case.values)
        group = self.group_named(case.name, values[GROUP_TYPE].value, case.description.strip())
        if group is not None:
            for guid in case.source_guids:
                self.result.group_case_sources.setdefault(guid, group.name)

    def _participant(self, case: RefiCase) -> None:
        values = self.values(case.values)
        existing = self.session.scalar(sa.select(Participant).where(Participant.code == case.name))
        if existing is not None:
            self.result.participants[case.name] = existing
            self._compare(existing, values)
            return
        group = None
        if FOCUS_GROUP in values:
            type_value = values.get(GROUP_TYPE)
            group = self.group_named(
                values[FOCUS_GROUP].value, type_value.value if type_value else None
            )
        p = Participant(code=case.name, focus_group=group, variables={})
        for name, value in values.items():
            if name in FIELDS:
                attr, limit = FIELDS[name]
                setattr(p, attr, self._fit(value.value, limit, f"{case.name}: {name}"))
            elif name == MAY_QUOTE and value.type == "Boolean":
                granted = value.value == "true"
                p.consent = Consent(
                    quotation=ConsentChoice.GRANTED if granted else ConsentChoice.REFUSED
                )
            elif name not in (FOCUS_GROUP, GROUP_TYPE, SECTOR):
                p.variables[name] = {"type": value.type, "value": value.value}
        if case.description.strip():
            self.warnings.append(
                f"participant '{case.name}': the case description is not kept "
                "(participants have no notes in innostudy)"
            )
        self.session.add(p)
        self.result.participants[case.name] = p
        self.result.participants_added += 1

    def _fit(self, value: str, limit: int, what: str) -> str:
        if len(value) > limit:
            self.warnings.append(f"{what} shortened to {limit} characters")
        return value[:limit]

    def _compare(self, p: Participant, values: dict[str, RefiValue]) -> None:
        differ = [
            name
            for name, (attr, _) in FIELDS.items()
            if name in values and values[name].value != getattr(p, attr)
        ]
        if differ:
            self.warnings.append(
                f"participant '{p.code}' exists with other {', '.join(differ).lower()}; "
                "kept the study's"
            )
