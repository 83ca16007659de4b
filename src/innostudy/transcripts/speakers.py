"""Speaker labels → participant codes or roles: a mapping file, registered names, role words.

The order of evidence for each label in a transcript:

1. the mapping (a YAML file or answers at a prompt): a participant code such as
   ``SCS-03`` or a role word (facilitator, moderator, note_taker, unknown);
2. the session: a label equal to its facilitator or note-taker, or a label that says
   so ("Facilitator", "Moderator 2", "Note-taker");
3. registered names: a label equal to one participant's full name, or to the given
   name of exactly one participant of the session's group (names are compared folded,
   so "SIAN PRICE" is "Siân Price"). Names are read for matching only, never shown;
4. otherwise the speaker stays ``unknown`` and is flagged for mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from innostudy.errors import InputError, InputErrors
from innostudy.folding import fold
from innostudy.model import (
    AuditEvent,
    GroupSession,
    Participant,
    ParticipantContact,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.transcripts.roles import role_in_label, role_word
from innostudy.yamldoc import line_of, load_yaml


@dataclass(frozen=True)
class SpeakerAssignment:
    role: SpeakerRole
    participant_id: int | None = None
    how: str = "unmapped"  # map, session, name, label, unmapped


@dataclass
class SpeakerMap:
    """Label → participant code or role word, with the line of each entry for errors."""

    entries: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    source: str = "speaker map"


def _folded(text: str) -> str:
    return " ".join(fold(text)[0].replace("'", "").split())


def load_speaker_map(path: Path) -> SpeakerMap:
    """Read ``label: CODE-or-role`` pairs (optionally under a top-level ``speakers:`` key)."""
    data = load_yaml(path)
    if isinstance(data, dict) and set(data) == {"speakers"}:
        data = data["speakers"]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            path, line_of(data), None, "a speaker map is a mapping of 'label: CODE or role'"
        )
    result = SpeakerMap(source=str(path))
    errors = []
    for label, target in data.items():
        if target is None or (isinstance(target, str) and not target.strip()):
            continue  # left blank in a template: still to be decided
        if not isinstance(target, str):
            errors.append(
                InputError(
                    path,
                    line_of(data, label),
                    label,
                    "must be a participant code or a role word",
                    unit="line",
                )
            )
            continue
        result.entries[str(label)] = target.strip()
        result.lines[str(label)] = line_of(data, label) or 0
    if errors:
        raise InputErrors(errors)
    return result


def parse_speaker_pairs(text: str, source: str = "--speakers") -> SpeakerMap:
    """``"Ana=BUS-01, Ben=BUS-02, Moderator=facilitator"`` → a speaker map, as typed after
    a dry run; codes and role words are checked when the map is applied."""
    result = SpeakerMap(source=source)
    for pair in (p for p in text.split(",") if p.strip()):
        label, sep, target = pair.partition("=")
        if not sep or not label.strip() or not target.strip():
            raise InputError(
                source, None, None, f"'{pair.strip()}' is not LABEL=CODE (e.g. \"Ana=BUS-01\")"
            )
        result.entries[" ".join(label.split())] = target.strip()
    return result


def speaker_map_from(value: str) -> SpeakerMap:
    """``--speakers``: a YAML map file, or ``LABEL=CODE`` pairs typed on the command line."""
    path = Path(value)
    if path.is_file():
        return load_speaker_map(path)
    if "=" in value:
        return parse_speaker_pairs(value)
    raise InputError(
        "--speakers",
        None,
        None,
        f"'{value}' is neither a speaker map file nor LABEL=CODE pairs (e.g. \"Ana=BUS-01\")",
    )


def as_speaker_map(mapping: Mapping[str, str] | SpeakerMap | None, source: str) -> SpeakerMap:
    if isinstance(mapping, SpeakerMap):
        return mapping
    return SpeakerMap(dict(mapping or {}), {}, source)


class SpeakerResolver:
    """Decides each label of one session's transcript; reads the study once."""

    def __init__(self, session: Session, group_session: GroupSession, mapping: SpeakerMap) -> None:
        self.mapping = mapping
        self.group_session = group_session
        rows = session.execute(
            sa.select(Participant.code, Participant.id, Participant.focus_group_id)
        ).all()
        self.codes = {code.casefold(): (pid, group) for code, pid, group in rows}
        self.names = _name_index(session, group_session.focus_group_id)
        self.warnings: list[str] = []
        self._folded_map = {_folded(k).casefold(): k for k in mapping.entries}

    def unused(self, labels: list[str]) -> list[str]:
        """Warnings for mapped labels the transcript does not have (a typo, usually)."""
        have = {_folded(label).casefold() for label in labels}
        missing = [k for k in self.mapping.entries if _folded(k).casefold() not in have]
        if not missing:
            return []
        return [
            f"{self.mapping.source} names {', '.join(repr(m) for m in missing)}, which the "
            f"transcript does not have (its speakers: {', '.join(labels) or 'none'})"
        ]

    def resolve(self, labels: list[str]) -> dict[str, SpeakerAssignment]:
        errors: list[InputError] = []
        resolved: dict[str, SpeakerAssignment] = {}
        for label in labels:
            try:
                resolved[label] = self._one(label)
            except InputError as exc:
                errors.append(exc)
        if errors:
            raise InputErrors(errors)
        return resolved

    def _one(self, label: str) -> SpeakerAssignment:
        key = self._folded_map.get(_folded(label).casefold(), label)
        target = self.mapping.entries.get(key)
        if target is not None:
            return self._mapped(key, target)
        folded = _folded(label)
        gs = self.group_session
        stated = role_in_label(label)
        if (gs.facilitator and folded == _folded(gs.facilitator)) or (
            stated is SpeakerRole.FACILITATOR
        ):
            return SpeakerAssignment(SpeakerRole.FACILITATOR, how="session")
        if (gs.note_taker and folded == _folded(gs.note_taker)) or (
            stated is SpeakerRole.NOTE_TAKER
        ):
            return SpeakerAssignment(SpeakerRole.NOTE_TAKER, how="session")
        if folded.casefold() in self.codes:
            return SpeakerAssignment(
                SpeakerRole.PARTICIPANT, self.codes[folded.casefold()][0], how="label"
            )
        if folded in self.names:
            return SpeakerAssignment(SpeakerRole.PARTICIPANT, self.names[folded], how="name")
        return SpeakerAssignment(SpeakerRole.UNKNOWN)

    def _mapped(self, label: str, target: str) -> SpeakerAssignment:
        role = role_word(target)
        if role is not None:
            return SpeakerAssignment(role, how="map")
        found = self.codes.get(target.casefold())
        if found is None:
            raise InputError(
                self.mapping.source,
                self.mapping.lines.get(label),
                label,
                f"speaker '{label}' is mapped to unknown participant code '{target}'",
                unit="line",
            )
        pid, group = found
        own = self.group_session.focus_group_id
        if own is not None and group != own:
            self.warnings.append(
                f"speaker '{label}' is mapped to {target.upper()}, "
                "who belongs to another focus group than this session"
            )
        return SpeakerAssignment(SpeakerRole.PARTICIPANT, pid, how="map")


