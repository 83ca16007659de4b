"""The calibration report in words and as the reliability diagram (CLI and web)."""

from __future__ import annotations

from innostudy.coding.auto.calibration_chart import reliability_chart
from innostudy.coding.auto.reviews import CalibrationReport
from innostudy.errors import InputError

CHART_FORMATS = ("png", "svg")


def summary(report: CalibrationReport) -> str:
    if not report.reviews:
        return "No suggestion has been accepted or rejected yet, so there is nothing to calibrate."
    ece = f"{report.ece:.3f}" if report.ece is not None else "not computable"
    return (
        f"{report.reviews} reviewed suggestions, {report.accepted} accepted "
        f"({100 * report.accepted / report.reviews:.0f}%); expected calibration error {ece} "
        "(0 when confidence matches the share accepted)."
    )


def calibration_lines(report: CalibrationReport) -> list[str]:
    lines = [summary(report)]
    if not report.reviews:
        return lines
    lines += ["", f"{'confidence':<12} {'reviews':>7} {'mean conf.':>10} {'accepted':>9}"]
    for b in report.bins:
        if b.count:
            lines.append(
                f"{b.low:.1f}–{b.high:.1f}     {b.count:>7} {b.confidence or 0:>10.2f} "
                f"{b.accepted or 0:>9.2f}"
            )
    th = report.thresholds
    lines += ["", f"Threshold for codes with few reviews: {th.pooled:.2f}"]
    for code, value in sorted(th.per_code.items()):
        lines.append(f"  {code:<32} {value:.2f}  ({th.reviews[code]} reviews)")
    return lines


def calibration_chart(report: CalibrationReport, *, synthetic: bool, fmt: str) -> bytes:
    if fmt not in CHART_FORMATS:
        raise InputError("--chart", None, "chart", "give a file name ending in .png or .svg")
    source = "Source: this study's reviewed suggestions." + (
        " Synthetic demo data." if synthetic else ""
    )
    ece = f"{report.ece:.3f}" if report.ece is not None else "not computable"
    return reliability_chart(
        report.bins,
        title="Confidence against acceptance",
        subtitle=f"{report.reviews} reviewed suggestions; expected calibration error {ece}. "
        "Bars: share accepted (reviews at their foot); dots: mean confidence.",
        footer=source,
        fmt=fmt,
    )
