"""Adopting a definition: checked, numbered, refused when stale, nothing half-written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.areas import AREAS, Area, parse_areas_text
from innostudy.definitions.adopting import adopt
from innostudy.definitions.folder import adopt_file, inspect, write_files
from innostudy.definitions.kind import Kind
from innostudy.definitions.reading import read
from innostudy.definitions.revisions import current_revision, history
from innostudy.definitions.text import stamped
from innostudy.definitions.views import FileState, StaleFileError
from innostudy.errors import InputError, NotFoundError
from innostudy.fieldwork.group_types import GROUP_TYPES
from innostudy.model import GroupType
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument_definition import INSTRUMENT, study_instrument
from tests.definitions.conftest import edit


def test_init_makes_the_defaults_revision_one_and_writes_their_files(store: StudyStore) -> None:
    with store.session() as s:
        for name in ("instrument", "codebook", "group_types", "areas"):
            row = current_revision(s, name)
            assert row is not None and (row.number, row.actor) == (1, "ana")
            assert row.source == "the embedded default study"
            assert inspect(store, name).state is FileState.IN_STEP
        assert current_revision(s, "outline") is None
    assert study_instrument(store).has_question("category")


def test_an_edited_file_is_adopted_as_the_next_revision(store: StudyStore) -> None:
    path = store.setting_path("fieldwork.areas")
    edit(path, "title: Impacts", "title: Impact")
    assert inspect(store, "areas").state is FileState.EDITED
    adoption = adopt_file(store, AREAS, path, actor="ben")
    assert adoption.changed and adoption.previous is not None
    row = adoption.revision
    assert (row.number, row.actor, row.summary) == (2, "ben", "changed area 'impacts' (title)")
    assert [a.title for a in read(store, AREAS)][-1] == "Impact"
    assert inspect(store, "areas").state is FileState.IN_STEP  # the file now carries stamp 2
    assert "areas revision 2 " in path.read_text(encoding="utf-8")
    again = adopt_file(store, AREAS, path, actor="ben")
    assert not again.changed and again.revision.number == 2


def test_an_invalid_file_is_refused_with_its_line_and_nothing_changes(store: StudyStore) -> None:
    path = store.setting_path("fieldwork.group_types")
    text = edit(path, "min_size: 6", "min_size: six")
    line = 1 + text.splitlines().index("    min_size: six")
    with pytest.raises(InputError) as caught:
        adopt_file(store, GROUP_TYPES, path, actor="ben")
    assert str(caught.value).startswith(f"{path}, line {line}, field 'min_size': group type")
    with store.session() as s:
        assert [r.number for r in history(s, "group_types")] == [1]


def test_a_text_made_from_an_older_revision_is_refused_unless_forced(store: StudyStore) -> None:
    path = store.setting_path("fieldwork.areas")
    first = path.read_text(encoding="utf-8")  # stamped revision 1
    edit(path, "title: Impacts", "title: Impact")
    adopt_file(store, AREAS, path, actor="ana")
    stale = first.replace("title: General characteristics", "title: Characteristics")
    with store.write_session() as s, pytest.raises(StaleFileError) as caught:
        adopt(s, AREAS, stale, source="theirs.yaml", actor="ben")
    assert str(caught.value).startswith(
        "theirs.yaml was made from revision 1 of the areas, but the study is at revision 2 (ana, "
    )
    assert "-    title: Impact" in caught.value.details
    assert "+    title: Impacts" in caught.value.details
    with store.write_session() as s:
        forced = adopt(s, AREAS, stale, source="theirs.yaml", actor="ben", force=True)
    assert forced.revision.number == 3
    assert forced.revision.summary == (
        "changed area 'general' (title); changed area 'impacts' (title)"
    )


def test_an_unedited_older_copy_is_stale_and_refused_by_readers(store: StudyStore) -> None:
    path = store.setting_path("survey.instrument")
    old = path.read_text(encoding="utf-8")
    edit(path, "label: Was there a business case?", "label: Was there a written business case?")
    adopt_file(store, INSTRUMENT, path, actor="ana")
    path.write_text(old, encoding="utf-8")  # a colleague's folder, never refreshed
    view = inspect(store, "instrument")
    assert (view.state, view.base) == (FileState.STALE, 1)
    with pytest.raises(StaleFileError, match=r"^instrument.yaml is revision 1 of the instrument"):
        study_instrument(store)
    store.check_files = False  # a server reads the database whatever the folder holds
    assert study_instrument(store).question("business_case").label.startswith("Was there a w")


def test_a_file_from_elsewhere_does_not_overwrite_edits_here(
    store: StudyStore, tmp_path: Path
) -> None:
    own = store.setting_path("fieldwork.areas")
    edit(own, "title: Impacts", "title: My own edit")
    other = tmp_path / "areas-from-ana.yaml"
    other.write_text(own.read_text(encoding="utf-8").replace("My own edit", "Impacts!"), "utf-8")
    with pytest.raises(StaleFileError, match="has changes that are not the study's areas"):
        adopt_file(store, AREAS, other, actor="ben")
    assert "My own edit" in own.read_text(encoding="utf-8")
    with pytest.raises(StaleFileError, match="would be lost"):
        write_files(store, ["areas"])
    adopt_file(store, AREAS, other, actor="ben", force=True)
    assert "Impacts!" in own.read_text(encoding="utf-8")


def test_adopting_group_types_brings_their_rows_along(store: StudyStore) -> None:
    path = store.setting_path("fieldwork.group_types")
    edit(path, "max_size: 12", "max_size: 10")
    adopt_file(store, GROUP_TYPES, path, actor="ana")
    with store.session() as s:
        sizes = {g.key: g.max_size for g in s.scalars(sa.select(GroupType))}
    assert sizes["cs_project"] == 10


def test_a_study_without_an_outline_says_so(store: StudyStore) -> None:
    from innostudy.reporting.outline import OUTLINE

    with pytest.raises(NotFoundError, match=r"^this study has no report outline yet$"):
        read(store, OUTLINE)


def test_two_people_adopting_at_once_are_served_in_turn(store: StudyStore) -> None:
    """The second waits for the first's lock, then sees its revision and is refused as
    stale, instead of both writing revision 2 (or one dying on the unique constraint)."""
    path = store.setting_path("fieldwork.areas")
    base = path.read_text(encoding="utf-8")
    entered, release = threading.Event(), threading.Event()

    def slow(_s: object, _areas: list[Area], _actor: str) -> list[str]:
        entered.set()
        release.wait(5)
        return []

    slow_areas: Kind[list[Area]] = Kind("areas", parse_areas_text, slow)
    outcome: dict[str, object] = {}

    def first() -> None:
        with StudyStore.open(store.folder) as mine, mine.write_session() as s:
            text = base.replace("title: Impacts", "title: First")
            outcome["first"] = adopt(s, slow_areas, text, source="a", actor="ana").revision.number

    def second() -> None:
        try:
            with StudyStore.open(store.folder) as mine, mine.write_session() as s:
                text = base.replace("title: Costs", "title: Second")
                adopt(s, AREAS, text, source="b", actor="ben")
        except StaleFileError as exc:
            outcome["second"] = str(exc)

    one = threading.Thread(target=first)
    one.start()
    assert entered.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive()  # waiting for the first's lock
    release.set()
    one.join(10)
    two.join(10)
    assert outcome["first"] == 2
    assert str(outcome["second"]).startswith("b was made from revision 1 of the areas")
    with store.session() as s:
        assert [r.number for r in history(s, "areas")] == [1, 2]


def test_stamped_text_names_the_revision(store: StudyStore) -> None:
    with store.session() as s:
        row = current_revision(s, "areas")
        assert row is not None
        text = stamped(row.content, "areas", 1, "areas.yaml")
    assert text == store.setting_path("fieldwork.areas").read_text(encoding="utf-8")
