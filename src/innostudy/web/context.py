"""What every request handler shares: settings, the study, templates, throttles."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from innostudy.model import Stance
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import Instrument
from innostudy.survey.instrument_definition import study_instrument
from innostudy.web.privacy import Privacy
from innostudy.web.reasons import reason_label, reason_text
from innostudy.web.security import FailureThrottle, cookie_name
from innostudy.web.settings import WebSettings
from innostudy.web.survey_views import AboutStudy, about_study
from innostudy.wording import counted


class InstrumentCache:
    """The study's instrument, read again when the database has a new revision of it
    (checked at most once a second, so a `survey instrument use` reaches every worker)."""

    CHECK_EVERY_S = 1.0

    def __init__(self, store: StudyStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._loaded: Instrument | None = None
        self._checked_at = float("-inf")

    def get(self) -> Instrument:
        now = time.monotonic()
        with self._lock:
            if self._loaded is not None and now - self._checked_at < self.CHECK_EVERY_S:
                return self._loaded
            # The store of a server never checks folder files; parsed instruments are cached
            # by content, so an unchanged revision costs one small query.
            self._loaded = study_instrument(self.store)
            self._checked_at = now
            return self._loaded


# The workbench's one-key stances; the buttons carry them, the script reads the buttons.
STANCE_KEYS = {"new": "n", "agree": "y", "disagree": "d", "qualify": "q"}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("innostudy.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship inside the package: checking their files on every render is waste.
        auto_reload=False,
    )
    env.filters["when"] = _when
    env.filters["percent"] = lambda v: "—" if v is None else f"{100 * v:.0f}%"
    env.filters["decimal"] = lambda v, n=2: "—" if v is None else f"{v:.{n}f}"
    env.filters["timecode"] = _timecode
    env.filters["counted"] = lambda n, noun: counted(int(n), noun)
    env.filters["reason_text"] = reason_text
    env.filters["reason_label"] = reason_label
    env.filters["stance_label"] = lambda v: Stance(v).label if v else "no stance"
    env.globals["stances"] = [s.value for s in Stance]
    env.globals["stance_keys"] = STANCE_KEYS
    return env


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")


def _timecode(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class WebContext:
    settings: WebSettings
    store: StudyStore
    owns_store: bool
    instruments: InstrumentCache
    env: jinja2.Environment = field(default_factory=_environment)
    about: AboutStudy = field(init=False)
    token_throttle: FailureThrottle = field(init=False)
    login_throttle: FailureThrottle = field(init=False)

    def __post_init__(self) -> None:
        self.about = about_study(self.store.settings)
        window = self.settings.throttle_minutes * 60
        self.token_throttle = FailureThrottle(self.settings.token_failures, window)
        self.login_throttle = FailureThrottle(self.settings.login_failures, window)

    @property
    def session_cookie(self) -> str:
        return cookie_name("innostudy_session", self.settings.cookies_secure)

    @property
    def seed_cookie(self) -> str:
        return cookie_name("innostudy_csrf", self.settings.cookies_secure)

    def instrument(self) -> Instrument:
        return self.instruments.get()

    def privacy(self, request: Request) -> Privacy:
        """The personal-data rule for whoever is looking at this page (web/privacy.py)."""
        return Privacy(self.store, getattr(request.state, "viewer", None))

    def render(
        self, request: Request, template: str, status_code: int = 200, **values: Any
    ) -> HTMLResponse:
        base = {
            "private": self.privacy(request),
            "request": request,
            "study_name": self.store.settings.study_name,
            "synthetic": self.store.settings.synthetic,
            "viewer": getattr(request.state, "viewer", None),
            "csrf_token": getattr(request.state, "csrf", ""),
            "refresh_seconds": self.settings.refresh_seconds,
            "about": self.about,
        }
        html = self.env.get_template(template).render({**base, **values})
        return HTMLResponse(html, status_code=status_code)

    def set_cookie(self, response: Any, name: str, value: str, *, max_age: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            secure=self.settings.cookies_secure,
            httponly=True,
            samesite="lax",
        )
