"""Matrices out: an XLSX workbook (one sheet per table) and heatmaps as PNG bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from innostudy.atomic import atomic_path
from innostudy.cells import XLSX_OPTIONS
from innostudy.personal_data import PersonalData

ASSISTANCE_SHEET = "Machine assistance"


def write_xlsx(
    path: Path,
    tables: dict[str, pd.DataFrame],
    *,
    synthetic: bool = False,
    assistance: list[tuple[str, str]] | None = None,
) -> Path:
    """One sheet per table, and the facts of machine assistance (``coding.provenance``);
    written beside the target and renamed, so never half a file."""
    with (
        atomic_path(path) as temp,
        pd.ExcelWriter(
            temp, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}
        ) as writer,
    ):
        for name, frame in tables.items():
            sheet = name[:31]
            frame.to_excel(writer, sheet_name=sheet, startrow=1 if synthetic else 0)
            if synthetic:
                writer.sheets[sheet].write(0, 0, "Synthetic demo data")
        if assistance is not None:
            facts = pd.DataFrame(assistance, columns=["What", "Value"])
            facts.to_excel(writer, sheet_name=ASSISTANCE_SHEET, index=False)
    return path


def redact_tables(
    tables: dict[str, pd.DataFrame], personal: PersonalData
) -> tuple[dict[str, pd.DataFrame], int]:
    """Every label and text cell through the personal-data rule (a group may be named
    after a person), and how many values it replaced."""
    count = 0

    def clean(value: object) -> object:
        nonlocal count
        if not isinstance(value, str):
            return value
        text, n = personal.redact(value)
        count += n
        return text

    out = {}
    for name, frame in tables.items():
        frame = frame.rename(index=clean, columns=clean)
        out[name] = frame.map(clean)
    return out, count


def heatmap_png(frame: pd.DataFrame, title: str) -> bytes:
    """A heatmap of a code matrix, values written in each cell; no global pyplot state."""
    rows, cols = frame.shape
    fig = Figure(figsize=(max(6.0, 1.1 * cols + 3.5), max(3.0, 0.32 * rows + 1.6)))
    ax = fig.subplots()
    values = frame.to_numpy(dtype="float64")
    image = ax.imshow(values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(cols), [str(c) for c in frame.columns], rotation=35, ha="right")
    ax.set_yticks(range(rows), [str(i) for i in frame.index])
    top = values.max() if values.size else 0.0
    for i in range(rows):
        for j in range(cols):
            v = values[i, j]
            text = f"{v:.0%}" if frame.dtypes.iloc[j].kind == "f" else f"{int(v)}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if top and v > 0.6 * top else "black",
            )
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
