"""The discussion page in real headless Chromium: reached from the session page by the
keyboard, its timeline drawn, accessible (axe-core, WCAG 2.1 A and AA)."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.demo.ground_truth import load_ground_truth
from innostudy.model import Coding, Stance, Transcript
from innostudy.storage.store import StudyStore
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 (the fixtures, shared with that module)
    Server,
    accessible,
    browser,
    server,
    shot,
    tab_to,
)

pytestmark = [__import__("pytest").mark.browser, __import__("pytest").mark.slow]


def _signed_in(chromium, url: str):  # type: ignore[no-untyped-def]
    """A fresh browser context at ``url``, signed in as the coder on the way."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_url(lambda at: "/login" in at)
    page.fill("#username", "cody")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda at: at.startswith(url) and "/login" not in at)
    return context, page


def test_a_coder_reads_how_a_discussion_went(browser, server: Server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    truth = load_ground_truth(server.folder)
    (dominated,) = [s for s in truth.sessions if any(k == "dominated" for k, _ in s.dynamics)]
    loud = next(items for k, items in dominated.dynamics if k == "dominated")
    with StudyStore.open(server.folder) as store, store.session() as s:
        session_id = s.scalar(
            sa.select(Transcript.session_id).where(Transcript.id == dominated.transcript_id)
        )
    context, page = _signed_in(browser, f"{server.url}/sessions/{session_id}")
    tab_to(page, f"a[href='/sessions/{session_id}/discussion']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sessions/{session_id}/discussion")
    assert page.inner_text("h1") == "How the discussion went"
    # the two voices the script made dominant head the talk table
    first_two = page.locator("#talk-table tbody tr th").all_inner_texts()[:2]
    assert set(first_two) == set(loud)
    usable = sum(p.turns for p in dominated.participants if not p.withdrawn)
    participant_marks = page.locator("svg rect.turn[fill='#0072B2'], svg rect.turn[fill='#E69F00']")
    assert participant_marks.count() == usable
    assert page.locator("#stances-table").is_visible()
    accessible(page, "discussion")
    shot(page, "14-discussion")
    context.close()


def test_a_coder_sets_a_stance_with_one_key(browser, server: Server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with StudyStore.open(server.folder) as store, store.session() as s:
        transcript_id = s.scalar(sa.select(Transcript.id).order_by(Transcript.id).limit(1))
    context, page = _signed_in(browser, f"{server.url}/coding/transcripts/{transcript_id}")
    page.keyboard.press("j")
    page.keyboard.press("j")
    segment_id = page.evaluate("document.activeElement.closest('.segment').dataset.segment")
    page.keyboard.press("w")
    page.keyboard.press("1")
    mine = page.locator(f"#seg-{segment_id} form.stance-form[data-mine]")
    mine.wait_for()
    stance = mine.locator(".stance")
    assert stance.inner_text() == "Stance: no stance"
    page.keyboard.press("y")
    page.locator(f"#seg-{segment_id} .stance", has_text="Stance: agrees").wait_for()
    assert page.inner_text("#selection") == "Stance: agrees."
    accessible(page, "workbench-stance")
    # switched off, the letters do nothing (WCAG 2.1.4)
    page.uncheck("#shortcuts-on")
    page.focus(f"#seg-{segment_id}")
    page.keyboard.press("d")
    page.wait_for_timeout(500)
    assert page.inner_text(f"#seg-{segment_id} form.stance-form[data-mine] .stance") == (
        "Stance: agrees"
    )
    page.check("#shortcuts-on")  # leave this browser's setting as it was
    context.close()
    with StudyStore.open(server.folder) as store, store.session() as s:
        made = s.scalars(
            sa.select(Coding).where(Coding.segment_id == int(segment_id)).order_by(Coding.id.desc())
        ).first()
        assert made is not None and made.stance is Stance.AGREE
