"""Two tabs on one draft: different pages merge, the same question is never overwritten
silently; and the unit of work behind it, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa

from innostudy.model import (
    Organisation,
    ResponseRevision,
    ResponseStatus,
)
from innostudy.model import (
    Response as SurveyResponse,
)
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.form import pages
from innostudy.survey.instrument import load_instrument
from innostudy.survey.organisations import add_organisation
from innostudy.survey.submission import conflicting_keys, save_page, submit_response
from tests.web.conftest import WebStudy, csrf_of, texts
from tests.web.survey_data import PAGES, STORED
from tests.web.test_respondent import revision_of, stored


def test_pages_saved_from_two_tabs_are_merged(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    tab_a, tab_b = web.new_client(), web.new_client()
    page1, page2 = tab_a.get(f"/s/{token}/p/1"), tab_b.get(f"/s/{token}/p/2")
    assert revision_of(page1.text) == revision_of(page2.text)
    a = tab_a.post(
        f"/s/{token}/p/1",
        data={"csrf_token": csrf_of(page1), "revision": revision_of(page1.text), **PAGES[1]},
        follow_redirects=False,
    )
    b = tab_b.post(
        f"/s/{token}/p/2",
        data={"csrf_token": csrf_of(page2), "revision": revision_of(page2.text), **PAGES[2]},
        follow_redirects=False,
    )
    assert a.status_code == b.status_code == 303
    answers = stored(web, "fresh").answers
    assert answers["innovation_title"] == STORED["innovation_title"]
    assert answers["cost_band"] == STORED["cost_band"]


def test_the_same_question_changed_in_two_tabs_is_a_visible_conflict(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    tab_a, tab_b = web.new_client(), web.new_client()
    old_a, old_b = tab_a.get(f"/s/{token}/p/1"), tab_b.get(f"/s/{token}/p/1")
    first = tab_a.post(
        f"/s/{token}/p/1",
        data={"csrf_token": csrf_of(old_a), "revision": revision_of(old_a.text), **PAGES[1]},
        follow_redirects=False,
    )
    assert first.status_code == 303
    late = tab_b.post(
        f"/s/{token}/p/1",
        data={
            "csrf_token": csrf_of(old_b),
            "revision": revision_of(old_b.text),
            **PAGES[1],
            "innovation_title": "Tab B's title",
        },
        follow_redirects=False,
    )
    assert late.status_code == 409
    assert "have not been saved yet" in late.text
    # tab B's words are still in its form, and tab A's saved answer is shown beside it
    assert 'value="Tab B&#39;s title"' in late.text
    assert texts(late, "//div[@id='q-innovation_title']//div[@class='elsewhere']//li") == [
        "Online licence renewals"
    ]
    assert stored(web, "fresh").answers["innovation_title"] == "Online licence renewals"
    # saving again from the conflict page is a deliberate choice and goes through
    again = tab_b.post(
        f"/s/{token}/p/1",
        data={
            "csrf_token": csrf_of(late),
            "revision": revision_of(late.text),
            **PAGES[1],
            "innovation_title": "Tab B's title",
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert stored(web, "fresh").answers["innovation_title"] == "Tab B's title"


def test_conflicting_keys_is_a_three_way_comparison() -> None:
    base = {"a": 1, "b": 2}
    current = {"a": 1, "b": 3, "c": 4}
    assert conflicting_keys(base, current, {"a": 9, "b": 3}, {"a", "b"}) == ()  # same as theirs
    assert conflicting_keys(base, current, {"a": 9, "b": 5}, {"a", "b"}) == ("b",)
    assert conflicting_keys(base, current, {"c": 5}, {"c"}) == ("c",)


def _study_with_draft(tmp_path: Path, database_url: str) -> tuple[StudyStore, int]:
    folder = init_study(tmp_path / "study", database_url=database_url)
    store = StudyStore.open(folder, database_url=database_url)
    instrument = load_instrument(store.setting_path("survey.instrument"))
    with store.session() as s:
        org_id = add_organisation(s, "Test Agency", "executive_agency").id
    for number, page in enumerate(pages(instrument), start=1):
        with store.write_session() as s:
            result = save_page(
                s,
                org_id,
                instrument,
                page,
                {k: v for k, v in STORED.items() if k in page.keys},
                base_revision=number - 1,
            )
            assert result.outcome == "saved", number
    return store, org_id


def test_concurrent_submissions_give_one_response_and_one_revision(
    tmp_path: Path, database_url: str
) -> None:
    store, org_id = _study_with_draft(tmp_path, database_url)
    instrument = load_instrument(store.setting_path("survey.instrument"))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def submit() -> None:
        barrier.wait()
        with store.write_session() as s:
            outcomes.append(submit_response(s, org_id, instrument, base_revision=5).outcome)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert sorted(outcomes) == ["already", "already", "already", "submitted"]
        with store.session() as s:
            responses = s.scalars(
                sa.select(SurveyResponse).where(SurveyResponse.organisation_id == org_id)
            ).all()
            assert len(responses) == 1 and responses[0].status is ResponseStatus.SUBMITTED
            assert responses[0].answers == STORED
            revisions = s.scalars(
                sa.select(ResponseRevision.status).where(
                    ResponseRevision.response_id == responses[0].id
                )
            ).all()
            assert revisions.count(ResponseStatus.SUBMITTED) == 1 and len(revisions) == 6
            assert s.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    finally:
        store.close()


def test_concurrent_first_saves_create_one_response(tmp_path: Path, database_url: str) -> None:
    folder = init_study(tmp_path / "study", database_url=database_url)
    store = StudyStore.open(folder, database_url=database_url)
    instrument = load_instrument(store.setting_path("survey.instrument"))
    page = pages(instrument)[0]
    with store.session() as s:
        org_id = add_organisation(s, "Test Agency", "executive_agency").id
    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def save(title: str) -> None:
        barrier.wait()
        with store.write_session() as s:
            outcomes.append(
                save_page(
                    s, org_id, instrument, page, {"innovation_title": title}, base_revision=0
                ).outcome
            )

    threads = [threading.Thread(target=save, args=(f"title {i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        # the first creates the draft; the others were opened before it existed and
        # change the same question, so they are refused as conflicts, not lost silently
        assert sorted(outcomes) == ["conflict", "conflict", "saved"]
        with store.session() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 1
    finally:
        store.close()
