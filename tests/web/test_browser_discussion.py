"""The discussion page in real headless Chromium: reached from the session page by the
keyboard, its timeline drawn, accessible (axe-core, WCAG 2.1 A and AA)."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.demo.ground_truth import load_ground_truth
from innostudy.model import Transcript
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


def test_a_coder_reads_how_a_discussion_went(browser, server: Server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    truth = load_ground_truth(server.folder)
    (dominated,) = [s for s in truth.sessions if any(k == "dominated" for k, _ in s.dynamics)]
    loud = next(items for k, items in dominated.dynamics if k == "dominated")
    with StudyStore.open(server.folder) as store, store.session() as s:
        session_id = s.scalar(
            sa.select(Transcript.session_id).where(Transcript.id == dominated.transcript_id)
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/sessions/{session_id}")
    page.wait_for_url(lambda url: "/login" in url)
    page.fill("#username", "cody")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(f"/sessions/{session_id}") and "login" not in url)
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
