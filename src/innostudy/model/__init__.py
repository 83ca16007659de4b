"""The domain model: every table, importable from one place.

Importing this package registers all tables on ``Base.metadata`` (what Alembic compares).
"""

from innostudy.model.access import LoginSession
from innostudy.model.audit import AuditEvent, ImportBatch, ImportKind, RejectedRow
from innostudy.model.base import Base, utcnow
from innostudy.model.coding import (
    Code,
    Codebook,
    CodeStatus,
    Coding,
    CodingStatus,
    Quote,
    QuoteStatus,
    Stance,
    StanceSuggestion,
)
from innostudy.model.definitions import DefinitionRevision
from innostudy.model.fieldwork import (
    Consent,
    ConsentChoice,
    FocusGroup,
    GroupSession,
    GroupType,
    Participant,
    ParticipantContact,
    Recording,
    Sector,
)
from innostudy.model.study import Coder, CoderKind, Role, StudyInfo, User
from innostudy.model.survey import (
    Organisation,
    OrganisationContact,
    Response,
    ResponseRevision,
    ResponseSource,
    ResponseStatus,
)
from innostudy.model.transcripts import (
    Redaction,
    Segment,
    SegmentEmbedding,
    SegmentRaw,
    Speaker,
    SpeakerRole,
    Transcript,
    TranscriptKind,
)

__all__ = [
    "AuditEvent",
    "Base",
    "Code",
    "CodeStatus",
    "Codebook",
    "Coder",
    "CoderKind",
    "Coding",
    "CodingStatus",
    "Consent",
    "ConsentChoice",
    "DefinitionRevision",
    "FocusGroup",
    "GroupSession",
    "GroupType",
    "ImportBatch",
    "ImportKind",
    "LoginSession",
    "Organisation",
    "OrganisationContact",
    "Participant",
    "ParticipantContact",
    "Quote",
    "QuoteStatus",
    "Recording",
    "Redaction",
    "RejectedRow",
    "Response",
    "ResponseRevision",
    "ResponseSource",
    "ResponseStatus",
    "Role",
    "Sector",
    "Segment",
    "SegmentEmbedding",
    "SegmentRaw",
    "Speaker",
    "SpeakerRole",
    "Stance",
    "StanceSuggestion",
    "StudyInfo",
    "Transcript",
    "TranscriptKind",
    "User",
    "utcnow",
]
