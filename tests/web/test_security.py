"""Security, point by point: escaping, CSRF, tokens and throttling, logins, roles, cookies,
headers."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.model import CoderKind, CodingStatus, Segment, Speaker, SpeakerRole
from innostudy.model import Response as SurveyResponse
from innostudy.web.app import app_routes
from tests.web.conftest import WebStudy, csrf_of, login, tree
from tests.web.survey_data import PAGES
from tests.web.test_respondent import complete_survey, post_page, stored

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _no_live_markup(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_an_answer_with_markup_renders_inert_everywhere(web: WebStudy) -> None:
    token = web.tokens["fresh"]
    complete_survey(web, token)
    post_page(web, token, 1, {**PAGES[1], "innovation_title": XSS}, action="review")
    assert stored(web, "fresh").answers["innovation_title"] == XSS  # stored as typed
    _no_live_markup(web.client.get(f"/s/{token}/p/1").text)
    _no_live_markup(web.client.get(f"/s/{token}/review").text)
    researcher = web.new_client()
    login(researcher, "rita")
    _no_live_markup(researcher.get(f"/organisations/{web.org_ids['fresh']}").text)


def test_a_transcript_with_markup_renders_inert_in_the_workbench(web: WebStudy) -> None:
    with web.store.session() as s:
        segment = s.scalar(
            sa.select(Segment).join(Speaker).where(Speaker.role == SpeakerRole.FACILITATOR).limit(1)
        )
        assert segment is not None
        segment.text = f"Before {XSS} after"
        transcript_id, segment_id = segment.transcript_id, segment.id
        code = codes_by_key(s, study_codebook(s))["barriers.culture"]
        model = coder_named(s, "model-x", CoderKind.MODEL)
        apply_code(
            s, segment, code, model, 7, 7 + len(XSS), status=CodingStatus.SUGGESTED, confidence=0.5
        )
        s.flush()
        suggestion = s.scalar(sa.select(Segment).where(Segment.id == segment_id))
        assert suggestion is not None
    client = web.new_client()
    login(client, "cody")
    page = client.get(f"/coding/transcripts/{transcript_id}")
    _no_live_markup(page.text)
    _no_live_markup(client.get("/coding/suggestions").text)


def _post_routes(web: WebStudy) -> list[str]:
    paths = []
    for route in app_routes():
        if "POST" in route.methods:
            path = re.sub(r"\{token\}", web.tokens["fresh"], route.path)
            path = re.sub(r"\{username\}", "cody", path)
            paths.append(re.sub(r"\{[a-z_]+\}", "1", path))
    return paths


def test_every_post_without_a_csrf_token_is_refused(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    paths = _post_routes(web)
    assert len(paths) >= 12
    for path in paths:
        response = client.post(
            path, data={"action": "next", "verdict": "accept", "memo": "x"}, follow_redirects=False
        )
        assert response.status_code == 403, path
        assert "Form expired" in response.text


def test_a_forged_or_foreign_csrf_token_is_refused(web: WebStudy) -> None:
    token, other = web.tokens["fresh"], web.tokens["draft"]
    foreign = csrf_of(web.client.get(f"/s/{other}/p/1"))  # valid, but for another link
    response = web.client.post(
        f"/s/{token}/p/1", data={"csrf_token": foreign, "revision": "0", **PAGES[1]}
    )
    assert response.status_code == 403
    good = csrf_of(web.client.get(f"/s/{token}/p/1"))
    cross = web.client.post(
        f"/s/{token}/p/1",
        data={"csrf_token": good, "revision": "0"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    with web.store.session() as s:
        assert (
            s.scalar(
                sa.select(SurveyResponse.answers).where(
                    SurveyResponse.organisation_id == web.org_ids["fresh"]
                )
            )
            == {}
        )


def test_a_wrong_token_is_404_and_repeated_guesses_are_throttled(web: WebStudy) -> None:
    for i in range(10):
        response = web.client.get(f"/s/not-a-real-token-{i:02d}")
        assert response.status_code == 404
        assert "This survey link is not valid" in response.text
    blocked = web.client.get("/s/not-a-real-token-99")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    # while blocked, even a real link is refused from that address (no oracle)
    assert web.client.get(f"/s/{web.tokens['fresh']}").status_code == 429


def test_every_researcher_page_redirects_to_login(web: WebStudy) -> None:
    client = web.new_client()
    checked = 0
    for route in app_routes():
        if "GET" not in route.methods:
            continue
        if route.path.startswith("/s/") or route.path in ("/login", "/healthz", "/"):
            continue
        path = re.sub(r"\{[a-z_]+\}", "1", route.path)
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    "path", ["/organisations", "/organisations/{org}", "/groups/1/contacts", "/users", "/report"]
)
def test_a_coder_cannot_see_contact_details(web: WebStudy, path: str) -> None:
    client = web.new_client()
    login(client, "cody")
    response = client.get(path.replace("{org}", str(web.org_ids["done"])))
    assert response.status_code == 403
    with web.store.session() as s:
        from innostudy.model import OrganisationContact, ParticipantContact

        emails = (
            s.scalars(sa.select(OrganisationContact.email)).all()
            + s.scalars(sa.select(ParticipantContact.email)).all()
        )
    for page in ("/groups/1", "/coding/transcripts/1", "/dashboard"):
        html = client.get(page).text
        assert not [e for e in emails if e and e in html], page


def test_a_researcher_sees_contact_details(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    page = client.get("/groups/1/contacts")
    assert page.status_code == 200
    assert "@" in " ".join(tree(page).xpath("//tbody//td/text()"))


def test_session_cookie_is_secure_httponly_and_host_bound(web: WebStudy) -> None:
    response = login(web.new_client(), "rita")
    assert response.status_code == 303
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith("__Host-innostudy_session=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "path"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert "domain" not in attributes


def test_logout_ends_the_session_on_the_server(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    stolen = dict(client.cookies)
    page = client.get("/dashboard")
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    replay = web.new_client()
    for name, value in stolen.items():
        replay.cookies.set(name, value)
    assert replay.get("/dashboard", follow_redirects=False).status_code == 303


def test_wrong_passwords_are_throttled(web: WebStudy) -> None:
    client = web.new_client()
    for _ in range(5):
        assert login(client, "rita", "wrong password!!").status_code == 401
    assert login(client, "rita").status_code == 429


def test_login_never_redirects_off_site(web: WebStudy) -> None:
    client = web.new_client()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(page),
            "username": "rita",
            "password": "correct horse battery staple",
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"


def test_security_headers_are_on_every_page(web: WebStudy) -> None:
    for path in (f"/s/{web.tokens['fresh']}", "/login", "/s/nope", "/static/app.css"):
        headers = web.client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["strict-transport-security"].startswith("max-age=")
    assert web.client.get(f"/s/{web.tokens['fresh']}").headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script_or_style(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    for path in (
        f"/s/{web.tokens['draft']}/p/1",
        "/dashboard",
        "/coding/transcripts/1",
        "/coding/matrix",
        "/users",
    ):
        page = tree(client.get(path) if not path.startswith("/s/") else web.client.get(path))
        assert all(s.get("src") for s in page.xpath("//script")), path
        assert not page.xpath("//style | //*[@style]"), path
        assert not [a for e in page.xpath("//*") for a in e.attrib if a.startswith("on")], path


def test_the_report_preview_is_sandboxed(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    preview = client.get("/report/preview")
    assert preview.status_code == 200
    assert "sandbox" in preview.headers["content-security-policy"]
    assert "script-src" not in preview.headers["content-security-policy"]
    assert tree(client.get("/report")).xpath("//iframe/@sandbox") == [""]
