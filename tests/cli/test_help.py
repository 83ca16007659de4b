from __future__ import annotations

import re
from pathlib import Path

from innostudy.cli.reference import cli_reference
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_the_pipeline_in_order(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    panels = re.findall(r"(\d) · ([A-Za-z ]+?)\s*─", result.stdout)
    numbers = [int(n) for n, _ in panels]
    assert numbers == sorted(numbers) and numbers[0] == 1


def test_every_command_has_help(cli: Cli) -> None:
    for name, text in cli_reference().items():
        assert text.strip(), f"{name} has no help"


def test_cli_reference_in_docs_is_current() -> None:
    from innostudy.cli.reference import render_markdown

    current = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert current == render_markdown(), "docs/cli-reference.md is stale: run `make docs`"


def test_python_dash_m_is_the_same_command(cli: Cli) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "innostudy", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == cli("--version").stdout.strip()
