"""Server settings, read from the environment (``INNOSTUDY_WEB_*``) by pydantic-settings.

Outside dev mode an empty, short or placeholder secret key is refused: it signs every
form's CSRF token, so a guessable one would make those tokens forgeable.
"""

from __future__ import annotations

import ipaddress
import secrets

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from innostudy.errors import ConfigError

ENV_PREFIX = "INNOSTUDY_WEB_"
MIN_SECRET_LENGTH = 32
# Said whenever the key is missing or weak: the exact steps, not only what is wrong.
HOW_TO_SET_SECRET = (
    "Create one with `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'` and "
    f"set it before serving, e.g. `export {ENV_PREFIX}SECRET_KEY=<the printed value>` "
    "(keep the same value across restarts); or try the app on this computer with "
    "`innostudy serve --dev`"
)
PLACEHOLDERS = frozenset(
    {
        "changethis",
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "password",
        "dev",
        "development",
        "test",
        "xxx",
        "todo",
        "placeholder",
        "please-change-me",
    }
)


class WebSettings(BaseSettings):
    """Every field is documented in docs/settings.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Signs CSRF tokens; at least 32 random characters "
        "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`).",
    )
    dev: bool = Field(
        default=False,
        description="Development mode: allows a missing secret (a random one per start) "
        "and cookies over plain HTTP. Only on a loopback address.",
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Mark cookies Secure (sent over HTTPS only). Default: on, except in dev mode.",
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="How long a login lasts.")
    token_failures: int = Field(
        default=10, ge=1, description="Wrong survey links one address may try per window."
    )
    login_failures: int = Field(
        default=5, ge=1, description="Failed logins per address, and per user name, per window."
    )
    throttle_minutes: int = Field(
        default=15, ge=1, description="The window for the two limits above, in minutes."
    )
    refresh_seconds: int = Field(
        default=5, ge=1, description="How often the dashboard refreshes itself."
    )
    threads: int = Field(
        default=4, ge=1, le=200, description="Worker threads for requests that use the database."
    )
    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
        "believed: addresses or networks, comma-separated (e.g. `127.0.0.1` or "
        "`10.0.0.0/8`). Default: none, so the client address is the connection's.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        for entry in proxy_list(value):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (list the proxy's address, "
                    "e.g. 127.0.0.1 or 10.0.0.0/8)"
                ) from None
        return value

    @model_validator(mode="after")
    def _check_secret(self) -> WebSettings:
        value = self.secret_key.get_secret_value()
        if self.dev:
            return self
        if not value:
            raise ValueError(f"{ENV_PREFIX}SECRET_KEY is not set. {HOW_TO_SET_SECRET}")
        if value.strip().lower() in PLACEHOLDERS or len(set(value)) < 8:
            raise ValueError(
                f"{ENV_PREFIX}SECRET_KEY is a placeholder; set a random value. {HOW_TO_SET_SECRET}"
            )
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"{ENV_PREFIX}SECRET_KEY is {len(value)} characters; at least "
                f"{MIN_SECRET_LENGTH} are needed. {HOW_TO_SET_SECRET}"
            )
        return self

    @property
    def secret(self) -> bytes:
        """The signing key (in dev mode without one: random, so it changes every start)."""
        value = self.secret_key.get_secret_value()
        return value.encode("utf-8") if value else _DEV_SECRET

    @property
    def cookies_secure(self) -> bool:
        return (not self.dev) if self.secure_cookies is None else self.secure_cookies

    @property
    def proxies(self) -> list[str]:
        return proxy_list(self.trusted_proxies)


def proxy_list(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(",") if entry.strip()]


_DEV_SECRET = secrets.token_bytes(32)


def load_web_settings(**overrides: object) -> WebSettings:
    """Settings from the environment (plus explicit overrides), or one clear ConfigError."""
    try:
        return WebSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        field = f"{ENV_PREFIX}{where.upper()}: " if where else ""
        raise ConfigError(f"web settings: {field}{message}") from None


def settings_fields() -> dict[str, str]:
    """Environment variable → help, for docs and the documentation test."""
    return {
        f"{ENV_PREFIX}{name.upper()}": field.description or ""
        for name, field in WebSettings.model_fields.items()
    }


__all__ = ["WebSettings", "load_web_settings", "settings_fields"]
