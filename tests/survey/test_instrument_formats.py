"""Instruments in and out: YAML ↔ XLSForm lossless, and LimeSurvey, REDCap, Kobo forms read."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innostudy.errors import InputError
from innostudy.studies import default_file
from innostudy.survey.instrument import Instrument, load_instrument, parse_instrument
from innostudy.survey.instrument_io import read_instrument_file, write_instrument_file
from innostudy.survey.instrument_yaml import dump_instrument, instrument_data
from innostudy.survey.xlsform import inline_list_names
from tests.conftest import Cli
from tests.survey.conftest import fixture

FORMS = ["form.yaml", "form.xlsx", "form_csv"]


@pytest.mark.parametrize("name", FORMS)
def test_the_default_instrument_round_trips(tmp_path: Path, name: str) -> None:
    original = load_instrument(default_file("instrument.yaml"))
    write_instrument_file(original, tmp_path / name)
    back = read_instrument_file(tmp_path / name)
    assert back.notes == []
    assert instrument_data(back.instrument) == instrument_data(original)


def named(instrument: Instrument) -> dict[str, Any]:
    """The instrument as XLSForm can hold it: inline choice lists become named lists."""
    names = inline_list_names(instrument)
    lists = dict(instrument.choice_lists)
    sections = []
    for s in instrument.sections:
        questions = []
        for q in s.questions:
            if q.key in names:
                lists[names[q.key]] = q.choices
                q = dataclasses.replace(q, choice_list=names[q.key])
            questions.append(q)
        sections.append(dataclasses.replace(s, questions=tuple(questions)))
    return instrument_data(
        dataclasses.replace(instrument, sections=tuple(sections), choice_lists=lists)
    )


KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def choice_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    values = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    items = []
    codes = draw(
        st.lists(st.integers(-5, 99), min_size=len(values), max_size=len(values), unique=True)
    )
    for value, code in zip(values, codes, strict=True):
        item: dict[str, Any] = {"value": value, "label": draw(TEXT)}
        if draw(st.booleans()):
            item["code"] = code
        items.append(item)
    if len({i.get("code", n) for n, i in enumerate(items, 1)}) < len(items):
        for n, i in enumerate(items, 1):
            i["code"] = 100 + n
    return items


@st.composite
def questions(
    draw: st.DrawFn, key: str, earlier: list[dict[str, Any]], lists: dict[str, Any]
) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "text",
                "long_text",
                "single_choice",
                "multi_choice",
                "ranking",
                "likert",
                "likert_matrix",
                "number",
                "months",
                "money_band",
                "date",
            ]
        )
    )
    q: dict[str, Any] = {"key": key, "type": kind, "label": draw(TEXT)}
    if draw(st.booleans()):
        q["hint"] = draw(TEXT)
    if draw(st.booleans()):
        q["required"] = True
    if earlier and draw(st.booleans()):
        other = draw(st.sampled_from(earlier))
        q["relevant"] = draw(
            st.sampled_from(
                [
                    f"${{{other['key']}}} != ''",
                    f"not(${{{other['key']}}} = 'x') and true()",
                    f"count-selected(${{{other['key']}}}) >= 1",
                ]
            )
        )
    field = "scale" if kind in ("likert", "likert_matrix") else "choices"
    if kind in (
        "single_choice",
        "multi_choice",
        "ranking",
        "likert",
        "likert_matrix",
        "money_band",
    ):
        q[field] = (
            draw(st.sampled_from(sorted(lists)))
            if lists and draw(st.booleans())
            else draw(choice_lists())
        )
    if kind == "likert_matrix":
        q["items"] = [
            {"key": k, "label": draw(TEXT)}
            for k in draw(st.lists(KEYS, min_size=1, max_size=3, unique=True))
        ]
    if kind in ("number", "months"):
        low = draw(st.integers(0, 50) | st.floats(0, 50).map(lambda f: round(f, 2)))
        if draw(st.booleans()):
            q["min"] = low
        if draw(st.booleans()):
            q["max"] = low + draw(st.integers(1, 1000))
        if kind == "number" and draw(st.booleans()):
            q["integer"] = True
    if kind == "date" and draw(st.booleans()):
        q["min"], q["max"] = "2015-01-01", "2030-12-31"
    if kind in ("text", "long_text") and draw(st.booleans()):
        q["max_length"] = draw(st.integers(1, 5000))
    if kind in ("multi_choice", "ranking") and draw(st.booleans()):
        q["min_selected" if kind == "multi_choice" else "min_ranked"] = 1
        q["max_selected" if kind == "multi_choice" else "max_ranked"] = draw(st.integers(1, 4))
    return q


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    lists = {name: draw(choice_lists()) for name in draw(st.lists(KEYS, max_size=2, unique=True))}
    keys = draw(st.lists(KEYS, min_size=1, max_size=8, unique=True))
    section_keys = draw(st.lists(KEYS.map(lambda k: f"s_{k}"), min_size=1, max_size=3, unique=True))
    sections: list[dict[str, Any]] = [
        {"key": k, "title": draw(TEXT), "questions": []} for k in section_keys
    ]
    done: list[dict[str, Any]] = []
    for n, key in enumerate(keys):
        q = draw(questions(key, done, lists))
        sections[n * len(sections) // len(keys)]["questions"].append(q)  # in order
        done.append(q)
    for s in sections:
        if draw(st.booleans()):
            s["intro"] = draw(TEXT)
        if draw(st.booleans()):
            s["area"] = draw(KEYS)
    data: dict[str, Any] = {
        "id": "generated",
        "title": draw(TEXT),
        "version": draw(st.sampled_from(["1", "2.0", "2024-05"])),
        "choice_lists": lists,
        "sections": [s for s in sections if s["questions"]],
    }
    if draw(st.booleans()):
        data["description"] = draw(TEXT)
    return parse_instrument(data, "generated")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(instrument=instruments(), name=st.sampled_from(FORMS))
def test_generated_instruments_round_trip(
    tmp_path: Path, instrument: Instrument, name: str
) -> None:
    path = tmp_path / f"{abs(hash(instrument.title))}-{name}"
    write_instrument_file(instrument, path, force=True)
    back = read_instrument_file(path)
    assert back.notes == []
    expected = instrument_data(instrument) if name.endswith(".yaml") else named(instrument)
    assert instrument_data(back.instrument) == expected


def test_yaml_written_is_what_the_format_documents() -> None:
    text = dump_instrument(load_instrument(default_file("instrument.yaml")))
    assert text.startswith("# Written by innostudy")
    assert "choices: category" in text and "max_ranked: 5" in text
    assert "code:" not in text  # codes equal to positions are left out


def test_limesurvey_structure_files(tmp_path: Path) -> None:
    found = read_instrument_file(fixture("limesurvey_v6.lss"))
    inst = found.instrument
    assert found.format == "lss" and inst.title == "Innovation pilot"
    assert [s.key for s in inst.sections] == ["about_the_innovation", "barriers_and_impacts"]
    title = inst.question("title")
    assert (title.label, title.hint, title.required, title.max_length) == (
        "What is the innovation called?",
        "A short name.",
        True,
        120,
    )
    assert [(c.value, c.label) for c in inst.question("category").choices] == [
        ("svc", "Service delivery"),
        ("it", "IT & web"),
        ("oth", "Other"),
    ]
    assert inst.question("catother").relevant == "${category} = 'oth'"
    assert inst.question("staff").relevant == "selected(${origin}, 'SQ002')"
    assert (
        inst.question("staff").minimum,
        inst.question("staff").maximum,
        inst.question("staff").integer,
    ) == (1.0, 5000.0, True)
    assert inst.question("barriers").max_selected == 2
    assert [i.key for i in inst.question("impacts").items] == ["svc", "cost"]
    assert inst.question("done").relevant is None
    assert not inst.has_question("thanks") and not inst.has_question("amounts")
    assert found.notes == [
        "question origin: the 'Other' option and its text were left out",
        "question done: skip rule left out (not a simple comparison): is_empty(staff)",
        "question thanks: a text display is not a question; left out",
        "question amounts: a multiple numerical input without sub-questions; left out",
    ]
    old = read_instrument_file(fixture("limesurvey_v3.lss")).instrument
    assert [q.key for q in old.questions()] == ["name", "done", "rate"]
    assert old.question("rate").relevant == "${done} = 'A1'"


def test_a_redcap_data_dictionary() -> None:
    found = read_instrument_file(fixture("redcap_dictionary.csv"))
    inst = found.instrument
    assert found.format == "redcap"
    assert inst.question("category").choice_values == ["1", "2", "3", "9"]
    assert inst.question("category_other").relevant == "${category} = '9'"
    assert inst.question("staff").relevant == "selected(${origin}, '3')"
    assert inst.question("overall").relevant == "${business_case} != ''"
    assert inst.question("impacts").type.value == "likert_matrix"
    assert [i.key for i in inst.question("impacts").items] == ["service", "costs"]
    assert inst.question("completed").minimum == "2015-01-01"
    assert [(c.value, c.code) for c in inst.question("business_case").choices] == [
        ("1", 1),
        ("0", 0),
    ]
    assert found.notes == [
        "field record_id: the record id names the organisation; not a question",
        "field score: a calc field is not a question; left out",
    ]


def test_a_kobo_form_from_elsewhere_comes_in_with_notes() -> None:
    found = read_instrument_file(fixture("kobo_form"))
    inst = found.instrument
    assert inst.id == "kobo_pilot" and inst.sections[0].title == "General"
    name = inst.question("innovation_name")
    assert (name.label, name.hint, name.max_length) == (
        "Name of the innovation",
        "Short please",
        60,
    )
    assert inst.question("score").minimum == 1 and inst.question("score").maximum == 10
    assert inst.question("origin").max_selected == 2
    assert [i.key for i in inst.question("ratings").items] == ["speed", "quality"]
    assert inst.question("ratings").required
    assert any("repeat 'people' left out" in n for n in found.notes)
    assert any("regex(., '^[0-9.]+$')" in n for n in found.notes)
    assert (
        found.notes[-1] == "metadata and calculated fields left out: start, deviceid, double_staff"
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {
                "survey.csv": "type,name,label\nselect_one nope,q,Q\n",
                "choices.csv": "list_name,name,label\nyes,y,Y\n",
            },
            "(sheet 'survey'), row 2, field 'type': 'q' uses the choice list 'nope', which the choices sheet lacks",
        ),
        (
            {
                "survey.csv": "type,name,label\ntext,q,Q\n",
                "choices.csv": "list_name,name,label,innostudy_code\nl,a,A,first\n",
            },
            "(sheet 'choices'), row 2, field 'innostudy_code': 'first' is not a whole number",
        ),
    ],
)
def test_bad_xlsforms_name_sheet_row_and_column(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_instrument_file(tmp_path)
    assert str(info.value) == f"{tmp_path} {message}"


def test_a_bad_redcap_choice_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "dd.csv"
    path.write_text(
        '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels"\n'
        'record_id,f,,text,ID,\nq,f,,radio,Q,"1, A | just words"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_instrument_file(path)
    assert str(info.value) == (
        f"{path}, row 3, field 'choices, calculations, or slider labels': 'just words' is not 'code, label'"
    )


def test_instrument_commands(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "lime.yaml"
    result = cli("survey", "instrument", "import", fixture("limesurvey_v6.lss"), "-o", out)
    assert result.exit_code == 0, result.stderr
    assert (
        f"from {fixture('limesurvey_v6.lss')}: 2 sections, 10 questions; written to {out}"
        in result.stdout
    )
    assert "  note: question thanks: a text display is not a question; left out" in result.stdout
    assert load_instrument(out).question("impacts").items[1].label == "Costs"
    again = cli("survey", "instrument", "import", fixture("limesurvey_v6.lss"), "-o", out)
    assert (
        again.exit_code == 1
        and again.stderr.strip()
        == f"Error: {out}: already exists; choose another name or pass --force"
    )
    assert cli("init", tmp_path / "s").exit_code == 0
    form = tmp_path / "form.xlsx"
    exported = cli("--study", tmp_path / "s", "survey", "instrument", "export", form)
    assert exported.exit_code == 0, exported.stderr
    back = read_instrument_file(form).instrument
    assert instrument_data(back) == instrument_data(
        load_instrument(tmp_path / "s" / "instrument.yaml")
    )


def test_a_windows_1252_redcap_dictionary_imports(cli: Cli, tmp_path: Path) -> None:
    """Excel on Windows saves REDCap dictionaries as Windows-1252; that used to crash."""
    path = tmp_path / "dd.csv"
    path.write_bytes(
        (
            '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
            '"Choices, Calculations, OR Slider Labels"\r\n'
            "record_id,f,,text,ID,\r\n"
            'q,f,,radio,"Qualité du café","1, Très bien | 2, Pas du tout – non"\r\n'
        ).encode("cp1252")
    )
    out = tmp_path / "form.yaml"
    result = cli("survey", "instrument", "import", path, "-o", out)
    assert result.exit_code == 0, result.stderr
    question = load_instrument(out).question("q")
    assert question.label == "Qualité du café"
    assert [c.label for c in question.choices] == ["Très bien", "Pas du tout – non"]


def test_xlsform_csv_neutralises_formula_labels_and_reads_them_back(tmp_path: Path) -> None:
    source = tmp_path / "i.yaml"
    source.write_text(
        "id: f\ntitle: Formulas\nversion: '1'\nsections:\n  - key: s\n    title: S\n"
        "    questions:\n      - {key: q, type: text, label: '=HYPERLINK(1)'}\n",
        encoding="utf-8",
    )
    instrument = load_instrument(source)
    write_instrument_file(instrument, tmp_path / "form_csv")
    survey_csv = (tmp_path / "form_csv" / "survey.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in survey_csv
    back = read_instrument_file(tmp_path / "form_csv")
    assert back.instrument.sections[0].questions[0].label == "=HYPERLINK(1)"
