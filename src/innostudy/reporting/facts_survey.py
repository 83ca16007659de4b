"""Survey figures as a report writes them: with their base, with intervals for headlines,
and with ties named.

* A percentage whose base is not every submitted response says so: "40% of 80
  answering", because "40%" alone reads as 40% of all respondents.
* ``<stat>.headline`` writes a headline share with its 95% interval and base:
  "52% (95% interval 41–63%; 42 of 80 answering)".
* ``<question>.top_label`` names every answer tied for first ("A and B (tied)"), where the
  analysis' own statistic can only hold one.
"""

from __future__ import annotations

from innostudy.analysis import formatting
from innostudy.analysis.contingency import SIGNIFICANCE
from innostudy.analysis.stat_names import StatValue
from innostudy.reporting.fact_context import Fact, FactContext, words_list
from innostudy.reporting.resolver import Unresolved

#: Share statistics, and the names of their count and interval beside them.
_FAMILIES = {
    "pct": ("count", "ci_low", "ci_high"),
    "first_share": ("first_count", "first_ci_low", "first_ci_high"),
    "mention_share": ("mention_count", "mention_ci_low", "mention_ci_high"),
    "high_share": ("high_count", "high_ci_low", "high_ci_high"),
}
_BASED = {*_FAMILIES, "low_share", "top_pct", "top_first_share", "top_item_high_share"}


def _value(ctx: FactContext, name: str) -> StatValue:
    if name not in ctx.summary.stats:
        raise LookupError(
            f"unknown statistic '{name}' (`innostudy analyse --list` shows every name)"
        )
    value = ctx.summary.stats[name]
    if value is None:
        raise Unresolved(f"'{name}' has no value yet (no answers to compute it from)")
    return value


def base_of(ctx: FactContext, name: str) -> int | None:
    """How many organisations a share statistic is a share of, or None if not a share."""
    stats = ctx.summary.stats
    parent, last = name.rsplit(".", 1) if "." in name else ("", name)
    if last not in _BASED:
        return None
    if ".by_org_type." in name:
        row = parent.rsplit(".", 1)[0]  # <q>.by_org_type.<type>
        counts = [v for k, v in stats.items() if k.startswith(row + ".") and k.endswith(".count")]
        return int(sum(int(v) for v in counts if isinstance(v, int | float)))
    while parent:
        candidate = stats.get(f"{parent}.n")
        if isinstance(candidate, int | float) and not isinstance(candidate, bool):
            return int(candidate)
        parent = parent.rsplit(".", 1)[0] if "." in parent else ""
    return None


def survey_stat(ctx: FactContext, name: str) -> str:
    """A survey statistic in words, with its base when that is not every respondent."""
    from innostudy.analysis.summary import format_stat

    _value(ctx, name)
    text = format_stat(ctx.summary, name)
    base = base_of(ctx, name)
    submitted = ctx.summary.stats.get("response.submitted")
    if base is not None and base != submitted:
        text += f" of {formatting.count(base)} answering"
    return text


_TOP = {"top_pct": "pct", "top_first_share": "first_share", "top_item_high_share": "high_share"}


def headline(ctx: FactContext, stat: str) -> str:
    parent, last = stat.rsplit(".", 1) if "." in stat else ("", stat)
    if last in _TOP:  # the top answer's share: find which answer is on top
        top = "top_item" if last == "top_item_high_share" else "top"
        return headline(ctx, f"{parent}.{_value(ctx, f'{parent}.{top}')}.{_TOP[last]}")
    if last not in _FAMILIES:
        known = ", ".join(f"….{k}.headline" for k in _FAMILIES)
        raise LookupError(f"'{stat}' is not a share with an interval (use {known})")
    count_name, low, high = (f"{parent}.{k}" for k in _FAMILIES[last])
    share = float(_value(ctx, stat))  # type: ignore[arg-type]
    base = base_of(ctx, stat)
    interval = formatting.ci(
        float(_value(ctx, low)),  # type: ignore[arg-type]
        float(_value(ctx, high)),  # type: ignore[arg-type]
    )
    hits = int(_value(ctx, count_name))  # type: ignore[arg-type]
    return (
        f"{formatting.pct(share)} (95% interval {interval}; "
        f"{formatting.count(hits)} of {formatting.count(base or 0)} answering)"
    )


def top_label(ctx: FactContext, stat: str) -> str:
    """``<q>.top_label``, naming every answer tied for the top."""
    label = str(_value(ctx, f"{stat}.top_label"))
    if not ctx.summary.stats.get(f"{stat}.top_tied"):
        return label
    question = ctx.instrument.question(stat)
    field = (
        "first_count"
        if f"{stat}.{question.choice_values[0]}.first_count" in ctx.summary.stats
        else "count"
    )
    counts = {c.label: ctx.summary.stats.get(f"{stat}.{c.value}.{field}") for c in question.choices}
    best = max((v for v in counts.values() if isinstance(v, int | float)), default=None)
    tied = [name for name, v in counts.items() if v == best]
    return f"{words_list(tied)} (tied)"


SURVEY_FACTS: tuple[Fact, ...] = (
    Fact(
        "tests.threshold",
        "the level at which tests are counted as significant",
        "0.05",
        lambda c: f"{SIGNIFICANCE:g}",
    ),
    Fact(
        "<stat>.headline",
        "a share with its 95% interval and base (for `pct`, `first_share`, `mention_share`, "
        "`high_share`)",
        "52% (95% interval 41–63%; 42 of 80 answering)",
        lambda c, stat: headline(c, stat),
    ),
    Fact(
        "<stat>.top_label",
        "the commonest answer, naming every answer tied for first",
        "Senior managers and Ministers (tied)",
        lambda c, stat: top_label(c, stat),
    ),
)
