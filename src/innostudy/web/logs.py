"""Server logs that never hold a survey token: the link is the respondent's key."""

from __future__ import annotations

import logging
import re
from typing import Any

_TOKEN_PATH = re.compile(r"/s/[A-Za-z0-9_-]{8,}")


class RedactTokens(logging.Filter):
    """Rewrites ``/s/<token>`` in access log lines to ``/s/…``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_PATH.sub("/s/…", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_PATH.sub("/s/…", record.msg)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["filters"] = {"redact_tokens": {"()": "innostudy.web.logs.RedactTokens"}}
    handlers = {k: {**v} for k, v in LOGGING_CONFIG["handlers"].items()}
    for handler in handlers.values():
        handler["filters"] = ["redact_tokens"]
    config["handlers"] = handlers
    return config
