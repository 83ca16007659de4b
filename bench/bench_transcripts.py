"""Transcript import speed: parsing each format, redaction, and a whole import into SQLite.

Synthetic input, built here: a 90-minute-style session of 2,000 turns (about 60,000
words) in every format, and 300 registered people. Prints one line per figure.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from innostudy.demo.dialogue import DemoTurn
from innostudy.demo.names import GIVEN_NAMES, SURNAMES
from innostudy.demo.transcript_files import (
    render_otter,
    render_plain_text,
    render_srt,
    render_teams_vtt,
    render_zoom_vtt,
    write_docx_table,
)
from innostudy.model import GroupSession
from innostudy.transcripts.formats import parse_transcript
from innostudy.transcripts.redaction import Redactor, name_terms

TURNS = 2_000
WORDS = [
    "budget",
    "approval",
    "pilot",
    "procurement",
    "team",
    "front",
    "line",
    "minister",
    "risk",
    "culture",
    "data",
]


def turns(rng: random.Random, people: list[str]) -> list[DemoTurn]:
    out, clock = [], 0
    for n in range(TURNS):
        speaker = people[n % 8] if n % 5 else "Facilitator"
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 50))]
        if n % 7 == 0:
            words.insert(3, rng.choice(people).split()[0])
        text = " ".join(words)
        out.append(DemoTurn(speaker, None, None, text, clock, clock + 400 * len(words)))
        clock += 400 * len(words) + 500
    return out


def timed(label: str, work: int, unit: str, fn) -> None:  # type: ignore[no-untyped-def]
    """Best of three, wall clock and CPU time (CPU is what to compare on a shared machine)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(
        f"{label:<34} {best * 1000:8.1f} ms   {work / best:12,.0f} {unit}/s   "
        f"CPU {best_cpu * 1000:7.1f} ms (best of 3)"
    )


def print_import(folder: Path, people: list[str]) -> None:
    """One whole import (parse, speakers, redaction, store) into a fresh SQLite study."""
    from innostudy.fieldwork.groups import PersonalDetails, add_group, add_participant
    from innostudy.fieldwork.sessions import add_session
    from innostudy.storage.store import StudyStore
    from innostudy.studies import init_study
    from innostudy.transcripts.importing import import_transcript

    study = init_study(folder / "study")
    with StudyStore.open(study) as store:
        with store.session() as s:
            group = add_group(s, "Bench", "cs_senior")
            for name in people:
                add_participant(s, group, personal=PersonalDetails(name))
            session_id = add_session(s, group).id
        start = time.perf_counter()
        with store.session() as s:
            transcript = import_transcript(
                s, folder / "teams.vtt", s.get_one(GroupSession, session_id)
            )
            segments = len(transcript.segments)
        took = time.perf_counter() - start
    print(f"{'import teams.vtt into SQLite':<34} {took * 1000:8.1f} ms   {segments:,} turns stored")


def main() -> None:
    rng = random.Random(7)
    people = [f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}" for _ in range(300)]
    session = turns(rng, people)
    words = sum(len(t.text.split()) for t in session)
    print(f"{TURNS} turns, {words:,} words, 300 registered people")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "teams.vtt": render_teams_vtt(session, "bench"),
            "zoom.vtt": render_zoom_vtt(session, "bench"),
            "captions.srt": render_srt(session, "bench"),
            "otter.txt": render_otter(session, "bench"),
            "plain.txt": render_plain_text(session, "bench"),
        }
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        write_docx_table(folder / "table.docx", session)
        for name in [*files, "table.docx"]:
            timed(f"parse {name}", words, "words", lambda n=name: parse_transcript(folder / n))
        print_import(folder, people)
    redactor = Redactor(name_terms(people))
    texts = [t.text for t in session]
    timed("redact (300 people)", words, "words", lambda: [redactor.redact(t) for t in texts])
    timed("build redactor (300 people)", 300, "people", lambda: Redactor(name_terms(people)))


if __name__ == "__main__":
    main()
