"""Export, code further in another tool, import back: new codings join the same transcripts."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import sqlalchemy as sa
from lxml import etree

from innostudy.exchange.refi.matching import align
from innostudy.exchange.refi.sources_out import WITHHELD_TEXT
from innostudy.fieldwork.consent import has_withdrawn
from innostudy.model import Code, Coder, Coding, Participant, Segment, Transcript
from innostudy.storage.store import StudyStore
from tests.conftest import Cli

NS = "urn:QDA-XML:project:1.0"


def test_align_matches_turn_for_turn() -> None:
    assert align(["a", "b", "c"], ["a", WITHHELD_TEXT, "c"]) == [0, None, 2]
    assert align(["a", "b"], ["a", "x"]) is None
    assert align(["a", "b"], ["a"]) is None
    assert align([WITHHELD_TEXT], [WITHHELD_TEXT]) == [0]


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def code_further(exported: Path, target: Path, phrase: str) -> None:
    """What another tool does: a new user codes ``phrase`` and a withheld turn."""
    with zipfile.ZipFile(exported) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    root = etree.fromstring(files["project.qde"])
    user = str(uuid.uuid4())
    etree.SubElement(root.find(q("Users")), q("User"), guid=user, name="Pat (NVivo)")
    code = root.find(f"{q('CodeBook')}/{q('Codes')}/{q('Code')}/{q('Code')}").get("guid")
    for source in root.iter(q("TextSource")):
        text = files["sources/" + source.get("plainTextPath")[len("internal://") :]].decode()
        for words in (phrase, WITHHELD_TEXT):
            if words not in text:
                continue
            start = text.index(words)
            # a selection goes after the others and before the notes and variables
            position = len(source.findall(q("PlainTextSelection")))
            sel = etree.Element(
                q("PlainTextSelection"),
                guid=str(uuid.uuid4()),
                startPosition=str(start),
                endPosition=str(start + len(words)),
                creatingUser=user,
            )
            coding = etree.SubElement(sel, q("Coding"), guid=str(uuid.uuid4()), creatingUser=user)
            etree.SubElement(coding, q("CodeRef"), targetGUID=code)
            source.insert(position, sel)
    files["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_codings_made_elsewhere_come_home(demo_copy: Path, tmp_path: Path, cli: Cli) -> None:
    exported, returned = tmp_path / "out.qdpx", tmp_path / "back.qdpx"
    assert cli("--study", demo_copy, "export", "qdpx", exported).exit_code == 0
    with StudyStore.open(demo_copy) as store, store.session() as s:
        transcripts = s.scalar(sa.select(sa.func.count()).select_from(Transcript))
        codings = s.scalar(sa.select(sa.func.count()).select_from(Coding))
        codes = s.scalar(sa.select(sa.func.count()).select_from(Code))
        people = [p for p in s.scalars(sa.select(Participant)) if not has_withdrawn(p.consent)]
        held = [  # what the export carries: people's accepted codings on usable turns
            c
            for c in s.scalars(sa.select(Coding))
            if c.coder.kind.value == "person"
            and c.status.value == "accepted"
            and not (
                c.segment.speaker
                and c.segment.speaker.participant
                and has_withdrawn(c.segment.speaker.participant.consent)
            )
        ]
        turn = s.scalars(
            sa.select(Segment).where(Segment.position == 5).order_by(Segment.id)
        ).first()
        assert turn is not None
        phrase, turn_id = turn.text[10:60].strip(), turn.id  # spans never start with a space
        # the exported coders, and Pat, who coded further in another tool
        coders = len({c.coder_id for c in held}) + 1
    code_further(exported, returned, phrase)
    result = cli("--study", demo_copy, "import", "qdpx", returned)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Imported back.qdpx: {codes} codes, 0 new codes, {transcripts} sources, 0 turns, 1 coding, "
        f"{coders} coders, {len(people)} participants, 0 new participants, 0 new focus groups, "
        "0 new sessions.",
        f"{transcripts} sources matched transcripts the study already has (same session, name "
        "and turns): new codings were added to them",
        f"{len(held)} codings already in the study, not added again",
    ]
    assert result.stderr.strip() == (
        "Warning: 1 coding on turns withheld on export (participants who withdrew) not imported"
    )
    with StudyStore.open(demo_copy) as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Transcript)) == transcripts
        assert s.scalar(sa.select(sa.func.count()).select_from(Coding)) == codings + 1
        pat = s.scalar(sa.select(Coder).where(Coder.name == "Pat (NVivo)"))
        assert pat is not None
        (new,) = s.scalars(sa.select(Coding).where(Coding.coder_id == pat.id)).all()
        assert new.segment_id == turn_id
        assert new.segment.text[new.start : new.end] == phrase
