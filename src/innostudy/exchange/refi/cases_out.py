"""Focus groups and participants on their way out, as REFI cases with variables.

A group case carries its type and sector, its notes as description, and references its
transcripts. A participant case is named by the participant's code (never a name) and
carries group, type, sector, role, level, organisation type, whether they may be quoted,
any variables imported earlier, and the survey answers the user picked; it references
the transcripts in which the participant speaks.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.exchange.refi.ids import Guids
from innostudy.exchange.refi.project import RefiCase, RefiValue
from innostudy.exchange.refi.variables import (
    FOCUS_GROUP,
    GROUP_TYPE,
    LEVEL,
    MAY_QUOTE,
    ORGANISATION_TYPE,
    OWN_VARIABLES,
    ROLE,
    SECTOR,
    SurveyVariable,
    VariableTable,
    survey_value,
    survey_variables,
)
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import FocusGroup, GroupType, Participant, Response, ResponseStatus
from innostudy.survey.instrument import Instrument


class CaseWriter:
    def __init__(
        self,
        session: Session,
        guids: Guids,
        variables: VariableTable,
        instrument: Instrument | None,
        survey_keys: tuple[str, ...],
        include_withdrawn: bool,
    ) -> None:
        self.session = session
        self.guids = guids
        self.variables = variables
        self.include_withdrawn = include_withdrawn
        self.survey: list[SurveyVariable] = []
        if survey_keys:
            if instrument is None:
                raise ValueError("survey variables need the instrument")
            self.survey = survey_variables(instrument, survey_keys)
        for var in self.survey:
            variables.reserve(var.name, var.type)

    def write(
        self, speaking: Mapping[int, list[str]], by_group: Mapping[int, list[str]]
    ) -> tuple[list[RefiCase], int]:
        """All group cases, then participant cases; also how many withdrawn people were left out."""
        groups = self.session.scalars(
            sa.select(FocusGroup)
            .join(GroupType)
            .options(selectinload(FocusGroup.group_type))
            .order_by(GroupType.position, FocusGroup.name)
        ).all()
        cases = [self._group(g, by_group.get(g.id, [])) for g in groups]
        participants = self.session.scalars(
            sa.select(Participant)
            .options(
                selectinload(Participant.consent),
                selectinload(Participant.focus_group).selectinload(FocusGroup.group_type),
            )
            .order_by(Participant.code)
        ).all()
        answers = self._answers()
        withdrawn = 0
        for p in participants:
            if has_withdrawn(p.consent) and not self.include_withdrawn:
                withdrawn += 1
                continue
            cases.append(self._participant(p, speaking.get(p.id, []), answers))
        return cases, withdrawn

    def _group(self, group: FocusGroup, sources: list[str]) -> RefiCase:
        v = self.variables
        return RefiCase(
            guid=self.guids("case", "group", group.id),
            name=group.name,
            description=group.notes,
            values=[
                v.value(GROUP_TYPE, "Text", group.group_type.label),
                v.value(SECTOR, "Text", group.group_type.sector.label),
            ],
            source_guids=list(sources),
        )

    def _participant(
        self, p: Participant, sources: list[str], answers: Mapping[int, dict[str, object]]
    ) -> RefiCase:
        v = self.variables
        values: list[RefiValue] = []
        if p.focus_group is not None:
            gtype = p.focus_group.group_type
            values += [
                v.value(FOCUS_GROUP, "Text", p.focus_group.name),
                v.value(GROUP_TYPE, "Text", gtype.label),
                v.value(SECTOR, "Text", gtype.sector.label),
            ]
        for name, text in (
            (ROLE, p.role),
            (LEVEL, p.level),
            (ORGANISATION_TYPE, p.organisation_type),
        ):
            if text:
                values.append(v.value(name, "Text", text))
        values.append(v.value(MAY_QUOTE, "Boolean", "true" if may_quote(p.consent) else "false"))
        picked = {var.name for var in self.survey}
        for name in sorted(p.variables):
            stored = p.variables[name]
            if name in OWN_VARIABLES or name in picked or not isinstance(stored, dict):
                continue
            values.append(
                v.value(name, str(stored.get("type", "Text")), str(stored.get("value", "")))
            )
        response = answers.get(p.response_id) if p.response_id is not None else None
        for var in self.survey if response is not None else []:
            typed = survey_value(var, response or {})
            if typed is not None:
                values.append(v.value(var.name, *typed))
        return RefiCase(
            guid=self.guids("case", "participant", p.code),
            name=p.code,
            values=values,
            source_guids=list(sources),
        )

    def _answers(self) -> dict[int, dict[str, object]]:
        """Submitted answers by response id (drafts are not final, so never exported)."""
        if not self.survey:
            return {}
        rows = self.session.execute(
            sa.select(Response.id, Response.answers).where(
                Response.status == ResponseStatus.SUBMITTED
            )
        )
        return {rid: dict(answers) for rid, answers in rows}
