"""The demo end to end: a complete study whose report matches its database and reveals nobody."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.demo.build import DemoSummary, build_demo
from innostudy.model import (
    FocusGroup,
    Organisation,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
    Segment,
    Transcript,
)
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import QuestionType, load_instrument
from tests.conftest import Cli

AREAS = ("general", "costs", "origins", "barriers", "impacts")


class ReportParser(HTMLParser):
    """Collects sections, tables (by caption) and quotes from the report's HTML itself."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.quotes: list[tuple[str, str]] = []
        self._caption: str | None = None
        self._in: str | None = None
        self._rows: list[list[str]] = []
        self._quote: str | None = None
        self._text: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and str(a.get("id", "")).startswith("section-"):
            self.sections.append(str(a["id"])[8:])
        if tag == "table":
            self._rows = []
        if tag == "caption":
            self._in, self._caption = "caption", ""
        if tag == "tr":
            self._rows.append([])
        if tag == "td":
            self._in = "td"
            self._rows[-1].append("")
        if tag == "blockquote":
            self._quote = str(a["data-quote"])
            self._text = []
        if tag == "span" and self._quote and a.get("class") in ("elision", "insertion"):
            self._text.append("\x00")  # an editor's mark: the words either side are apart
            self._skip = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._skip = False
        if tag in ("caption", "td"):
            self._in = None
        if tag == "table" and self._caption is not None:
            caption = self._caption.split(": ", 1)[1]
            self.tables[caption] = [r for r in self._rows if r]
        if tag == "blockquote" and self._quote:
            self.quotes.append((self._quote, "".join(self._text).strip()))
            self._quote = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self._caption = (self._caption or "") + data
        elif self._in == "td":
            self._rows[-1][-1] += data
        if self._quote and not self._skip:
            self._text.append(data)


@pytest.fixture(scope="module")
def report(demo_study: DemoSummary) -> tuple[str, ReportParser]:
    html = demo_study.report.read_text(encoding="utf-8")
    parser = ReportParser()
    parser.feed(html)
    return html, parser


def test_the_demo_has_the_documented_shape(demo_study: DemoSummary) -> None:
    assert demo_study.organisations == 126
    assert demo_study.groups == 7
    assert 0 < demo_study.drafts < demo_study.submitted < 126
    assert all(w >= 2000 for w in demo_study.transcript_words), demo_study.transcript_words
    assert demo_study.report == demo_study.folder / "report" / "report.html"
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        sizes = s.execute(
            sa.select(FocusGroup.name, sa.func.count(Participant.id))
            .join(Participant)
            .group_by(FocusGroup.name)
        ).all()
        assert len(sizes) == 7 and all(6 <= n <= 12 for _, n in sizes)
        types = Counter(s.scalars(sa.select(Organisation.org_type)))
        assert set(types) == {
            "ministerial_department",
            "non_ministerial_department",
            "executive_agency",
            "ndpb",
        }


def test_every_demo_response_is_valid_against_the_instrument(demo_study: DemoSummary) -> None:
    from innostudy.survey.answers import validate_answers

    instrument = load_instrument(demo_study.folder / "instrument.yaml")
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        for status, answers in s.execute(sa.select(Response.status, Response.answers)):
            complete = status is ResponseStatus.SUBMITTED
            assert validate_answers(instrument, answers, complete=complete) == []


def test_the_report_has_all_five_areas_with_figures_and_quotes(
    report: tuple[str, ReportParser],
) -> None:
    html, parsed = report
    assert [k for k in parsed.sections if k in AREAS] == list(AREAS)
    for area in AREAS:
        section = html.split(f'id="section-{area}"')[1].split("</section>")[0]
        assert "<table" in section, area
        assert "<blockquote" in section, area
    assert "Synthetic demo data" in html


def test_report_figures_equal_what_the_database_holds(
    demo_study: DemoSummary, report: tuple[str, ReportParser]
) -> None:
    _, parsed = report
    instrument = load_instrument(demo_study.folder / "instrument.yaml")
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        answers = s.scalars(
            sa.select(Response.answers).where(Response.status == ResponseStatus.SUBMITTED)
        ).all()
    checked = 0
    for q in instrument.questions():
        if q.type not in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.MULTI_CHOICE,
            QuestionType.MONEY_BAND,
        ):
            continue
        if q.label not in parsed.tables:
            continue
        answered = [a[q.key] for a in answers if q.key in a]
        flat = [v for x in answered for v in (x if isinstance(x, list) else [x])]
        rows = {r[0]: r for r in parsed.tables[q.label]}
        for choice in q.choices:
            count = flat.count(choice.value)
            assert rows[choice.label][1] == f"{count}{'†' if 0 < count < 5 else ''}", q.key
            assert rows[choice.label][2] == f"{100 * count / len(answered):.1f}"
            checked += 1
    barriers = instrument.question("barriers_ranked")
    ranked_first = Counter(a["barriers_ranked"][0] for a in answers)
    rows = {r[0]: r for r in parsed.tables[barriers.label]}
    for choice in barriers.choices:
        first = ranked_first[choice.value]
        assert rows[choice.label][1] == f"{first}{'†' if 0 < first < 5 else ''}"
        checked += 1
    assert checked >= 25  # category, cost band, origin and barrier rows at least


