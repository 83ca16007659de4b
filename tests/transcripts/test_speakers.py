"""Speaker resolution and the study's redaction word list."""

from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.errors import InputError
from innostudy.fieldwork.sessions import find_session
from innostudy.storage.store import StudyStore
from innostudy.transcripts.speakers import SpeakerMap, SpeakerResolver, load_speaker_map
from innostudy.transcripts.wordlist import load_word_list, redactor_for_study
from tests.fieldwork.conftest import Study


def resolve(
    study: Study, labels: list[str], entries: dict[str, str] | None = None
) -> dict[str, tuple[str, str | None, str]]:
    with StudyStore.open(study.folder) as store, store.session() as s:
        resolver = SpeakerResolver(s, find_session(s, study.session_id), SpeakerMap(entries or {}))
        decided = resolver.resolve(labels)
        codes = {
            p_id: code for code, (p_id, _) in ((c.upper(), v) for c, v in resolver.codes.items())
        }
        return {k: (a.role.value, codes.get(a.participant_id), a.how) for k, a in decided.items()}


def test_evidence_in_order_map_session_codes_names(study: Study) -> None:
    assert resolve(
        study,
        ["Moderator", "Ana", "SIAN PRICE", "Zoë", "scs-03", "Speaker 4", "Mystery"],
        {"Mystery": "note-taker"},
    ) == {
        "Moderator": ("facilitator", None, "session"),
        "Ana": ("note_taker", None, "session"),  # the session's note-taker
        "SIAN PRICE": ("participant", "SCS-02", "name"),  # folded full name
        "Zoë": ("participant", "SCS-01", "name"),  # unique given name in the group
        "scs-03": ("participant", "SCS-03", "label"),
        "Speaker 4": ("unknown", None, "unmapped"),
        "Mystery": ("note_taker", None, "map"),
    }


def test_a_shared_given_name_is_not_guessed(study: Study) -> None:
    from innostudy.fieldwork.groups import PersonalDetails, add_participant
    from innostudy.fieldwork.participants import find_group

    with StudyStore.open(study.folder) as store, store.session() as s:
        add_participant(
            s, find_group(s, "Senior civil servants"), personal=PersonalDetails("Zoë Ng")
        )
    assert resolve(study, ["Zoë"])["Zoë"] == ("unknown", None, "unmapped")


def test_speaker_map_errors_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("Zoë: SCS-01\nSiân: [1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_speaker_map(path)
    assert (
        str(info.value)
        == f"{path}, line 2, field 'Siân': must be a participant code or a role word"
    )
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(InputError, match="a speaker map is a mapping"):
        load_speaker_map(path)
    path.write_text("speakers:\n  Zoë: SCS-01\n  Siân:\n", encoding="utf-8")
    assert load_speaker_map(path).entries == {"Zoë": "SCS-01"}


def test_word_list_tags_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("# people\nJo Whitfield\n[ORGANISATION] Brightwater Labs\n", encoding="utf-8")
    terms = {(t.text, t.tag) for t in load_word_list(path)}
    assert {
        ("Jo Whitfield", "[PERSON]"),
        ("Whitfield", "[PERSON]"),
        ("Brightwater Labs", "[ORGANISATION]"),
    } <= terms
    path.write_text("ok name\n[lower] x y\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_word_list(path)
    assert str(info.value) == f"{path}, line 2, field 'tag': '[lower]' is not a tag like [PERSON]"


def test_the_study_redactor_knows_participants_organisations_and_words(
    study: Study, tmp_path: Path
) -> None:
    words = tmp_path / "words.txt"
    words.write_text("[ORGANISATION] Kestrel Labs\n", encoding="utf-8")
    with StudyStore.open(study.folder) as store, store.session() as s:
        redactor = redactor_for_study(s, ["Jo Whitfield"], word_list=words)
    text, _ = redactor.redact("Zoë at Agency (synthetic) met Jo and Kestrel Labs")
    assert text == "[PARTICIPANT] at [ORGANISATION] met [PERSON] and [ORGANISATION]"
