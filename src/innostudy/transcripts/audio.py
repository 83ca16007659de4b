"""Optional: transcribe a recording locally with faster-whisper (the ``audio`` extra).

Only a model already on this machine is used (a folder holding a CTranslate2 Whisper
model); nothing is downloaded, in keeping with "no study data leaves the machine".
Whisper does not tell speakers apart, so every turn comes in without a speaker, to be
mapped or split by a person. Not part of CI: the extra is not installed there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from innostudy.errors import InnostudyError, InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft

NO_MODEL = (
    "audio transcription needs a local faster-whisper model: pass --model FOLDER "
    "(a CTranslate2 Whisper model already on this machine; nothing is downloaded)"
)
NO_EXTRA = "audio transcription needs the optional 'audio' extra: pip install 'innostudy[audio]'"


def _load_model(model_path: Path) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise InnostudyError(NO_EXTRA) from None
    return WhisperModel(str(model_path), device="cpu", compute_type="int8", local_files_only=True)


def transcribe_audio(
    path: Path,
    model_path: Path | None,
    *,
    language: str | None = None,
    progress: Callable[[float], None] = lambda _seconds: None,
) -> TranscriptDraft:
    """Speech → timed turns without speakers; ``progress`` gets the seconds reached."""
    if model_path is None:
        raise InputError(path, None, None, NO_MODEL)
    if not (model_path / "model.bin").is_file():
        raise InputError(
            model_path, None, None, "not a faster-whisper model folder (no model.bin in it)"
        )
    if not path.is_file():
        raise InputError(path, None, None, "file not found")
    model = _load_model(model_path)
    segments, _info = model.transcribe(str(path), language=language)
    draft = TranscriptDraft(layout="audio")
    for number, seg in enumerate(segments, start=1):
        text = " ".join(str(seg.text).split())
        if text:
            draft.segments.append(
                SegmentDraft(None, text, number, round(seg.start * 1000), round(seg.end * 1000))
            )
        progress(float(seg.end))
    if not draft.segments:
        raise InputError(path, None, None, "no speech recognised")
    return draft
