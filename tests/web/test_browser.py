"""End to end in real headless Chromium against a real `innostudy serve`.

Few and purposeful (they are slow): a respondent completes the survey by keyboard alone,
closes the browser, resumes and submits; a researcher signs in, watches the dashboard
update, codes a segment and accepts a suggestion. Every page visited is checked with
axe-core against WCAG 2.1 A and AA, and screenshots are kept in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.demo.build import DemoSummary
from innostudy.model import (
    CoderKind,
    Coding,
    CodingStatus,
    Organisation,
    ResponseStatus,
    Segment,
    Speaker,
)
from innostudy.model import (
    Response as SurveyResponse,
)
from innostudy.storage.store import StudyStore
from innostudy.survey.form import pages
from innostudy.survey.instrument import load_instrument
from innostudy.survey.roster import issue_invitation
from innostudy.survey.submission import save_page, submit_response
from tests.web.conftest import PASSWORD, SECRET, add_users
from tests.web.survey_data import STORED

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    path = os.environ.get("INNOSTUDY_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium (set INNOSTUDY_TEST_CHROMIUM or install chromium)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    folder: Path
    tokens: list[str]
    org_ids: list[int]
    suggestion_id: int


def _prepare(folder: Path) -> tuple[list[str], list[int], int]:
    with StudyStore.open(folder) as store:
        from innostudy.accounts import hash_password

        add_users(store, hash_password(PASSWORD))
        with store.session() as s:
            orgs = s.scalars(
                sa.select(Organisation)
                .join(SurveyResponse)
                .where(SurveyResponse.status == ResponseStatus.INVITED)
                .order_by(Organisation.id)
                .limit(2)
            ).all()
            tokens = [issue_invitation(s, o.id, actor="test") or "" for o in orgs]
            segment = s.scalar(
                sa.select(Segment)
                .join(Speaker)
                .where(Speaker.participant_id.is_not(None))
                .order_by(Segment.id.desc())
                .limit(1)
            )
            assert segment is not None
            code = codes_by_key(s, study_codebook(s))["costs"]
            model = coder_named(s, "minilm-knn", CoderKind.MODEL)
            suggestion = apply_code(
                s,
                segment,
                code,
                model,
                0,
                len(segment.text.rstrip()),
                status=CodingStatus.SUGGESTED,
                confidence=0.77,
            )
            suggestion.reason = {
                "examples": [
                    {
                        "text": "Budgets are set a year ahead.",
                        "code": "costs.budgeting",
                        "similarity": 0.88,
                    }
                ]
            }
            return tokens, [o.id for o in orgs], suggestion.id


@pytest.fixture(scope="module")
def server(demo_study: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _chromium()
    folder = tmp_path_factory.mktemp("browser") / "study"
    shutil.copytree(demo_study.folder, folder)
    tokens, org_ids, suggestion_id = _prepare(folder)
    port = _free_port()
    env = {**os.environ, "INNOSTUDY_WEB_SECRET_KEY": SECRET, "INNOSTUDY_WEB_REFRESH_SECONDS": "1"}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "innostudy", "--study", str(folder), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # "localhost" is a secure context for Chromium, so Secure cookies work without TLS
    url = f"http://localhost:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start: " + (folder / "server.log").read_text())
        yield Server(url, folder, tokens, org_ids, suggestion_id)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def shot(page: object, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)  # type: ignore[attr-defined]


def accessible(page: object, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
    assert not problems, f"{name}: " + "; ".join(problems)


def tab_to(page, selector: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``selector`` has focus: the field is reachable in the focus order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} never received focus by Tab")


def test_a_respondent_completes_the_survey_by_keyboard(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    token = server.tokens[0]
    context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/s/{token}")
    accessible(page, "start")
    shot(page, "01-start")
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/1")
    # page 1: text, long text and three radio groups, all from the keyboard
    tab_to(page, "#f-innovation_title")
    page.keyboard.type("Keyboard-made service")
    tab_to(page, "#f-innovation_summary")
    page.keyboard.type("Made without a mouse.")
    tab_to(page, "input[name=category]")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # performance → joining up → service delivery → IT or web
    tab_to(page, "input[name=policy_admin]")
    page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=technology]")
    page.keyboard.press("Space")
    accessible(page, "page 1")
    shot(page, "02-page1-filled")
    tab_to(page, "button[value=next]")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.keyboard.press("Enter")
    assert posted.value.status == 303, (
        posted.value.status,
        posted.value.headers,
        posted.value.request.post_data,
    )
    page.wait_for_url("**/p/2")
    # page 2: submit it empty first, to see the messages beside the fields
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    accessible(page, "page 2 with errors")
    shot(page, "03-page2-errors")
    tab_to(page, "input[name=cost_band]")
    page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=business_case]")
    page.keyboard.press("Space")  # yes
    page.wait_for_selector("#q-baseline:not([hidden])")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/3")
    # the respondent closes the browser here and comes back later with the link
    context.close()
    context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/s/{token}")
    assert page.inner_text("a.button") == "Continue where you left off"
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/3")
    tab_to(page, "input[name=origin]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=triggers]")
    page.keyboard.press("Space")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/4")
    tab_to(page, "select[name='barriers_ranked.funding']")
    page.keyboard.press("ArrowDown")  # Rank 1
    accessible(page, "page 4")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/5")
    for item in (
        "service_delivery",
        "responsiveness",
        "core_costs",
        "staff_working_life",
        "user_satisfaction",
        "efficiency",
        "joined_up_working",
    ):
        tab_to(page, f"input[name='impacts.{item}']")
        page.keyboard.press("Space")  # very low
        page.keyboard.press("ArrowRight")  # low
    tab_to(page, "input[name=overall_success]")
    page.keyboard.press("Space")
    accessible(page, "page 5")
    shot(page, "04-page5-matrix")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review")
    accessible(page, "review")
    shot(page, "05-review")
    tab_to(page, "button[data-once]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt")
    accessible(page, "receipt")
    shot(page, "06-receipt")
    receipt = page.inner_text(".receipt-code")
    page.emulate_media(media="print")
    shot(page, "07-receipt-print")
    context.close()
    with StudyStore.open(server.folder) as store, store.session() as s:
        response = s.scalar(
            sa.select(SurveyResponse).where(SurveyResponse.organisation_id == server.org_ids[0])
        )
        assert response is not None and response.status is ResponseStatus.SUBMITTED
        assert receipt.startswith(f"R-{response.id:05d}-")
        assert response.answers["category"] == "it_web"
        assert response.answers["policy_admin"] == "administrative"
        assert response.answers["barriers_ranked"] == ["funding"]
        assert set(response.answers["impacts"].values()) == {"low"}
        assert response.answers["business_case"] == "yes"


def _submit_in_background(server: Server) -> None:
    with StudyStore.open(server.folder) as store:
        instrument = load_instrument(store.setting_path("survey.instrument"))
        revision = 1
        for page in pages(instrument):
            with store.write_session() as s:
                revision = save_page(
                    s,
                    server.org_ids[1],
                    instrument,
                    page,
                    {k: v for k, v in STORED.items() if k in page.keys},
                    base_revision=revision,
                ).revision
        with store.write_session() as s:
            assert (
                submit_response(s, server.org_ids[1], instrument, base_revision=revision).outcome
                == "submitted"
            )


def test_a_researcher_watches_codes_and_accepts_a_suggestion(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/dashboard")
    page.wait_for_url("**/login?next=/dashboard")
    accessible(page, "login")
    page.fill("#username", "rita")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/dashboard") and "/login" not in url)
    cookies = {c["name"]: c for c in context.cookies()}
    assert "__Host-innostudy_session" in cookies, (page.url, cookies)
    assert (
        cookies["__Host-innostudy_session"]["httpOnly"]
        and cookies["__Host-innostudy_session"]["secure"]
    )
    before = int(page.inner_text("#count-submitted"))
    accessible(page, "dashboard")
    _submit_in_background(server)
    # the panel polls the server every second (HTMX); no reload
    page.locator("#count-submitted").filter(has_text=str(before + 1)).wait_for(timeout=10_000)
    shot(page, "10-dashboard")

    # code a segment with the keyboard: next turn, first sentence, filter codes, Enter
    with StudyStore.open(server.folder) as store, store.session() as s:
        transcript_id = s.scalar(sa.select(Segment.transcript_id).order_by(Segment.id).limit(1))
    page.goto(f"{server.url}/coding/transcripts/{transcript_id}")
    page.keyboard.press("j")
    page.keyboard.press("j")
    segment_id = page.evaluate("document.activeElement.closest('.segment').dataset.segment")
    page.keyboard.press("s")
    page.keyboard.press("/")
    page.keyboard.type("culture")
    page.keyboard.press("Enter")
    page.locator(f"#seg-{segment_id} .codings li", has_text="rita").wait_for()
    # and with the mouse: select words, then press the number of a code
    page.evaluate(
        """id => { const p = document.querySelector('#seg-' + id + ' .seg-text');
        const r = document.createRange();
        const t = document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
        r.setStart(t, 0); r.setEnd(t, Math.min(12, t.length));
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); }""",
        int(segment_id) + 1,
    )
    page.keyboard.press("1")
    page.locator(f"#seg-{int(segment_id) + 1} .codings li", has_text="rita").wait_for()
    accessible(page, "workbench")
    shot(page, "11-workbench", full_page=False)

    page.goto(f"{server.url}/coding/suggestions")
    accessible(page, "suggestions")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(f"#sugg-{server.suggestion_id} .verdict li")
    assert "accepted" in page.inner_text(f"#sugg-{server.suggestion_id} .verdict")
    shot(page, "12-suggestions")
    page.goto(f"{server.url}/report")
    shot(page, "13-report", full_page=False)
    context.close()
    with StudyStore.open(server.folder) as store, store.session() as s:
        mine = s.scalars(
            sa.select(Coding).join(Coding.coder).where(sa.text("coder.name = 'rita'"))
        ).all()
        assert {c.segment_id for c in mine} >= {int(segment_id), int(segment_id) + 1}
        assert s.get(Coding, server.suggestion_id).status is CodingStatus.ACCEPTED  # type: ignore[union-attr]
