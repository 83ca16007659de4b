"""The workbench's sentence-by-sentence suggestions and the calibration page, in-process."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innostudy.coding.auto.reviews import calibration_report
from innostudy.model import CoderKind, Coding, CodingStatus, Segment, Speaker
from tests.coding.test_suggest import LEGACY, MONEY
from tests.web.conftest import WebStudy, csrf_of, login, tree


def _uncoded_long_turn(web: WebStudy) -> tuple[int, int]:
    """A participant's turn nobody has coded, rewritten to talk of money, then of old IT."""
    with web.store.session() as s:
        coded = set(s.scalars(sa.select(Coding.segment_id)))
        seg = next(
            x
            for x in s.scalars(
                sa.select(Segment)
                .join(Speaker)
                .where(Speaker.participant_id.is_not(None))
                .order_by(Segment.id)
            )
            if x.id not in coded
        )
        seg.text = f"{MONEY} {LEGACY}"
        return seg.id, seg.transcript_id


def test_a_long_turn_can_be_suggested_sentence_by_sentence(
    web: WebStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOSTUDY_ENCODER", "hashing")
    segment_id, transcript_id = _uncoded_long_turn(web)
    client = web.new_client()
    login(client, "cody")
    page = client.get(f"/coding/transcripts/{transcript_id}")
    forms = tree(page).xpath(f"//article[@id='seg-{segment_id}']//form[@class='suggest-sentences']")
    assert len(forms) == 1
    done = client.post(
        f"/coding/segments/{segment_id}/suggest",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith(f"#seg-{segment_id}")
    with web.store.session() as s:
        spans = {
            (c.start, c.end): c.code.key
            for c in s.scalars(
                sa.select(Coding).where(
                    Coding.segment_id == segment_id, Coding.status == CodingStatus.SUGGESTED
                )
            )
        }
    assert spans[(0, len(MONEY))] == "barriers.funding"
    assert spans[(len(MONEY) + 1, len(MONEY) + 1 + len(LEGACY))] == "barriers.it"
    shown = tree(client.get(f"/coding/transcripts/{transcript_id}"))
    marks = shown.xpath(f"//article[@id='seg-{segment_id}']//mark[contains(@class, 'suggested')]")
    assert len(marks) >= 2


def test_short_and_coded_turns_offer_no_sentence_suggestions(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    with web.store.session() as s:
        coded = s.scalar(
            sa.select(Coding)
            .join(Coding.coder)
            .where(Coding.status == CodingStatus.ACCEPTED, Coding.coder.has(kind=CoderKind.PERSON))
            .limit(1)
        )
        assert coded is not None
        segment_id, transcript_id = coded.segment_id, coded.segment.transcript_id
    page = tree(client.get(f"/coding/transcripts/{transcript_id}"))
    assert not page.xpath(f"//article[@id='seg-{segment_id}']//form[@class='suggest-sentences']")


def test_the_calibration_page_shows_the_diagram_and_thresholds(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    with web.store.session() as s:
        report = calibration_report(s)
    assert report.reviews > 0  # the demo's coder reviewed every suggestion
    page = tree(client.get("/coding/calibration"))
    summary = page.xpath("string(//p[@id='calibration-summary'])")
    assert summary.startswith(f"{report.reviews} reviewed suggestions, {report.accepted} accepted")
    rows = page.xpath("//table[@id='calibration-bins']/tbody/tr")
    assert sum(int(r.xpath("./td")[0].text_content()) for r in rows) == report.reviews
    png = client.get("/coding/calibration.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert page.xpath("//img[@src='/coding/calibration.png']/@alt")
    suggestions = tree(client.get("/coding/suggestions"))
    assert suggestions.xpath("//a[@href='/coding/calibration']")
