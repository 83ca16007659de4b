"""`innostudy code …` (coding in a study) and `innostudy autocode` (the fixed file contract)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from innostudy.cli.common import CODING, console, err_console, open_store, who
from innostudy.wording import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from innostudy.storage.store import StudyStore

code_app = typer.Typer(
    help="Qualitative coding: codebook, codings, suggestions, reliability, matrices, search.",
    no_args_is_help=True,
)

CoderOpt = Annotated[str, typer.Option("--coder", "-c", help="Your coder name.")]


@code_app.command("apply")
def apply(
    ctx: typer.Context,
    segment: Annotated[int, typer.Argument(help="Segment id (see `code list` or `code search`).")],
    code: Annotated[str, typer.Argument(help="Code key, e.g. barriers.culture.")],
    coder: CoderOpt,
    start: Annotated[
        int | None, typer.Option(help="Span start (code points; default: whole turn).")
    ] = None,
    end: Annotated[int | None, typer.Option(help="Span end, exclusive.")] = None,
    memo: Annotated[str, typer.Option(help="A memo on this coding.")] = "",
) -> None:
    """Apply a code to a segment (or a span of it) as a named coder."""
    from innostudy.coding.workflows import apply_by_ids

    with open_store(ctx) as store, store.write_session() as s:
        coding = apply_by_ids(s, segment, code, coder, start, end, memo)
        console.print(
            f"Coding {coding.id}: {code} on segment {segment} "
            f"[{coding.start}:{coding.end}] by {coder}"
        )


@code_app.command("list")
def list_(
    ctx: typer.Context,
    coder: Annotated[str | None, typer.Option("--coder", "-c", help="Only this coder.")] = None,
    code: Annotated[str | None, typer.Option(help="Only this code (and codes below it).")] = None,
    segment: Annotated[int | None, typer.Option(help="Only this segment.")] = None,
    status: Annotated[str | None, typer.Option(help="suggested, accepted or rejected.")] = None,
) -> None:
    """List codings with their span text, coder, status, confidence and memo."""
    from innostudy.coding.manual import list_codings
    from innostudy.coding.workflows import parse_status

    with open_store(ctx) as store, store.session() as s:
        rows = list_codings(
            s, coder=coder, code=code, segment_id=segment, status=parse_status(status)
        )
        for c in rows:
            conf = f" {c.confidence:.2f}" if c.confidence is not None else ""
            snippet = c.segment.text[c.start : c.end][:70]
            memo = f"  memo: {c.memo}" if c.memo else ""
            stance = f"  stance: {c.stance.label}" if c.stance else ""
            console.print(
                f"{c.id:>6}  seg {c.segment_id:<5} {c.code.key:<28} {c.coder.name:<12} "
                f"{c.status.value}{conf}  “{snippet}”{stance}{memo}",
                markup=False,
            )
        err_console.print(counted(len(rows), "coding"))


@code_app.command("remove")
def remove(
    ctx: typer.Context, coding: Annotated[int, typer.Argument(help="Coding id.")], coder: CoderOpt
) -> None:
    """Remove one of your own codings (audited)."""
    from innostudy.coding.manual import coder_named, coding_by_id, remove_coding, require_own

    with open_store(ctx) as store, store.write_session() as s:
        found = coding_by_id(s, coding)
        require_own(found, coder_named(s, coder))
        remove_coding(s, found, actor=coder)
    console.print(f"Removed coding {coding}")


@code_app.command("memo")
def memo(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A coding id, or a code key.")],
    text: Annotated[str, typer.Argument(help="The memo (replaces the old one).")],
    coder: CoderOpt,
) -> None:
    """Write a memo on a coding or on a code."""
    from innostudy.coding.workflows import write_memo

    with open_store(ctx) as store, store.write_session() as s:
        what = write_memo(s, target, text, coder)
    console.print(f"Memo saved on {what}")


@code_app.command("codebook")
def codebook(ctx: typer.Context) -> None:
    """Show the codebook as a tree with accepted codings per code."""
    from innostudy.coding.workflows import codebook_lines

    with open_store(ctx) as store, store.session() as s:
        for line in codebook_lines(s):
            console.print(line, markup=False)


@contextlib.contextmanager
def _codebook_change(store: StudyStore, command: str) -> Iterator[Session]:
    """A unit of work that changes codes, recorded as the codebook's next revision.

    Refused beside a stale or edited codebook.yaml (its edits would be overwritten); the
    folder's codebook.yaml shows the new revision afterwards.
    """
    from innostudy.coding.codebook_definition import codebook_changed
    from innostudy.definitions.folder import check_folder_file
    from innostudy.definitions.views import write_file

    check_folder_file(store, "codebook")
    with store.write_session() as s:
        yield s
        row = codebook_changed(s, actor=who(), source=f"innostudy {command}")
    if row is not None:
        path = write_file(store.folder, store.settings, row)
        err_console.print(f"Codebook revision {row.number}; {path.name} shows it", markup=False)


@code_app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(help="Dotted key; the parent is the part before the last dot.")
    ],
    name: Annotated[str, typer.Argument(help="Name shown to coders.")],
    description: Annotated[str, typer.Option(help="What the code captures.")] = "",
    include: Annotated[str, typer.Option(help="When to apply it.")] = "",
    exclude: Annotated[str, typer.Option(help="When not to (and what to use instead).")] = "",
    example: Annotated[
        list[str] | None, typer.Option(help="An example utterance (repeatable).")
    ] = None,
) -> None:
    """Add a code to the study's codebook."""
    from innostudy.coding.codebook_ops import add_code

    with open_store(ctx) as store, _codebook_change(store, f"code add {key}") as s:
        add_code(
            s,
            key,
            name,
            description=description,
            include=include,
            exclude=exclude,
            examples=example,
            actor="cli",
        )
    console.print(f"Added {key}")


