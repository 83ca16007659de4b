"""Personal survey links: where they point, and whether a respondent elsewhere can open them.

A link is the study's public base URL (``survey.base_url``) plus ``/s/<token>``. Without
one, links fall back to the address `innostudy serve` uses by default, which works only
on the computer running it; whoever writes such links is told so, with the fix.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from innostudy.config import Settings

LOCAL_BASE_URL = "http://127.0.0.1:8000"
SETTING = "survey.base_url"


@dataclass(frozen=True)
class LinkBase:
    url: str
    configured: bool  # survey.base_url is set
    public: bool  # a host other computers can reach (not loopback)

    def link(self, token: str) -> str:
        return f"{self.url}/s/{token}"

    def warning(self) -> str:
        """Why respondents may not open these links and how to fix it, or ''."""
        if self.public:
            return ""
        why = (
            "no public address is set for the study"
            if not self.configured
            else f"{SETTING} points to this computer"
        )
        return (
            f"survey links start with {self.url}, which opens only on the computer running "
            f"`innostudy serve` ({why}). Set the address respondents will use in study.toml, "
            f'under [survey]: base_url = "https://survey.example.org"; then give the '
            "organisations new links with `innostudy survey invite FILE --reissue`."
        )


def link_base(settings: Settings) -> LinkBase:
    configured = str(settings[SETTING]).strip().rstrip("/")
    url = configured or LOCAL_BASE_URL
    return LinkBase(url, bool(configured), not _local(url))


def _local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["LOCAL_BASE_URL", "LinkBase", "link_base"]
