"""The respondent's form, in-process: pages, messages beside fields, skip rules, review,
submission and the read-only receipt."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.model import Response as SurveyResponse
from innostudy.model import ResponseRevision, ResponseStatus
from tests.web.conftest import WebStudy, csrf_of, texts, tree
from tests.web.survey_data import PAGES, STORED


def stored(web: WebStudy, label: str) -> SurveyResponse:
    with web.store.session() as s:
        r = s.scalar(
            sa.select(SurveyResponse).where(SurveyResponse.organisation_id == web.org_ids[label])
        )
        assert r is not None
        s.expunge(r)
        return r


def revision_of(page_html: str) -> str:
    import re

    found = re.search(r'name="revision" value="(\d+)"', page_html)
    assert found
    return found.group(1)


def post_page(web: WebStudy, token: str, number: int, data: dict, action: str = "next"):  # type: ignore[no-untyped-def]
    page = web.client.get(f"/s/{token}/p/{number}")
    body = {
        "csrf_token": csrf_of(page),
        "revision": revision_of(page.text),
        "action": action,
        **data,
    }
    return web.client.post(f"/s/{token}/p/{number}", data=body, follow_redirects=False)


def complete_survey(web: WebStudy, token: str) -> None:
    for number, data in PAGES.items():
        response = post_page(web, token, number, data)
        assert response.status_code == 303, (number, texts(response, "//p[@class='error-message']"))


def test_start_page_lists_the_pages_and_starts_at_one(web: WebStudy) -> None:
    page = web.client.get(f"/s/{web.tokens['fresh']}")
    assert page.status_code == 200
    steps = texts(page, "//ol[@class='steps']/li/a")
    assert steps == [
        "General characteristics",
        "Costs and timescales",
        "Origins and triggers",
        "Barriers and enablers",
        "Impacts",
        "Review and submit",
    ]
    assert tree(page).xpath("//a[@class='button']/@href") == [f"/s/{web.tokens['fresh']}/p/1"]


def test_every_field_has_a_label_and_ids_are_unique(web: WebStudy) -> None:
    for number in PAGES:
        page = tree(web.client.get(f"/s/{web.tokens['fresh']}/p/{number}"))
        ids = page.xpath("//@id")
        assert len(ids) == len(set(ids)), f"duplicate ids on page {number}"
        labelled = set(page.xpath("//label/@for"))
        for field in page.xpath("//input[not(@type='hidden')] | //select | //textarea"):
            assert field.get("id") in labelled, f"page {number}: {field.get('name')} has no label"
        for group in page.xpath("//fieldset"):
            assert group.xpath("./legend"), f"page {number}: a fieldset without legend"
        assert len(page.xpath("//h1")) == 1


def test_missing_required_answers_are_shown_beside_their_fields(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    response = post_page(web, token, 1, {"innovation_title": "Only a title"})
    assert response.status_code == 422
    page = tree(response)
    assert page.xpath("//title")[0].text.startswith("Error: ")
    block = page.xpath("//div[@id='q-innovation_summary']")[0]
    message = block.xpath(".//p[@class='error-message']")[0]
    assert "Type your answer." in message.text_content()
    field = block.xpath(".//textarea")[0]
    assert message.get("id") in field.get("aria-describedby").split()
    assert field.get("aria-invalid") == "true"
    summary_links = page.xpath("//div[@id='error-summary']//a/@href")
    assert "#q-innovation_summary" in summary_links and "#q-innovation_title" not in summary_links
    # the valid answer was kept in the draft even though the page was not complete
    assert stored(web, "fresh").answers == {"innovation_title": "Only a title"}


def test_what_cannot_be_read_is_shown_again_as_typed(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    complete_survey(web, token)
    response = post_page(
        web, token, 2, {**PAGES[2], "months_idea_to_approval": "four"}, action="save"
    )
    assert response.status_code == 422
    assert tree(response).xpath("//input[@name='months_idea_to_approval']/@value") == ["four"]
    assert "Enter a number of months, written with digits (for example 12)." in " ".join(
        texts(response, "//div[@id='q-months_idea_to_approval']//p[@class='error-message']")
    )
    assert stored(web, "fresh").answers["months_idea_to_approval"] == 4  # the old answer stays


def test_a_skip_rule_on_the_same_page_is_explained_and_enforced(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    page = web.client.get(f"/s/{token}/p/1")
    hint = texts(page, "//div[@id='q-category_other']//p[@class='hint']")[0]
    assert (
        "Answer this only if you answered “Other” to “Which category best describes the innovation?”"
        in hint
    )
    other = post_page(web, token, 1, {**PAGES[1], "category": "other"})
    assert other.status_code == 422
    assert texts(other, "//div[@id='q-category_other']//p[@class='error-message']")
    # an answer to a question the rule hides is dropped, not stored
    dropped = post_page(web, token, 1, {**PAGES[1], "category_other": "Something else"})
    assert dropped.status_code == 303
    assert "category_other" not in stored(web, "fresh").answers


def test_a_question_hidden_by_an_earlier_page_is_not_shown(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    post_page(web, token, 2, {**PAGES[2], "business_case": "no", "baseline": ""}, action="save")
    page = tree(web.client.get(f"/s/{token}/p/2"))
    # baseline depends on business_case on the same page: shown, but marked not relevant
    assert page.xpath("//div[@id='q-baseline']/@data-relevant") == ["false"]
    relevance = web.client.post(
        f"/s/{token}/p/2/relevance",
        data={**PAGES[2], "business_case": "yes"},
        headers={"X-CSRF-Token": csrf_of(web.client.get(f"/s/{token}/p/2"))},
    )
    assert "baseline" in relevance.json()["relevant"]


def test_ranking_with_a_rank_given_twice_is_refused(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    response = post_page(
        web, token, 4, {"barriers_ranked.funding": "1", "barriers_ranked.skills": "1"}
    )
    assert response.status_code == 422
    message = texts(response, "//div[@id='q-barriers_ranked']//p[@class='error-message']")
    assert message == ["Error: Each rank can be given once; rank 1 is given more than once."]
    selects = tree(response).xpath(
        "//select[@name='barriers_ranked.skills']/option[@selected]/@value"
    )
    assert selects == ["1"]


def test_the_likert_matrix_is_a_table_with_a_label_per_radio(web: WebStudy) -> None:
    page = tree(web.client.get(f"/s/{web.tokens['fresh']}/p/5"))
    table = page.xpath("//div[@id='q-impacts']//table")[0]
    assert table.xpath(".//thead//th[@scope='col']/text()") == [
        "Very low",
        "Low",
        "Moderate",
        "High",
        "Very high",
    ]
    assert len(table.xpath(".//tbody/tr/th[@scope='row']")) == 7
    # no role on the rows (it would hide the headers); each item is a named group of radios
    assert not table.xpath(".//tr[@role]")
    first = table.xpath(".//input[@type='radio']")[0]
    group = first.xpath("ancestor::fieldset[1]")[0]
    assert group.xpath("./legend")[0].text_content() == "Service delivery"
    assert group.get("role") == "radiogroup" and group.get("aria-required") == "true"
    assert page.xpath(f"//label[@for='{first.get('id')}']")[0].text_content() == "Very low"
    assert len(table.xpath(".//fieldset[@class='matrix-item']")) == 7


def test_complete_review_submit_and_receipt(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    complete_survey(web, token)
    review = web.client.get(f"/s/{token}/review")
    assert review.status_code == 200
    assert "Online licence renewals" in review.text
    assert texts(review, "//div[@id='q-barriers_ranked']/dd//li") == [
        "1. Funding",
        "2. IT constraints",
    ]
    assert texts(review, "//div[@id='q-staff_count']/dd") == ["1,200"]
    submitted = web.client.post(
        f"/s/{token}/submit",
        data={"csrf_token": csrf_of(review), "revision": revision_of(review.text)},
        follow_redirects=False,
    )
    assert submitted.status_code == 303 and submitted.headers["location"].endswith("/receipt")
    response = stored(web, "fresh")
    assert response.status is ResponseStatus.SUBMITTED
    assert response.answers == STORED
    receipt = web.client.get(f"/s/{token}/receipt")
    code = texts(receipt, "//strong[@class='receipt-code']")[0]
    assert code.startswith(f"R-{response.id:05d}-")
    assert not tree(receipt).xpath("//form")  # read-only
    # after submission every page leads to the receipt, and posts change nothing
    assert (
        web.client.get(f"/s/{token}/p/1", follow_redirects=False)
        .headers["location"]
        .endswith("/receipt")
    )
    late = web.client.post(
        f"/s/{token}/p/1",
        data={
            "csrf_token": csrf_of(receipt) if "csrf_token" in receipt.text else csrf_of(review),
            "revision": "1",
            "innovation_title": "Changed",
        },
        follow_redirects=False,
    )
    assert late.headers["location"].endswith("/receipt")
    assert stored(web, "fresh").answers == STORED


def test_submitting_an_incomplete_draft_is_refused_with_the_pages_to_finish(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    post_page(web, token, 1, PAGES[1])
    review = web.client.get(f"/s/{token}/review")
    assert not tree(review).xpath("//form[@action='/s/" + token + "/submit']")
    assert tree(review).xpath("//div[@id='error-summary']//a/@href")[0] == (
        f"/s/{token}/p/2#q-cost_band"
    )
    forced = web.client.post(
        f"/s/{token}/submit",
        data={
            "csrf_token": csrf_of(web.client.get(f"/s/{token}/p/1")),
            "revision": revision_of(web.client.get(f"/s/{token}/p/1").text),
        },
        follow_redirects=False,
    )
    assert forced.status_code == 422
    assert stored(web, "fresh").status is ResponseStatus.DRAFT


def test_double_submit_gives_one_submitted_revision(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    complete_survey(web, token)
    review = web.client.get(f"/s/{token}/review")
    body = {"csrf_token": csrf_of(review), "revision": revision_of(review.text)}
    first = web.client.post(f"/s/{token}/submit", data=body, follow_redirects=False)
    second = web.client.post(f"/s/{token}/submit", data=body, follow_redirects=False)
    assert first.headers["location"] == second.headers["location"] == f"/s/{token}/receipt"
    with web.store.session() as s:
        statuses = s.scalars(
            sa.select(ResponseRevision.status)
            .join(SurveyResponse)
            .where(SurveyResponse.organisation_id == web.org_ids["fresh"])
        ).all()
    assert statuses.count(ResponseStatus.SUBMITTED) == 1


def test_resuming_continues_at_the_first_unfinished_page(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    post_page(web, token, 1, PAGES[1])
    post_page(web, token, 2, PAGES[2])
    start = web.new_client().get(f"/s/{token}")
    assert tree(start).xpath("//a[@class='button']/@href") == [f"/s/{token}/p/3"]
    assert "Continue where you left off" in start.text
