"""What only a browser shows, in real headless Chromium against a real `innostudy serve`:
layout on a phone, where the skip link lands, shortcuts that keep out of the way, a
dashboard that can be paused, colours measured from computed styles, and a count that
follows a keyboard review. Every state visited is also checked with axe-core."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.accounts import hash_password
from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named, person_coder
from innostudy.demo.build import DemoSummary
from innostudy.model import (
    CoderKind,
    Coding,
    CodingStatus,
    Organisation,
    ResponseStatus,
    Segment,
    Speaker,
    User,
)
from innostudy.model import Response as SurveyResponse
from innostudy.storage.store import StudyStore
from innostudy.survey.form import pages
from innostudy.survey.instrument import load_instrument
from innostudy.survey.roster import issue_invitation
from innostudy.survey.submission import save_page, submit_response
from tests.web.conftest import PASSWORD, SECRET, add_users
from tests.web.survey_data import STORED
from tests.web.test_browser import CHROMIUM_ARGS, _chromium, _free_port, accessible, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1200, "height": 900}


@dataclass
class Site:
    url: str
    folder: Path
    tokens: list[str]
    org_ids: list[int]
    transcript_id: int
    own_coding: int  # rita's coding on the first participant turn
    suggestions: list[int]


def _prepare(folder: Path) -> Site:
    with StudyStore.open(folder) as store:
        add_users(store, hash_password(PASSWORD))
        with store.session() as s:
            orgs = s.scalars(
                sa.select(Organisation)
                .join(SurveyResponse)
                .where(SurveyResponse.status == ResponseStatus.INVITED)
                .order_by(Organisation.id)
                .limit(4)
            ).all()
            tokens = [issue_invitation(s, o.id, actor="test") or "" for o in orgs]
            turns = s.scalars(
                sa.select(Segment)
                .join(Speaker)
                .where(Speaker.participant_id.is_not(None))
                .order_by(Segment.transcript_id, Segment.position)
                .limit(3)
            ).all()
            codes = codes_by_key(s, study_codebook(s))
            rita = s.scalar(sa.select(User).where(User.username == "rita"))
            assert rita is not None
            own = apply_code(s, turns[0], codes["costs"], person_coder(s, rita), 0, 5)
            model = coder_named(s, "minilm-knn", CoderKind.MODEL)
            suggestions = []
            for turn, key, confidence in ((turns[1], "barriers", 0.9), (turns[2], "impacts", 0.8)):
                made = apply_code(
                    s,
                    turn,
                    codes[key],
                    model,
                    0,
                    len(turn.text.rstrip()),
                    status=CodingStatus.SUGGESTED,
                    confidence=confidence,
                )
                made.reason = {"model": "hashing", "ranked": [[key, confidence]]}
                suggestions.append(made.id)
            s.flush()
            return Site(
                "",
                folder,
                tokens,
                [o.id for o in orgs],
                turns[0].transcript_id,
                own.id,
                suggestions,
            )


@contextmanager
def _serving(folder: Path, log: Path, **env: str) -> Iterator[int]:
    """`innostudy serve` on a free port, stopped afterwards; yields the port."""
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "innostudy",
                "--study",
                str(folder),
                "serve",
                "--port",
                str(port),
            ],
            env={**os.environ, "INNOSTUDY_WEB_SECRET_KEY": SECRET, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(150):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError("server did not start: " + log.read_text())
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(demo_study: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _chromium()
    folder = tmp_path_factory.mktemp("access") / "study"
    shutil.copytree(demo_study.folder, folder)
    prepared = _prepare(folder)
    with _serving(folder, folder / "server.log", INNOSTUDY_WEB_REFRESH_SECONDS="1") as port:
        prepared.url = f"http://localhost:{port}"
        yield prepared


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _signed_in(browser, site: Site, viewport: dict[str, int], **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("#username", "rita")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def _page_width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


# --- respondents --------------------------------------------------------------------------


def test_the_rating_grid_fits_a_phone_as_one_fieldset_per_item(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site.url}/s/{site.tokens[0]}/p/5")
    assert _page_width(page) <= PHONE["width"]
    items = page.locator("#q-impacts fieldset.matrix-item")
    assert items.count() == 7
    for i in range(items.count()):
        legend = items.nth(i).locator("legend").bounding_box()
        assert legend is not None and legend["width"] > 20  # the item's name is shown
        for label in items.nth(i).locator("label").all():
            box = label.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert items.nth(0).locator("label").last.inner_text() == "Very high"
    accessible(page, "matrix on a phone")
    shot(page, "20-matrix-phone")
    page.click("button[value=next]")  # nothing chosen: every item is in error
    page.wait_for_selector("#error-summary")
    assert _page_width(page) <= PHONE["width"]
    first = page.locator("#q-impacts-service_delivery input").first
    assert first.get_attribute("aria-invalid") == "true"
    accessible(page, "matrix with errors on a phone")
    context.close()


def test_the_rating_grid_is_a_table_whose_headers_stand_over_their_radios(
    browser, site: Site
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site.url}/s/{site.tokens[0]}/p/5")
    headers = page.locator("#q-impacts thead th")
    assert headers.count() == 5
    for i in range(5):
        head = headers.nth(i).bounding_box()
        for row in range(7):
            radio = page.locator(f"#f-impacts-{row + 1}-{i + 1}").bounding_box()
            assert head is not None and radio is not None
            centre = radio["x"] + radio["width"] / 2
            assert head["x"] <= centre <= head["x"] + head["width"], (i, row)
    # the per-item legends are there for screen readers only
    legend = page.locator("#q-impacts fieldset.matrix-item legend").first.bounding_box()
    assert legend is not None and legend["width"] <= 1
    accessible(page, "matrix on a desktop")
    context.close()


def test_the_skip_link_lands_past_the_progress_list(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site.url}/s/{site.tokens[0]}/p/2")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    landed = page.evaluate(
        "({id: document.activeElement.id, inNav: !!document.activeElement.closest('nav'),"
        " inMain: !!document.activeElement.closest('main')})"
    )
    assert landed == {"id": "f-cost_band-1", "inNav": False, "inMain": True}
    context.close()


def test_a_review_problem_opens_its_question_with_the_cursor_in_it(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site.url}/s/{site.tokens[1]}/review")
    first = page.locator("#error-summary a").first
    assert first.get_attribute("href") == f"/s/{site.tokens[1]}/p/1#q-innovation_title"
    accessible(page, "review with problems")
    first.click()
    page.wait_for_url("**/p/1#q-innovation_title")
    assert page.evaluate("document.activeElement.id") == "f-innovation_title"
    context.close()


# --- researchers ---------------------------------------------------------------------------


def _codings(site: Site) -> int:
    with StudyStore.open(site.folder) as store, store.session() as s:
        return int(s.scalar(sa.select(sa.func.count()).select_from(Coding)) or 0)


def test_shortcuts_keep_off_controls_and_can_be_switched_off(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, site, DESKTOP)
    page.goto(f"{site.url}/coding/transcripts/{site.transcript_id}")
    before = _codings(site)
    # select a sentence in the second turn, then stand on the first turn's Remove button
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("s")
    assert page.inner_text("#selection") != "Nothing selected."
    remove = page.locator(f"form[action='/coding/codings/{site.own_coding}/remove'] button")
    remove.focus()
    page.keyboard.press("2")
    page.wait_for_timeout(700)
    assert _codings(site) == before  # the key belonged to the button: nothing was coded
    # switched off, letters and numbers do nothing anywhere; the choice survives a reload
    switch = page.locator("#shortcuts-on")
    assert switch.is_visible() and switch.is_checked()
    switch.uncheck()
    page.locator("main h1").click()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.closest('.segment')") is None
    page.reload()
    assert not page.locator("#shortcuts-on").is_checked()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.closest('.segment')") is None
    assert page.locator("#code-list kbd.shortcut").first.is_hidden()
    accessible(page, "workbench, shortcuts off")
    page.locator("#shortcuts-on").check()
    page.keyboard.press("Escape")
    page.locator("main h1").click()
    page.keyboard.press("j")
    assert page.evaluate("!!document.activeElement.closest('.segment')")
    context.close()


def _contrast(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """sel => {
        const el = document.querySelector(sel);
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05); };
        let page = null;
        for (let n = el.parentElement; n && !page; n = n.parentElement) {
            const bg = getComputedStyle(n).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(bg) && bg !== 'transparent') page = rgb(bg);
        }
        page = page || [255, 255, 255];
        const st = getComputedStyle(el);
        return { text: ratio(rgb(st.color), rgb(st.backgroundColor)),
                 fill: ratio(rgb(st.backgroundColor), page),
                 rule: ratio(rgb(st.borderBottomColor), page),
                 ruleWidth: parseFloat(st.borderBottomWidth) };
    }""",
        selector,
    )


def test_the_queue_highlight_meets_contrast_and_its_count_follows_the_keyboard(
    browser, site: Site
) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, site, DESKTOP)
    page.goto(f"{site.url}/coding/suggestions")
    measured = _contrast(page, f"#sugg-{site.suggestions[0]} blockquote mark")
    assert measured["text"] >= 4.5, measured
    # the highlight stands out from the page by its fill or by a rule at least 2px thick
    assert max(measured["fill"], measured["rule"] if measured["ruleWidth"] >= 2 else 0) >= 3
    assert page.inner_text("#suggestion-count") == "2 open suggestions."
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(f"#sugg-{site.suggestions[0]} .verdict li")
    page.locator("#suggestion-count", has_text="1 open suggestion.").wait_for(timeout=5000)
    accessible(page, "suggestions after a review")
    context.close()


def test_wide_tables_scroll_inside_their_region_on_a_phone(browser, site: Site) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, site, PHONE)
    for path in ("/dashboard", "/organisations", "/groups", "/coding", "/coding/matrix"):
        page.goto(site.url + path)
        assert _page_width(page) <= PHONE["width"], path
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('main table'))
            .filter(t => t.scrollWidth > t.parentElement.clientWidth)
            .map(t => { const r = t.parentElement;
                const label = document.getElementById(r.getAttribute('aria-labelledby') || '');
                return { role: r.getAttribute('role'), tab: r.tabIndex,
                         label: label ? label.textContent.trim() : '',
                         scrolls: getComputedStyle(r).overflowX }; })"""
        )
        for region in wide:
            assert region["role"] == "region" and region["tab"] == 0, (path, region)
            assert region["label"] and region["scrolls"] == "auto", (path, region)
        accessible(page, f"{path} on a phone")
    page.goto(site.url + "/coding/matrix")
    shot(page, "21-matrix-table-phone")
    context.close()


