"""`quotes add` and `quotes edit` through the CLI: consent refused at once, edited quotes
checked piece by piece, and the report showing cuts and clarifications as such."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.demo.autocoding import FIRST_CODER
from innostudy.errors import InputError
from innostudy.model import (
    Coder,
    Coding,
    Consent,
    ConsentChoice,
    Participant,
    Quote,
    Segment,
    Speaker,
)
from innostudy.reporting.render import render_report
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


def coding_of(
    store: StudyStore, *, refused: bool = False, withdrawn: bool = False
) -> tuple[int, str]:
    """An accepted coding by the main coder of a participant in the given consent state."""
    with store.session() as s:
        query = (
            sa.select(Coding.id, Participant.code)
            .join(Segment, Coding.segment_id == Segment.id)
            .join(Speaker, Segment.speaker_id == Speaker.id)
            .join(Participant, Speaker.participant_id == Participant.id)
            .join(Consent, Consent.participant_id == Participant.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.name == FIRST_CODER, Coding.status == "accepted")
            .order_by(Coding.id)
        )
        if withdrawn:
            query = query.where(Consent.withdrawn_at.is_not(None))
        else:
            query = query.where(Consent.withdrawn_at.is_(None))
            wanted = ConsentChoice.REFUSED if refused else ConsentChoice.GRANTED
            query = query.where(Consent.quotation == wanted)
        row = s.execute(query.limit(1)).one()
        return int(row[0]), str(row[1])


@pytest.mark.parametrize(
    ("state", "why"),
    [("refused", "did not consent to quotation"), ("withdrawn", "has withdrawn")],
)
def test_quotes_add_refuses_a_participant_who_may_not_be_quoted(
    cli: Cli, demo_copy: Path, state: str, why: str
) -> None:
    with StudyStore.open(demo_copy) as store:
        cid, code = coding_of(store, refused=state == "refused", withdrawn=state == "withdrawn")
        with store.session() as s:
            before = s.scalar(sa.select(sa.func.count()).select_from(Quote))
    result = cli("--study", demo_copy, "quotes", "add", cid)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: CODING_ID, field 'coding': coding {cid} cannot be quoted: participant {code} {why}\n",
    )
    with StudyStore.open(demo_copy) as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Quote)) == before


def long_turn(store: StudyStore) -> tuple[int, str]:
    """A quotable whole-turn coding whose turn has at least three sentences."""
    with store.session() as s:
        for coding in s.scalars(
            sa.select(Coding).join(Coder).where(Coder.name == FIRST_CODER).order_by(Coding.id)
        ):
            text = coding.segment.text[coding.start : coding.end]
            participant = coding.segment.speaker.participant if coding.segment.speaker else None
            if (
                participant is not None
                and participant.consent is not None
                and participant.consent.withdrawn_at is None
                and participant.consent.quotation is ConsentChoice.GRANTED
                and text.count(". ") >= 2
                and "[" not in text
            ):
                return coding.id, text
    raise AssertionError("the demo has long turns")


def test_an_edited_quote_is_stored_checked_and_shown_with_its_cut_and_clarification(
    cli: Cli, demo_copy: Path
) -> None:
    with StudyStore.open(demo_copy) as store:
        cid, text = long_turn(store)
    sentences = text.split(". ")
    first, last = sentences[0] + ".", sentences[-1]
    edited = f"{first} . . . [in short] {' '.join(last.split()[1:])}"
    added = cli(
        "--study", demo_copy, "quotes", "add", cid, "--text", edited, "--lead-in", "On pace:"
    )
    assert added.exit_code == 0, added.stderr
    label = added.stdout.strip()
    narrative = demo_copy / "narrative" / "09-conclusions.md"
    narrative.write_text(f"{{{{quote: {label}}}}}\n", encoding="utf-8")
    with StudyStore.open(demo_copy) as store:
        html = render_report(store, ["html"]).paths["html"].read_text(encoding="utf-8")
    block = html.split(f'data-quote="{label}"')[1].split("</blockquote>")[0]
    assert '<span class="elision">. . .</span>' in block
    assert '<span class="insertion">[in short]</span>' in block
    assert f'<span class="lead-in">On pace:</span> <blockquote data-quote="{label}"' in html

    def retype(at: int) -> None:
        """Change one character of the turn, keeping its length (offsets stay valid)."""
        with store.session() as s:
            segment = s.get_one(Quote, int(label[2:])).segment
            old = segment.text[at]
            segment.text = segment.text[:at] + ("x" if old != "x" else "y") + segment.text[at + 1 :]

    with StudyStore.open(demo_copy) as store:
        retype(text.index(sentences[1]) + 1)  # inside the words that were cut out
        render_report(store, ["md"])
        retype(text.rindex(last) + len(last) - 3)  # inside the words shown
        with pytest.raises(InputError, match=f"{label}, field 'text': quote is no longer verbatim"):
            render_report(store, ["md"])


def test_quotes_edit_rechecks_and_a_bad_edit_is_one_line(cli: Cli, demo_copy: Path) -> None:
    with StudyStore.open(demo_copy) as store:
        cid, text = long_turn(store)
    label = cli("--study", demo_copy, "quotes", "add", cid).stdout.strip()
    words = text.split()
    shorter = f"{' '.join(words[:4])} . . . {' '.join(words[-3:])}"
    edited = cli("--study", demo_copy, "quotes", "edit", label, "--text", shorter)
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout.strip() == f"{label}: {shorter}"
    bad = cli("--study", demo_copy, "quotes", "edit", label, "--text", "Words nobody said.")
    assert (bad.exit_code, bad.stderr) == (
        1,
        "Error: --text, field 'text': 'Words nobody said.' is not in the coded span\n",
    )
    with StudyStore.open(demo_copy) as store, store.session() as s:
        assert s.get_one(Quote, int(label[2:])).text == shorter
