"""The demo's transcripts written the way real tools export them, so import is exercised.

Each focus group's session gets one of the formats a research team meets: a Teams and
a Zoom WebVTT export, a Word table, SubRip captions, an Otter.ai text export, and the
plain ``[hh:mm:ss] Name: text`` a transcriber types. All synthetic, labelled so.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from pathlib import Path

from innostudy.demo.dialogue import DemoTurn, render_plain
from innostudy.transcripts.timecodes import format_precise, format_timecode

SYNTHETIC_NOTE = "Synthetic demo transcript written by innostudy; nobody in it exists."
CUE_WORDS = 14
_NAMESPACE = uuid.UUID("6f1e2b4c-8d3a-4f5e-9a7b-1c2d3e4f5a6b")


def _cues(turn: DemoTurn) -> list[tuple[int, int, str]]:
    """A turn cut into caption-sized cues, times shared out by words."""
    words = turn.text.split()
    chunks = [words[i : i + CUE_WORDS] for i in range(0, len(words), CUE_WORDS)]
    for i in range(len(chunks) - 1, 0, -1):
        if chunks[i][0].endswith(":"):  # would read as a speaker label
            chunks[i - 1] += chunks.pop(i)
    span = max(1, turn.end_ms - turn.start_ms)
    cues, done = [], 0
    for chunk in chunks:
        start = turn.start_ms + span * done // len(words)
        done += len(chunk)
        cues.append((start, turn.start_ms + span * done // len(words), " ".join(chunk)))
    return cues


def render_teams_vtt(turns: list[DemoTurn], seed: str) -> str:
    meeting = uuid.uuid5(_NAMESPACE, seed)
    out = ["WEBVTT", "", "NOTE", SYNTHETIC_NOTE, ""]
    for n, turn in enumerate(turns, start=1):
        for k, (start, end, text) in enumerate(_cues(turn)):
            out += [
                f"{meeting}/{n}-{k}",
                f"{format_precise(start)} --> {format_precise(end)}",
                f"<v {turn.speaker}>{html.escape(text, quote=False)}</v>",
                "",
            ]
    return "\n".join(out)


def render_zoom_vtt(turns: list[DemoTurn], _seed: str) -> str:
    out = ["WEBVTT", "", f"NOTE {SYNTHETIC_NOTE}", ""]
    number = 0
    for turn in turns:
        for start, end, text in _cues(turn):
            number += 1
            out += [
                str(number),
                f"{format_precise(start)} --> {format_precise(end)}",
                f"{turn.speaker}: {html.escape(text, quote=False)}",
                "",
            ]
    return "\n".join(out)


def render_srt(turns: list[DemoTurn], _seed: str) -> str:
    """Captions name the speaker only when it changes, as captioners do."""
    out: list[str] = []
    number = 0
    for turn in turns:
        for k, (start, end, text) in enumerate(_cues(turn)):
            number += 1
            label = f"{turn.speaker}: " if k == 0 else ""
            out += [
                str(number),
                f"{format_precise(start, comma=True)} --> {format_precise(end, comma=True)}",
                label + text,
                "",
            ]
    return "\r\n".join(out)  # SubRip files usually come from Windows tools


def _otter_time(ms: int) -> str:
    """Otter's clock: ``0:02``, ``12:45``, ``1:02:07``."""
    hours, rest = divmod(ms // 1000, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def render_otter(turns: list[DemoTurn], _seed: str) -> str:
    out = []
    for turn in turns:
        out += [f"{turn.speaker}  {_otter_time(turn.start_ms)}", turn.text, ""]
    out.append("Transcribed by https://otter.ai (synthetic demo: imitates the layout only)")
    return "\n".join(out) + "\n"


def render_plain_text(turns: list[DemoTurn], _seed: str) -> str:
    return render_plain(turns)


def write_docx_table(path: Path, turns: list[DemoTurn]) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Focus group transcript (synthetic demo data)", level=1)
    document.core_properties.comments = SYNTHETIC_NOTE
    table = document.add_table(rows=1, cols=3)
    for cell, title in zip(table.rows[0].cells, ("Time", "Speaker", "Text"), strict=True):
        cell.text = title
    for turn in turns:
        cells = table.add_row().cells
        cells[0].text = format_timecode(turn.start_ms)
        cells[1].text = turn.speaker
        cells[2].text = turn.text
    document.save(str(path))


Writer = Callable[[list[DemoTurn], str], str]
# Session index → (file suffix, writer); the Word table is written by write_docx_table.
LAYOUTS: list[tuple[str, Writer | None]] = [
    (".vtt", render_teams_vtt),
    (".vtt", render_zoom_vtt),
    (".docx", None),
    (".srt", render_srt),
    (".txt", render_otter),
    (".txt", render_plain_text),
    (".txt", render_plain_text),
]


def write_transcript_file(folder: Path, stem: str, turns: list[DemoTurn], index: int) -> Path:
    suffix, writer = LAYOUTS[index % len(LAYOUTS)]
    path = folder / f"{stem}{suffix}"
    if writer is None:
        write_docx_table(path, turns)
    else:
        path.write_bytes(writer(turns, stem).encode("utf-8"))
    return path
