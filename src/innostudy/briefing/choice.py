"""Which figures each area's slides show: chosen by rule, or named in the study's areas.

By rule, an area gets its two most telling figures: a ranking, a Likert matrix or the
stage durations first, then choice questions, then single numbers, each group in
instrument order. A study can name its own with an optional ``briefing_figures`` list
per area in its areas (the ``areas`` definition, areas.yaml in a folder)::

    - key: general
      title: General characteristics
      briefing_figures: [category_bars, technology_bars]
"""

from __future__ import annotations

from innostudy.analysis.figures import BARS, DISTRIBUTION, DIVERGING, DURATIONS, RANKING, FigureSpec
from innostudy.errors import InputError
from innostudy.yamldoc import line_of, parse_yaml

SLIDES_PER_AREA = 2
_PRIORITY = {RANKING: 0, DIVERGING: 0, DURATIONS: 0, BARS: 1, DISTRIBUTION: 2}
FIELD = "briefing_figures"


def by_rule(figures: dict[str, FigureSpec], area: str) -> list[str]:
    candidates = [
        (rank, index, spec.name)
        for index, spec in enumerate(figures.values())
        if spec.area == area and (rank := _PRIORITY.get(spec.kind)) is not None
    ]
    return [name for _, _, name in sorted(candidates)[:SLIDES_PER_AREA]]


def named_in(text: str, path: str, figures: dict[str, FigureSpec]) -> dict[str, list[str]]:
    """``briefing_figures`` per area key from the areas' text; unknown names are input errors.

    ``path`` is what errors name (the areas file and the revision it shows).
    """
    data = parse_yaml(text, path)
    chosen: dict[str, list[str]] = {}
    for item in data.get("areas", []) if isinstance(data, dict) else []:
        if not isinstance(item, dict) or FIELD not in item:
            continue
        names = item[FIELD]
        line = line_of(item, FIELD)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError(path, line, FIELD, "must be a list of figure names", unit="line")
        for name in names:
            spec = figures.get(name)
            if spec is None:
                raise InputError(
                    path,
                    line,
                    FIELD,
                    f"unknown figure '{name}' (`innostudy analyse --list` shows the names)",
                    unit="line",
                )
            if spec.kind not in _PRIORITY:
                raise InputError(
                    path,
                    line,
                    FIELD,
                    f"'{name}' is a {spec.kind} figure; a slide needs one of "
                    f"{', '.join(sorted(_PRIORITY))}",
                    unit="line",
                )
        chosen[str(item["key"])] = list(names)
    return chosen


def slide_figures(
    figures: dict[str, FigureSpec], areas: list[str], areas_text: tuple[str, str] | None
) -> dict[str, list[str]]:
    """``areas_text`` is the areas' YAML and the name errors give it, when there is one."""
    named = named_in(*areas_text, figures) if areas_text is not None else {}
    return {area: named.get(area) or by_rule(figures, area) for area in areas}
