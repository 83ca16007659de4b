"""What a voice sounds like, as a 256-number vector: Resemblyzer's speaker encoder.

The weights ship in the ``resemblyzer`` package (Apache-2.0, a GE2E speaker encoder:
three LSTM layers over 40-band mel power spectra of 1.6-second windows). We read only
its weights file and run the network here, because importing ``resemblyzer`` pulls in
librosa and webrtcvad (numba, and a C compiler on a fresh machine) for two small steps
that numpy and torch do as well. ``make`` installs the package with ``--no-deps``.

Two windows of one voice lie close together (cosine similarity around 0.8 and above);
different voices lie further apart, which is what the clustering in ``diarise`` uses.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from innostudy.errors import InnostudyError

SAMPLE_RATE = 16_000
N_FFT = 400  # 25 ms windows
HOP = 160  # 10 ms steps: 100 frames a second
N_MELS = 40
WINDOW_FRAMES = 160  # the 1.6-second windows the encoder was trained on
TARGET_DBFS = -30.0
PACKAGE = "resemblyzer"
WEIGHTS = "pretrained.pt"
INSTALL = "pip install --no-deps resemblyzer==0.1.4"

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VoiceModel:
    """The encoder and where its weights came from (recorded in every transcript)."""

    name: str
    sha256: str
    network: Any  # torch.nn.Module; torch is imported lazily

    def embed(self, mels: Floats, batch: int = 64) -> Floats:
        """(windows, 160, 40) mel windows → (windows, 256) unit vectors."""
        import torch

        out = []
        with torch.inference_mode():
            for i in range(0, len(mels), batch):
                out.append(self.network(torch.from_numpy(mels[i : i + batch])).numpy())
        if not out:
            return np.zeros((0, 256), dtype=np.float32)
        return np.concatenate(out).astype(np.float32)


def weights_path() -> Path:
    """The weights file inside the installed package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise InnostudyError(f"speaker separation needs Resemblyzer's voice encoder: {INSTALL}")
    path = Path(spec.origin).parent / WEIGHTS
    if not path.is_file():
        raise InnostudyError(f"{path}: the voice encoder's weights are missing; {INSTALL}")
    return path


@cache
def load_voice_model() -> VoiceModel:
    import torch

    path = weights_path()
    data = path.read_bytes()
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    state = {k: v for k, v in checkpoint["model_state"].items() if not k.startswith("similarity")}
    network = _encoder()
    network.load_state_dict(state)
    network.eval()
    return VoiceModel(f"{PACKAGE} {WEIGHTS}", hashlib.sha256(data).hexdigest(), network)


def _encoder() -> Any:
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = torch.nn.LSTM(N_MELS, 256, num_layers=3, batch_first=True)
            self.linear = torch.nn.Linear(256, 256)

        def forward(self, mels: torch.Tensor) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            embedding = torch.relu(self.linear(hidden[-1]))
            norm = torch.linalg.vector_norm(embedding, dim=1, keepdim=True).clamp(min=1e-8)
            unit: torch.Tensor = embedding / norm
            return unit

    return Encoder()


@cache
def mel_basis() -> Floats:
    """Triangular filters on the Slaney mel scale, area-normalised (librosa's default)."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    mel_points = np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2)
    hz_points = _mel_to_hz(mel_points)
    widths = np.diff(hz_points)
    ramps = hz_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (hz_points[2:] - hz_points[:-2]))[:, None]
    return weights.astype(np.float32)


def _hz_to_mel(hz: float | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log_part, linear)


def _mel_to_hz(mel: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    linear = mel * (200.0 / 3)
    log_part = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0))
    return np.where(mel >= 15.0, log_part, linear)


def mel_frames(samples: Floats) -> Floats:
    """16 kHz samples → (frames, 40) mel power, one frame every 10 ms, centred windows."""
    import torch

    if len(samples) == 0:
        return np.zeros((0, N_MELS), dtype=np.float32)
    spectrum = torch.stft(
        torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)),
        n_fft=N_FFT,
        hop_length=HOP,
        window=torch.hann_window(N_FFT),
        center=True,
        pad_mode="constant",
        return_complex=True,
    )
    power = spectrum.abs().square().numpy()
    mels: Floats = (mel_basis() @ power).T.astype(np.float32)
    return mels


def normalise_volume(samples: Floats) -> Floats:
    """Scale to -30 dBFS, as the encoder was trained: a voice far from the mic stays itself."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    if rms < 1e-6:
        return samples
    gain = 10 ** (TARGET_DBFS / 20) / rms
    return (samples * gain).astype(np.float32)
