"""`innostudy discussion talk|themes|stances`: how the discussions developed.

Thin over ``discussion.overview``; each table states its base (what its shares divide
by, what its counts count) on the line above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from innostudy.cli.common import CODING, console, err_console, open_store
from innostudy.cli.output import FormatOption, ListFormat, print_jsonl, print_table
from innostudy.wording import counted

if TYPE_CHECKING:
    from innostudy.discussion.flow import ThemeFlow
    from innostudy.discussion.naming import Namer
    from innostudy.discussion.overview import Scope
    from innostudy.discussion.positions import ThemePosition
    from innostudy.discussion.talk import SpeakerTalk, TalkBalance

discussion_app = typer.Typer(
    help="How the discussions developed: talk and balance, themes in the flow, agreement.",
    no_args_is_help=True,
)

SessionOpt = Annotated[
    int | None, typer.Option("--session", help="Only this session (see `sessions list`).")
]
CodersOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--coder", "-c", help="Count these coders' codings (default: the study's main coding)."
    ),
]


def _by_option(default: str) -> Any:
    return typer.Option("--by", help=f"session, group or sector (default {default}).")


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _clock(ms: int | None) -> str | None:
    if ms is None:
        return None
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _load(
    ctx: typer.Context,
    by: str,
    session_id: int | None,
    coders: list[str] | None,
    *,
    needs_codes: bool = True,
) -> tuple[list[Scope], bool, Namer]:
    from innostudy.coding.coded import study_main_coding
    from innostudy.discussion.overview import scopes, study_namer

    with open_store(ctx) as store, store.session() as s:
        if coders is None and needs_codes:  # the study's main coding, as every view counts
            coders = list(study_main_coding(s, store.settings).coders)
        found = scopes(s, by=by, session_id=session_id, coders=coders)
        namer = study_namer(s)
        synthetic = store.settings.synthetic
    if not found:
        err_console.print("No verbatim transcript to measure.")
    return found, synthetic, namer


@discussion_app.command("talk")
def talk(
    ctx: typer.Context,
    session_id: SessionOpt = None,
    by: Annotated[str, _by_option("session")] = "session",
    chart: Annotated[
        Path | None,
        typer.Option(help="Also draw words per speaker to this .svg or .png (one scope)."),
    ] = None,
    fmt: FormatOption = ListFormat.TEXT,
) -> None:
    """Who spoke, how much, and how evenly: turns, words, speaking time, moderator's
    share, Gini of participants' words, near-silent participants."""
    from innostudy.errors import InputError

    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise InputError(str(chart), None, "chart", "name a .svg or .png file")
    found, synthetic, _ = _load(ctx, by, session_id, None, needs_codes=False)
    if chart is not None and len(found) != 1:
        raise InputError(
            "--chart",
            None,
            "chart",
            f"draws one scope, and there are {len(found)} (give --session)",
        )
    balances = [(scope, scope.talk()) for scope in found]
    if fmt is ListFormat.JSONL:
        print_jsonl([_talk_record(scope, t) for scope, t in balances])
    for i, (scope, t) in enumerate(balances):
        if fmt is ListFormat.TEXT:
            _print_talk(scope, t, first=i == 0)
    if chart is not None:
        from innostudy.atomic import write_atomic
        from innostudy.discussion.chart import talk_chart

        scope, t = balances[0]
        write_atomic(chart, talk_chart(scope.label, t, chart.suffix[1:].lower(), synthetic))
        err_console.print(f"Wrote {chart}")


def _print_talk(scope: Scope, t: TalkBalance, *, first: bool) -> None:
    timed = f"times on {t.timed_turns} of {counted(t.turns, 'turn')}"
    console.print(
        ("" if first else "\n")
        + f"{scope.label}: {counted(scope.sessions, 'session')}, {counted(t.turns, 'turn')}, "
        + f"{counted(t.words, 'word')}; {timed}",
        markup=False,
    )
    console.print(
        "Share: a participant's of the participants' words; anyone else's of all words.",
        markup=False,
    )
    print_table(
        ["SPEAKER", "ROLE", "TURNS", "WORDS", "SHARE", "TIME"],
        [_speaker_cells(p) for p in (*t.participants, *t.others)],
    )
    moderator = (
        f"Moderator: {_pct(t.moderator_word_share)} of words, "
        f"{_pct(t.moderator_turn_share)} of turns, {_pct(t.moderator_time_share)} of time."
    )
    n = len(t.participants)
    balance = (
        f"Participants ({n} who spoke): Gini {'-' if t.gini is None else f'{t.gini:.2f}'}; "
        f"top two {_pct(t.top_two_share)} of their words; "
        f"near-silent: {', '.join(t.near_silent) or 'none'}."
    )
    console.print(moderator, markup=False)
    console.print(balance, markup=False)


def _speaker_cells(p: SpeakerTalk) -> list[Any]:
    return [p.speaker, p.role, p.turns, p.words, _pct(p.word_share), _clock(p.speaking_ms)]


