"""A recording → timed, speaker-separated turns, in chunks that survive an interruption.

    decode (whole file, refused early if damaged) ─► cut into ~2-minute chunks at pauses
      ─► per chunk: Whisper words with times (VAD on) + voice vectors of windows
           (saved as soon as the chunk is done) ─► all chunks: N voices, one per word
      ─► turns S1…Sn

Windows are cut from the decoded recording by the words' own times, never from
silence-trimmed audio, so a window always holds the words it is said to hold.
"""

from __future__ import annotations

import importlib.metadata
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from innostudy.errors import InnostudyError
from innostudy.fieldwork.recordings import sha256_of
from innostudy.transcripts.audio import diarise, voices
from innostudy.transcripts.audio.checkpoint import Checkpoint, ChunkResult
from innostudy.transcripts.audio.media import SAMPLE_RATE, Audio, decode
from innostudy.transcripts.audio.models import (
    DEFAULT_MODEL,
    ModelFiles,
    WhisperBundle,
    bundle,
    model_files,
)
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft

CHUNK_SECONDS = 120.0
_SEARCH = 15.0  # look this far either side of a chunk's nominal end for a pause
_QUIET = 0.3  # the length of quiet a cut is put in the middle of

Progress = Callable[[float, float], None]  # (seconds of the recording done, total)


@dataclass(frozen=True)
class Options:
    speakers: int
    model: str = DEFAULT_MODEL
    language: str | None = "en"
    threads: int = 2
    chunk_seconds: float = CHUNK_SECONDS


@dataclass
class Transcription:
    draft: TranscriptDraft
    details: dict[str, Any]  # what made it: kept with the import batch
    chunks: int
    resumed: int
    checkpoint: Checkpoint = field(repr=False)


def transcribe(
    path: Path, options: Options, workdir: Path, progress: Progress = lambda _d, _t: None
) -> Transcription:
    """Transcribe ``path``; finished chunks are kept under ``workdir`` until discarded."""
    if options.speakers < 1:
        raise InnostudyError("--speakers must be at least 1")
    language = _language(bundle(options.model), options.language)  # before the slow parts
    audio = decode(path)
    files = model_files(options.model)
    voice = voices.load_voice_model()
    digest = sha256_of(path)
    cuts = plan_chunks(audio, options.chunk_seconds)
    checkpoint = Checkpoint(
        workdir / f"{digest[:16]}-{options.model}-{language or 'auto'}",
        {
            "recording_sha256": digest,
            "model_sha256": files.sha256,
            "voice_sha256": voice.sha256,
            "language": language,
            "chunks": [list(c) for c in cuts],
        },
    )
    model = files.describe()
    runner = _ChunkRunner(files, voice, audio, language, options.threads)
    del files  # the runner frees the weights' bytes once CTranslate2 holds them
    results, resumed = [], 0
    progress(0.0, audio.seconds)
    for index, (start, end) in enumerate(cuts):
        result = checkpoint.load(index)
        if result is None:
            result = runner.run(start, end)
            checkpoint.save(index, result)
        else:
            resumed += 1
        results.append(result)
        progress(end, audio.seconds)
    draft = _draft(results, options.speakers)
    details = {
        "recording": {"file": path.name, "sha256": digest, "seconds": round(audio.seconds, 2)},
        "model": model,
        "voice_model": {"name": voice.name, "sha256": voice.sha256},
        "engine": f"faster-whisper {importlib.metadata.version('faster-whisper')}",
        "language": language,
        "speakers": options.speakers,
        "chunks": len(cuts),
    }
    return Transcription(draft, details, len(cuts), resumed, checkpoint)


def _language(chosen: WhisperBundle, wanted: str | None) -> str | None:
    if chosen.english_only and wanted not in (None, "en"):
        raise InnostudyError(
            f"{chosen.name} understands English only; for {wanted!r} use --model base"
        )
    return "en" if chosen.english_only else wanted


class _ChunkRunner:
    """Loads Whisper only when a chunk actually has to be heard (not when all are kept)."""

    def __init__(
        self,
        files: ModelFiles,
        voice: voices.VoiceModel,
        audio: Audio,
        language: str | None,
        threads: int,
    ) -> None:
        self.files: ModelFiles | None = files
        self.voice, self.audio = voice, audio
        self.language, self.threads = language, threads
        self._whisper: Any = None

    def run(self, start: float, end: float) -> ChunkResult:
        import ctranslate2

        if self._whisper is None:
            assert self.files is not None
            self._whisper = self.files.load(self.threads)
            self.files = None
        ctranslate2.set_random_seed(0)  # temperature fallback samples: same file, same words
        segments, _info = self._whisper.transcribe(
            self.audio.floats(start, end),
            language=self.language,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=True,
        )
        words = [
            diarise.Word(round(start + w.start, 3), round(start + w.end, 3), str(w.word))
            for s in segments
            for w in s.words or []
            if str(w.word).strip()
        ]
        starts = diarise.window_starts(words)
        return ChunkResult(words, starts, self._vectors(starts))

    def _vectors(self, starts: list[float]) -> npt.NDArray[np.float32]:
        frames = voices.WINDOW_FRAMES
        mels = np.zeros((len(starts), frames, voices.N_MELS), dtype=np.float32)
        for i, s in enumerate(starts):
            piece = voices.normalise_volume(self.audio.floats(s, s + diarise.WINDOW))
            mel = voices.mel_frames(piece)[:frames]
            mels[i, : len(mel)] = mel
        return self.voice.embed(mels)


def plan_chunks(audio: Audio, target: float) -> list[tuple[float, float]]:
    """Cut points about every ``target`` seconds, each in the quietest moment nearby."""
    total = audio.seconds
    search = min(_SEARCH, target / 4)
    if total <= target + search:
        return [(0.0, round(total, 3))]
    hop = SAMPLE_RATE // 100
    frames = audio.samples[: len(audio.samples) // hop * hop].reshape(-1, hop).astype(np.float32)
    energy = np.sqrt(np.mean(frames**2, axis=1))
    quiet = int(_QUIET * 100)
    smooth = np.convolve(energy, np.ones(quiet) / quiet, mode="same")
    cuts, last = [0.0], 0.0
    while total - last > target + search:
        lo, hi = int((last + target - search) * 100), int((last + target + search) * 100)
        last = (lo + int(np.argmin(smooth[lo:hi]))) / 100
        cuts.append(last)
    cuts.append(round(total, 3))
    return list(itertools.pairwise(cuts))


def _draft(results: list[ChunkResult], speakers: int) -> TranscriptDraft:
    words = [w for r in results for w in r.words]
    if not words:
        raise InnostudyError("no speech was recognised in the recording")
    starts = [s for r in results for s in r.window_starts]
    vectors = np.concatenate([r.vectors for r in results if len(r.vectors)])
    labels = diarise.speaker_labels(diarise.assign(words, starts, vectors, speakers))
    draft = TranscriptDraft(layout="audio")
    first = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or labels[i] != labels[first]:
            turn = words[first:i]
            text = " ".join("".join(w.text for w in turn).split())
            draft.segments.append(
                SegmentDraft(
                    labels[first],
                    text,
                    len(draft.segments) + 1,
                    round(turn[0].start * 1000),
                    round(turn[-1].end * 1000),
                )
            )
            first = i
    return draft
