"""CSRF tokens, security headers, cookies and throttles for the web app.

CSRF: every unsafe request must carry ``csrf_token`` (form field) or ``X-CSRF-Token``
(header) equal to HMAC(secret, binding). The binding is what the visitor already holds
that an attacker's page cannot read: the survey token in the respondent's URL, the login
cookie of a signed-in person, or a random pre-login cookie on the login form. Requests
announcing another origin (``Origin`` or ``Sec-Fetch-Site: cross-site``) are refused too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
# The report preview is a whole document with its own <style>; it is served sandboxed
# (no scripts, an opaque origin) and may only be framed by our own pages.
REPORT_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; sandbox"
)


def csrf_token(secret: bytes, binding: str) -> str:
    return hmac.new(secret, f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, binding: str | None, sent: str | None) -> bool:
    if not binding or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, binding), sent)


def new_seed() -> str:
    return secrets.token_urlsafe(32)


def cookie_name(base: str, secure: bool) -> str:
    """``__Host-`` cookies are pinned to this host and path and must be Secure."""
    return f"__Host-{base}" if secure else base


class FailureThrottle:
    """Counts failures per key in a sliding window; blocks a key once it has too many.

    Only failures count (wrong survey links, wrong passwords), so people using the site
    normally are never slowed. Kept in memory: limits are per server process.
    """

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` may try again, or None if it is not blocked."""
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if len(times) < self.limit:
                return None
            return max(1, int(times[0] + self.window - now + 0.999))

    def fail(self, key: str) -> None:
        with self._lock:
            now = self._clock()
            self._recent(key, now).append(now)
            if len(self._failures) > 100_000:  # bound memory under a flood of keys
                for stale in [k for k, v in self._failures.items() if not v]:
                    del self._failures[stale]

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (a plain ASGI middleware).

    A response that set its own Content-Security-Policy (the report preview) keeps it.
    Pages are ``no-store``: survey pages hold answers and must not stay in shared caches.
    An exception nothing handled still gets the app's own page, with these headers,
    from ``on_error`` (Starlette's last-resort 500 is plain text without them); it is
    raised on so the server logs it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        hsts: bool,
        on_error: Callable[[Scope], ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.on_error = on_error
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in self.headers if h[0] not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                if b"cache-control" not in names:
                    value = b"public, max-age=3600" if static else b"no-store"
                    headers.append((b"cache-control", value))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started or self.on_error is None:
                raise
            await self.on_error(scope)(scope, receive, send_with_headers)
            raise