def _submit(site: Site, index: int) -> None:
    with StudyStore.open(site.folder) as store:
        instrument = load_instrument(store.setting_path("survey.instrument"))
        revision = 1
        for p in pages(instrument):
            with store.write_session() as s:
                revision = save_page(
                    s,
                    site.org_ids[index],
                    instrument,
                    p,
                    {k: v for k, v in STORED.items() if k in p.keys},
                    base_revision=revision,
                ).revision
        with store.write_session() as s:
            submit_response(s, site.org_ids[index], instrument, base_revision=revision)


def _submitted(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.inner_text("#count-submitted"))


def test_the_dashboard_pauses_and_waits_to_be_asked_under_reduced_motion(
    browser, site: Site
) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, site, DESKTOP, reduced_motion="reduce")
    page.goto(f"{site.url}/dashboard")
    assert "reduced motion" in page.inner_text("#refresh-state")
    assert page.inner_text("#refresh-toggle") == "Resume updates"
    before = _submitted(page)
    _submit(site, 2)
    page.wait_for_timeout(2500)  # the refresh interval is 1 s here
    assert _submitted(page) == before
    accessible(page, "dashboard paused")
    page.click("#refresh-toggle")
    page.locator("#count-submitted", has_text=str(before + 1)).wait_for(timeout=5000)
    context.close()
    # without reduced motion it runs, and the pause button stops it
    context, page = _signed_in(browser, site, DESKTOP)
    page.evaluate("localStorage.clear()")
    page.goto(f"{site.url}/dashboard")
    assert page.inner_text("#refresh-toggle") == "Pause updates"
    page.click("#refresh-toggle")
    before = _submitted(page)
    _submit(site, 3)
    page.wait_for_timeout(2500)
    assert _submitted(page) == before
    assert page.inner_text("#refresh-state") == "Updates are paused."
    page.click("#refresh-toggle")
    page.locator("#count-submitted", has_text=str(before + 1)).wait_for(timeout=5000)
    context.close()


def test_a_forwarded_address_is_not_believed_by_default(site: Site, tmp_path: Path) -> None:
    """The real server, as started by `innostudy serve` with no proxy configured."""
    with _serving(site.folder, tmp_path / "plain.log") as port:
        statuses = []
        for i in range(11):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/s/no-such-link-{i}",
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as r:
                    statuses.append(r.status)
            except urllib.error.HTTPError as e:
                statuses.append(e.code)
                e.close()
    assert statuses == [404] * 10 + [429]
