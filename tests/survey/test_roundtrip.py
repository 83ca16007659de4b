"""Any valid set of responses survives export → import unchanged (CSV, XLSX and SPSS)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innostudy.model import Organisation, Response, ResponseRevision, ResponseSource, ResponseStatus
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.survey.answers import validate_answers
from innostudy.survey.exporting import export_responses
from innostudy.survey.importing import ImportOptions, import_responses
from innostudy.survey.instrument import Instrument, load_instrument
from innostudy.survey.organisations import add_organisation
from innostudy.survey.responses import Provenance, record_answers
from tests.survey.conftest import fixture, use_fixture_instrument

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _text(fmt: str, *, multiline: bool) -> st.SearchStrategy[str]:
    """Text a respondent might type; XLSX holds no control characters, SPSS no trailing blanks."""
    banned = "\x00" if fmt == "csv" else "".join(map(chr, range(32))) + "\ufffe\uffff"
    alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters=banned)
    pieces = st.lists(st.text(alphabet, min_size=1, max_size=12), min_size=1, max_size=4)
    joiner = "\n" if multiline and fmt != "xlsx" else " "
    text = pieces.map(joiner.join)
    if fmt == "sav":
        text = text.map(str.rstrip).filter(bool)
    return text


@st.composite
def responses(draw: st.DrawFn, instrument: Instrument, fmt: str) -> dict[str, Any]:
    """One valid response (submitted or draft) to the pilot instrument."""
    q = instrument.question
    a: dict[str, Any] = {
        "title": draw(_text(fmt, multiline=False).filter(lambda t: len(t) <= 80)),
        "category": draw(st.sampled_from(q("category").choice_values)),
        "cost": draw(st.sampled_from(q("cost").choice_values)),
        "origin": sorted(
            draw(st.sets(st.sampled_from(q("origin").choice_values), min_size=1)),
            key=q("origin").choice_values.index,
        ),
        "impacts": {
            "service": draw(st.sampled_from(q("overall").choice_values)),
            "costs": draw(st.sampled_from(q("overall").choice_values)),
        },
        "overall": draw(st.sampled_from(q("overall").choice_values)),
    }
    if a["category"] == "other":
        a["category_other"] = draw(_text(fmt, multiline=False))
    optional = {
        "summary": _text(fmt, multiline=True),
        "completed": st.dates(date(2015, 1, 1), date(2030, 12, 31)).map(str),
        "months": st.integers(0, 120),
        "staff": st.integers(1, 1000),
        # typed numbers: XLSX keeps 16 significant digits, not all 17 of a double
        "share": st.floats(0, 100).map(lambda f: round(f, 4)).filter(lambda f: not f.is_integer()),
        "barriers": st.lists(
            st.sampled_from(q("barriers").choice_values), min_size=1, max_size=3, unique=True
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            a[key] = draw(strategy)
    if draw(st.booleans()) and draw(st.booleans()):  # a quarter are drafts: fewer answers
        for key in draw(st.sets(st.sampled_from(["cost", "origin", "impacts", "overall"]))):
            a.pop(key, None)
        return {"status": "draft", "answers": a}
    return {"status": "submitted", "answers": a}


@pytest.fixture(scope="module")
def studies(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StudyStore, StudyStore, Instrument]]:
    root = tmp_path_factory.mktemp("roundtrip")
    source = init_study(root / "source")
    use_fixture_instrument(source, fixture("pilot_instrument.yaml"))
    target = root / "target"
    shutil.copytree(source, target)
    with StudyStore.open(source) as a, StudyStore.open(target) as b:
        yield a, b, load_instrument(source / "instrument.yaml")


def _empty(store: StudyStore) -> None:
    with store.session() as s:
        for table in (ResponseRevision, Response, Organisation):
            s.execute(sa.delete(table))


def _stored(store: StudyStore) -> dict[str, tuple[str, str, dict[str, Any]]]:
    with store.session() as s:
        rows = s.execute(
            sa.select(
                Organisation.name, Organisation.org_type, Response.status, Response.answers
            ).join(Response)
        )
        return {name: (kind, status.value, answers) for name, kind, status, answers in rows}


def _round_trip(
    studies: tuple[StudyStore, StudyStore, Instrument],
    fmt: str,
    batch: list[dict[str, Any]],
    names: list[str],
) -> None:
    source, target, instrument = studies
    _empty(source)
    _empty(target)
    with source.session() as s:
        for name, r in zip(names, batch, strict=True):
            status = ResponseStatus(r["status"])
            complete = status is ResponseStatus.SUBMITTED
            assert validate_answers(instrument, r["answers"], complete=complete) == []
            org = add_organisation(s, name, "ndpb")
            provenance = Provenance(ResponseSource.API)
            record_answers(
                s, org, r["answers"], status=status, provenance=provenance, instrument_version="2"
            )
    exported = source.folder / f"export.{fmt}"
    with source.session() as s:
        assert export_responses(s, instrument, exported) == len(batch)
    with target.session() as s:
        report = import_responses(s, exported, instrument, ImportOptions())
    assert report.outcome.created == len(batch) and report.problem_count == 0
    assert _stored(target) == _stored(source)
    with source.session() as s:  # and again into the source: nothing changes
        again = import_responses(s, exported, instrument, ImportOptions())
    assert (again.outcome.unchanged, again.outcome.created, again.outcome.updated) == (
        len(batch),
        0,
        0,
    )


NAMES = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool),
    min_size=1,
    max_size=4,
    unique=True,
)


@pytest.mark.parametrize(("fmt", "examples"), [("csv", 60), ("xlsx", 25), ("sav", 25)])
def test_export_then_import_gives_the_same_responses(
    studies: tuple[StudyStore, StudyStore, Instrument], fmt: str, examples: int
) -> None:
    instrument = studies[2]

    @settings(SETTINGS, max_examples=examples)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        names = data.draw(NAMES)
        batch = [data.draw(responses(instrument, fmt)) for _ in names]
        _round_trip(studies, fmt, batch, names)

    run()
