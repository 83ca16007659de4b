"""Projects shaped like qc, NVivo for Mac, ATLAS.ti and MAXQDA exports: imported without
loss, every gap reported with counts, and exported again schema-valid with the same codes,
sources and codings."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
import xmlschema

from innostudy.exchange.refi.project import RefiProject
from innostudy.exchange.refi.reading import read_qdpx
from innostudy.model import Code, Coding, Transcript
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from tests.conftest import Cli
from tests.exchange.real_tools import (
    ATLAS_TEXT,
    MAXQDA_PARAGRAPHS,
    QC_INTERVIEW,
    Built,
    atlas_project,
    maxqda_project,
    nvivo_mac_project,
    qc_project,
)

SCHEMA = Path(__file__).parents[2] / "src/innostudy/exchange/refi/Project.xsd"
BUILDERS: dict[str, Callable[[Path], Built]] = {
    "qc": qc_project,
    "nvivo-mac": nvivo_mac_project,
    "atlas": atlas_project,
    "maxqda": maxqda_project,
}


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def _import(cli: Cli, tmp_path: Path, built: Built) -> tuple[Path, str]:
    study = init_study(tmp_path / "study")
    result = cli("--study", study, "import", "qdpx", built.path)
    assert result.exit_code == 0, result.stderr
    return study, result.stderr


def _counts(study: Path) -> tuple[int, int, int, list[str]]:
    with StudyStore.open(study) as store, store.session() as s:
        codes = s.scalar(sa.select(sa.func.count()).select_from(Code)) or 0
        codings = s.scalar(sa.select(sa.func.count()).select_from(Coding)) or 0
        names = list(s.scalars(sa.select(Transcript.name).order_by(Transcript.id)))
    return codes, codings, len(names), names


@pytest.mark.parametrize("tool", BUILDERS)
def test_nothing_is_lost_on_the_way_in(cli: Cli, tmp_path: Path, tool: str) -> None:
    built = BUILDERS[tool](tmp_path / f"{tool}.qdpx")
    study, _ = _import(cli, tmp_path, built)
    codes, codings, transcripts, names = _counts(study)
    assert (transcripts, codings) == (built.sources, built.codings)
    assert codes >= built.codes  # the study's default codebook is kept beside them
    if built.names:
        assert names == built.names


@pytest.mark.parametrize("tool", BUILDERS)
def test_the_round_trip_keeps_codes_sources_and_codings_and_validates(
    cli: Cli, tmp_path: Path, tool: str, schema: xmlschema.XMLSchema
) -> None:
    built = BUILDERS[tool](tmp_path / f"{tool}.qdpx")
    original = read_qdpx(built.path)
    study, _ = _import(cli, tmp_path, built)
    out = tmp_path / "again.qdpx"
    result = cli("--study", study, "export", "qdpx", out)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        schema.validate(z.read("project.qde").decode("utf-8"))
    again = read_qdpx(out)
    names = {c.name for c, _ in again.walk_codes()}
    assert {c.name for c, _ in original.walk_codes()} <= names
    assert len(again.sources) == built.sources
    assert sum(len(sel.codings) for s in again.sources for sel in s.selections) == built.codings
    assert _coded(again) == _coded(original)


def _coded(project: RefiProject) -> Counter[str]:
    """How many codings each coded text carries (white space aside: the export lays out
    turns as paragraphs, so a wrapped line becomes one)."""
    out: Counter[str] = Counter()
    for source in project.sources:
        for sel in source.selections:
            out[" ".join(source.text[sel.start : sel.end].split())] += len(sel.codings)
    return out


def test_qc_bare_file_names_and_wrapped_labels(cli: Cli, tmp_path: Path) -> None:
    study, err = _import(cli, tmp_path, qc_project(tmp_path / "qc.qdpx"))
    assert "outside the archive" not in err
    with StudyStore.open(study) as store, store.session() as s:
        interview = s.scalars(sa.select(Transcript).where(Transcript.name == "interview-1")).one()
        labels = [seg.speaker.label if seg.speaker else None for seg in interview.segments]
        coded = sorted(c.segment.text[c.start : c.end] for c in s.scalars(sa.select(Coding)))
    assert labels == ["Automation", "Noor Haddad", "P07", "Noor Haddad", "P07"]
    assert "the budget \ncomes up every time" in QC_INTERVIEW
    assert coded == sorted(
        [
            "Can I get your verbal consent",
            "I chair it.",
            "the budget \ncomes up every time",
            "the budget \ncomes up every time",
            "Under budget, for once.",
        ]
    )


def test_empty_sources_are_kept_and_said_so(cli: Cli, tmp_path: Path) -> None:
    study, err = _import(cli, tmp_path, nvivo_mac_project(tmp_path / "mac.qdpx"))
    assert err.count("is empty; kept as an empty transcript") == 2
    with StudyStore.open(study) as store, store.session() as s:
        transcripts = s.scalars(sa.select(Transcript)).all()
        assert [len(t.segments) for t in transcripts] == [0, 0]


def test_atlas_project_file_and_a_path_from_the_archive_root(cli: Cli, tmp_path: Path) -> None:
    study, _ = _import(cli, tmp_path, atlas_project(tmp_path / "atlas.qdpx"))
    with StudyStore.open(study) as store, store.session() as s:
        coded = sorted(c.segment.text[c.start : c.end] for c in s.scalars(sa.select(Coding)))
    assert coded == ["From a resident who kept ringing about potholes.", "We used a small grant."]
    assert "P03" in ATLAS_TEXT


def test_rich_text_stands_in_for_missing_plain_text(cli: Cli, tmp_path: Path) -> None:
    study, err = _import(cli, tmp_path, maxqda_project(tmp_path / "maxqda.qdpx"))
    assert (
        "source 'FG4 transcript' has no plain text; its rich text "
        "(internal://5A0E2C1B-7D3F-4E5A-9B8C-1D2E3F4A5B6C.docx) was read instead, and its "
        "2 selections may sit a little off"
    ) in err
    with StudyStore.open(study) as store, store.session() as s:
        t = s.scalars(sa.select(Transcript)).one()
        assert len(t.segments) == len(MAXQDA_PARAGRAPHS)
        coded = sorted(c.segment.text[c.start : c.end] for c in s.scalars(sa.select(Coding)))
    assert coded == ["Procurement rules", "The business case."]


def test_a_source_outside_the_archive_is_counted(cli: Cli, tmp_path: Path) -> None:
    built = atlas_project(tmp_path / "atlas.qdpx")
    with zipfile.ZipFile(built.path) as z:
        qde = z.read("Potholes app.qde").decode()
    moved = tmp_path / "moved.qdpx"
    with zipfile.ZipFile(moved, "w") as z:
        z.writestr(
            "project.qde",
            qde.replace('plainTextPath="/sources/', 'plainTextPath="C:/Users/nh/Documents/'),
        )
    study, err = _import(cli, tmp_path, Built(moved, 2, 0, 0, 0))
    assert (
        "Warning: source 'Interview P03' points outside the archive "
        "(C:/Users/nh/Documents/437477F4-4326-4D8A-94FA-0A1B2C3D4E5F.txt); not imported, nor "
        "its 2 selections and 2 codings"
    ) in err
    assert _counts(study)[1:3] == (0, 0)


def test_a_dry_run_reports_everything_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    study = init_study(tmp_path / "study")
    built = qc_project(tmp_path / "qc.qdpx")
    codebook = (study / "codebook.yaml").read_text(encoding="utf-8")
    before = _counts(study)
    result = cli("--study", study, "import", "qdpx", built.path, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "Dry run of qc.qdpx: nothing is stored. It holds 4 codes, 4 new codes, 2 sources, "
        "9 turns, 5 codings,"
    )
    assert _counts(study) == before
    assert (study / "codebook.yaml").read_text(encoding="utf-8") == codebook
    assert cli("--study", study, "import", "qdpx", built.path).exit_code == 0  # not "already"
