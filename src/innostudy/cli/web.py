"""`innostudy serve` and `innostudy user …`: the web app and the people who sign in to it."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from innostudy.cli.common import WEB, console, open_store
from innostudy.config import DATABASE_URL_ENV, STUDY_ENV
from innostudy.errors import ConfigError

user_app = typer.Typer(
    help="Accounts for the web app (argon2 password hashes).", no_args_is_help=True
)

LOOPBACK = ("127.0.0.1", "localhost", "::1")


serve_app = typer.Typer(invoke_without_command=True)


@serve_app.callback()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Development mode (see INNOSTUDY_WEB_DEV); loopback only.")
    ] = False,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (survey tokens are masked).")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes (one per core helps; rate limits are then per process).",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Serve the survey form and the researchers' pages (settings: INNOSTUDY_WEB_*)."""
    import uvicorn

    from innostudy.web.app import create_app
    from innostudy.web.logs import uvicorn_log_config
    from innostudy.web.settings import load_web_settings

    settings = load_web_settings(**({"dev": True} if dev else {}))
    if settings.dev and host not in LOOPBACK:
        raise ConfigError(f"dev mode serves only a loopback address, not {host}")
    store = open_store(ctx)
    store.check_files = False  # a server serves the database's definitions, whatever the folder
    console.print(f"Serving {store.settings.study_name} on http://{host}:{port} (Ctrl+C stops)")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        # The app believes X-Forwarded-* only from INNOSTUDY_WEB_TRUSTED_PROXIES (app.py);
        # uvicorn's own handling would trust 127.0.0.1 by default.
        "proxy_headers": False,
        "log_config": uvicorn_log_config(),
        "access_log": access_log,
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(create_app(settings, store), **options)
        store.close()
        return
    # Each worker process opens the study itself, from the same folder and database.
    os.environ[STUDY_ENV] = str(store.folder)
    os.environ[DATABASE_URL_ENV] = store.engine.url.render_as_string(hide_password=False)
    if settings.dev:
        os.environ["INNOSTUDY_WEB_DEV"] = "1"
    store.close()
    uvicorn.run("innostudy.web.app:app_from_env", factory=True, workers=workers, **options)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name (a-z, 0-9, '.', '_', '-').")],
    role: Annotated[str, typer.Option(help="admin, researcher or coder.")] = "researcher",
    name: Annotated[str, typer.Option("--name", help="Full name shown in the app.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    claim_coder: Annotated[
        bool,
        typer.Option(
            "--claim-coder",
            help="This person already codes from the command line under this name: "
            "the account continues (and may change) that coder's codings.",
        ),
    ] = False,
) -> None:
    """Add a user; the password is asked twice (or read from stdin) and stored as argon2."""
    from innostudy.accounts import add_user, coder_clash, parse_role
    from innostudy.wording import counted

    chosen = parse_role(role)
    password = _password(password_stdin)
    with open_store(ctx) as store, store.write_session() as s:
        clash = coder_clash(s, username)
        user = add_user(s, username, password, chosen, display_name=name, claim_coder=claim_coder)
        console.print(f"Added {user.role.value} '{user.username}'")
        if clash is not None and clash.codings:
            console.print(
                f"  '{user.username}' continues the {counted(clash.codings, 'coding')} of "
                f"coder '{clash.coder.name}'",
                markup=False,
            )


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """List users with their role and whether they are disabled."""
    from innostudy.accounts import list_users

    with open_store(ctx) as store, store.session() as s:
        users = list_users(s)
        for u in users:
            state = "disabled" if u.disabled_at else "active"
            console.print(f"{u.username}\t{u.role.value}\t{state}\t{u.display_name}", markup=False)
        if not users:
            console.print("No users yet: add one with `innostudy user add NAME --role admin`.")


@user_app.command("disable")
def user_disable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Disable a user; their open sessions end at once."""
    from innostudy.accounts import require_user, set_disabled

    with open_store(ctx) as store, store.write_session() as s:
        set_disabled(s, require_user(s, username), True)
    console.print(f"Disabled '{username}'")


@user_app.command("enable")
def user_enable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled user again."""
    from innostudy.accounts import require_user, set_disabled

    with open_store(ctx) as store, store.write_session() as s:
        set_disabled(s, require_user(s, username), False)
    console.print(f"Enabled '{username}'")


@user_app.command("password")
def user_password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a new password; the user's open sessions end."""
    from innostudy.accounts import require_user, set_password

    with open_store(ctx) as store:
        with store.session() as s:
            require_user(s, username)
        password = _password(password_stdin)
        with store.write_session() as s:
            set_password(s, require_user(s, username), password)
    console.print(f"Password changed for '{username}'")


@user_app.command("role")
def user_role(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="admin, researcher or coder.")],
) -> None:
    """Change a user's role; their open sessions end."""
    from innostudy.accounts import parse_role, require_user, set_role

    chosen = parse_role(role, "ROLE")
    with open_store(ctx) as store, store.write_session() as s:
        set_role(s, require_user(s, username), chosen)
    console.print(f"'{username}' is now {chosen.value}")


def register(app: typer.Typer) -> None:
    # A group, not a plain command: typer lists commands before groups, and the help must
    # keep the pipeline's order (web app last).
    app.add_typer(serve_app, name="serve", rich_help_panel=WEB)
    app.add_typer(user_app, name="user", rich_help_panel=WEB)
