"""Exporting the demo study: valid REFI-QDA, exact offsets, nobody's name, and what stays behind.

The file is read back here with lxml and XPath directly, not with innostudy's reader,
and validated with xmlschema (innostudy itself checks with lxml), so the two sides do
not share a blind spot.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import xmlschema
from lxml import etree

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.demo.build import DemoSummary
from innostudy.exchange.refi.sources_out import WITHHELD_TEXT
from innostudy.fieldwork.consent import has_withdrawn
from innostudy.model import (
    Code,
    CoderKind,
    Coding,
    CodingStatus,
    FocusGroup,
    GroupSession,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
    Segment,
    Speaker,
    Transcript,
)
from innostudy.personal_data import PersonalData
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import load_instrument
from tests.conftest import Cli

NS = {"q": "urn:QDA-XML:project:1.0"}
SCHEMAS = Path(__file__).parents[2] / "src/innostudy/exchange/refi"


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


class Qdpx:
    """A .qdpx opened with plain zipfile + lxml."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.qde = archive.read("project.qde")
            self.files = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
        self.root = etree.fromstring(self.qde)

    def xpath(self, query: str, **variables: Any) -> list[Any]:
        result: list[Any] = self.root.xpath(query, namespaces=NS, **variables)
        return result

    def text(self, source: Any) -> str:
        path = source.get("plainTextPath").removeprefix("internal://")
        return self.files[f"sources/{path}"].decode("utf-8")

    def everything(self) -> str:
        return self.qde.decode() + "\n".join(f.decode() for f in self.files.values())


def demo_qdpx(demo: DemoSummary) -> Path:
    return demo.folder / "exchange" / "study.qdpx"


def test_the_packaged_schema_is_the_published_one() -> None:
    digest = hashlib.sha256((SCHEMAS / "Project.xsd").read_bytes()).hexdigest()
    assert digest in (SCHEMAS / "README.md").read_text()


def test_the_demo_export_validates(
    demo_study: DemoSummary, project_schema: xmlschema.XMLSchema
) -> None:
    qdpx = Qdpx(demo_qdpx(demo_study))
    project_schema.validate(qdpx.qde)
    sources = qdpx.xpath("//q:TextSource")
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        assert len(sources) == s.scalar(sa.select(sa.func.count()).select_from(Transcript)) > 0
    assert sorted(qdpx.files) == sorted(
        f"sources/{s.get('plainTextPath').removeprefix('internal://')}" for s in sources
    )
    codebook = demo_study.folder / "exchange" / "study.qdc"
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(str(codebook))
    qdc_codes = etree.parse(str(codebook)).xpath(
        "//c:Code/@guid", namespaces={"c": "urn:QDA-XML:codebook:1.0"}
    )
    assert qdc_codes == qdpx.xpath("//q:CodeBook//q:Code/@guid")  # the same codes, same GUIDs


def test_every_selection_covers_exactly_the_coded_words(demo_study: DemoSummary) -> None:
    """The multiset of (transcript, coded words, code, coder) is the same in file and study."""
    qdpx = Qdpx(demo_qdpx(demo_study))
    codes = {c.get("guid"): c.get("name") for c in qdpx.xpath("//q:Code")}
    users = {u.get("guid"): u.get("name") for u in qdpx.xpath("//q:User")}
    in_file: Counter[tuple[str, str, str, str]] = Counter()
    for source in qdpx.xpath("//q:TextSource"):
        text = qdpx.text(source)
        for sel in source.xpath("q:PlainTextSelection", namespaces=NS):
            words = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
            for coding in sel.xpath("q:Coding", namespaces=NS):
                code = codes[coding.xpath("q:CodeRef/@targetGUID", namespaces=NS)[0]]
                in_file[(source.get("name"), words, code, users[coding.get("creatingUser")])] += 1
    in_study: Counter[tuple[str, str, str, str]] = Counter()
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        for c in s.scalars(sa.select(Coding)):
            if c.coder.kind is CoderKind.MODEL or c.status is not CodingStatus.ACCEPTED:
                continue  # suggestions and rejections stay behind (tested below)
            speaker = c.segment.speaker
            participant = speaker.participant if speaker is not None else None
            if participant is not None and has_withdrawn(participant.consent):
                continue
            key = (
                c.segment.transcript.name,
                c.segment.text[c.start : c.end],
                c.code.name,
                c.coder.name,
            )
            in_study[key] += 1
    assert sum(in_file.values()) > 100  # the premise: a coded study
    assert in_file == in_study


def test_nobody_is_named(demo_study: DemoSummary) -> None:
    everything = Qdpx(demo_qdpx(demo_study)).everything()
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        registered = PersonalData.of(s)
        typed = [sp.label for sp in s.scalars(sa.select(Speaker)) if sp.label != "Facilitator"]
        others = PersonalData(
            [*typed, *s.scalars(sa.select(ParticipantContact.organisation_name))], [], []
        )
    assert len(registered.names) + len(registered.emails) > 100  # the premise
    assert registered.find(everything) == []
    assert others.find(everything) == []


