"""The session's discussion page: the demo's recorded talk, themes and stances, shown to
signed-in people only, linked from the session page."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.demo.ground_truth import TruthSession, load_ground_truth
from innostudy.model import Transcript
from tests.web.conftest import WebStudy, login, texts, tree


def _declared(session: TruthSession, kind: str) -> tuple[str, ...]:
    return next((items for k, items in session.dynamics if k == kind), ())


def _quiet_session(web: WebStudy) -> tuple[TruthSession, int]:
    truth = load_ground_truth(web.folder)
    (quiet,) = [s for s in truth.sessions if _declared(s, "quiet")]
    with web.store.session() as s:
        session_id = s.scalar(
            sa.select(Transcript.session_id).where(Transcript.id == quiet.transcript_id)
        )
    assert session_id is not None
    return quiet, session_id


def test_only_signed_in_people_see_it(web: WebStudy) -> None:
    _, session_id = _quiet_session(web)
    anonymous = web.new_client().get(f"/sessions/{session_id}/discussion", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=/sessions/{session_id}/discussion"
    login(web.client, "cody")
    assert web.client.get("/sessions/999999/discussion").status_code == 404


def test_the_page_shows_the_recorded_talk(web: WebStudy) -> None:
    quiet, session_id = _quiet_session(web)
    login(web.client, "cody")
    session_page = web.client.get(f"/sessions/{session_id}")
    assert f"/sessions/{session_id}/discussion" in tree(session_page).xpath("//main//a/@href")
    page = web.client.get(f"/sessions/{session_id}/discussion")
    assert page.status_code == 200
    rows = {
        r[0]: r[1:]
        for r in (
            [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
            for tr in tree(page).xpath("//table[@id='talk-table']/tbody/tr")
        )
    }
    usable = [p for p in quiet.participants if not p.withdrawn]
    for p in usable:  # turns and words as the demo's generator recorded them
        assert (rows[p.code][1], rows[p.code][2]) == (str(p.turns), str(p.words))
    for code in _declared(quiet, "quiet"):
        assert rows[code][0] == "participant (near-silent)"
    near = texts(page, "//dl//div[dt='Near-silent']/dd")[0]
    assert set(_declared(quiet, "quiet")) <= set(near.split(", "))
    # the timeline: one mark per turn, each titled with its speaker
    marks = tree(page).xpath("//svg//*[local-name()='rect'][@class='turn']/*[local-name()='title']")
    for p in usable:
        assert sum(m.text.startswith(f"{p.code},") for m in marks) == p.turns
    # the themes the script had raised unasked are shown unprompted
    themes = {
        r[0].split()[-1]: r
        for r in (
            [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
            for tr in tree(page).xpath("//table[contains(@class, 'themes')]/tbody/tr")
        )
    }
    assert _declared(quiet, "unprompted"), "the quiet group's script declares no unprompted theme"
    for code in _declared(quiet, "unprompted"):
        assert themes[code][3] == "no", code
    assert {row[3] for row in themes.values()} <= {"theme", "area", "no"}
