# Two commands matter: `make demo` and `make test` (see README.md). Everything else helps them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The model ships inside a PyPI package; nothing may reach for a model hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint format docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch is pinned in pyproject.toml (torch==2.13.0, the CPU wheel); never unpinned.
# resemblyzer only for its speaker-encoder weights: --no-deps, as its dependencies need a C
# compiler (webrtcvad) and librosa/numba, none of which innostudy uses (transcripts/audio/voices.py).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps resemblyzer==0.1.4
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/innostudy demo --force demo-study

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

docs: $(VENV)/.installed-dev
	$(BIN)/python -m innostudy.cli.reference > docs/cli-reference.md

test: lint
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) demo-study .pytest_cache .mypy_cache .ruff_cache
