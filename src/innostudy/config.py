"""Study settings: one table of name, type, default and help, read from ``study.toml``.

The table is the single source of truth: ``innostudy init`` writes it out with its help
text as comments, loading checks names and types against it, and a test fails when a
setting is missing from docs/settings.md.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innostudy.errors import ConfigError
from innostudy.textfiles import read_text

DATABASE_URL_ENV = "INNOSTUDY_DATABASE_URL"
STUDY_ENV = "INNOSTUDY_STUDY"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "study.name",
        str,
        "Innovation in public organisations",
        "Shown on the briefing and the report.",
    ),
    Setting(
        "study.organisation",
        str,
        "",
        "Who runs the study; shown on title pages and to respondents (survey start page, "
        "receipt, error pages).",
    ),
    Setting(
        "study.synthetic",
        bool,
        False,
        "Marks every output as synthetic demo data (set by `innostudy demo`).",
    ),
    Setting(
        "database.url",
        str,
        "",
        "SQLAlchemy URL of the database, without its password (see docs/team.md); empty "
        "means study.db in the study folder. "
        f"The environment variable {DATABASE_URL_ENV} and --database-url override it.",
    ),
    Setting(
        "survey.instrument",
        str,
        "instrument.yaml",
        "Where this folder shows the study's instrument (kept in the database), relative to "
        "the study folder.",
    ),
    Setting(
        "survey.base_url",
        str,
        "",
        "Public address of the web app (e.g. https://survey.example.org): the start of every "
        "personal survey link. Empty: links point to http://127.0.0.1:8000, which opens only "
        "on the computer running `innostudy serve`, and `survey invite` warns.",
    ),
    Setting(
        "survey.contact",
        str,
        "",
        "How respondents reach the study team: an e-mail address, a web address or a phone "
        "number; shown on every survey page, the receipt and error pages. Empty: none shown.",
    ),
    Setting(
        "survey.privacy_notice",
        str,
        "",
        "What happens to the answers (who sees them, how long they are kept, on what basis); "
        "shown on the survey's start page. Blank lines separate paragraphs. Empty: none shown.",
    ),
    Setting(
        "survey.privacy_url",
        str,
        "",
        "Address (https://…) of the full privacy notice, linked from the start page and the "
        "receipt.",
    ),
    Setting(
        "survey.minutes",
        int,
        0,
        "About how many minutes the survey takes (as measured in a pilot); shown on the start "
        "page. 0: no estimate is shown.",
    ),
    Setting(
        "analysis.stage_totals",
        str,
        "time_to_market = months_idea_to_approval + months_approval_to_pilot + "
        "months_pilot_to_rollout",
        "Which months questions are stages of which total ('TOTAL = STAGE + STAGE', several "
        "separated by ';'): responses whose stages add up to more than the total are "
        "counted and named by the analysis. Rules whose total is not in the instrument are "
        "skipped.",
    ),
    Setting(
        "coding.codebook",
        str,
        "codebook.yaml",
        "Where this folder shows the study's codebook (kept in the database), relative to the "
        "study folder.",
    ),
    Setting(
        "coding.main_coders",
        str,
        "",
        "Comma-separated names of the coders whose accepted codings are the study's main "
        "(agreed) coding, counted in matrices, comparisons and the report; anyone else who "
        "coded is a reliability coder, compared but never counted. Empty: everyone who "
        "coded, unless two of them coded the same transcript (then this must be set).",
    ),
    Setting(
        "fieldwork.group_types",
        str,
        "group_types.yaml",
        "Where this folder shows the focus-group types (kept in the database), relative to "
        "the study folder.",
    ),
    Setting(
        "fieldwork.areas",
        str,
        "areas.yaml",
        "Where this folder shows the study's areas with their discussion prompts (kept in the "
        "database), relative to the study folder.",
    ),
    Setting(
        "transcripts.redaction_words",
        str,
        "redaction_words.txt",
        "Optional word list redacted from transcripts besides registered names: one name or "
        "word a line, '[TAG] words' to choose the tag; relative to the study folder.",
    ),
    Setting(
        "report.dir", str, "report", "Where rendered reports go, relative to the study folder."
    ),
    Setting(
        "report.narrative",
        str,
        "narrative",
        "The report outline (a view of the database's) and the analyst's Markdown narrative, "
        "relative to the study folder.",
    ),
    Setting(
        "report.formats",
        str,
        "html,docx,pdf,md",
        "Formats `innostudy report` renders by default (comma-separated: html, docx, pdf, md).",
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
_TYPE_WORDS = {str: "str", bool: "bool", int: "a whole number"}


class Settings:
    """Validated settings of one study; unknown names and wrong types are refused on load."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values = {s.name: s.default for s in SETTINGS}
        for name, value in (values or {}).items():
            self._values[name] = value

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def with_values(self, **changes: Any) -> Settings:
        """Settings with some names changed; keyword names use '__' for '.'."""
        merged = self.as_dict()
        merged.update({k.replace("__", "."): v for k, v in changes.items()})
        return Settings(merged)

    @property
    def study_name(self) -> str:
        return str(self["study.name"])

    @property
    def synthetic(self) -> bool:
        return bool(self["study.synthetic"])

    @property
    def database_url(self) -> str:
        """The configured URL; the environment wins over the file."""
        return os.environ.get(DATABASE_URL_ENV) or str(self["database.url"])


def parse_settings(data: Mapping[str, Any], source: str) -> Settings:
    """Check a parsed study.toml against the table; errors name the file and setting."""
    values: dict[str, Any] = {}
    for section, body in data.items():
        if not isinstance(body, Mapping):
            raise ConfigError(f"{source}: '{section}' must be a [section], not a single value")
        for key, value in body.items():
            name = f"{section}.{key}"
            setting = SETTINGS_BY_NAME.get(name)
            if setting is None:
                raise ConfigError(f"{source}: unknown setting '{name}' (see docs/settings.md)")
            if not isinstance(value, setting.type) or (
                setting.type is int and isinstance(value, bool)
            ):
                raise ConfigError(
                    f"{source}: setting '{name}' must be {_TYPE_WORDS[setting.type]}, "
                    f"not {type(value).__name__}"
                )
            values[name] = value
    return Settings(values)


def load_settings(path: Path) -> Settings:
    if not path.exists():
        raise ConfigError(f"{path}: not found (is this a study folder? try `innostudy init`)")
    text = read_text(path).text
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_settings(data, str(path))


def render_settings(settings: Settings) -> str:
    """study.toml text: every setting, its help as a comment, non-defaults uncommented."""
    import tomli_w

    lines = ["# innostudy study settings. Every setting, with its default; see docs/settings.md."]
    current = ""
    for s in SETTINGS:
        if s.section != current:
            current = s.section
            lines += ["", f"[{current}]"]
        lines.append(f"# {s.help}")
        value = settings[s.name]
        line = tomli_w.dumps({s.key: value}).strip()
        lines.append(line if value != s.default or s.name == "study.name" else f"# {line}")
    return "\n".join(lines) + "\n"
