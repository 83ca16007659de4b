from __future__ import annotations

import logging
from pathlib import Path

import lxml.etree
import pytest

from innostudy.web.charts import Bar, stacked_bars
from innostudy.web.logs import RedactTokens
from innostudy.web.security import FailureThrottle, csrf_token, csrf_valid
from innostudy.web.settings import load_web_settings, settings_fields

ROOT = Path(__file__).resolve().parents[2]


def test_every_web_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in settings_fields():
        assert f"`{name}`" in doc, f"{name} is missing from docs/settings.md"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOSTUDY_WEB_SECRET_KEY", "k" * 20 + "0123456789abcdef")
    monkeypatch.setenv("INNOSTUDY_WEB_SESSION_HOURS", "3")
    settings = load_web_settings()
    assert settings.session_hours == 3 and settings.cookies_secure and not settings.dev


def test_dev_mode_needs_no_secret_and_allows_plain_http() -> None:
    settings = load_web_settings(dev=True)
    assert len(settings.secret) == 32 and not settings.cookies_secure


def test_csrf_tokens_are_bound() -> None:
    token = csrf_token(b"k" * 32, "s:abc")
    assert csrf_valid(b"k" * 32, "s:abc", token)
    assert not csrf_valid(b"k" * 32, "s:abd", token)
    assert not csrf_valid(b"j" * 32, "s:abc", token)
    assert not csrf_valid(b"k" * 32, None, token)


def test_throttle_blocks_after_the_limit_and_forgets_after_the_window() -> None:
    now = [0.0]
    throttle = FailureThrottle(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.retry_after("ip") is None
        throttle.fail("ip")
    assert throttle.retry_after("ip") == 60
    assert throttle.retry_after("other") is None
    now[0] = 61.0
    assert throttle.retry_after("ip") is None


def test_access_logs_never_hold_a_survey_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s"',
        ("127.0.0.1", "GET", "/s/AbCdEfGh12345678_-x/p/2"),
        None,
    )
    RedactTokens().filter(record)
    assert record.getMessage() == '127.0.0.1 - "GET /s/…/p/2"'


def test_charts_are_valid_svg_with_escaped_labels() -> None:
    svg = stacked_bars(
        [Bar("<Agencies>", (3, 1, 2)), Bar("Councils", (0, 0, 4))],
        ("submitted", "draft", "not started"),
        title="T",
    )
    root = lxml.etree.fromstring(str(svg).encode())
    assert root.get("role") == "img"
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<Agencies>" in labels and "6" in labels and "4" in labels
    widths = [
        float(r.get("width"))
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.get("y") != "6"
    ]
    assert widths[0] / widths[1] == pytest.approx(3.0)  # submitted vs draft of the first bar
