"""Matrix workbooks: every text cell is a string, never a formula or a link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from innostudy.coding.matrix_output import write_xlsx


def test_code_and_group_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    frame = pd.DataFrame(
        {'=HYPERLINK("http://evil.invalid")': [1, 2]}, index=["=1+1", "external:c:\\x.exe"]
    )
    path = write_xlsx(tmp_path / "m.xlsx", {"group": frame})
    cells = [c for row in load_workbook(path)["group"].iter_rows() for c in row if c.value]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    assert set(texts) == {'=HYPERLINK("http://evil.invalid")', "=1+1", "external:c:\\x.exe"}
    assert all(c.data_type == "s" and c.hyperlink is None for c in texts.values())


def test_labels_and_text_cells_pass_the_personal_data_rule() -> None:
    from innostudy.coding.matrix_output import redact_tables
    from innostudy.personal_data import PersonalData

    personal = PersonalData(["Ann Lee"], ["ann@example.invalid"], [])
    frame = pd.DataFrame(
        {"ANN LEE's group": [1, 2], "Others": ["ann@example.invalid", "fine"]},
        index=["barriers", "Ann Lee"],
    )
    (out, count) = redact_tables({"group": frame}, personal)
    assert list(out["group"].columns) == ["[PERSON]'s group", "Others"]
    assert list(out["group"].index) == ["barriers", "[PERSON]"]
    assert list(out["group"]["Others"]) == ["[EMAIL]", "fine"]
    assert list(out["group"]["[PERSON]'s group"]) == [1, 2]
    assert count == 3
