"""Recordings in the formats people have: decoded to 16 kHz mono without an ffmpeg program."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from innostudy.errors import InputError
from innostudy.transcripts.audio.media import decode

RATE = 16_000
SECONDS = 6


def bursts() -> np.ndarray:
    """Six seconds: a tone that is on for half of each second, so timing errors show."""
    t = np.arange(RATE * SECONDS) / RATE
    on = (t % 1.0) < 0.5
    return (0.4 * np.sin(2 * np.pi * 440 * t) * on * 32767).astype(np.int16)


def envelope(samples: np.ndarray) -> np.ndarray:
    frames = samples[: len(samples) // 1600 * 1600].astype(np.float64).reshape(-1, 1600)
    return np.sqrt((frames**2).mean(axis=1))


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return path


def encode(path: Path, codec: str, rate: int, video: str | None = None) -> Path:
    """Write ``bursts()`` with PyAV, with a small black video track for video containers."""
    with av.open(str(path), "w") as out:
        audio = out.add_stream(codec, rate=rate, layout="mono")
        picture = out.add_stream(video, rate=5) if video else None
        if picture is not None:
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        frame = av.AudioFrame.from_ndarray(bursts()[None, :], format="s16", layout="mono")
        frame.rate = RATE
        resampler = av.AudioResampler(format=audio.format.name, layout="mono", rate=rate)
        for piece in resampler.resample(frame):
            out.mux(audio.encode(piece))
        out.mux(audio.encode(None))
        if picture is not None:
            for _ in range(SECONDS * 5):
                image = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
                out.mux(picture.encode(image))
            out.mux(picture.encode(None))
    return path


@pytest.mark.parametrize(
    ("name", "codec", "rate", "video"),
    [
        ("talk.mp3", "mp3", 44_100, None),
        ("talk.m4a", "aac", 44_100, None),
        ("talk.mp4", "aac", 48_000, "mpeg4"),
        ("talk.webm", "libopus", 48_000, "libvpx"),
        ("talk.ogg", "libopus", 48_000, None),
        ("talk.flac", "flac", 16_000, None),
    ],
)
def test_common_formats_decode_to_the_same_sound(
    tmp_path: Path, name: str, codec: str, rate: int, video: str | None
) -> None:
    audio = decode(encode(tmp_path / name, codec, rate, video))
    assert abs(audio.seconds - SECONDS) < 0.15
    heard, sent = envelope(audio.samples), envelope(bursts())
    n = min(len(heard), len(sent))
    assert np.corrcoef(heard[:n], sent[:n])[0, 1] > 0.95  # on when on, off when off


def test_a_wav_is_read_sample_for_sample(tmp_path: Path) -> None:
    audio = decode(write_wav(tmp_path / "talk.wav", bursts()))
    assert np.array_equal(audio.samples, bursts())
    assert audio.floats(1.0, 1.5).shape == (8000,)


def test_a_video_without_sound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "silent.mp4"
    with av.open(str(path), "w") as out:
        picture = out.add_stream("mpeg4", rate=5)
        picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5):
            out.mux(picture.encode(av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8))))
        out.mux(picture.encode(None))
    with pytest.raises(InputError) as caught:
        decode(path)
    assert str(caught.value) == f"{path}: has no sound track to transcribe"


def test_an_empty_wav_is_refused(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "empty.wav", np.zeros(0, dtype=np.int16))
    with pytest.raises(InputError) as caught:
        decode(path)
    assert str(caught.value) == f"{path}: holds no sound"


def test_a_cut_wav_is_refused_with_what_it_should_have_held(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "cut.wav", bursts())
    path.write_bytes(path.read_bytes()[: 44 + 2 * RATE * 2])  # header + two seconds
    with pytest.raises(InputError) as caught:
        decode(path)
    assert str(caught.value) == (
        f"{path}: truncated: the file says it holds 6.0 s of sound but only 2.0 s is there; "
        "copy the recording again from its source"
    )


def test_a_wav_whose_header_never_got_its_length_is_read(tmp_path: Path) -> None:
    """Recorders that crash leave a length of 0 or 0xFFFFFFFF: not a cut, just unknown."""
    path = write_wav(tmp_path / "open.wav", bursts())
    data = bytearray(path.read_bytes())
    data[40:44] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    assert abs(decode(path).seconds - SECONDS) < 0.01