def test_withdrawn_participants_are_withheld(demo_study: DemoSummary) -> None:
    qdpx = Qdpx(demo_qdpx(demo_study))
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        withdrawn = [p for p in s.scalars(sa.select(Participant)) if has_withdrawn(p.consent)]
        assert len(withdrawn) == 1
        turns = s.scalars(
            sa.select(Segment).join(Speaker).where(Speaker.participant_id == withdrawn[0].id)
        ).all()
        code = withdrawn[0].code
        others = Counter(seg.text for seg in s.scalars(sa.select(Segment)) if seg not in set(turns))
    texts = "\n\n".join(qdpx.text(src).strip() for src in qdpx.xpath("//q:TextSource"))
    bodies = Counter(paragraph.split(": ", 1)[1] for paragraph in texts.split("\n\n"))
    assert bodies[WITHHELD_TEXT] == len(turns) > 0
    for turn in turns:  # their words appear only where someone else said the same
        assert bodies[turn.text] == others[turn.text]
    assert code not in qdpx.everything()  # no case, and the turns are labelled "Speaker N"


def test_exports_are_reproducible(demo_copy: Path, tmp_path: Path, cli: Cli) -> None:
    for name in ("a", "b"):
        result = cli("--study", demo_copy, "export", "qdpx", tmp_path / f"{name}.qdpx")
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def expected_counts(folder: Path) -> tuple[str, str]:
    """The export's two summary lines, counted independently from the study's tables."""
    with StudyStore.open(folder) as store, store.session() as s:
        withdrawn = {p.id for p in s.scalars(sa.select(Participant)) if has_withdrawn(p.consent)}

        def withheld(seg: Segment) -> bool:
            return seg.speaker is not None and seg.speaker.participant_id in withdrawn

        kept, by_status = [], Counter()
        for c in s.scalars(sa.select(Coding).order_by(Coding.id)):
            if c.coder.kind is CoderKind.MODEL or c.status is not CodingStatus.ACCEPTED:
                by_status[(c.coder.kind, c.status)] += 1  # first seen first, as the export counts
            elif not withheld(c.segment):
                kept.append(c)
        segments = s.scalars(sa.select(Segment)).all()
        hidden = [seg for seg in segments if withheld(seg)]
        on_hidden = sum(
            1
            for c in s.scalars(sa.select(Coding))
            if c.status is CodingStatus.ACCEPTED
            and c.coder.kind is CoderKind.PERSON
            and withheld(c.segment)
        )
        sessions = s.scalars(sa.select(GroupSession)).all()
        groups = s.scalar(sa.select(sa.func.count()).select_from(FocusGroup))
        participants = s.scalar(sa.select(sa.func.count()).select_from(Participant))
        counts = [
            f"{s.scalar(sa.select(sa.func.count()).select_from(Transcript))} sources",
            f"{len(segments)} turns",
            f"{s.scalar(sa.select(sa.func.count()).select_from(Code))} codes",
            f"{len({(c.segment_id, c.start, c.end, c.coder_id) for c in kept})} selections",
            f"{len(kept)} codings",
            "1 coder"
            if len({c.coder_id for c in kept}) == 1
            else f"{len({c.coder_id for c in kept})} coders",
            f"{groups + participants - len(withdrawn)} cases",
            "10 variables",  # innostudy's own ten, all in use in the demo
            # session notes, and the note on machine assistance
            f"{sum(1 for x in sessions if x.notes_md) + 1} notes",
        ]

        def plural(n: int) -> str:
            return f"{n} coding" if n == 1 else f"{n} codings"

        left = [
            f"{plural(n)} by a model ({status.value} suggestions)"
            if kind is CoderKind.MODEL
            else f"{plural(n)} {status.value}, not accepted"
            for (kind, status), n in by_status.items()
        ]
        left += [
            f"{len(hidden)} turns of participants who withdrew",
            f"{on_hidden} codings on those turns",
            f"{len(withdrawn)} participant who withdrew (no case)",
        ]
    return f"Exported {', '.join(counts)}.", f"Left out: {'; '.join(left)}."


def test_suggestions_and_rejections_stay_behind(demo_copy: Path, tmp_path: Path, cli: Cli) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        segment = s.scalars(sa.select(Segment).order_by(Segment.id)).first()
        assert segment is not None
        codes = codes_by_key(s, study_codebook(s))
        model = coder_named(s, "model-x", CoderKind.MODEL)
        person = coder_named(s, "simulated-coder-b")
        apply_code(s, segment, codes["costs.speed"], model, 0, 5, status=CodingStatus.SUGGESTED)
        apply_code(s, segment, codes["costs.speed"], person, 0, 5, status=CodingStatus.REJECTED)
    result = cli("--study", demo_copy, "export", "qdpx", tmp_path / "x.qdpx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        *expected_counts(demo_copy),
        f"Wrote {tmp_path / 'x.qdpx'}",
    ]
    assert "1 coding by a model (suggested suggestions); 1 coding rejected" in result.stdout
    names = [u.get("name") for u in Qdpx(tmp_path / "x.qdpx").xpath("//q:User")]
    assert "model-x" not in names
    with StudyStore.open(demo_copy) as store, store.session() as s:
        people = {
            c.coder.name
            for c in s.scalars(sa.select(Coding))
            if c.coder.kind is CoderKind.PERSON and c.status is CodingStatus.ACCEPTED
        }
    assert sorted(names) == sorted(people)


