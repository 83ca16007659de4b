"""Positions are Unicode code points: accents, emoji beyond the BMP and CRLF files, both ways."""

from __future__ import annotations

import zipfile
from pathlib import Path

import sqlalchemy as sa
from lxml import etree

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.fieldwork.groups import add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import Coding, Segment
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.transcripts.importing import import_transcript
from tests.conftest import Cli

NS = {"q": "urn:QDA-XML:project:1.0"}
TRANSCRIPT = (
    "Facilitator: Ça va? Où en est le budget 💶?\r\n"
    "Ana: Le 💶 arrive en 2027 — naïve planning, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 everywhere.\r\n"
)
PHRASE = "naïve planning, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"


def test_an_export_counts_code_points_and_writes_lf(tmp_path: Path, cli: Cli) -> None:
    study = init_study(tmp_path / "s")
    path = tmp_path / "t.txt"
    path.write_bytes(TRANSCRIPT.encode("utf-8"))
    with StudyStore.open(study) as store, store.session() as s:
        group = add_group(s, "Project managers", "cs_project")
        code = add_participant(s, group).code
        transcript = import_transcript(
            s, path, add_session(s, group), speaker_map={"Ana": code, "Facilitator": "facilitator"}
        )
        turn = transcript.segments[1]
        start = turn.text.index(PHRASE)
        costs = codes_by_key(s, study_codebook(s))["costs.budgeting"]
        apply_code(s, turn, costs, coder_named(s, "analyst"), start, start + len(PHRASE))
    target = tmp_path / "x.qdpx"
    assert cli("--study", study, "export", "qdpx", target).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        (source,) = root.xpath("//q:TextSource", namespaces=NS)
        entry = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        raw = archive.read(entry)
    text = raw.decode("utf-8")
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    (sel,) = source.xpath("q:PlainTextSelection", namespaces=NS)
    begin, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    assert text[begin:end] == PHRASE
    before = text[:begin]
    assert begin == len(before)  # code points…
    assert begin != len(before.encode("utf-16-le")) // 2  # …not UTF-16 units (the emoji differ)
    assert end - begin == len(PHRASE) == 23  # 16 + 7 mathematical letters

    # and back: a new study finds the same words at the same place in the same turn
    assert cli("init", tmp_path / "t", "--from", target).exit_code == 0
    with StudyStore.open(tmp_path / "t") as store, store.session() as s:
        (coding,) = s.scalars(sa.select(Coding)).all()
        seg = s.get(Segment, coding.segment_id)
        assert seg is not None
        assert seg.text[coding.start : coding.end] == PHRASE
        assert (coding.start, coding.end) == (start, start + len(PHRASE))
        assert seg.speaker is not None and seg.speaker.participant is not None
        assert seg.speaker.participant.code == code
