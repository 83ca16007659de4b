from __future__ import annotations

import tomllib
from pathlib import Path

from innostudy.config import SETTINGS, Settings, parse_settings, render_settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.name}`" in doc, f"{s.name} is missing from docs/settings.md"


def test_rendered_settings_read_back_unchanged() -> None:
    settings = Settings().with_values(study__name="Ünïcode study", study__synthetic=True)
    parsed = parse_settings(tomllib.loads(render_settings(settings)), "study.toml")
    assert parsed.as_dict() == settings.as_dict()


def test_the_environment_overrides_the_database_url(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INNOSTUDY_DATABASE_URL", "postgresql://x@h/db")
    assert Settings().database_url == "postgresql://x@h/db"
