"""What respondents are told (organiser, contact, privacy, time) and how problems reach
them: progress that never calls a page with errors complete, messages linked to every
input, review problems that lead to the question."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from innostudy.storage.store import StudyStore
from innostudy.web.app import create_app
from innostudy.web.settings import WebSettings
from tests.web.conftest import SECRET, WebStudy, tree
from tests.web.survey_data import PAGES
from tests.web.test_respondent import complete_survey, post_page

ABOUT = {
    "study": {"organisation": "The Audit Office"},
    "survey": {
        "contact": "innovation-study@example.org",
        "privacy_notice": "Answers are kept for two years.\n\nOnly totals are published.",
        "privacy_url": "https://example.org/privacy",
        "minutes": 20,
    },
}


def _with_settings(folder: Path, values: dict[str, dict[str, object]]) -> None:
    """Set study.toml values (each section's keys go right under its header)."""
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8")
    for section, pairs in values.items():
        lines = []
        for key, value in pairs.items():
            shown = f'"""{value}"""' if isinstance(value, str) and "\n" in value else repr(value)
            shown = shown if not isinstance(value, str) or "\n" in value else f'"{value}"'
            lines.append(f"{key} = {shown}")
        text = text.replace(f"[{section}]", f"[{section}]\n" + "\n".join(lines), 1)
    toml.write_text(text, encoding="utf-8")


@pytest.fixture
def told(web: WebStudy) -> Iterator[TestClient]:
    """The same study with organiser, contact, privacy notice and time estimate set."""
    _with_settings(web.folder, ABOUT)
    store = StudyStore.open(web.folder)
    try:
        yield TestClient(
            create_app(WebSettings(secret_key=SECRET), store), base_url="https://testserver"
        )
    finally:
        store.close()


def _text(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


def test_the_start_page_says_who_asks_how_long_it_takes_and_what_happens_to_answers(
    web: WebStudy, told: TestClient
) -> None:
    page = told.get(f"/s/{web.tokens['fresh']}")
    text = _text(page.text)
    assert "This survey is run by The Audit Office." in text
    assert "It takes about 20 minutes." in text
    privacy = tree(page).xpath("//section[@class='privacy']")[0]
    assert privacy.xpath(".//h2")[0].text == "How your answers are used"
    assert [p.text for p in privacy.xpath("./p")][:2] == [
        "Answers are kept for two years.",
        "Only totals are published.",
    ]
    assert "https://example.org/privacy" in privacy.xpath(".//a/@href")
    assert "mailto:innovation-study@example.org" in tree(page).xpath("//footer//a/@href")


def test_the_receipt_and_error_pages_say_how_to_reach_the_team(
    web: WebStudy, told: TestClient
) -> None:
    receipt = _text(told.get(f"/s/{web.tokens['done']}/receipt").text)
    assert (
        "If something is wrong, contact The Audit Office at innovation-study@example.org "
        "and quote the receipt." in receipt
    )
    error = told.get("/s/not-a-real-link")
    assert error.status_code == 404
    assert (
        "If you need help with your survey link, contact The Audit Office at "
        "innovation-study@example.org." in _text(error.text)
    )


def test_without_settings_nothing_is_invented(web: WebStudy) -> None:
    start = _text(web.client.get(f"/s/{web.tokens['fresh']}").text)
    receipt = _text(web.client.get(f"/s/{web.tokens['done']}/receipt").text)
    error = _text(web.client.get("/s/not-a-real-link").text)
    for text in (start, receipt, error):
        for claim in ("run by", "minutes", "privacy", "contact", "study team", "@"):
            assert claim not in text.lower(), (claim, text)


def test_a_privacy_address_that_is_not_a_web_address_is_not_linked(web: WebStudy) -> None:
    values = ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/p"]
    for value in values:
        _with_settings(web.folder, {"survey": {"privacy_url": value}})
        with StudyStore.open(web.folder) as store:
            client = TestClient(create_app(WebSettings(secret_key=SECRET), store))
            page = client.get(f"/s/{web.tokens['fresh']}")
        assert page.status_code == 200 and value not in page.text, value
        toml = web.folder / "study.toml"
        toml.write_text(toml.read_text().replace(f'privacy_url = "{value}"\n', ""))


def _steps(response) -> dict[str, tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return {
        li.xpath("./a")[0].text: (
            li.xpath("./span[@class='step-status']")[0].text if li.xpath("./span") else "",
            li.get("aria-current"),
        )
        for li in tree(response).xpath("//ol[@class='steps']/li")
    }


def test_the_start_page_marks_no_step_as_current(web: WebStudy) -> None:
    steps = _steps(web.client.get(f"/s/{web.tokens['fresh']}"))
    assert [current for _, current in steps.values()] == [None] * 6


def test_a_page_shown_with_an_error_is_not_listed_complete(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    # every required answer of page 2 given, one optional answer that cannot be read
    response = post_page(web, token, 2, {**PAGES[2], "months_pilot_to_rollout": "three"})
    assert response.status_code == 422
    status, current = _steps(response)["Costs and timescales"]
    assert (status, current) == ("(has errors)", "step")
    # once corrected, it is complete
    fixed = post_page(web, token, 2, PAGES[2], action="save")
    assert fixed.status_code == 303
    assert _steps(web.client.get(f"/s/{token}/p/2"))["Costs and timescales"][0] == "(complete)"


def test_summary_lines_read_as_question_then_message(web: WebStudy) -> None:
    response = post_page(web, web.tokens["fresh"], 1, {})
    lines = [
        " ".join(a.text_content().split())
        for a in tree(response).xpath("//div[@id='error-summary']//a")
    ]
    assert "What is the innovation called? Type your answer." in lines
    assert "Which category best describes the innovation? Choose one of the answers." in lines
    assert not [line for line in lines if "?:" in line or ".:" in line]


def test_errors_on_radios_and_checkboxes_are_on_every_input(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    page1 = tree(post_page(web, token, 1, {}))
    radios = page1.xpath("//div[@id='q-category']//input[@type='radio']")
    assert radios
    for radio in radios:
        assert radio.get("aria-invalid") == "true"
        assert radio.get("aria-describedby") == "category-error"
    assert (
        page1.xpath("//p[@id='category-error']")[0]
        .text_content()
        .endswith("Choose one of the answers.")
    )
    page3 = tree(post_page(web, token, 3, {}))
    boxes = page3.xpath("//div[@id='q-origin']//input[@type='checkbox']")
    assert boxes and all(b.get("aria-describedby") == "origin-error" for b in boxes)
    assert all(b.get("aria-invalid") == "true" for b in boxes)
    # questions without a problem carry no error attributes
    assert not page3.xpath("//div[@id='q-enablers']//input[@aria-invalid]")


def test_matrix_errors_reach_the_items_they_are_about(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    answers = {k: v for k, v in PAGES[5].items() if k != "impacts.efficiency"}
    page = tree(post_page(web, token, 5, answers))
    message = page.xpath("//div[@id='q-impacts']//p[@class='error-message']")[0]
    assert message.text_content().endswith("Choose a level for “Efficiency”.")
    efficiency = page.xpath("//fieldset[@id='q-impacts-efficiency']")[0]
    assert efficiency.get("aria-invalid") == "true"
    assert message.get("id") in efficiency.get("aria-describedby").split()
    for radio in efficiency.xpath(".//input"):
        assert message.get("id") in radio.get("aria-describedby").split()
    core = page.xpath("//fieldset[@id='q-impacts-core_costs']")[0]
    assert core.get("aria-invalid") is None and not core.xpath(".//input[@aria-invalid]")


def test_required_fields_say_so_to_assistive_technology(web: WebStudy) -> None:
    page = tree(web.client.get(f"/s/{web.tokens['fresh']}/p/1"))
    assert page.xpath("//input[@id='f-innovation_title']/@aria-required") == ["true"]
    assert page.xpath("//textarea[@id='f-innovation_summary']/@aria-required") == ["true"]
    assert page.xpath("//input[@id='f-completed_date']/@aria-required") == []
    group = page.xpath("//div[@id='q-category']/fieldset")[0]
    assert (group.get("role"), group.get("aria-required")) == ("radiogroup", "true")


def test_review_problems_link_to_their_question(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    complete_survey(web, token)
    post_page(web, token, 3, {"origin": [], "triggers": PAGES[3]["triggers"]}, action="save")
    review = tree(web.client.get(f"/s/{token}/review"))
    links = review.xpath("//div[@id='error-summary']//a")
    assert [a.get("href") for a in links] == [f"/s/{token}/p/3#q-origin"]
    assert " ".join(links[0].text_content().split()) == (
        "Where did the idea come from? Choose all that apply. Choose at least one answer."
    )
