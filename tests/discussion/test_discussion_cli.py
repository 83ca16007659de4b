"""`innostudy discussion …` and `code stance …` on the small study, every figure worked
out by hand in the comments (tests/discussion/conftest.py has the turns)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from innostudy.model import AuditEvent, Coding, Stance
from innostudy.storage.store import StudyStore
from tests.conftest import Cli

from .conftest import SmallStudy

# senior.vtt without SCS-03 (withdrawn): Facilitator 8 + 3 words in 4 s + 2 s;
# SCS-01 8 + 11 words in 6 s + 9 s; SCS-02 5 + 6 words in 2 s + 4 s. 41 words, 27 s.
SENIOR_TALK = """\
senior.vtt session (Senior civil servants group): 1 session, 6 turns, 41 words; times on 6 of 6 turns
Share: a participant's of the participants' words; anyone else's of all words.
SPEAKER      ROLE         TURNS  WORDS  SHARE  TIME
SCS-01       participant  2      19     63%    0:15
SCS-02       participant  2      11     37%    0:06
Facilitator  facilitator  2      11     27%    0:06
Moderator: 27% of words, 33% of turns, 22% of time.
Participants (2 who spoke): Gini 0.13; top two - of their words; near-silent: none.
"""


def _run(cli: Cli, study: SmallStudy, *args: str) -> str:
    result = cli("--study", study.folder, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _session_of(study: SmallStudy, transcript_id: int) -> int:
    from innostudy.model import Transcript

    with StudyStore.open(study.folder) as store, store.session() as s:
        found = s.get(Transcript, transcript_id)
        assert found is not None
        return found.session_id


def test_talk_per_session_states_its_bases(small_study: SmallStudy, cli: Cli) -> None:
    session = _session_of(small_study, small_study.senior_transcript)
    out = _run(cli, small_study, "discussion", "talk", "--session", str(session))
    # 19 / 30 = 63%, 11 / 41 = 27%; Gini |19 - 11| / (2 · 2 · 15) = 0.13; 6 s of 27 s = 22%
    assert out == SENIOR_TALK


def test_talk_pooled_by_sector_as_json_lines(small_study: SmallStudy, cli: Cli) -> None:
    out = _run(cli, small_study, "discussion", "talk", "--by", "sector", "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["label"] for r in records] == ["Civil service", "Comparison"]
    business = records[1]
    # start times only: 0 → 6 → 20 → 25, the last turn's length unknown
    assert (business["turns"], business["words"], business["timed_turns"]) == (4, 28, 3)
    assert business["speaking_ms"] == 25_000
    assert business["gini"] == abs(17 - 3) / (2 * 2 * 10)
    assert [(p["speaker"], p["words"], p["speaking_ms"]) for p in business["speakers"]] == [
        ("BUS-01", 17, 14_000),
        ("BUS-02", 3, 5000),
        ("Facilitator", 8, 6000),
    ]


def test_themes_in_the_flow(small_study: SmallStudy, cli: Cli) -> None:
    session = _session_of(small_study, small_study.senior_transcript)
    out = _run(cli, small_study, "discussion", "themes", "--session", str(session), "-c", "ana")
    lines = out.splitlines()
    assert lines[0] == (
        f"senior.vtt session (Senior civil servants group), transcript "
        f"{small_study.senior_transcript}: 5 themes raised; took it up: of 2 participants who "
        "spoke; held: participants' turns on it in its first stretch"
    )
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    # "approval" is in the opening question, "budgets" in the second; risk came unasked
    assert rows["costs.approval"] == ["SCS-01", "1", "0:05", "theme", "2", "2", "2", "0:09", "0"]
    assert rows["barriers.risk"] == ["SCS-01", "4", "0:21", "no", "1", "1", "1", "0:09", "0"]
    assert rows["costs.budgeting"] == ["SCS-02", "6", "0:34", "theme", "1", "1", "1", "0:04", "0"]
    # the area: 5 s (first approval turn) to 38 s (end of the budgets turn)
    assert rows["costs"] == ["SCS-01", "1", "0:05", "theme", "2", "3", "3", "0:33", "0"]


def test_stances_count_people_and_show_their_turns(small_study: SmallStudy, cli: Cli) -> None:
    out = _run(cli, small_study, "discussion", "stances", "-c", "ana")
    seg = small_study.segments
    senior, business = small_study.senior_transcript, small_study.business_transcript
    assert out.splitlines()[:5] == [
        "Senior civil servants group: 3 coded themes (consensus 0, contested 0, split 0, "
        "open 3); agreed and disagreed count participants, the stance columns count turns",
        "THEME            VERDICT  AGREED  DISAGREED  NEW  QUALIFY  NO STANCE  SHOWN BY SEGMENTS",
        # SCS-03's disagreement went with the withdrawal: one agreement is no consensus
        f"costs.approval   open     1       0          1    0        0          "
        f"{seg[(senior, 1)]}, {seg[(senior, 2)]}",
        f"barriers.risk    open     0       0          1    0        0          {seg[(senior, 4)]}",
        f"costs.budgeting  open     0       0          1    0        0          {seg[(senior, 6)]}",
    ]
    assert out.splitlines()[-2:] == [
        f"origins.users  open     1       0          1    0        0          "
        f"{seg[(business, 1)]}, {seg[(business, 2)]}",
        f"barriers.risk  open     0       0          1    0        0          {seg[(business, 3)]}",
    ]


def test_a_second_agreement_makes_a_consensus(small_study: SmallStudy, cli: Cli) -> None:
    business = small_study.business_transcript
    _run(cli, small_study, "code", "apply", str(small_study.segments[(business, 3)]),
         "origins.users", "-c", "ana")  # fmt: skip
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        made = s.scalars(sa.select(Coding).order_by(Coding.id.desc())).first()
        assert made is not None
    _run(cli, small_study, "code", "stance", str(made.id), "agree", "-c", "ana")
    out = _run(cli, small_study, "discussion", "stances", "--by", "sector", "-c", "ana")
    # BUS-01 agreeing later counts: two people agreed on customers, nobody disagreed
    users = next(line for line in out.splitlines() if line.startswith("origins.users"))
    assert users.split()[1:4] == ["consensus", "2", "0"]


def test_setting_a_stance_is_audited(small_study: SmallStudy, cli: Cli) -> None:
    senior = small_study.senior_transcript
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        coding = s.scalars(
            sa.select(Coding).where(Coding.segment_id == small_study.segments[(senior, 2)])
            .order_by(Coding.id)
        ).first()  # fmt: skip
        assert coding is not None and coding.coder.name == "ana"
        coding_id = coding.id
    out = _run(cli, small_study, "code", "stance", str(coding_id), "qualify", "-c", "ana")
    assert out == (
        f"Coding {coding_id} (costs.approval on segment {small_study.segments[(senior, 2)]}): "
        "qualifies\n"
    )
    listed = _run(
        cli, small_study, "code", "list", "--segment", str(coding.segment_id), "-c", "ana"
    )
    assert [line.endswith("stance: qualifies") for line in listed.splitlines()] == [True]
    _run(cli, small_study, "code", "stance", str(coding_id), "none", "-c", "ana")
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        assert s.get(Coding, coding_id).stance is None  # type: ignore[union-attr]
        events = s.scalars(
            sa.select(AuditEvent.detail)
            .where(AuditEvent.action == "coding.stance", AuditEvent.entity_id == coding_id)
            .order_by(AuditEvent.id)
        ).all()
    assert events[-2:] == [{"from": "agree", "to": "qualify"}, {"from": "qualify", "to": None}]
    assert Stance.QUALIFY.value == "qualify"


def test_stance_reliability_between_two_coders(small_study: SmallStudy, cli: Cli) -> None:
    out = _run(cli, small_study, "code", "stance-reliability", "-c", "ana", "-c", "ben")
    lines = out.splitlines()
    # four units both coded (SCS-03's is gone): new/new ×3, agree/qualify on SCS-02's turn
    assert lines[0] == (
        "Base: 4 units (turn and theme) with a stance from two or more coders; 0 coded by "
        "both with a stance missing, left out"
    )
    # po = 3/4; pe = (3/4)² + 0 = 9/16 → kappa = (12/16 - 9/16) / (7/16) = 3/7 = 0.43
    assert lines[1].startswith("agreement 0.75  kappa 0.43  ")
    assert lines[-1] == (
        f"  segment {small_study.segments[(small_study.senior_transcript, 2)]} costs.approval: "
        "ana: agree; ben: qualify"
    )


def test_stance_suggestions_never_apply(small_study: SmallStudy, cli: Cli) -> None:
    senior = small_study.senior_transcript
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        coding = s.scalars(
            sa.select(Coding).where(Coding.segment_id == small_study.segments[(senior, 4)])
        ).first()
        assert coding is not None
        coding_id, owner = coding.id, coding.coder.name
    _run(cli, small_study, "code", "stance", str(coding_id), "none", "-c", owner)
    out = _run(cli, small_study, "code", "suggest-stances", "-c", owner)
    assert out.startswith("1 stance suggestion (1 first on their theme, the rest by ")
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        assert s.get(Coding, coding_id).stance is None  # type: ignore[union-attr]


def test_bad_input_is_one_line(small_study: SmallStudy, cli: Cli) -> None:
    cases = [
        (["discussion", "talk", "--session", "999"],
         "Error: no session with ID 999; list them with `innostudy sessions list`"),
        (["discussion", "stances", "--by", "person"],
         "Error: --by, field 'by': 'person' is not one of session, group, sector"),
        (["discussion", "talk", "--chart", "talk.gif"],
         "Error: talk.gif, field 'chart': name a .svg or .png file"),
        (["discussion", "talk", "--chart", "talk.svg"],
         "Error: --chart, field 'chart': draws one scope, and there are 2 (give --session)"),
        (["code", "stance", "1", "maybe", "-c", "ana"],
         "Error: VALUE, field 'stance': 'maybe' is not one of new, agree, disagree, qualify, "
         "none"),
        (["code", "stance", "1", "agree", "-c", "ben"],
         "Error: coding 1, field 'coder': belongs to ana; each coder changes only their own "
         "codings"),
        (["code", "stance", "999", "agree", "-c", "ana"],
         "Error: no coding with ID 999; list them with `innostudy code list`"),
        (["code", "stance-reliability", "-c", "ana", "-c", "ana"],
         "Error: --coder, field 'coder': name at least two different coders"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli("--study", small_study.folder, *args)
        assert (result.exit_code, result.stderr.strip()) == (1, message), args
        assert result.stdout == ""


def test_stances_count_the_main_coding_unless_told(small_study: SmallStudy, cli: Cli) -> None:
    def approval(*args: str) -> list[str]:
        out = _run(cli, small_study, "discussion", "stances", *args)
        return next(line for line in out.splitlines() if line.startswith("costs.approval")).split()

    # study.toml names ana's the main coding; ben heard SCS-02 qualify where ana heard agree
    assert approval()[1:6] == approval("-c", "ana")[1:6] == ["open", "1", "0", "1", "0"]
    assert approval("-c", "ben")[1:6] == ["open", "0", "0", "1", "1"]
