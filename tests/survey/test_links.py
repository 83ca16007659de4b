"""Where personal survey links point, and when the people writing them are warned."""

from __future__ import annotations

import pytest

from innostudy.config import Settings
from innostudy.survey.links import link_base


@pytest.mark.parametrize(
    ("setting", "url", "public", "why"),
    [
        ("", "http://127.0.0.1:8000", False, "no public address is set for the study"),
        ("http://localhost:8000/", "http://localhost:8000", False, "points to this computer"),
        ("http://[::1]:9000", "http://[::1]:9000", False, "points to this computer"),
        ("http://127.0.0.2", "http://127.0.0.2", False, "points to this computer"),
        ("https://survey.example.org/", "https://survey.example.org", True, ""),
        ("https://10.1.2.3/study", "https://10.1.2.3/study", True, ""),
    ],
)
def test_the_link_base_and_its_warning(setting: str, url: str, public: bool, why: str) -> None:
    base = link_base(Settings({"survey.base_url": setting}))
    assert (base.url, base.public) == (url, public)
    assert base.link("abc") == f"{url}/s/abc"
    assert (why in base.warning()) if why else base.warning() == ""
