"""Third-party progress bars stay out of innostudy's output (one showed in `demo`)."""

from __future__ import annotations

import pytest

from innostudy.coding.auto.embeddings import silence_progress_bars


def test_the_bar_model_loading_draws_is_switched_off(capfd: pytest.CaptureFixture[str]) -> None:
    # transformers draws "Loading weights" with its own tqdm (core_model_loading.py), the
    # one the switch turns off; huggingface_hub draws download bars with another.
    from huggingface_hub.utils import are_progress_bars_disabled, enable_progress_bars
    from transformers.utils import logging as transformers_logging

    transformers_logging.enable_progress_bar()
    enable_progress_bars()
    list(transformers_logging.tqdm(range(3), desc="Loading weights"))
    assert "Loading weights" in capfd.readouterr().err  # the premise: a bar is drawn
    silence_progress_bars()
    list(transformers_logging.tqdm(range(3), desc="Loading weights"))
    assert capfd.readouterr().err == ""
    assert are_progress_bars_disabled()
