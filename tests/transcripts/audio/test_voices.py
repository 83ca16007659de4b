"""The speaker encoder: our mel features equal librosa's, and voices come out apart."""

from __future__ import annotations

import numpy as np

from innostudy.transcripts.audio import voices
from innostudy.transcripts.audio.media import decode
from tests.transcripts.audio.conftest import Recording

# Reference values printed by librosa 0.11 (what Resemblyzer computes its features with):
# filters.mel(sr=16000, n_fft=400, n_mels=40) and feature.melspectrogram of a 300 Hz sine.
LIBROSA_PEAKS = [2, 4, 6, 7, 9, 11, 13, 15, 17, 18, 20, 22, 24, 26, 28, 30, 32, 35, 38, 41,
                 44, 47, 51, 55, 59, 64, 69, 75, 80, 87, 94, 101, 109, 118, 127, 137, 148, 159,
                 172, 185]  # fmt: skip
LIBROSA_FIRST_ROW = [0.0, 0.00739021, 0.01240452, 0.00501431]
LIBROSA_SINE_FRAME_50 = [9.298338e-04, 3.0175332e-02, 2.1958618e01, 1.4407281e02, 3.7777756e01]


def test_the_mel_filters_are_librosas() -> None:
    basis = voices.mel_basis()
    assert basis.shape == (40, 201)
    assert basis.argmax(axis=1).tolist() == LIBROSA_PEAKS
    assert np.allclose(basis[0, :4], LIBROSA_FIRST_ROW, atol=1e-7)
    assert abs(float(basis.sum()) - 0.99949718) < 1e-5


def test_the_mel_frames_are_librosas() -> None:
    sine = np.sin(2 * np.pi * 300 * np.arange(16_000) / 16_000).astype(np.float32)
    frames = voices.mel_frames(sine)
    assert frames.shape == (101, 40)  # one every 10 ms, centred
    assert np.allclose(frames[50, :5], LIBROSA_SINE_FRAME_50, rtol=1e-4)


def test_a_voice_is_closer_to_itself_than_to_the_others(recording: Recording) -> None:
    model = voices.load_voice_model()
    audio = decode(recording.path)
    by_speaker: dict[str, list[np.ndarray]] = {}
    for line in recording.spoken:
        mel = voices.mel_frames(voices.normalise_volume(audio.floats(line.start, line.end)))
        windows = np.stack([mel[i : i + 160] for i in range(0, len(mel) - 160, 160)])
        by_speaker.setdefault(line.speaker, []).extend(model.embed(windows))
    centres = {
        who: np.mean(v, axis=0) / np.linalg.norm(np.mean(v, axis=0))
        for who, v in by_speaker.items()
    }
    for who, vectors in by_speaker.items():
        own = np.mean([v @ centres[who] for v in vectors])
        others = max(np.mean([v @ centres[o] for v in vectors]) for o in centres if o != who)
        assert own > others + 0.05, (who, own, others)
    assert len(model.sha256) == 64 and model.name == "resemblyzer pretrained.pt"


def test_volume_is_normalised_to_minus_30_dbfs() -> None:
    quiet = (0.001 * np.sin(np.arange(16_000) / 5)).astype(np.float32)
    loud = voices.normalise_volume(quiet)
    assert abs(10 * np.log10(np.mean(loud.astype(np.float64) ** 2)) + 30) < 0.01
    assert voices.normalise_volume(np.zeros(100, np.float32)).max() == 0
