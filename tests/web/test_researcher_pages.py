"""Researchers' pages read well and work for everyone: reasons in words, a count that
follows each review, wide tables that scroll on their own, a dashboard that can be paused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.model import (
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    FocusGroup,
    Segment,
    Speaker,
    utcnow,
)
from innostudy.web.app import app_routes
from innostudy.web.reasons import reason_text
from tests.web.conftest import WebStudy, csrf_of, login, tree
from tests.web.test_researcher import _first_participant_segment, _suggest

REASON = {
    "model": "onnx-int8",
    "learned_from": 12,
    "ranked": [["costs.speed", 0.62], ["costs", 0.2]],
    "nearest": [{"ref": "seg 9", "code": "costs.speed", "similarity": 0.8, "text": "Fast."}],
    "thresholds": {"accept_at": 0.9},
}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ([["costs.speed", 0.62], ["costs", 0.2]], "costs.speed (62%), costs (20%)"),
        ({"accept_at": 0.9, "mode": "x"}, "accept at: 0.90; mode: x"),
        (["a", "b"], "a, b"),
        (7, "7"),
        (None, "—"),
        (True, "yes"),
    ],
)
def test_reason_values_read_as_words(value: object, text: str) -> None:
    assert reason_text(value) == text


def test_a_suggestions_reasons_show_no_json(web: WebStudy) -> None:
    suggestion_id = _suggest(web, REASON)
    client = web.new_client()
    login(client, "cody")
    card = tree(client.get("/coding/suggestions")).xpath(f"//article[@id='sugg-{suggestion_id}']")[
        0
    ]
    reasons = " ".join(card.xpath(".//div[@class='reasons']")[0].text_content().split())
    for json_mark in ("[[", "]]", "{", '"'):
        assert json_mark not in reasons, reasons
    pairs = {
        d.xpath("./dt")[0].text_content(): d.xpath("./dd")[0].text_content()
        for d in card.xpath(".//div[@class='reasons']//dl/div")
    }
    assert pairs == {
        "Model": "onnx-int8",
        "Accepted codings it learned from": "12",
        "Codes it considered, most likely first": "costs.speed (62%), costs (20%)",
        "Thresholds": "accept at: 0.90",
    }
    assert "“Fast.” — costs.speed (similarity 0.80)" in reasons


def test_the_queue_count_follows_a_review(web: WebStudy) -> None:
    first = _suggest(web, REASON)
    client = web.new_client()
    login(client, "cody")
    page = client.get("/coding/suggestions")
    count = tree(page).xpath("//p[@id='suggestion-count']")[0].text_content()
    before = int(count.split()[0])
    reviewed = client.post(
        f"/coding/suggestions/{first}/review",
        data={"csrf_token": csrf_of(page), "verdict": "accept"},
        headers={"HX-Request": "true", "HX-Current-URL": "https://testserver/coding/suggestions"},
    )
    assert reviewed.status_code == 200
    swap = tree(reviewed).xpath("//*[@hx-swap-oob]")
    assert [s.get("hx-swap-oob") for s in swap] == ["innerHTML:#suggestion-count"]
    left = before - 1
    assert swap[0].text_content() == f"{left} open suggestion{'' if left == 1 else 's'}."
    # a verdict given in the workbench carries no count (that page has none)
    with web.store.session() as s:
        other = s.scalar(
            sa.select(Coding.id).where(Coding.status == CodingStatus.SUGGESTED).limit(1)
        )
    if other is not None:
        elsewhere = client.post(
            f"/coding/suggestions/{other}/review",
            data={"csrf_token": csrf_of(page), "verdict": "reject"},
            headers={
                "HX-Request": "true",
                "HX-Current-URL": "https://testserver/coding/transcripts/1",
            },
        )
        assert not tree(elsewhere).xpath("//*[@hx-swap-oob]")


def _pages(web: WebStudy) -> list[str]:
    with web.store.session() as s:
        group_id = s.scalar(sa.select(FocusGroup.id).limit(1))
    paths = []
    for route in app_routes():
        if "GET" not in route.methods or route.path.startswith("/s/"):
            continue
        if route.path in ("/login", "/report/preview", "/coding/codes.css"):
            continue
        if "{" in route.path and "group_id" not in route.path:
            continue
        paths.append(route.path.replace("{group_id}", str(group_id)))
    return paths


def test_every_researcher_table_scrolls_in_its_own_labelled_region(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    checked = 0
    for path in _pages(web):
        page = tree(client.get(path))
        for table in page.xpath("//main//table"):
            region = table.getparent()
            assert region.get("class") == "table-scroll", path
            assert (region.get("role"), region.get("tabindex")) == ("region", "0"), path
            label = page.xpath(f"//*[@id='{region.get('aria-labelledby')}']")
            assert label and label[0].text_content().strip(), path
            checked += 1
    assert checked >= 7


def test_the_dashboard_is_not_polled_by_markup_and_offers_a_pause(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    page = tree(client.get("/dashboard"))
    assert not page.xpath("//*[@hx-trigger]")
    button = page.xpath("//button[@id='refresh-toggle']")[0]
    assert button.get("aria-controls") == "progress-panel"
    assert "/static/dashboard.js" in page.xpath("//script/@src")


def test_counts_on_pages_agree_with_their_nouns(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    segment_id, _, _ = _first_participant_segment(web)
    with web.store.session() as s:
        code_id = codes_by_key(s, study_codebook(s))["costs"].id
    csrf = csrf_of(client.get("/coding"))
    client.post(
        f"/coding/segments/{segment_id}/codings",
        data={"csrf_token": csrf, "code_id": str(code_id), "start": "0", "end": "4"},
    )
    with web.store.session() as s:
        coder_id = s.scalar(sa.select(Coder.id).where(Coder.name == "cody"))
    page = tree(client.get(f"/coding/codings?coder={coder_id}"))
    assert re.search(r"\b1 extract\.", " ".join(page.text_content().split()))


def test_the_counted_queue_is_the_listed_queue(web: WebStudy) -> None:
    """The count sent after a review and the list on the page follow one rule, including
    a withdrawn speaker's suggestions (left out of both) and every filter."""
    from innostudy.coding.browse import CodingFilter, open_suggestion_count, suggestion_queue

    with web.store.session() as s:
        codes = [c for c in study_codebook(s).codes if "." in c.key]
        model = coder_named(s, "count-model", CoderKind.MODEL)
        turns = s.scalars(
            sa.select(Segment).join(Speaker).where(Speaker.participant_id.is_not(None)).limit(60)
        ).all()
        for i, turn in enumerate(turns):
            apply_code(
                s,
                turn,
                codes[i % 3],
                model,
                0,
                len(turn.text.rstrip()),
                status=CodingStatus.SUGGESTED,
                confidence=0.5,
            )
        gone = turns[0].speaker.participant  # type: ignore[union-attr]
        assert gone is not None and gone.consent is not None
        gone.consent.withdrawn_at = utcnow()
    with web.store.session() as s:
        group_id = s.scalar(sa.select(FocusGroup.id).limit(1))
        filters = [
            CodingFilter(),
            CodingFilter(group_id=group_id),
            CodingFilter(code_id=codes[1].id),
            CodingFilter(transcript_id=turns[5].transcript_id),
            CodingFilter(group_id=group_id, code_id=codes[0].id),
        ]
        for where in filters:
            assert open_suggestion_count(s, where) == len(suggestion_queue(s, where)), where
        assert open_suggestion_count(s, CodingFilter()) < 60
        assert open_suggestion_count(s, CodingFilter(), limit=7) == 7