def _name_index(session: Session, group_id: int | None) -> dict[str, int]:
    """Folded full names (all participants) and unambiguous given names (the group's)."""
    rows = session.execute(
        sa.select(ParticipantContact.full_name, Participant.id, Participant.focus_group_id).join(
            Participant, Participant.id == ParticipantContact.participant_id
        )
    ).all()
    index: dict[str, int] = {}
    full_counts: dict[str, int] = {}
    given: dict[str, list[int]] = {}
    for name, pid, group in rows:
        folded = _folded(name)
        if not folded:
            continue
        full_counts[folded] = full_counts.get(folded, 0) + 1
        index[folded] = pid
        if group_id is None or group == group_id:
            given.setdefault(folded.split()[0], []).append(pid)
    index = {k: v for k, v in index.items() if full_counts[k] == 1}
    for first, ids in given.items():
        if len(ids) == 1 and first not in index:
            index[first] = ids[0]
    return index


@dataclass(frozen=True)
class SpeakerRow:
    id: int
    label: str
    role: SpeakerRole
    code: str | None
    turns: int

    @property
    def flagged(self) -> bool:
        return self.role is SpeakerRole.UNKNOWN


def speaker_rows(session: Session, transcript: Transcript) -> list[SpeakerRow]:
    from innostudy.model import Segment

    counts = dict(
        session.execute(
            sa.select(Segment.speaker_id, sa.func.count())
            .where(Segment.transcript_id == transcript.id)
            .group_by(Segment.speaker_id)
        ).all()
    )
    return [
        SpeakerRow(
            sp.id,
            sp.label,
            sp.role,
            sp.participant.code if sp.participant is not None else None,
            int(counts.get(sp.id, 0)),
        )
        for sp in transcript.speakers
    ]


def remap_speakers(
    session: Session,
    transcript: Transcript,
    mapping: SpeakerMap,
    *,
    actor: str = "",
) -> tuple[list[str], list[str]]:
    """Apply a mapping to a stored transcript; returns (changes, warnings). Audited."""
    resolver = SpeakerResolver(session, transcript.session, mapping)
    labels = [sp.label for sp in transcript.speakers if sp.label in mapping.entries]
    decided = resolver.resolve(labels)
    changes: list[str] = []
    for sp in transcript.speakers:
        new = decided.get(sp.label)
        if new is None or (new.role, new.participant_id) == (sp.role, sp.participant_id):
            continue
        before = _describe(sp.role, sp.participant)
        sp.role, sp.participant_id = new.role, new.participant_id
        session.flush()
        session.refresh(sp)
        after = _describe(sp.role, sp.participant)
        changes.append(f"{sp.label}: {before} → {after}")
        session.add(
            AuditEvent(
                actor=actor,
                action="speaker.map",
                entity_type="speaker",
                entity_id=sp.id,
                detail={"transcript": transcript.id, "from": before, "to": after},
            )
        )
    session.flush()
    return changes, resolver.warnings


def _describe(role: SpeakerRole, participant: Participant | None) -> str:
    return participant.code if participant is not None else role.value


def mapping_template(session: Session, transcript: Transcript) -> str:
    """A YAML speaker map of this transcript, ready to edit: decided labels filled in."""
    lines = [
        f"# Speaker map for transcript {transcript.id} ({transcript.name}).",
        "# Give each label a participant code (e.g. SCS-03) or a role: facilitator,",
        "# note_taker, unknown. Blank entries are left as they are.",
    ]
    for row in speaker_rows(session, transcript):
        value = row.code or ("" if row.flagged else row.role.value)
        entry = yaml.safe_dump({row.label: value}, allow_unicode=True).strip()
        note = f"  # unmapped, {row.turns} turns" if row.flagged else f"  # {row.turns} turns"
        lines.append(entry.replace("''", "") + note)
    return "\n".join(lines) + "\n"


def unmapped_labels(transcript: Transcript) -> list[Speaker]:
    return [sp for sp in transcript.speakers if sp.role is SpeakerRole.UNKNOWN]
