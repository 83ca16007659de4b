"""docs/cli-reference.md, generated from the commands themselves (`make docs`; checked in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
import typer.main

from innostudy.cli.main import app

# Typer ships its own copy of click, so commands and parameters are duck-typed here
# rather than checked against the click package's classes.
Command = Any


def _walk(command: Command, path: list[str]) -> Iterator[tuple[list[str], Command]]:
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name])


def _root() -> Command:
    return typer.main.get_command(app)


def cli_reference() -> dict[str, str]:
    """Command path → its help text."""
    return {" ".join(["innostudy", *p]): (c.help or "") for p, c in _walk(_root(), [])}


def _param_row(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
        text = param.help or ""
        if param.envvar:
            text += f" (env: `{param.envvar}`)"
        if param.default not in (None, False, ()) and param.show_default is not False:
            text += f" (default: `{param.default}`)"
    else:
        names = f"`{(param.name or '').upper()}`"
        text = getattr(param, "help", "") or ""
    return f"| {names} | {' '.join(text.split())} |"


def render_markdown() -> str:
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands by `make docs`; a test fails when it is stale.",
        "",
    ]
    for path, command in _walk(_root(), []):
        ctx = typer.Context(command, info_name=" ".join(["innostudy", *path]))
        usage = " ".join([ctx.info_name or "", *command.collect_usage_pieces(ctx)])
        lines += [
            f"## {ctx.info_name}",
            "",
            " ".join((command.help or "").split()),
            "",
            "```",
            usage,
            "```",
            "",
        ]
        hidden = ("help", "install_completion", "show_completion")
        params = [p for p in command.params if p.name not in hidden]
        if params:
            lines += ["| option | meaning |", "| --- | --- |", *(_param_row(p) for p in params), ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
