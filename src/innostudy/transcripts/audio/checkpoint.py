"""What an interrupted transcription keeps: one file per finished chunk, whole or not at all.

A run writes ``plan.json`` (what is being transcribed, with which models, cut where) and
then ``chunk-NNNN.json`` as each chunk finishes. A later run with the same plan reads the
finished chunks back and goes on from the first missing one; a different plan (another
model, language or file) starts afresh. The folder is removed once the transcript is
stored; a dry run keeps it, so the real run after it costs nothing more.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from innostudy.transcripts.audio.diarise import Word

FORMAT = 1


@dataclass
class ChunkResult:
    words: list[Word]
    window_starts: list[float]
    vectors: npt.NDArray[np.float32]  # (windows, 256)

    def to_json(self) -> dict[str, Any]:
        return {
            "words": [[w.start, w.end, w.text] for w in self.words],
            "windows": self.window_starts,
            "vectors": base64.b64encode(self.vectors.astype(np.float16).tobytes()).decode(),
            "dimension": int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChunkResult:
        raw = np.frombuffer(base64.b64decode(data["vectors"]), dtype=np.float16)
        dimension = int(data["dimension"]) or 1
        return cls(
            [Word(float(a), float(b), str(t)) for a, b, t in data["words"]],
            [float(s) for s in data["windows"]],
            raw.astype(np.float32).reshape(-1, dimension),
        )


class Checkpoint:
    def __init__(self, folder: Path, plan: dict[str, Any]) -> None:
        self.folder = folder
        self.plan = {"format": FORMAT, **plan}
        if self._stored_plan() != self.plan:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / "plan.json", json.dumps(self.plan, indent=1))

    def _stored_plan(self) -> dict[str, Any] | None:
        try:
            stored: dict[str, Any] = json.loads((self.folder / "plan.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return stored

    def _path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:04d}.json"

    def load(self, index: int) -> ChunkResult | None:
        try:
            return ChunkResult.from_json(json.loads(self._path(index).read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: do that chunk again

    def save(self, index: int, result: ChunkResult) -> None:
        _write(self._path(index), json.dumps(result.to_json()))

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
