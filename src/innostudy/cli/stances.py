"""`innostudy code stance|suggest-stances|stance-reliability`: stances on coded turns.

A stance is a person's judgement (``coding.manual.set_stance``, audited); the model only
proposes (``coding.auto.stances``); agreement between coders is
``coding.stance_agreement``'s. This module only parses and prints.
"""

from __future__ import annotations

from typing import Annotated

import typer

from innostudy.cli.coding_analysis import ComparedCoders, ShowOpt, TranscriptOpt, two_coders
from innostudy.cli.common import console, open_store
from innostudy.wording import counted

STANCE_WORDS = ("new", "agree", "disagree", "qualify", "none")


def stance(
    ctx: typer.Context,
    coding: Annotated[int, typer.Argument(help="Your coding's id (see `code list`).")],
    value: Annotated[str, typer.Argument(help="new, agree, disagree, qualify, or none to clear.")],
    coder: Annotated[str, typer.Option("--coder", "-c", help="Your coder name.")],
) -> None:
    """Set how one of your coded turns stands toward its theme (audited)."""
    from innostudy.coding.manual import coder_named, coding_by_id, require_own, set_stance
    from innostudy.errors import InputError
    from innostudy.model import Stance

    if value not in STANCE_WORDS:
        raise InputError(
            "VALUE", None, "stance", f"{value!r} is not one of {', '.join(STANCE_WORDS)}"
        )
    chosen = None if value == "none" else Stance(value)
    with open_store(ctx) as store, store.write_session() as s:
        found = coding_by_id(s, coding)
        require_own(found, coder_named(s, coder))
        set_stance(s, found, chosen, actor=coder)
        key, segment = found.code.key, found.segment_id
    said = chosen.label if chosen else "no stance"
    console.print(f"Coding {coding} ({key} on segment {segment}): {said}", markup=False)


def suggest_stances(
    ctx: typer.Context,
    coders: Annotated[
        list[str] | None,
        typer.Option("--coder", "-c", help="Only these coders' codings (default: every person's)."),
    ] = None,
    transcript: TranscriptOpt = None,
) -> None:
    """Propose a stance for every coded turn without one. Nothing is applied."""
    from innostudy.coding.auto.cache import RememberingEncoder
    from innostudy.coding.auto.embeddings import encoder_from_env
    from innostudy.coding.auto.stances import suggest_stances as run
    from innostudy.transcripts.listing import find_transcript

    encoder = RememberingEncoder(encoder_from_env())
    with open_store(ctx) as store, store.write_session() as s:
        tid = find_transcript(s, transcript).id if transcript else None
        made = run(s, encoder, coders=coders, transcript_id=tid)
    console.print(
        f"{counted(made.codings, 'stance suggestion')} ({made.first_on_theme} first on their "
        f"theme, the rest by {made.encoder} learned from {counted(made.examples, 'stance')} "
        "people set); set one with `innostudy code stance`",
        markup=False,
    )


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def stance_reliability(
    ctx: typer.Context,
    coders: ComparedCoders,
    transcript: TranscriptOpt = None,
    show: ShowOpt = 20,
) -> None:
    """Agreement between coders on stances: % agreement, kappa, alpha; per stance."""
    from innostudy.coding.stance_agreement import stance_agreement, stance_judgements
    from innostudy.model import Stance
    from innostudy.transcripts.listing import find_transcript

    two_coders(coders)
    with open_store(ctx) as store, store.session() as s:
        tid = find_transcript(s, transcript).id if transcript else None
        report = stance_agreement(*stance_judgements(s, coders, transcript_id=tid))
    console.print(
        f"Base: {counted(report.units, 'unit')} (turn and theme) with a stance from two or "
        f"more coders; {report.unfinished} coded by both with a stance missing, left out",
        markup=False,
    )
    console.print(
        f"agreement {_fmt(report.percent)}  kappa {_fmt(report.kappa)}  alpha {_fmt(report.alpha)}",
        markup=False,
    )
    console.print(
        "kappa per stance: " + ", ".join(f"{s.value} {_fmt(report.per_stance[s])}" for s in Stance),
        markup=False,
    )
    first, second = report.coders[:2]
    console.print(f"\n{first} (rows) by {second} (columns):", markup=False)
    console.print("          " + "".join(f"{s.value:>9}" for s in Stance), markup=False)
    for a in Stance:
        cells = "".join(f"{report.confusion.get((a, b), 0):>9}" for b in Stance)
        console.print(f"{a.value:<10}{cells}", markup=False)
    console.print(
        f"\n{counted(len(report.disagreements), 'unit')} with different stances"
        + (":" if show and report.disagreements else ""),
        markup=False,
    )
    for d in report.disagreements[:show]:
        given = "; ".join(f"{c}: {st.value}" for c, st in d.stances.items())
        console.print(f"  segment {d.segment_id} {d.code}: {given}", markup=False)


def register_into(code_app: typer.Typer) -> None:
    code_app.command("stance")(stance)
    code_app.command("suggest-stances")(suggest_stances)
    code_app.command("stance-reliability")(stance_reliability)
