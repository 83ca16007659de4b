"""`python -m innostudy` is the same as the `innostudy` command."""

from innostudy.cli.main import run

run()
