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


def test_set_setting_replaces_the_commented_default_and_keeps_every_other_line(
    tmp_path: Path,
) -> None:
    from innostudy.config import load_settings, set_setting

    path = tmp_path / "study.toml"
    path.write_text(render_settings(Settings()), encoding="utf-8")
    before = path.read_text(encoding="utf-8").splitlines()
    set_setting(path, "coding.main_coders", "ana, ben")
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('# main_coders = ""', 'main_coders = "ana, ben"')]
    assert load_settings(path)["coding.main_coders"] == "ana, ben"
    set_setting(path, "coding.main_coders", "ben")  # a written value is replaced in place
    assert path.read_text(encoding="utf-8").count("main_coders =") == 1
    assert load_settings(path)["coding.main_coders"] == "ben"


def test_set_setting_adds_a_missing_section_and_refuses_an_unknown_name(tmp_path: Path) -> None:
    import pytest

    from innostudy.config import load_settings, set_setting
    from innostudy.errors import ConfigError

    path = tmp_path / "study.toml"
    path.write_text('[study]\nname = "Small"', encoding="utf-8")  # no final newline
    set_setting(path, "coding.main_coders", "ana")
    assert path.read_text(encoding="utf-8") == (
        '[study]\nname = "Small"\n\n[coding]\nmain_coders = "ana"\n'
    )
    assert load_settings(path)["study.name"] == "Small"
    with pytest.raises(ConfigError, match=r"unknown setting 'coding\.colour'"):
        set_setting(path, "coding.colour", "red")