def test_survey_answers_become_case_variables(demo_study: DemoSummary) -> None:
    qdpx = Qdpx(demo_qdpx(demo_study))
    (variable,) = qdpx.xpath("//q:Variable[@name='survey: cost_band']")
    assert variable.get("typeOfVariable") == "Text"
    exported = {
        case.get("name"): case.xpath(
            "q:VariableValue[q:VariableRef/@targetGUID=$g]/q:TextValue/text()",
            namespaces=NS,
            g=variable.get("guid"),
        )
        for case in qdpx.xpath("//q:Case")
    }
    instrument = load_instrument(demo_study.folder / "instrument.yaml")
    labels = {c.value: c.label for c in instrument.question("cost_band").choices}
    expected: dict[str, list[str]] = {}
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        for p in s.scalars(sa.select(Participant)):
            if has_withdrawn(p.consent):
                continue
            response = s.get(Response, p.response_id) if p.response_id else None
            answer = response.answers.get("cost_band") if response else None
            submitted = response is not None and response.status is ResponseStatus.SUBMITTED
            expected[p.code] = [labels[answer]] if submitted and answer else []
    assert sum(1 for v in expected.values() if v) > 10  # the premise: many have answers
    assert {k: v for k, v in exported.items() if k in expected} == expected


def test_a_new_file_is_not_overwritten_without_force(
    demo_copy: Path, tmp_path: Path, cli: Cli
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "x.qdpx"
    target.write_bytes(b"mine")
    result = cli("--study", demo_copy, "export", "qdpx", target)
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"Error: {target}: already exists; pass --force to replace it",
    )
    assert target.read_bytes() == b"mine"
    assert cli("--study", demo_copy, "export", "qdpx", "--force", target).exit_code == 0
    assert zipfile.is_zipfile(target)
    assert [p.name for p in out.iterdir()] == ["x.qdpx"]  # no temporary file left


def test_an_unknown_survey_question_is_one_line(demo_copy: Path, tmp_path: Path, cli: Cli) -> None:
    result = cli("--study", demo_copy, "export", "qdpx", "--variable", "cost", tmp_path / "x.qdpx")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --variable, field 'cost': no question 'cost' in the ")
    result = cli(
        "--study", demo_copy, "export", "qdpx", "--variable", "impacts.x", tmp_path / "x.qdpx"
    )
    assert result.stderr.strip() == (
        "Error: --variable, field 'impacts.x': 'impacts' has no row 'x' (one of: service_delivery, "
        "responsiveness, core_costs, staff_working_life, user_satisfaction, efficiency, "
        "joined_up_working)"
    )
    assert not (tmp_path / "x.qdpx").exists()


def test_include_withdrawn_exports_their_words(demo_copy: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "all.qdpx"
    result = cli("--study", demo_copy, "export", "qdpx", "--include-withdrawn", target)
    assert result.exit_code == 0
    assert "withdrew" not in result.stdout  # only the model's suggestions stay behind
    qdpx = Qdpx(target)
    assert WITHHELD_TEXT not in qdpx.everything()
    with StudyStore.open(demo_copy) as store, store.session() as s:
        groups = s.scalar(sa.select(sa.func.count()).select_from(FocusGroup))
        people = s.scalar(sa.select(sa.func.count()).select_from(Participant))
    assert len(qdpx.xpath("//q:Case")) == groups + people


def test_notes_and_memos_leave_without_personal_details(
    demo_copy: Path, tmp_path: Path, cli: Cli
) -> None:
    with StudyStore.open(demo_copy) as store, store.session() as s:
        contact = s.scalars(
            sa.select(ParticipantContact).where(ParticipantContact.phone != "")
        ).first()
        assert contact is not None and contact.email
        digits = "+" + "".join(c for c in contact.phone if c.isdigit())
        folded = contact.full_name.upper()
        gs = s.scalars(sa.select(GroupSession).order_by(GroupSession.id)).first()
        assert gs is not None
        gs.notes_md = f"{folded} arrived late; call {digits} or mail {contact.email}."
        code = s.scalars(sa.select(Code).order_by(Code.id)).first()
        assert code is not None
        code.memo = f"Ask {contact.full_name} about this code."
    target = tmp_path / "s.qdpx"
    result = cli("--study", demo_copy, "export", "qdpx", target)
    assert result.exit_code == 0, result.stderr
    assert "Redacted 4 personal details (names, email addresses, phone numbers)" in result.stdout
    everything = Qdpx(target).everything()
    for value in (contact.full_name, folded, digits, contact.email):
        assert value not in everything
    notes = Qdpx(target).xpath("//q:Note/q:PlainTextContent/text()")
    assert "[PERSON] arrived late; call [PHONE] or mail [EMAIL]." in notes
    assert "Ask [PERSON] about this code." in notes
