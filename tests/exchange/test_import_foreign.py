"""Importing a project made by another QDA tool: what lands where, what is reported, what fails.

The project (``foreign.py``) is hand-written: nested codes, overlapping selections by two
coders, a selection across speaker turns, a source with a BOM and CRLF line breaks,
accents and an emoji, notes of every kind and things innostudy cannot hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from innostudy.exchange.refi.sources_in import map_offset
from innostudy.model import (
    Code,
    Coder,
    Coding,
    Consent,
    ConsentChoice,
    Participant,
    SpeakerRole,
    Transcript,
)
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.transcripts.redaction import Replacement
from tests.conftest import Cli
from tests.exchange.foreign import (
    FIELD_NOTES_TEXT,
    INTERVIEW,
    INTERVIEW_TEXT,
    Foreign,
)
from tests.exchange.helpers import fingerprint


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return init_study(tmp_path / "study")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def code_path(session: sa.orm.Session, code: Code) -> tuple[str, ...]:
    names: list[str] = []
    row: Code | None = code
    while row is not None:
        names.insert(0, row.name)
        row = session.get(Code, row.parent_id) if row.parent_id else None
    return tuple(names)


def codings(store: StudyStore) -> set[tuple[str, tuple[str, ...], str, str | None, str]]:
    """(coder, code path, coded text, speaker, memo) for every coding in the study."""
    with store.session() as s:
        out = set()
        for c in s.scalars(sa.select(Coding)):
            speaker = c.segment.speaker.label if c.segment.speaker else None
            out.add(
                (
                    c.coder.name,
                    code_path(s, c.code),
                    c.segment.text[c.start : c.end],
                    speaker,
                    c.memo,
                )
            )
        return out


def test_everything_lands_on_the_right_words(cli: Cli, study: Path, tmp_path: Path) -> None:
    path = Foreign().write(tmp_path / "interviews.qdpx")
    result = cli("--study", study, "import", "qdpx", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        "Imported interviews.qdpx: 5 codes, 5 new codes, 2 sources, 7 turns, 7 codings, "
        "2 coders, 2 participants, 2 new participants, 0 new focus groups, 2 new sessions.",
        "the new codes are revision 2 of the codebook (codebook.yaml shows it; "
        "`innostudy definitions history codebook` lists the earlier ones)",
    ]
    front_line = ("Origins", "Sources of ideas", "Front line")
    with StudyStore.open(study) as store:
        assert codings(store) == {
            ("Alice", front_line, "front-line staff pushed it", "P01", "Strong example."),
            ("Bob", ("Culture",), "café 😀 when front-line", "P01", "Overlaps Alice's selection."),
            ("Bob", front_line, "café 😀 when front-line", "P01", "Overlaps Alice's selection."),
            # one selection across two turns, cut at the turn boundary
            ("Alice", ("Costs",), "finance got involved.", "P01", ""),
            ("Alice", ("Costs",), "And the budget", "Interviewer", ""),
            # the phone number was redacted and the span moved with it
            ("Alice", ("Costs",), "Call me on [PHONE]", "P01", ""),
            ("Alice", ("Costs",), "The costs came up twice", None, ""),
        }


def test_turns_speakers_and_text_keep_every_character(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    assert (
        cli("--study", study, "import", "qdpx", Foreign().write(tmp_path / "i.qdpx")).exit_code == 0
    )
    flat = INTERVIEW_TEXT.replace("\r\n", "\n")
    with StudyStore.open(study) as store, store.session() as s:
        interview = s.scalar(sa.select(Transcript).where(Transcript.name == "Interview 1"))
        assert interview is not None
        turns = [
            (seg.speaker.label if seg.speaker else None, seg.raw.text if seg.raw else "")
            for seg in interview.segments
        ]
        assert turns == [
            (None, "Interview with P01, 12 March 2026 (synthetic)"),
            ("Interviewer", "How did the idea start?"),
            (
                "P01",
                "It began in the café 😀 when front-line staff pushed it.\nThen finance got involved.",
            ),
            ("Interviewer", "And the budget?"),
            ("P01", "Nobody had one. Call me on 020 7946 0958 if you need more."),
        ]
        for _, raw in turns:  # every turn is a slice of the text as the tool stored it
            assert raw in flat
        roles = {
            sp.label: (sp.role, sp.participant.code if sp.participant else None)
            for sp in interview.speakers
        }
        assert roles == {
            "Interviewer": (SpeakerRole.FACILITATOR, None),
            "P01": (SpeakerRole.PARTICIPANT, "P01"),
        }
        notes = s.scalar(sa.select(Transcript).where(Transcript.name == "Field notes"))
        assert notes is not None
        assert [seg.text for seg in notes.segments] == FIELD_NOTES_TEXT.split("\n\n")
        assert interview.session.notes_md == (
            "The interviewee asked for the recorder to be paused once.\n\nRecorded in a meeting room."
        )


def test_codes_cases_and_variables(study: Path, tmp_path: Path, cli: Cli) -> None:
    assert (
        cli("--study", study, "import", "qdpx", Foreign().write(tmp_path / "i.qdpx")).exit_code == 0
    )
    with StudyStore.open(study) as store, store.session() as s:
        leaf = s.scalar(sa.select(Code).where(Code.name == "Front line"))
        assert leaf is not None
        assert code_path(s, leaf) == ("Origins", "Sources of ideas", "Front line")
        assert (leaf.description, leaf.include, leaf.examples, leaf.memo) == (
            "Ideas that came from front-line staff.",
            "staff who deliver the service.",
            ["The counter staff suggested it."],
            "Watch for managers claiming credit.",
        )
        # "Origins" exists in the default codebook as "Origins and triggers" (key origins),
        # so the new code gets the next free key; #abc is written out in full
        origins = s.scalar(sa.select(Code).where(Code.name == "Origins"))
        assert origins is not None and (origins.key, origins.colour) == ("origins_2", "#AABBCC")
        assert leaf.key == "origins_2.sources_of_ideas.front_line"
        p01 = s.scalar(sa.select(Participant).where(Participant.code == "P01"))
        p02 = s.scalar(sa.select(Participant).where(Participant.code == "P02"))
        assert p01 is not None and p02 is not None
        assert p01.role == "Team leader" and p01.focus_group is None
        assert p01.variables == {
            "Age band": {"type": "Text", "value": "40-49"},
            "Years in post": {"type": "Integer", "value": "12"},
            "Interview date": {"type": "Date", "value": "2026-03-12"},
            "Manager": {"type": "Boolean", "value": "true"},  # written as 1 in the file
        }
        assert p02.variables == {"Years in post": {"type": "Text", "value": "ten"}}
        assert sorted(s.scalars(sa.select(Coder.name))) == ["Alice", "Bob"]


def test_what_cannot_be_held_is_reported_line_by_line(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    result = cli("--study", study, "import", "qdpx", Foreign().write(tmp_path / "i.qdpx"))
    warnings = result.stderr.strip().splitlines()
    assert warnings == [
        "Warning: 1 picture source ('Whiteboard photo') not imported: innostudy holds text sources only",
        "Warning: 1 set ('Key codes') not imported: innostudy has no sets",
        "Warning: source 'Linked file' points outside the archive (absolute:///C:/data/linked.txt); "
        "not imported",
        "Warning: 1 variable value did not fit its type; kept as text",
        "Warning: 1 code ('Origins') marked not codable (a folder) in the file; imported as ordinary codes",
        "Warning: 1 case without a name (variables attached to sources, as some tools write them); "
        "not imported",
        "Warning: participant 'P02': the case description is not kept (participants have no notes in innostudy)",
        "Warning: 1 selection crossed speaker turns; each was split into one coding per turn (2 codings in all)",
        "Warning: 1 selection covered only speaker labels, times or blank lines; not imported",
        "Warning: 1 selection of length 0; not imported",
        "Warning: source variables not kept ('Region'): innostudy keeps variables on participants only",
        "Warning: 1 annotation (notes on a passage of a source) not imported: innostudy has no "
        "annotations; code the passage with a memo instead",
        "Warning: 1 note not imported ('Project journal'): attached to the project as a whole or to "
        "nothing innostudy keeps",
    ]


def test_new_codes_reach_the_codebook_file_and_the_old_one_is_kept(
    study: Path, tmp_path: Path, cli: Cli
) -> None:
    before = (study / "codebook.yaml").read_text()
    assert (
        cli("--study", study, "import", "qdpx", Foreign().write(tmp_path / "i.qdpx")).exit_code == 0
    )
    assert not list(study.glob("codebook.yaml.*.bak"))  # the old one is a revision instead
    old = tmp_path / "codebook-1.yaml"
    cli("--study", study, "definitions", "export", "codebook", "--revision", "1", "-o", old)
    assert old.read_text().split("# innostudy: ")[0] == before.split("# innostudy: ")[0]
    written = yaml.safe_load((study / "codebook.yaml").read_text())
    keys = []
    stack = list(written["codes"])
    while stack:
        code = stack.pop()
        keys.append(code["key"])
        stack += code.get("children", [])
    assert {
        "origins_2",
        "origins_2.sources_of_ideas",
        "origins_2.sources_of_ideas.front_line",
        "culture",
        "costs_2",
    } <= set(keys)
    with StudyStore.open(study) as store, store.session() as s:
        assert set(keys) == set(s.scalars(sa.select(Code.key)))


@pytest.mark.parametrize(
    ("foreign", "needle", "field", "message"),
    [
        (
            Foreign(interview_entry=None),
            f'<TextSource guid="{INTERVIEW}"',
            "plainTextPath",
            f"source 'Interview 1': sources/{INTERVIEW}.txt is missing from the archive",
        ),
        (
            Foreign(code_ref="a0000000-0000-4000-8000-0000000000ff"),
            'Coding guid="f1000000-0000-4000-8000-000000000001"',
            "CodeRef",
            "refers to code a0000000-0000-4000-8000-0000000000ff, which the file does not define",
        ),
        (
            Foreign(past_end=True),
            'PlainTextSelection guid="f0000000-0000-4000-8000-000000000001"',
            "endPosition",
            f"selection {len(INTERVIEW_TEXT.replace(chr(13), '')) - 4}-{len(INTERVIEW_TEXT)} runs "
            f"past the end of source 'Interview 1' ({len(INTERVIEW_TEXT.replace(chr(13), ''))} "
            "characters; its CRLF line breaks count as one position each)",
        ),
    ],
)
def test_a_damaged_project_is_refused_whole(
    cli: Cli, study: Path, tmp_path: Path, foreign: Foreign, needle: str, field: str, message: str
) -> None:
    path = foreign.write(tmp_path / "bad.qdpx")
    before = fingerprint(study)
    result = cli("--study", study, "import", "qdpx", path)
    line = line_of(foreign.qde(), needle)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {path}:project.qde, line {line}, field '{field}': {message}"
    )
    assert fingerprint(study) == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"../../x": b"boom"},
            "{path}:../../x: entry name climbs out of the archive (..); refused",
        ),
        (
            {"sources/padding.txt": b" " * (4 * 1024 * 1024)},
            "{path}:sources/padding.txt: entry inflates more than 200 times its stored size; "
            "refused (a zip bomb?)",
        ),
    ],
)
def test_an_unsafe_archive_is_refused_whole(
    cli: Cli, study: Path, tmp_path: Path, extra: dict[str, bytes], message: str
) -> None:
    path = Foreign(extra_entries=extra).write(tmp_path / "bad.qdpx")
    before = fingerprint(study)
    result = cli("--study", study, "import", "qdpx", path)
    assert (result.exit_code, result.stderr.strip()) == (1, "Error: " + message.format(path=path))
    assert fingerprint(study) == before


def test_malformed_xml_names_its_line(cli: Cli, study: Path, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde", '<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>\n'
        )
    result = cli("--study", study, "import", "qdpx", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}:project.qde, line 4: not well-formed XML: Opening and ending tag mismatch: "
        "Users line 3 and Project"
    )


def test_the_same_file_twice_is_refused(cli: Cli, study: Path, tmp_path: Path) -> None:
    path = Foreign().write(tmp_path / "i.qdpx")
    assert cli("--study", study, "import", "qdpx", path).exit_code == 0
    before = fingerprint(study)
    result = cli("--study", study, "import", "qdpx", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: this file was already imported on ")
    assert result.stderr.strip().endswith(
        "(import 1); importing it again would duplicate its transcripts"
    )
    assert fingerprint(study) == before


def test_registered_names_are_redacted_and_spans_follow(
    cli: Cli, study: Path, tmp_path: Path
) -> None:
    from innostudy.survey.organisations import add_organisation

    with StudyStore.open(study) as store, store.session() as s:
        add_organisation(s, "Front-line Staff", "agency")  # a registered name, in any case
    path = Foreign().write(tmp_path / "i.qdpx")
    assert cli("--study", study, "import", "qdpx", path).exit_code == 0
    front_line = ("Origins", "Sources of ideas", "Front line")
    with StudyStore.open(study) as store:
        found = codings(store)
    # a span that contains the name keeps covering its tag; one that ends inside the
    # name now ends after the tag, never inside it
    assert ("Alice", front_line, "[ORGANISATION] pushed it", "P01", "Strong example.") in found
    assert (
        "Bob",
        ("Culture",),
        "café 😀 when [ORGANISATION]",
        "P01",
        "Overlaps Alice's selection.",
    ) in found


def test_no_redact_keeps_the_text_as_the_tool_had_it(cli: Cli, study: Path, tmp_path: Path) -> None:
    path = Foreign().write(tmp_path / "i.qdpx")
    assert cli("--study", study, "import", "qdpx", "--no-redact", path).exit_code == 0
    with StudyStore.open(study) as store:
        assert ("Alice", ("Costs",), "Call me on 020 7946 0958", "P01", "") in codings(store)


def test_map_offset_moves_spans_with_a_redaction() -> None:
    # "Call Zoë Marsh now" → "Call [PERSON] now"
    reps = [Replacement(5, 13, "[PERSON]", "participant", "Zoë Marsh")]
    assert map_offset(reps, 0, is_end=False) == 0
    assert map_offset(reps, 5, is_end=False) == 5
    assert map_offset(reps, 7, is_end=False) == 5  # inside the name: snaps to the tag
    assert map_offset(reps, 7, is_end=True) == 13
    assert map_offset(reps, 14, is_end=True) == 13  # just after the name
    assert map_offset(reps, 18, is_end=True) == 17  # "now" ends one earlier: the tag is shorter


def test_existing_participants_and_their_consent_are_kept(
    cli: Cli, study: Path, tmp_path: Path
) -> None:
    with StudyStore.open(study) as store, store.session() as s:
        s.add(
            Participant(
                code="P01", role="Analyst", consent=Consent(quotation=ConsentChoice.GRANTED)
            )
        )
    result = cli("--study", study, "import", "qdpx", Foreign().write(tmp_path / "i.qdpx"))
    assert result.exit_code == 0
    assert "Warning: participant 'P01' exists with other role; kept the study's" in result.stderr
    with StudyStore.open(study) as store, store.session() as s:
        p01 = s.scalar(sa.select(Participant).where(Participant.code == "P01"))
        assert p01 is not None and p01.role == "Analyst" and p01.variables == {}
        assert p01.consent is not None and p01.consent.quotation is ConsentChoice.GRANTED
        assert s.scalar(sa.select(sa.func.count()).select_from(Participant)) == 2
