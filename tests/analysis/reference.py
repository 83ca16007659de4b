"""An independent re-implementation of every named statistic, for tests only.

Written from the definitions in docs/analysis.md with plain Python loops over the
answers as stored, and statsmodels / scipy / numpy for the statistics; it shares no code
with innostudy.analysis except the skip-rule evaluator (the instrument's own semantics).
Tests compare every statistic innostudy reports against this, name by name.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from scipy import stats as sps
from scipy.stats.contingency import association, expected_freq
from sqlalchemy.orm import Session
from statsmodels.stats.proportion import proportion_confint

from innostudy.model import Organisation, Response, ResponseStatus
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.relevance import is_relevant

Rows = Sequence[tuple[str, Mapping[str, Any]]]
KNOWN_TYPES = (
    "ministerial_department",
    "non_ministerial_department",
    "executive_agency",
    "ndpb",
    "local_authority",
    "company",
    "other",
)


def wilson(count: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
    return 100 * float(low), 100 * float(high)


def pct(count: int, n: int) -> float | None:
    return 100 * count / n if n else None


def rows_from_db(
    session: Session,
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, dict[str, int]]]:
    """Submitted answers (org_type, answers) and the population per organisation type."""
    found = session.execute(
        sa.select(Organisation.org_type, Response.answers)
        .join(Response, Response.organisation_id == Organisation.id)
        .where(Response.status == ResponseStatus.SUBMITTED)
    ).all()
    population: dict[str, dict[str, int]] = defaultdict(
        lambda: {"in_scope": 0, "invited": 0, "draft": 0, "submitted": 0}
    )
    for org in session.scalars(sa.select(Organisation)):
        counts = population[org.org_type]
        counts["in_scope"] += 1
        if org.invited_at is not None or org.response is not None:
            counts["invited"] += 1
        if org.response is not None and org.response.status is ResponseStatus.DRAFT:
            counts["draft"] += 1
        if org.response is not None and org.response.status is ResponseStatus.SUBMITTED:
            counts["submitted"] += 1
    return [(t, dict(a)) for t, a in found], dict(population)


#: The default study's stage rule (study setting analysis.stage_totals), written out here.
DEFAULT_STAGES = {
    "time_to_market": (
        "months_idea_to_approval",
        "months_approval_to_pilot",
        "months_pilot_to_rollout",
    )
}


class Approx(float):
    """A Monte-Carlo p-value: right to within simulation error, not to the last digit."""


HOLM = object()  # checked against the actual p-values by compare(), as Holm's method needs all


class Reference:
    def __init__(
        self,
        instrument: Instrument,
        rows: Rows,
        population: Mapping[str, Mapping[str, int]],
        stages: Mapping[str, tuple[str, ...]] | None = None,
    ):
        self.instrument = instrument
        self.rows = rows
        self.population = population
        self.stats: dict[str, Any] = {}
        present = {t for t, _ in rows}
        self.org_types = [t for t in KNOWN_TYPES if t in present] + sorted(
            present - set(KNOWN_TYPES)
        )
        self._response()
        for q in instrument.questions():
            self._nonresponse(q)
            if q.type in (
                QuestionType.SINGLE_CHOICE,
                QuestionType.MONEY_BAND,
                QuestionType.LIKERT,
                QuestionType.MULTI_CHOICE,
            ):
                self._choices(q)
            if q.type is QuestionType.LIKERT:
                self._likert_single(q)
            if q.type is QuestionType.RANKING:
                self._ranking(q)
            if q.type is QuestionType.LIKERT_MATRIX:
                self._matrix(q)
            if q.type.is_numeric:
                self._numeric(q)
            self._crosstabs(q)
        for total, parts in (stages or {}).items():
            self._stages(total, parts)
        self._tests()

    def _stages(self, total: str, parts: tuple[str, ...]) -> None:
        complete = [a for _, a in self.rows if all(k in a for k in (total, *parts))]
        over = sum(1 for a in complete if sum(a[k] for k in parts) > a[total])
        self.put(f"{total}.stages_exceed.n", len(complete))
        self.put(f"{total}.stages_exceed.count", over)
        self.put(f"{total}.stages_exceed.pct", pct(over, len(complete)))

    def _tests(self) -> None:
        kinds = [v for k, v in self.stats.items() if k.endswith(".by_org_type.test")]
        self.put("tests.count", sum(1 for k in kinds if k != "none"))
        self.put("tests.none", kinds.count("none"))
        for kind in ("chi_square", "fisher_exact", "monte_carlo"):
            self.put(f"tests.{kind}", kinds.count(kind))
        self.put("tests.significant_holm", HOLM)
        self.put("tests.significant_unadjusted", HOLM)

    # -- helpers -----------------------------------------------------------------------
    def answers(self, q: Question) -> list[tuple[str, Any]]:
        return [(t, a[q.key]) for t, a in self.rows if q.key in a]

    def put(self, name: str, value: Any) -> None:
        assert name not in self.stats, name
        self.stats[name] = value

    def _response(self) -> None:
        totals = Counter[str]()
        for org_type, counts in self.population.items():
            for key, value in counts.items():
                totals[key] += value
            self._rate(f"response.{org_type}", counts)
        self._rate("response", totals)

    def _rate(self, prefix: str, c: Mapping[str, int]) -> None:
        self.put(f"{prefix}.in_scope", c["in_scope"])
        self.put(f"{prefix}.invited", c["invited"])
        self.put(f"{prefix}.not_started", c["in_scope"] - c["draft"] - c["submitted"])
        self.put(f"{prefix}.draft", c["draft"])
        self.put(f"{prefix}.submitted", c["submitted"])
        self.put(f"{prefix}.rate", pct(c["submitted"], c["in_scope"]))

    def _nonresponse(self, q: Question) -> None:
        asked = [a for _, a in self.rows if is_relevant(q.relevance, a)]
        answered = [a for a in asked if q.key in a]
        self._missing(q.key, len(asked), len(answered))
        if q.type is QuestionType.LIKERT_MATRIX:
            for item in q.items:
                given = sum(1 for a in answered if item.key in a[q.key])
                self._missing(f"{q.key}.{item.key}", len(asked), given)

    def _missing(self, prefix: str, asked: int, answered: int) -> None:
        self.put(f"{prefix}.asked", asked)
        self.put(f"{prefix}.answered", answered)
        self.put(f"{prefix}.missing", asked - answered)
        self.put(f"{prefix}.missing_pct", pct(asked - answered, asked))

    def _choices(self, q: Question) -> None:
        values = [v for _, v in self.answers(q)]
        n = len(values)
        counts = Counter(x for v in values for x in (v if isinstance(v, list) else [v]))
        self.put(f"{q.key}.n", n)
        for c in q.choices:
            k = counts[c.value]
            low, high = wilson(k, n)
            prefix = f"{q.key}.{c.value}"
            self.put(f"{prefix}.count", k)
            self.put(f"{prefix}.pct", pct(k, n))
            self.put(f"{prefix}.ci_low", low)
            self.put(f"{prefix}.ci_high", high)
            self.put(f"{prefix}.small", k < 5)
        best = max(q.choices, key=lambda c: counts[c.value])
        self.put(f"{q.key}.top", best.value if n else None)
        self.put(f"{q.key}.top_label", best.label if n else None)
        self.put(f"{q.key}.top_pct", pct(counts[best.value], n))
        self.put(
            f"{q.key}.top_tied",
            sum(1 for c in q.choices if counts[c.value] == counts[best.value]) > 1,
        )

    def _likert_summary(self, prefix: str, q: Question, levels: list[str], *, with_n: bool) -> None:
        scale = q.choice_values
        top = 2 if len(scale) >= 4 else 1
        codes = [scale.index(v) + 1 for v in levels]
        n = len(codes)
        high = sum(1 for c in codes if c > len(scale) - top)
        low = sum(1 for c in codes if c <= top)
        if with_n:
            self.put(f"{prefix}.n", n)
        self.put(f"{prefix}.high_count", high)
        self.put(f"{prefix}.high_share", pct(high, n))
        lo, hi = wilson(high, n)
        self.put(f"{prefix}.high_ci_low", lo)
        self.put(f"{prefix}.high_ci_high", hi)
        self.put(f"{prefix}.low_share", pct(low, n))
        median = float(np.median(codes)) if codes else None
        self.put(f"{prefix}.median", median)
        labels = [c.label for c in q.choices]
        if median is None:
            label = None
        elif median.is_integer():
            label = labels[int(median) - 1]
        else:
            label = f"between {labels[int(median) - 1]} and {labels[int(median)]}"
        self.put(f"{prefix}.median_label", label)
        self.put(f"{prefix}.mean_score", float(np.mean(codes)) if codes else None)

    def _likert_single(self, q: Question) -> None:
        self._likert_summary(q.key, q, [v for _, v in self.answers(q)], with_n=False)

    def _matrix(self, q: Question) -> None:
        shares = []
        for item in q.items:
            levels = [v[item.key] for _, v in self.answers(q) if item.key in v]
            prefix = f"{q.key}.{item.key}"
            self._likert_summary(prefix, q, levels, with_n=True)
            shares.append((item, self.stats[f"{prefix}.high_share"]))
        for item in q.items:
            levels = [v[item.key] for _, v in self.answers(q) if item.key in v]
            counts = Counter(levels)
            for level in q.choice_values:
                prefix = f"{q.key}.{item.key}.{level}"
                self.put(f"{prefix}.count", counts[level])
                self.put(f"{prefix}.pct", pct(counts[level], len(levels)))
                lo, hi = wilson(counts[level], len(levels))
                self.put(f"{prefix}.ci_low", lo)
                self.put(f"{prefix}.ci_high", hi)
        rated = [(i, s) for i, s in shares if s is not None]
        for end, pick in (("top", max), ("bottom", min)):
            best = pick(rated, key=lambda p: p[1]) if rated else None
            self.put(f"{q.key}.{end}_item", best[0].key if best else None)
            self.put(f"{q.key}.{end}_item_label", best[0].label if best else None)
            self.put(f"{q.key}.{end}_item_high_share", best[1] if best else None)

    def _ranking(self, q: Question) -> None:
        lists = [v for _, v in self.answers(q)]
        n = len(lists)
        self.put(f"{q.key}.n", n)
        table = []
        for index, c in enumerate(q.choices):
            ranks = [lst.index(c.value) + 1 for lst in lists if c.value in lst]
            first = sum(1 for r in ranks if r == 1)
            table.append((c, first, len(ranks), float(np.mean(ranks)) if ranks else None, index))
        order = sorted(
            table, key=lambda t: (-t[1], -t[2], math.inf if t[3] is None else t[3], t[4])
        )
        for position, (c, first, mentions, mean_rank, _) in enumerate(order, start=1):
            prefix = f"{q.key}.{c.value}"
            self.put(f"{prefix}.first_count", first)
            self.put(f"{prefix}.first_share", pct(first, n))
            lo, hi = wilson(first, n)
            self.put(f"{prefix}.first_ci_low", lo)
            self.put(f"{prefix}.first_ci_high", hi)
            self.put(f"{prefix}.mention_count", mentions)
            self.put(f"{prefix}.mention_share", pct(mentions, n))
            lo, hi = wilson(mentions, n)
            self.put(f"{prefix}.mention_ci_low", lo)
            self.put(f"{prefix}.mention_ci_high", hi)
            self.put(f"{prefix}.mean_rank", mean_rank)
            self.put(f"{prefix}.position", position)
            self.put(f"{prefix}.small", first < 5)
        top = order[0]
        self.put(f"{q.key}.top", top[0].value if n else None)
        self.put(f"{q.key}.top_label", top[0].label if n else None)
        self.put(f"{q.key}.top_first_share", pct(top[1], n))
        self.put(f"{q.key}.top_tied", sum(1 for t in table if t[1] == top[1]) > 1)

    def _numeric(self, q: Question) -> None:
        values = [float(v) for _, v in self.answers(q)]
        self._describe(q.key, values, full=True)
        by_type: dict[str, list[float]] = defaultdict(list)
        for t, v in self.answers(q):
            by_type[t].append(float(v))
        for t, vs in by_type.items():
            self._describe(f"{q.key}.by_org_type.{t}", vs, full=False)

    def _describe(self, prefix: str, xs: list[float], *, full: bool) -> None:
        n = len(xs)
        q1, median, q3 = (
            (float(v) for v in np.percentile(xs, [25, 50, 75])) if n else (None, None, None)
        )
        self.put(f"{prefix}.n", n)
        self.put(f"{prefix}.mean", float(np.mean(xs)) if n else None)
        if full:
            self.put(f"{prefix}.sd", float(np.std(xs, ddof=1)) if n > 1 else None)
        self.put(f"{prefix}.median", median)
        self.put(f"{prefix}.q1", q1)
        self.put(f"{prefix}.q3", q3)
        if full:
            self.put(f"{prefix}.iqr", None if q1 is None else q3 - q1)  # type: ignore[operator]
            self.put(f"{prefix}.min", min(xs) if n else None)
            self.put(f"{prefix}.max", max(xs) if n else None)

    # -- cross-tabs ----------------------------------------------------------------------
    def _variables(self, q: Question) -> list[tuple[str, list[str], dict[str, str | None]]]:
        """(prefix, values, org-row → value per respondent) for each cross-tabbed variable."""
        given = [(i, t, a[q.key]) for i, (t, a) in enumerate(self.rows) if q.key in a]
        if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MONEY_BAND):
            return [(q.key, q.choice_values, {f"{i}": v for i, _, v in given})]
        if q.type is QuestionType.RANKING:
            return [(q.key, q.choice_values, {f"{i}": v[0] for i, _, v in given})]
        if q.type is QuestionType.MULTI_CHOICE:
            return [
                (
                    f"{q.key}.{c}",
                    ["chosen", "not_chosen"],
                    {f"{i}": "chosen" if c in v else "not_chosen" for i, _, v in given},
                )
                for c in q.choice_values
            ]
        if q.type in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX):
            top = set(q.choice_values[-(2 if len(q.choices) >= 4 else 1) :])
            items = [i.key for i in q.items] if q.type is QuestionType.LIKERT_MATRIX else [None]
            out = []
            for item in items:
                levels = {i: (v if item is None else v.get(item)) for i, _, v in given}
                split = {
                    f"{i}": ("high" if level in top else "not_high")
                    for i, level in levels.items()
                    if level is not None
                }
                out.append(
                    (q.key if item is None else f"{q.key}.{item}", ["high", "not_high"], split)
                )
            return out
        return []

    def _crosstabs(self, q: Question) -> None:
        for prefix, values, by_row in self._variables(q):
            table = []
            for t in self.org_types:
                mine = [v for key, v in by_row.items() if self.rows[int(key)][0] == t]
                counts = Counter(mine)
                table.append([counts[v] for v in values])
                for v in values:
                    cell = f"{prefix}.by_org_type.{t}.{v}"
                    self.put(f"{cell}.count", counts[v])
                    self.put(f"{cell}.pct", pct(counts[v], len(mine)))
                    lo, hi = wilson(counts[v], len(mine))
                    self.put(f"{cell}.ci_low", lo)
                    self.put(f"{cell}.ci_high", hi)
            self._test(
                f"{prefix}.by_org_type", np.array(table, dtype=int).reshape(len(table), len(values))
            )

    def _test(self, prefix: str, table: np.ndarray) -> None:
        table = table[table.sum(axis=1) > 0]
        if table.size:
            table = table[:, table.sum(axis=0) > 0]
        result: dict[str, Any] = {
            "test": "none",
            "n": int(table.sum()),
            "statistic": None,
            "df": None,
            "p_value": None,
            "cramers_v": None,
        }
        if table.ndim == 2 and min(table.shape) >= 2:
            expected = expected_freq(table)
            if expected.min() >= 1 and (expected < 5).sum() <= 0.2 * expected.size:
                chi2, p, dof, _ = sps.chi2_contingency(table, correction=False)
                v = association(table, method="cramer", correction=False)
                result |= {
                    "test": "chi_square",
                    "statistic": float(chi2),
                    "df": int(dof),
                    "p_value": float(p),
                    "cramers_v": float(v),
                }
            elif table.shape == (2, 2):
                odds, p = sps.fisher_exact(table)
                odds = float(odds) if math.isfinite(odds) and table[0, 1] * table[1, 0] else None
                result |= {"test": "fisher_exact", "statistic": odds, "p_value": float(p)}
            else:  # scipy's own permutation test, with its own random draws
                chi2, _, dof, _ = sps.chi2_contingency(table, correction=False)
                permuted = sps.chi2_contingency(
                    table,
                    correction=False,
                    method=sps.PermutationMethod(n_resamples=20_000, rng=np.random.default_rng(1)),
                )
                v = association(table, method="cramer", correction=False)
                result |= {
                    "test": "monte_carlo",
                    "statistic": float(chi2),
                    "df": int(dof),
                    "p_value": Approx(permuted.pvalue),
                    "cramers_v": float(v),
                }
        result["p_holm"] = HOLM
        for key, value in result.items():
            self.put(f"{prefix}.{key}", value)
        self.put(f"{prefix}.note", None)  # compared by kind only: see compare()


def compare(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    """Every name whose value differs (numbers to 1e-9 relative); notes only need to agree
    on whether there is one."""
    problems = []
    if set(actual) != set(expected):
        extra, missing = sorted(set(actual) - set(expected)), sorted(set(expected) - set(actual))
        problems.append(f"names differ: extra {extra[:5]}, missing {missing[:5]}")
    holm = _holm(actual)
    for name in sorted(set(actual) & set(expected)):
        a, e = actual[name], expected[name]
        if e is HOLM:
            e = holm[name]
        if isinstance(e, Approx):
            if a is None or abs(a - e) > 0.02:
                problems.append(f"{name}: {a!r} is not within 0.02 of {float(e)!r}")
            continue
        if name.endswith(".by_org_type.note"):
            test = actual[name.removesuffix(".note") + ".test"]
            if bool(a) != (test in ("none", "monte_carlo")):  # a note says why no test, or why MC
                problems.append(f"{name}: note {a!r} with test {test}")
            continue
        if isinstance(e, float) and isinstance(a, int | float) and not isinstance(a, bool):
            if not math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9):
                problems.append(f"{name}: {a!r} != {e!r}")
        elif a != e or (type(a) is bool and type(e) is not bool):
            problems.append(f"{name}: {a!r} != {e!r}")
    return problems


def _holm(actual: Mapping[str, Any]) -> dict[str, Any]:
    """Holm's adjustment of the actual p-values, written from its definition: the k-th
    smallest of m p-values is multiplied by m - k + 1, then made non-decreasing."""
    names = [n.removesuffix(".p_value") for n in actual if n.endswith(".by_org_type.p_value")]
    tested = sorted(
        (actual[f"{n}.p_value"], n) for n in names if actual[f"{n}.p_value"] is not None
    )
    m = len(tested)
    out: dict[str, Any] = {f"{n}.p_holm": None for n in names}
    for k, (_, name) in enumerate(tested, start=1):
        out[f"{name}.p_holm"] = max(
            min(1.0, (m - j + 1) * p) for j, (p, _) in enumerate(tested[:k], start=1)
        )
    holm = [v for v in out.values() if v is not None]
    out["tests.significant_holm"] = sum(1 for v in holm if v < 0.05)
    out["tests.significant_unadjusted"] = sum(1 for p, _ in tested if p < 0.05)
    return out
