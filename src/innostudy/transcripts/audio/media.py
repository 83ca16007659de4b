"""Any recording (WAV, MP3, M4A, MP4, WebM, Ogg, FLAC) → 16 kHz mono samples.

PyAV (FFmpeg's libraries, inside its wheel) decodes, so no ffmpeg program is needed.
A file that is not audio, has no sound track, or stops before its header says it ends is
refused with one line, before any work is done: a truncated recording would otherwise
come back as a transcript that silently ends early.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from innostudy.errors import InputError

SAMPLE_RATE = 16_000
_TOLERANCE = 0.5  # seconds a declared duration may differ from what decodes


@dataclass(frozen=True)
class Audio:
    samples: npt.NDArray[np.int16]  # int16 keeps a 90-minute recording at 170 MB

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def floats(self, start: float = 0.0, end: float | None = None) -> npt.NDArray[np.float32]:
        """A slice by time, as float samples in [-1, 1)."""
        first = max(0, round(start * SAMPLE_RATE))
        last = (
            len(self.samples) if end is None else min(len(self.samples), round(end * SAMPLE_RATE))
        )
        return self.samples[first:last].astype(np.float32) / 32768.0


def decode(path: Path) -> Audio:
    """Decode the first sound track of ``path`` or raise a one-line ``InputError``."""
    import av

    if not path.is_file():
        raise InputError(path, None, None, "file not found")
    _check_wav_header(path)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise InputError(path, None, None, "has no sound track to transcribe")
            stream = container.streams.audio[0]
            declared = _declared_seconds(container, stream)
            samples = _read(container, stream)
    except av.FFmpegError as exc:
        raise InputError(
            path,
            None,
            None,
            f"not a recording this tool can read, or a damaged one ({_reason(exc)})",
        ) from None
    audio = Audio(samples)
    if audio.seconds == 0:
        raise InputError(path, None, None, "holds no sound")
    if declared is not None and audio.seconds < declared - _TOLERANCE:
        raise _truncated(path, declared, audio.seconds)
    return audio


def _read(container: object, stream: object) -> npt.NDArray[np.int16]:
    import av

    assert isinstance(container, av.container.InputContainer)
    assert isinstance(stream, av.AudioStream)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    pieces: list[npt.NDArray[np.int16]] = []
    for frame in container.decode(stream):
        for out in resampler.resample(frame):
            pieces.append(out.to_ndarray().reshape(-1).astype(np.int16, copy=False))
    for out in resampler.resample(None):
        pieces.append(out.to_ndarray().reshape(-1).astype(np.int16, copy=False))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)


def _declared_seconds(container: object, stream: object) -> float | None:
    import av

    assert isinstance(container, av.container.InputContainer)
    assert isinstance(stream, av.AudioStream)
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _check_wav_header(path: Path) -> None:
    """FFmpeg reads a cut WAV as a shorter one; its header still says how long it was."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return
    size = path.stat().st_size
    pos, rate_bytes = 12, 0
    while pos + 8 <= len(head):
        chunk, length = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if chunk == b"fmt " and pos + 20 <= len(head):
            rate_bytes = struct.unpack("<I", head[pos + 16 : pos + 20])[0]
        if chunk == b"data":
            promised = pos + 8 + length
            if length not in (0, 0xFFFFFFFF) and size < promised and rate_bytes:
                held = max(0, size - pos - 8)
                raise _truncated(path, length / rate_bytes, held / rate_bytes)
            return
        pos += 8 + length + (length & 1)


def _truncated(path: Path, declared: float, held: float) -> InputError:
    return InputError(
        path,
        None,
        None,
        f"truncated: the file says it holds {declared:.1f} s of sound but only {held:.1f} s "
        "is there; copy the recording again from its source",
    )


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).rstrip(".").lower()
