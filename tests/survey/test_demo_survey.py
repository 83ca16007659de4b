"""The demo's survey comes in the way a user's does: invitations, then an imported export."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from innostudy.demo.build import DemoSummary
from innostudy.model import ImportBatch, Organisation, Response, ResponseSource, ResponseStatus
from innostudy.storage.store import StudyStore


def test_demo_responses_arrive_through_invitations_and_the_qualtrics_import(
    demo_study: DemoSummary,
) -> None:
    files = demo_study.folder / "files"
    assert (files / "organisations.csv").is_file()
    assert (files / "invitations" / "mail-merge.csv").is_file()
    assert (files / "responses-qualtrics.csv").read_text(encoding="utf-8").count('"ImportId"') > 20
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        orgs = s.scalars(sa.select(Organisation)).all()
        assert len(orgs) == 126 and all(o.token_hash and o.invited_at for o in orgs)
        rows = s.execute(
            sa.select(Response.status, Response.source, Response.source_file, Response.revision)
        ).all()
        statuses = Counter(status for status, *_ in rows)
        assert statuses[ResponseStatus.SUBMITTED] == demo_study.submitted
        assert statuses[ResponseStatus.DRAFT] == demo_study.drafts
        assert (
            statuses[ResponseStatus.INVITED] == 126 - demo_study.submitted - demo_study.drafts > 0
        )
        answered = [r for r in rows if r[0] is not ResponseStatus.INVITED]
        assert all(
            r[1] is ResponseSource.IMPORT and r[2] == "responses-qualtrics.csv" for r in answered
        )
        assert all(r[3] == 2 for r in answered)  # invited first, then answered: history kept
        kinds = Counter(s.scalars(sa.select(ImportBatch.kind)))
        # seven sessions' transcript files and one transcribed recording
        assert kinds == {"organisations": 1, "responses": 1, "transcript": 8}