def test_the_report_names_nobody(demo_study: DemoSummary, report: tuple[str, ReportParser]) -> None:
    html, _ = report
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        people = s.execute(
            sa.select(
                ParticipantContact.full_name, ParticipantContact.email, ParticipantContact.phone
            )
        ).all()
    assert len(people) >= 42
    for full_name, email, phone in people:
        for part in [full_name, *full_name.split()]:
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", html, re.IGNORECASE), part
        assert email not in html and phone not in html


def test_report_quotes_are_verbatim_and_attributed_by_group(
    demo_study: DemoSummary, report: tuple[str, ReportParser]
) -> None:
    html, parsed = report
    assert len(parsed.quotes) >= 20
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        texts = s.scalars(sa.select(Segment.text)).all()
        labels = set(s.scalars(sa.select(FocusGroup.label)))
    edited = 0
    for label, text in parsed.quotes:
        pieces = [p.strip() for p in text.strip("“”").split("\x00") if p.strip()]
        edited += len(pieces) > 1
        assert any(_in_order(pieces, t) for t in texts), label
    assert edited >= 5, "the demo shows edited quotes"
    attributions = set(re.findall(r'<span class="attribution">\((.+?)\)</span>', html))
    assert attributions and attributions <= labels


def _in_order(pieces: list[str], turn: str) -> bool:
    """Every verbatim piece is in the turn, each after the one before."""
    at = 0
    for piece in pieces:
        found = turn.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def test_withdrawn_and_unquotable_participants_are_never_quoted(
    demo_study: DemoSummary, report: tuple[str, ReportParser]
) -> None:
    from innostudy.fieldwork.consent import may_quote
    from innostudy.model import Quote

    _, parsed = report
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        silent = [p for p in s.scalars(sa.select(Participant)) if not may_quote(p.consent)]
        assert len(silent) >= 2, "the demo must exercise refused and withdrawn consent"
        silent_ids = {p.id for p in silent}
        for label, _ in parsed.quotes:
            quote = s.get_one(Quote, int(label.removeprefix("Q-")))
            speaker = quote.segment.speaker
            assert speaker is not None and speaker.participant_id not in silent_ids, label


def test_transcripts_were_imported_with_speakers_and_times(demo_study: DemoSummary) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        transcripts = s.scalars(sa.select(Transcript)).all()
        assert len(transcripts) == 8  # seven sessions' files and one transcribed recording
        assert len({t.source_format for t in transcripts}) >= 3  # several real-world formats
        for t in transcripts:
            assert all(seg.start_ms is not None for seg in t.segments)
            starts = [seg.start_ms for seg in t.segments]
            assert starts == sorted(starts)
            roles = Counter(sp.role.value for sp in t.speakers)
            assert roles["facilitator"] == 1 and roles["unknown"] == 0


def test_the_same_seed_gives_the_same_report(demo_study: DemoSummary, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again")

    def stable(path: Path) -> str:
        return re.sub(r"Generated by innostudy on [^.]+\.", "", path.read_text(encoding="utf-8"))

    assert stable(again.report) == stable(demo_study.report)


def test_demo_refuses_an_existing_folder_without_force(cli: Cli, demo_copy: Path) -> None:
    before = sorted(p.name for p in demo_copy.iterdir())
    result = cli("demo", demo_copy)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {demo_copy}: folder is not empty; choose a new folder or pass --force to replace it"
    )
    assert sorted(p.name for p in demo_copy.iterdir()) == before


def test_demo_command_prints_the_report_path(cli: Cli, tmp_path: Path) -> None:
    result = cli("demo", tmp_path / "d")
    assert result.exit_code == 0, result.stderr
    assert f"Report: {tmp_path / 'd' / 'report' / 'report.html'}" in result.stdout
    assert "synthetic" in result.stdout


@pytest.mark.postgres
def test_demo_runs_on_postgres(tmp_path: Path, pg_url: str) -> None:
    summary = build_demo(tmp_path / "pg-demo", database_url=pg_url)
    assert summary.report.is_file()
    assert not (tmp_path / "pg-demo" / "study.db").exists()
    with StudyStore.open(tmp_path / "pg-demo") as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Response)) == 126


def test_force_replaces_the_synthetic_demo_without_a_backup(cli: Cli, demo_copy: Path) -> None:
    result = cli("init", "--force", demo_copy)
    assert result.exit_code == 0, result.stderr
    assert "Replaced the synthetic demo study that was there" in result.stdout
    assert sorted(p.name for p in demo_copy.parent.iterdir()) == ["demo-study"]
    assert not (demo_copy / "report").exists()


def test_a_file_of_ones_own_in_the_demo_needs_confirmation(cli: Cli, demo_copy: Path) -> None:
    (demo_copy / "my-notes.md").write_text("mine")
    result = cli("demo", "--force", demo_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {demo_copy}: holds a study with data (126 ")
    assert result.stderr.strip().endswith(
        " quotes, 1 more file or folder (my-notes.md)); to replace it pass --confirm "
        "demo-study as well as --force (the old folder is kept whole as "
        "demo-study.backup-<date>-<time>)"
    )
    assert (demo_copy / "my-notes.md").read_text() == "mine"