@code_app.command("rename")
def rename(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The code's current key.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    new_key: Annotated[
        str | None, typer.Option("--key", help="New key (sub-codes follow).")
    ] = None,
) -> None:
    """Rename a code; its codings stay with it."""
    from innostudy.coding.codebook_ops import code_by_key, rename_code

    with open_store(ctx) as store, _codebook_change(store, f"code rename {key}") as s:
        code = rename_code(s, code_by_key(s, key), name=name, key=new_key, actor="cli")
        done = f"{key} is now {code.key} ({code.name})"
    console.print(done)


@code_app.command("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Code to fold away.")],
    target: Annotated[str, typer.Argument(help="Code that remains.")],
) -> None:
    """Merge one code into another; codings and quotes move to the one that remains."""
    from innostudy.coding.codebook_ops import code_by_key, merge_codes

    with open_store(ctx) as store, _codebook_change(store, f"code merge {source} {target}") as s:
        moved = merge_codes(s, code_by_key(s, source), code_by_key(s, target), actor="cli")
    console.print(f"Merged {source} into {target}: {counted(moved, 'coding')} moved")


@code_app.command("split")
def split(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Code to split.")],
    into: Annotated[list[str], typer.Option(help="A new code as KEY=NAME (repeatable).")],
    move: Annotated[
        list[str] | None, typer.Option(help="Move a coding: CODING_ID=KEY (repeatable).")
    ] = None,
) -> None:
    """Split a code into new ones beside it; named codings move, the rest stay."""
    from innostudy.coding.codebook_ops import code_by_key, split_code
    from innostudy.coding.workflows import parse_pairs

    new = [(k, v) for k, v in parse_pairs(into, "into")]
    moves = {int(k): v for k, v in parse_pairs(move or [], "move", int_keys=True)}
    with open_store(ctx) as store, _codebook_change(store, f"code split {source}") as s:
        made = split_code(s, code_by_key(s, source), new, moves, actor="cli")
        keys = [c.key for c in made]
    console.print(f"Split {source} into {', '.join(keys)}; {counted(len(moves), 'coding')} moved")


