"""Researchers' pages in-process: dashboard figures, coding, suggestions, reliability,
matrix, links, users."""

from __future__ import annotations

import re

import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.coding.segments import codable_segments
from innostudy.model import (
    AuditEvent,
    CoderKind,
    Coding,
    CodingStatus,
    Consent,
    Organisation,
    Participant,
    ResponseStatus,
    Segment,
    Speaker,
    User,
    utcnow,
)
from innostudy.model import (
    Response as SurveyResponse,
)
from tests.coding.test_study_coding import REMOVAL_KEYS, audit_trail
from tests.web.conftest import WebStudy, csrf_of, login, texts, tree
from tests.web.test_respondent import complete_survey, revision_of


def _count(web: WebStudy, status: ResponseStatus) -> int:
    with web.store.session() as s:
        orgs = s.scalar(sa.select(sa.func.count()).select_from(Organisation)) or 0
        with_status = (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.status == status)
            )
            or 0
        )
        responses = s.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) or 0
    return with_status + (orgs - responses if status is ResponseStatus.INVITED else 0)


def test_the_dashboard_counts_match_the_store_and_follow_a_submission(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    before = client.get("/dashboard/progress")
    assert texts(before, "//*[@id='count-submitted']") == [
        str(_count(web, ResponseStatus.SUBMITTED))
    ]
    assert texts(before, "//*[@id='count-draft']") == [str(_count(web, ResponseStatus.DRAFT))]
    rows = tree(before).xpath("//table[caption/@id='by-type-caption']/tbody/tr")
    assert sum(int(r.xpath("./td[1]")[0].text) for r in rows) == _count(
        web, ResponseStatus.SUBMITTED
    )
    assert tree(client.get("/dashboard")).xpath("//div[@id='progress-panel']/@data-every") == ["5"]
    token = web.tokens["fresh"]
    complete_survey(web, token)
    review = web.client.get(f"/s/{token}/review")
    web.client.post(
        f"/s/{token}/submit",
        data={"csrf_token": csrf_of(review), "revision": revision_of(review.text)},
    )
    after = client.get("/dashboard/progress")
    assert (
        int(texts(after, "//*[@id='count-submitted']")[0])
        == int(texts(before, "//*[@id='count-submitted']")[0]) + 1
    )
    assert "<svg" in after.text and "<title" in after.text


def _first_participant_segment(web: WebStudy) -> tuple[int, int, str]:
    with web.store.session() as s:
        seg = s.scalar(
            sa.select(Segment)
            .join(Speaker)
            .where(Speaker.participant_id.is_not(None))
            .order_by(Segment.id)
            .limit(1)
        )
        assert seg is not None
        return seg.id, seg.transcript_id, seg.text


def test_a_coder_applies_a_code_to_a_span_and_writes_a_memo(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    segment_id, transcript_id, text = _first_participant_segment(web)
    page = client.get(f"/coding/transcripts/{transcript_id}")
    assert page.status_code == 200
    response = client.post(
        f"/coding/segments/{segment_id}/codings",
        data={
            "csrf_token": csrf_of(page),
            "code_key": "barriers.culture",
            "start": "0",
            "end": "5",
            "memo": "first words",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with web.store.session() as s:
        coding = s.scalar(
            sa.select(Coding)
            .join(Coding.coder)
            .where(Coding.segment_id == segment_id, Coding.start == 0, Coding.end == 5)
        )
        assert coding is not None and coding.coder.name == "cody" and coding.memo == "first words"
        assert coding.coder.user_id == s.scalar(sa.select(User.id).where(User.username == "cody"))
        coding_id = coding.id
    shown = client.get(f"/coding/transcripts/{transcript_id}")
    marks = tree(shown).xpath(f"//article[@id='seg-{segment_id}']//p[@class='seg-text']/mark")
    assert text[0:5] in [m.text for m in marks]
    # a span outside the text is refused with the reason
    bad = client.post(
        f"/coding/segments/{segment_id}/codings",
        data={
            "csrf_token": csrf_of(page),
            "code_key": "barriers.culture",
            "start": "0",
            "end": str(len(text) + 5),
        },
    )
    assert bad.status_code == 422 and "is outside the text" in bad.text
    client.post(
        f"/coding/codings/{coding_id}/memo",
        data={"csrf_token": csrf_of(page), "memo": "better memo"},
    )
    client.post(f"/coding/codings/{coding_id}/remove", data={"csrf_token": csrf_of(page)})
    with web.store.session() as s:
        assert s.get(Coding, coding_id) is None
        actions = s.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_id == coding_id)
        ).all()
        assert actions == ["coding.memo", "coding.remove"]
        trail = audit_trail(s, coding_id)
    # the same record shape as the CLI's (one implementation behind both)
    assert trail[0] == ("cody", "coding.memo", {"from": "first words", "to": "better memo"})
    actor, action, removed = trail[1]
    assert (actor, action, sorted(removed)) == ("cody", "coding.remove", REMOVAL_KEYS)
    assert (removed["code"], removed["coder"], removed["memo"]) == (
        "barriers.culture",
        "cody",
        "better memo",
    )


def test_a_coder_cannot_remove_someone_elses_coding(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    with web.store.session() as s:
        coding_id = s.scalar(sa.select(Coding.id).limit(1))
    page = client.get("/coding")
    assert (
        client.post(
            f"/coding/codings/{coding_id}/remove", data={"csrf_token": csrf_of(page)}
        ).status_code
        == 403
    )


def _suggest(web: WebStudy, reason: dict) -> int:  # type: ignore[type-arg]
    segment_id, _, text = _first_participant_segment(web)
    with web.store.session() as s:
        segment = s.get(Segment, segment_id)
        code = (
            codes_by_key(s, study_codebook(s))["impacts.measurement"]
            if "impacts.measurement" in codes_by_key(s, study_codebook(s))
            else list(codes_by_key(s, study_codebook(s)).values())[-1]
        )
        model = coder_named(s, "minilm-knn", CoderKind.MODEL)
        coding = apply_code(
            s,
            segment,
            code,
            model,
            0,
            len(text.rstrip()),
            status=CodingStatus.SUGGESTED,
            confidence=0.83,
        )
        coding.reason = reason
        return coding.id


def test_suggestions_show_their_reasons_and_can_be_accepted(web: WebStudy) -> None:
    suggestion_id = _suggest(
        web,
        {
            "examples": [
                {
                    "text": "We measured nothing <b>before</b>.",
                    "code": "impacts",
                    "similarity": 0.91,
                }
            ],
            "model": "all-MiniLM-L6-v2",
        },
    )
    client = web.new_client()
    login(client, "cody")
    page = client.get("/coding/suggestions")
    card = tree(page).xpath(f"//article[@id='sugg-{suggestion_id}']")[0]
    reasons = " ".join(card.xpath(".//div[@class='reasons']")[0].text_content().split())
    assert "“We measured nothing <b>before</b>.” — impacts (similarity 0.91)" in reasons
    assert "all-MiniLM-L6-v2" in reasons and "83%" in card.text_content()
    accepted = client.post(
        f"/coding/suggestions/{suggestion_id}/review",
        data={"csrf_token": csrf_of(page), "verdict": "accept"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    with web.store.session() as s:
        suggestion = s.get(Coding, suggestion_id)
        assert suggestion is not None and suggestion.status is CodingStatus.ACCEPTED
        own = s.scalar(
            sa.select(Coding).where(
                Coding.reason["accepted_suggestion"].as_integer() == suggestion_id
            )
        )
        assert own is not None and own.coder.name == "cody"
    again = client.post(
        f"/coding/suggestions/{suggestion_id}/review",
        data={"csrf_token": csrf_of(page), "verdict": "reject"},
    )
    assert again.status_code == 404


def test_a_withdrawn_participants_words_never_reach_coding_views(web: WebStudy) -> None:
    segment_id, transcript_id, text = _first_participant_segment(web)
    suggestion_id = _suggest(web, {})
    with web.store.session() as s:
        participant = s.scalar(
            sa.select(Participant)
            .join(Speaker, Speaker.participant_id == Participant.id)
            .join(Segment)
            .where(Segment.id == segment_id)
        )
        assert participant is not None
        if participant.consent is None:
            participant.consent = Consent()
        participant.consent.withdrawn_at = utcnow()
    client = web.new_client()
    login(client, "rita")
    snippet = text[:60]
    for path in (f"/coding/transcripts/{transcript_id}", "/coding/suggestions", "/coding/codings"):
        assert snippet not in client.get(path).text, path
    page = client.get(f"/coding/transcripts/{transcript_id}")
    assert "withdrew" in tree(page).xpath(f"//article[@id='seg-{segment_id}']")[0].text_content()
    refused = client.post(
        f"/coding/segments/{segment_id}/codings",
        data={
            "csrf_token": csrf_of(page),
            "code_key": "barriers.culture",
            "start": "0",
            "end": "3",
        },
    )
    assert refused.status_code == 404
    assert (
        client.post(
            f"/coding/suggestions/{suggestion_id}/review",
            data={"csrf_token": csrf_of(page), "verdict": "accept"},
        ).status_code
        == 404
    )


def test_reliability_compares_two_coders_on_the_turns_both_coded(web: WebStudy) -> None:
    with web.store.session() as s:
        a = coder_named(s, "simulated-coder-a")
        b = coder_named(
            s, "tester-b"
        )  # a coder with no work yet (the demo has its own simulated-coder-b)
        first = s.scalar(
            sa.select(Coding).where(Coding.coder_id == a.id).order_by(Coding.id).limit(1)
        )
        assert first is not None
        transcript_id = first.segment.transcript_id
        a_codings = s.scalars(
            sa.select(Coding)
            .join(Segment)
            .where(Coding.coder_id == a.id, Segment.transcript_id == transcript_id)
            .order_by(Coding.id)
        ).all()
        # B agrees on every other coding of A's and adds nothing else
        for c in a_codings[::2]:
            apply_code(s, c.segment, c.code, b, c.start, c.end)
        target = a_codings[0].code
        # turns nobody coded are left out, and so are turns that may not be analysed
        # (the facilitator's, withdrawn participants')
        analysable = {r.id for r in codable_segments(s, transcript_id=transcript_id)}
        coded = {c.segment_id for c in a_codings} & analysable
        xs = [any(c.segment_id == u and c.code_id == target.id for c in a_codings) for u in coded]
        ys = [
            any(c.segment_id == u and c.code_id == target.id for c in a_codings[::2]) for u in coded
        ]
        a_id, b_id, target_key = a.id, b.id, target.key
    n = len(xs)
    po = sum(x == y for x, y in zip(xs, ys, strict=False)) / n
    pa, pb = sum(xs) / n, sum(ys) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    expected = (po - pe) / (1 - pe)
    client = web.new_client()
    login(client, "rita")
    page = tree(client.get(f"/coding/reliability?a={a_id}&b={b_id}"))
    assert f"{n} turns judged by two or more coders" in page.xpath("string(//p[@id='units'])")
    row = next(
        r for r in page.xpath("//table[@id='agreement']/tbody/tr") if target_key in r.text_content()
    )
    cells = [c.text_content() for c in row.xpath("./td")]
    assert cells[0] == str(n)
    assert cells[1:3] == [str(sum(xs)), str(sum(ys))]  # simulated-coder-a, tester-b
    assert cells[6] == f"{expected:.2f}"
    assert page.xpath("//ol[@id='disagreements']/li")


def test_the_matrix_counts_turns_per_group(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    page = tree(client.get("/coding/matrix"))
    headers = page.xpath("//thead/tr[1]/th/text()")
    assert headers[-2:] == ["All civil service", "All comparison"]
    with web.store.session() as s:
        expected = s.scalar(
            sa.select(sa.func.count(sa.distinct(Coding.segment_id)))
            .select_from(Coding)
            .join(Segment)
            .join(Speaker)
            .join(Participant, Participant.id == Speaker.participant_id)
            .join(Consent, Consent.participant_id == Participant.id, isouter=True)
            .where(
                Coding.status == CodingStatus.ACCEPTED,
                Consent.withdrawn_at.is_(None),
                sa.func.substr(
                    sa.literal_column("(select key from code where code.id = coding.code_id)"), 1, 8
                )
                == "barriers",
            )
        )
    row = next(
        r for r in page.xpath("//tbody/tr") if r.xpath("./th")[0].text == "Barriers and enablers"
    )
    totals = [int(c.text_content()) for c in row.xpath("./td")][-2:]
    assert sum(totals) == expected


def test_a_researcher_issues_a_link_shown_once_that_replaces_the_old_one(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    org_id = web.org_ids["fresh"]
    page = client.get(f"/organisations/{org_id}")
    issued = client.post(f"/organisations/{org_id}/link", data={"csrf_token": csrf_of(page)})
    link = tree(issued).xpath("//p[@class='link-box']/text()")[0]
    token = re.search(r"/s/([A-Za-z0-9_-]+)$", link).group(1)  # type: ignore[union-attr]
    assert web.new_client().get(f"/s/{token}").status_code == 200
    assert web.new_client().get(f"/s/{web.tokens['fresh']}").status_code == 404
    assert token not in client.get(f"/organisations/{org_id}").text


def test_an_admin_adds_a_user_and_bad_input_is_named(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    page = client.get("/users")
    short = client.post(
        "/users",
        data={
            "csrf_token": csrf_of(page),
            "username": "newbie",
            "role": "coder",
            "password": "short",
        },
    )
    assert short.status_code == 422
    assert "must be at least 12 characters long" in short.text
    with web.store.session() as s:
        assert s.scalar(sa.select(User).where(User.username == "newbie")) is None
    ok = client.post(
        "/users",
        data={
            "csrf_token": csrf_of(page),
            "username": "newbie",
            "role": "coder",
            "password": "a long enough password",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert login(web.new_client(), "newbie", "a long enough password").status_code == 303
    client.post("/users/newbie", data={"csrf_token": csrf_of(page), "action": "disable"})
    assert login(web.new_client(), "newbie", "a long enough password").status_code == 401


def test_the_report_preview_renders_the_current_report(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "rita")
    preview = client.get("/report/preview")
    assert "Synthetic demo data" in preview.text
    assert "<h2" in preview.text


def test_a_researcher_writes_the_report_to_the_study_folder(web: WebStudy) -> None:
    target = web.folder / "report" / "report.html"
    target.unlink()
    client = web.new_client()
    login(client, "rita")
    page = client.get("/report")
    written = client.post("/report/render", data={"csrf_token": csrf_of(page)})
    assert written.status_code == 200
    assert "report/report.html" in texts(written, "//p[@class='flash']")[0]
    assert "Synthetic demo data" in target.read_text(encoding="utf-8")
