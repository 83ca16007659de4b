"""Setting a stance in the workbench: a person's own accepted coding only, audited, with
the buttons (and their one-key letters) on every coding of theirs."""

from __future__ import annotations

import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named
from innostudy.model import AuditEvent, CoderKind, Coding, CodingStatus, Segment, Speaker, Stance
from tests.web.conftest import WebStudy, csrf_of, login, texts, tree


def _code_a_turn(web: WebStudy, client: object) -> tuple[int, int, int]:
    with web.store.session() as s:
        seg = s.scalars(
            sa.select(Segment)
            .join(Speaker)
            .where(Speaker.participant_id.is_not(None))
            .order_by(Segment.id)
            .limit(1)
        ).one()
        segment_id, transcript_id = seg.id, seg.transcript_id
    page = client.get(f"/coding/transcripts/{transcript_id}")  # type: ignore[attr-defined]
    made = client.post(  # type: ignore[attr-defined]
        f"/coding/segments/{segment_id}/codings",
        data={"csrf_token": csrf_of(page), "code_key": "barriers.culture", "start": "0",
              "end": "5", "memo": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303
    with web.store.session() as s:
        coding_id = s.scalar(  # the newest on the turn: the one just made
            sa.select(sa.func.max(Coding.id)).where(Coding.segment_id == segment_id)
        )
    assert coding_id is not None
    return coding_id, segment_id, transcript_id


def test_a_coder_sets_and_clears_a_stance(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    coding_id, segment_id, transcript_id = _code_a_turn(web, client)
    page = client.get(f"/coding/transcripts/{transcript_id}")
    form = f"//form[@action='/coding/codings/{coding_id}/stance']"
    assert tree(page).xpath(f"{form}/@data-mine") == ["1"]
    assert tree(page).xpath(f"{form}//button/@data-key") == ["n", "y", "d", "q"]
    token = csrf_of(page)
    for value in ("disagree", ""):
        done = client.post(
            f"/coding/codings/{coding_id}/stance",
            data={"csrf_token": token, "stance": value},
            headers={"HX-Request": "true"},
        )
        assert done.status_code == 200  # the turn again, for the page to swap in
        shown = texts(done, f"//span[@id='stance-{coding_id}']")
        assert shown == ["Stance: " + ("disagrees" if value else "no stance")]
    with web.store.session() as s:
        assert s.get(Coding, coding_id).stance is None  # type: ignore[union-attr]
        trail = s.scalars(
            sa.select(AuditEvent.detail)
            .where(AuditEvent.action == "coding.stance", AuditEvent.entity_id == coding_id)
            .order_by(AuditEvent.id)
        ).all()
    assert trail == [{"from": None, "to": "disagree"}, {"from": "disagree", "to": None}]
    # the turn's text is the person's; a coding's stance buttons sit with their coding
    assert tree(page).xpath(f"//article[@id='seg-{segment_id}']{form}")


def test_a_stance_is_refused_where_it_does_not_belong(web: WebStudy) -> None:
    owner = web.new_client()
    login(owner, "rita")
    coding_id, _, transcript_id = _code_a_turn(web, owner)
    client = web.new_client()
    login(client, "cody")
    token = csrf_of(client.get(f"/coding/transcripts/{transcript_id}"))
    # another person's coding: a coder may change only their own
    theirs = client.post(
        f"/coding/codings/{coding_id}/stance", data={"csrf_token": token, "stance": "agree"}
    )
    assert theirs.status_code == 403
    # a value that is not a stance
    odd = owner.post(
        f"/coding/codings/{coding_id}/stance",
        data={"csrf_token": csrf_of(owner.get("/coding")), "stance": "maybe"},
    )
    assert odd.status_code == 422
    # a model's suggestion nobody accepted takes no stance
    with web.store.session() as s:
        segment = s.get(Segment, s.get(Coding, coding_id).segment_id)  # type: ignore[union-attr]
        code = codes_by_key(s, study_codebook(s))["costs"]
        model = coder_named(s, "minilm-knn", CoderKind.MODEL)
        made = apply_code(s, segment, code, model, 0, 5, status=CodingStatus.SUGGESTED)  # type: ignore[arg-type]
        s.flush()
        suggestion_id = made.id
    refused = owner.post(
        f"/coding/codings/{suggestion_id}/stance",
        data={"csrf_token": csrf_of(owner.get("/coding")), "stance": "agree"},
    )
    assert refused.status_code == 403
    assert "accept the suggestion first" in refused.text
    with web.store.session() as s:
        assert s.get(Coding, coding_id).stance is None  # type: ignore[union-attr]
        assert s.get(Coding, suggestion_id).stance is None  # type: ignore[union-attr]
    assert Stance.AGREE.value == "agree"