@code_app.command("suggest")
def suggest(
    ctx: typer.Context,
    transcript: Annotated[
        str | None, typer.Option(help="Only this transcript (id or name).")
    ] = None,
    min_words: Annotated[int, typer.Option(help="Skip turns shorter than this.")] = 8,
    by_sentence: Annotated[
        bool,
        typer.Option(
            "--by-sentence",
            help="Read long turns (40+ words) sentence by sentence; codes go on sentence spans.",
        ),
    ] = False,
) -> None:
    """Suggest codes for every uncoded turn, learning from accepted codings. Nothing is applied."""
    from innostudy.coding.auto.cache import RememberingEncoder
    from innostudy.coding.auto.embeddings import encoder_from_env
    from innostudy.coding.auto.suggest import SuggestRun, suggest_codes
    from innostudy.transcripts.listing import find_transcript

    encoder = RememberingEncoder(encoder_from_env())

    def run_in(s: Session) -> SuggestRun:
        tid = find_transcript(s, transcript).id if transcript else None
        return suggest_codes(
            s, encoder, transcript_id=tid, min_words=min_words, by_sentence=by_sentence
        )

    with open_store(ctx) as store:
        # The model run must not hold the write lock for minutes while the web app is
        # busy; a rerun under the lock reuses every vector the first run made.
        run = store.write_after_reading(run_in)
    if not run.suggested:
        console.print(f"No suggestions: {run.why_none}.", markup=False)
        return
    learned = (
        f"accepted codings weighed {run.weight:g}"
        if run.weight
        else "examples left zero-shot as is"
    )
    console.print(
        f"{counted(run.suggested, 'suggestion')} for {counted(run.segments, 'segment')} "
        f"({run.encoder}, learned from {counted(run.examples, 'accepted coding')}: {learned}); "
        "review them with `innostudy code review`"
    )


@code_app.command("review")
def review(
    ctx: typer.Context,
    coding: Annotated[int, typer.Argument(help="The suggestion's coding id.")],
    coder: CoderOpt,
    accept: Annotated[bool, typer.Option("--accept/--reject", help="Accept or reject it.")],
) -> None:
    """Accept or reject one suggestion as a person."""
    from innostudy.coding.manual import coder_named, coding_by_id, review_suggestion

    with open_store(ctx) as store, store.write_session() as s:
        made = review_suggestion(s, coding_by_id(s, coding), coder_named(s, coder), accept=accept)
    console.print(f"Accepted: your coding {made.id}" if made else f"Rejected suggestion {coding}")


@code_app.command("accept-all")
def accept_all(
    ctx: typer.Context,
    coder: CoderOpt,
    threshold: Annotated[
        float, typer.Option(help="Accept suggestions at or above this confidence (0-1].")
    ],
) -> None:
    """Bulk-accept suggestions above a confidence threshold, as the named person."""
    from innostudy.coding.auto.suggest import accept_above
    from innostudy.coding.manual import coder_named
    from innostudy.errors import InputError

    if not 0.0 < threshold <= 1.0:
        raise InputError("--threshold", None, "threshold", "must be above 0 and at most 1")
    with open_store(ctx) as store, store.write_session() as s:
        made = accept_above(s, coder_named(s, coder), threshold)
    console.print(
        f"Accepted {counted(len(made), 'suggestion')} with confidence ≥ {threshold} as {coder}"
    )


def register(app: typer.Typer) -> None:
    from innostudy.cli import coding_analysis, stances

    stances.register_into(code_app)
    coding_analysis.register_into(code_app)
    app.add_typer(code_app, name="code", rich_help_panel=CODING)
    # A callback-only sub-app (like `report`), so it lists under its panel in pipeline order.
    autocode_app = typer.Typer(invoke_without_command=True, add_completion=False)
    autocode_app.callback()(autocode)
    app.add_typer(autocode_app, name="autocode", rich_help_panel=CODING)


def autocode(
    codebook: Annotated[Path, typer.Option(help="Codebook YAML (study form or minimal form).")],
    input_: Annotated[Path, typer.Option("--input", help="Segments, JSON lines {id, text}.")],
    output: Annotated[
        Path, typer.Option(help="Where to write JSON lines {id, code, confidence, ranked}.")
    ],
    train: Annotated[
        Path | None, typer.Option(help="Labelled segments, JSON lines {id, text, code}.")
    ] = None,
) -> None:
    """Code segments against a codebook, offline (the fixed contract; see docs/autocode.md)."""
    from innostudy.coding.auto.contract import autocode as run
    from innostudy.coding.auto.embeddings import encoder_from_env

    count = run(codebook, input_, output, encoder_from_env(), train)
    err_console.print(f"Coded {counted(count, 'segment')} → {output}")