def _talk_record(scope: Scope, t: TalkBalance) -> dict[str, Any]:
    return {
        "scope": scope.kind,
        "label": scope.label,
        "sessions": scope.sessions,
        "turns": t.turns,
        "words": t.words,
        "timed_turns": t.timed_turns,
        "speaking_ms": t.speaking_ms,
        "moderator_word_share": t.moderator_word_share,
        "moderator_turn_share": t.moderator_turn_share,
        "moderator_time_share": t.moderator_time_share,
        "gini": t.gini,
        "top_two_share": t.top_two_share,
        "near_silent": list(t.near_silent),
        "speakers": [
            {
                "speaker": p.speaker,
                "role": p.role,
                "turns": p.turns,
                "words": p.words,
                "word_share": p.word_share,
                "speaking_ms": p.speaking_ms,
            }
            for p in (*t.participants, *t.others)
        ],
    }


@discussion_app.command("themes")
def themes(
    ctx: typer.Context,
    session_id: SessionOpt = None,
    coders: CodersOpt = None,
    fmt: FormatOption = ListFormat.TEXT,
) -> None:
    """Themes in the flow, per transcript: who raised each, whether the moderator had
    just named it, how many took it up, how long it held."""
    found, _, namer = _load(ctx, "session", session_id, coders)
    records: list[dict[str, Any]] = []
    for scope in found:
        for d, flows in scope.flows(namer):
            spoke = len({t.speaker for t in d.turns if t.is_participant})
            if fmt is ListFormat.JSONL:
                records += [_flow_record(scope, d.transcript_id, f) for f in flows]
                continue
            console.print(
                ("" if scope is found[0] and d is scope.discussions[0] else "\n")
                + f"{scope.label}, transcript {d.transcript_id}: "
                + f"{counted(len(flows), 'theme')} raised; took it up: of {spoke} "
                + "participants who spoke; held: participants' turns on it in its first stretch",
                markup=False,
            )
            print_table(
                ["THEME", "RAISED BY", "TURN", "AT", "PROMPTED", "TOOK UP", "TURNS", "HELD",
                 "HELD TIME", "RETURNS"],
                [_flow_cells(f) for f in flows],
            )  # fmt: skip
    if fmt is ListFormat.JSONL:
        print_jsonl(records)


def _flow_cells(f: ThemeFlow) -> list[Any]:
    return [
        f.code,
        f.raised_by,
        f.position,
        _clock(f.start_ms),
        f.prompted or "no",
        f.participants,
        f.turns,
        f.held_turns,
        _clock(f.held_ms),
        f.returns,
    ]


def _flow_record(scope: Scope, transcript_id: int, f: ThemeFlow) -> dict[str, Any]:
    return {
        "session": scope.label,
        "transcript_id": transcript_id,
        "code": f.code,
        "segment_id": f.segment_id,
        "position": f.position,
        "raised_by": f.raised_by,
        "start_ms": f.start_ms,
        "prompted": f.prompted,
        "prompt_segment_id": f.prompt_segment_id,
        "participants": f.participants,
        "turns": f.turns,
        "held_turns": f.held_turns,
        "held_ms": f.held_ms,
        "returns": f.returns,
    }


@discussion_app.command("stances")
def stances(
    ctx: typer.Context,
    session_id: SessionOpt = None,
    by: Annotated[str, _by_option("group")] = "group",
    coders: CodersOpt = None,
    fmt: FormatOption = ListFormat.TEXT,
) -> None:
    """Agreement and dissent per theme: consensus, split, contested or open, counted by
    participants, with the turns that show each verdict."""
    found, _, _ = _load(ctx, by, session_id, coders)
    records: list[dict[str, Any]] = []
    for i, scope in enumerate(found):
        positions = scope.positions()
        if fmt is ListFormat.JSONL:
            records += [_position_record(scope, p) for p in positions]
            continue
        tally = {v: sum(p.verdict == v for p in positions) for v in _verdicts()}
        console.print(
            ("" if i == 0 else "\n")
            + f"{scope.label}: {counted(len(positions), 'coded theme')} ("
            + ", ".join(f"{v} {n}" for v, n in tally.items())
            + "); agreed and disagreed count participants, the stance columns count turns",
            markup=False,
        )
        print_table(
            ["THEME", "VERDICT", "AGREED", "DISAGREED", "NEW", "QUALIFY", "NO STANCE",
             "SHOWN BY SEGMENTS"],
            [_position_cells(p) for p in positions],
        )  # fmt: skip
    if fmt is ListFormat.JSONL:
        print_jsonl(records)


def _verdicts() -> tuple[str, ...]:
    from innostudy.discussion.positions import VERDICTS

    return VERDICTS


def _position_cells(p: ThemePosition) -> list[Any]:
    from innostudy.model import Stance

    shown = ", ".join(str(t.segment_id) for t in p.showing())
    return [
        p.code,
        p.verdict,
        len(p.agreed),
        len(p.disagreed),
        p.counts[Stance.NEW],
        p.counts[Stance.QUALIFY],
        p.unstanced,
        shown or "-",
    ]


def _position_record(scope: Scope, p: ThemePosition) -> dict[str, Any]:
    return {
        "scope": scope.kind,
        "label": scope.label,
        "code": p.code,
        "verdict": p.verdict,
        "agreed": list(p.agreed),
        "disagreed": list(p.disagreed),
        "stance_turns": {s.value: n for s, n in p.counts.items()},
        "unstanced": p.unstanced,
        "showing": [
            {"segment_id": t.segment_id, "speaker": t.speaker, "stance": t.stance.value}
            for t in p.showing()
        ],
    }


def register(app: typer.Typer) -> None:
    app.add_typer(discussion_app, name="discussion", rich_help_panel=CODING)
