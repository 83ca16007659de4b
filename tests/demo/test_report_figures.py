"""Every figure in the demo report, recomputed here from the database.

The report marks each value a placeholder produced (``data-stat``); this test reads
every one of them and every table out of the rendered HTML and recomputes it without the
report engine: survey statistics through the independent reference of the analysis tests,
fieldwork and coding facts and the group tables by SQL. A value the test cannot
recompute fails it, so a new fact cannot reach the demo report unchecked.
"""

from __future__ import annotations

import dataclasses
import html as htmllib
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.analysis import formatting
from innostudy.analysis import summary as analysis
from innostudy.coding.reliability import reliability
from innostudy.demo.autocoding import FIRST_CODER, SECOND_CODER
from innostudy.demo.build import DemoSummary
from innostudy.discussion.naming import Namer
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument import Instrument, QuestionType, load_instrument
from tests.analysis.reference import DEFAULT_STAGES, HOLM, Reference, _holm, rows_from_db
from tests.reporting import recount

MAIN, CHECK = FIRST_CODER, SECOND_CODER
SECTOR = {"civil_service": "All civil service", "comparison": "All comparison"}


def parse(html: str) -> tuple[list[tuple[str, str]], dict[str, list[list[str]]]]:
    stats = [
        (name, htmllib.unescape(value))
        for name, value in re.findall(
            r'<span class="stat" data-stat="([^"]+)">([^<]*)</span>', html
        )
    ]
    tables = {}
    for caption, body in re.findall(
        r"<caption>Table \d+: ([^<]*)</caption>(.*?)</table>", html, re.DOTALL
    ):
        rows = [
            [htmllib.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
        ]
        tables[htmllib.unescape(caption)] = rows
    return stats, tables


class Truth:
    """What the demo's database says, computed without the report engine."""

    def __init__(self, s: Session, instrument: Instrument, summary: analysis.Summary) -> None:
        self.s = s
        self.instrument = instrument
        rows, population = rows_from_db(s)
        self.rows = rows
        self.stats = Reference(instrument, rows, population, DEFAULT_STAGES).stats
        adjusted = _holm(summary.stats)  # Holm's method needs every p-value; see reference.py
        self.stats |= {k: adjusted[k] for k, v in self.stats.items() if v is HOLM}
        self.units = summary.units
        self.summary = summary
        self.turns = recount.usable_turns(s)
        order = sorted({(r[4] != "civil_service", r[5], r[6], r[3]) for r in self.turns})
        self.groups = [g[3] for g in order]
        self._talk: dict[str, list[Any]] | None = None

    # -- survey ------------------------------------------------------------------------
    def answered(self, key: str, item: str | None = None) -> int:
        values = [a.get(key) for _, a in self.rows]
        if item is not None:
            return sum(1 for v in values if isinstance(v, dict) and v.get(item) is not None)
        return sum(1 for v in values if v is not None)

    def survey(self, name: str) -> str:
        formatted = analysis.format_stat(dataclasses.replace(self.summary, stats=self.stats), name)
        last = name.rsplit(".", 1)[1]
        if last in {"pct", "top_pct", "high_share", "first_share", "low_share"}:
            key, *rest = name.split(".")
            q = self.instrument.question(key)
            item = rest[0] if q.type is QuestionType.LIKERT_MATRIX and len(rest) > 1 else None
            base = self.answered(key, item)
            if base != len(self.rows):
                formatted += f" of {base} answering"
        return formatted

    def headline(self, name: str) -> str:
        stat = name.removesuffix(".headline")
        key, *rest = stat.split(".")
        if rest[-1] in ("top_pct", "top_first_share"):
            top = self.stats[f"{key}.top"]
            stat = f"{key}.{top}.{'pct' if rest[-1] == 'top_pct' else 'first_share'}"
        prefix, last = stat.rsplit(".", 1)
        count, low, high = {
            "pct": ("count", "ci_low", "ci_high"),
            "first_share": ("first_count", "first_ci_low", "first_ci_high"),
            "high_share": ("high_count", "high_ci_low", "high_ci_high"),
        }[last]
        q = self.instrument.question(key)
        item = prefix.split(".")[1] if q.type is QuestionType.LIKERT_MATRIX else None
        return (
            f"{formatting.pct(self.stats[stat])} (95% interval "
            f"{formatting.ci(self.stats[f'{prefix}.{low}'], self.stats[f'{prefix}.{high}'])}; "
            f"{self.stats[f'{prefix}.{count}']} of {self.answered(key, item)} answering)"
        )

    def top_label(self, name: str) -> str:
        key = name.removesuffix(".top_label")
        q = self.instrument.question(key)
        counted: Counter[str] = Counter()
        for _, a in self.rows:
            value = a.get(key)
            if q.type is QuestionType.RANKING and value:
                counted[value[0]] += 1
            elif isinstance(value, list):
                counted.update(value)
            elif value is not None:
                counted[value] += 1
        best = max(counted.values())
        tied = [c.label for c in q.choices if counted[c.value] == best]
        return (
            tied[0]
            if len(tied) == 1
            else " and ".join([", ".join(tied[:-1]), tied[-1]]) + " (tied)"
        )

    # -- fieldwork and coding ----------------------------------------------------------
    def scalar(self, sql: str) -> Any:
        return self.s.execute(sa.text(sql)).scalar_one()

    def coded(self, key: str, coder: str = MAIN) -> set[int]:
        return recount.coded(self.s, key, coder)

    def column(self, group: str, keep: set[int] | None = None) -> tuple[int, int, set[int]]:
        """(turns, words, people) of a group label or a sector total."""
        rows = [
            r
            for r in self.turns
            if (r[3] == group or SECTOR.get(r[4]) == group) and (keep is None or r[0] in keep)
        ]
        return len(rows), sum(len(r[1].split()) for r in rows), {r[2] for r in rows}

    def extreme(self, area: str, most: bool) -> str:
        hit = self.coded(area)
        shares = {g: (self.column(g, hit)[0], self.column(g)[0]) for g in self.groups}
        pick = (max if most else min)(n / t for n, t in shares.values())
        tied = [g for g in self.groups if shares[g][0] / shares[g][1] == pick]
        if len(tied) > 1:
            return f"{' and '.join([', '.join(tied[:-1]), tied[-1]])} ({formatting.pct(100 * pick)} of their turns each)"
        n, t = shares[tied[0]]
        return f"{tied[0]} ({formatting.pct(100 * n / t)} of its turns, {n} of {t})"

    def sector_share(self, area: str, side: str) -> str:
        n, t = self.column(SECTOR[side], self.coded(area))[0], self.column(SECTOR[side])[0]
        return f"{formatting.pct(100 * n / t)} of their turns ({n} of {t})"

    def themes(self, area: str) -> dict[str, str]:
        return dict(
            self.s.execute(
                sa.text("SELECT key, name FROM code WHERE key LIKE :a AND key NOT LIKE :deeper"),
                {"a": f"{area}.%", "deeper": f"{area}.%.%"},
            ).all()
        )

    def largest_gap(self, area: str) -> str:
        cs, cmp_ = self.column(SECTOR["civil_service"])[0], self.column(SECTOR["comparison"])[0]
        best = None
        for key, name in self.themes(area).items():
            hit = self.coded(key)
            a, b = (
                self.column(SECTOR["civil_service"], hit)[0],
                self.column(SECTOR["comparison"], hit)[0],
            )
            if best is None or abs(a / cs - b / cmp_) > abs(best[1] / cs - best[2] / cmp_):
                best = (name, a, b)
        assert best is not None
        return (
            f"{best[0]}: {formatting.pct(100 * best[1] / cs)} of civil-service turns against "
            f"{formatting.pct(100 * best[2] / cmp_)} of comparison-group turns"
        )

    def top_area(self) -> str:
        """The area with the most turns on each side (the demo's sides agree on it)."""
        areas = self.s.execute(sa.text("SELECT key, name FROM code WHERE key NOT LIKE '%.%'")).all()
        tops = set()
        for side in ("civil_service", "comparison"):
            counts = {name: self.column(SECTOR[side], self.coded(key))[0] for key, name in areas}
            tied = [n for n, c in counts.items() if c == max(counts.values())]
            assert len(tied) == 1
            tops.add(tied[0])
        assert len(tops) == 1
        return tops.pop()

    def top_theme(self, area: str) -> str:
        everyone = {r[0] for r in self.turns}
        counts = {name: len(self.coded(key) & everyone) for key, name in self.themes(area).items()}
        best = max(counts.values())
        tied = [n for n, c in counts.items() if c == best]
        assert len(tied) == 1
        return f"{tied[0]} ({best} turns)"

    # -- how the discussions developed ---------------------------------------------------
    def talk(self) -> dict[str, list[Any]]:
        """Per group label, in report order: every usable verbatim turn as (transcript,
        position, text, role, participant code, segment), in session and turn order."""
        if self._talk is not None:
            return self._talk
        rows = self.s.execute(
            sa.text(
                """
                SELECT focus_group.label, segment.transcript_id, segment.position, segment.text,
                       speaker.role, participant.code, segment.id
                FROM segment JOIN transcript ON transcript.id = segment.transcript_id
                JOIN group_session ON group_session.id = transcript.session_id
                JOIN focus_group ON focus_group.id = group_session.focus_group_id
                LEFT JOIN speaker ON speaker.id = segment.speaker_id
                LEFT JOIN participant ON participant.id = speaker.participant_id
                LEFT JOIN consent ON consent.participant_id = speaker.participant_id
                WHERE transcript.kind = 'verbatim' AND consent.withdrawn_at IS NULL
                ORDER BY group_session.id, segment.transcript_id, segment.position
                """
            )
        ).all()
        out: dict[str, list[Any]] = {g: [] for g in self.groups}
        for label, *turn in rows:
            out[label].append(tuple(turn))
        self._talk = out
        return out

    def words(self, label: str) -> Counter[str]:
        said: Counter[str] = Counter()
        for _, _, text, role, who, _ in self.talk()[label]:
            if role == "participant":
                said[who] += len(text.split())
        return said

    def raised(self, label: str, key: str) -> list[tuple[str, bool, int, int]]:
        """Per transcript of the group that raised the code, in session order: (raiser,
        prompted, participants who took it up, turns in the first stretch). Whether a
        moderator's turn *names* a code is discussion.naming's rule (tested on its own in
        tests/discussion); everything else is recounted here."""
        found = []
        hit = self.coded(key)
        namer = Namer.from_codes(self.s.execute(sa.text("SELECT key, name FROM code")).all())
        transcripts: dict[int, list[Any]] = defaultdict(list)
        for turn in self.talk()[label]:
            transcripts[turn[0]].append(turn)
        for turns in transcripts.values():
            said, prompts, latest = [], [], ""
            for _, _, text, role, who, segment in turns:
                if role == "facilitator":
                    latest = text
                elif role == "participant":
                    said.append((who, segment in hit))
                    prompts.append(latest)
            on = [i for i, (_, h) in enumerate(said) if h]
            if not on:
                continue
            named = namer.named(prompts[on[0]])
            area = key.split(".")[0]
            prompted = any(n == key or n.startswith(key + ".") for n in named) or (
                area != key and area in named
            )
            held = 1
            while held < len(on) and on[held] - on[held - 1] <= 3:
                held += 1
            found.append((said[on[0]][0], prompted, len({said[i][0] for i in on}), held))
        return found

    def judgements(self) -> dict[str, dict[int, frozenset[str]]]:
        usable = {r[0] for r in self.turns}
        rows = self.s.execute(
            sa.text(
                """
                SELECT coder.name, coding.segment_id, code.key, segment.transcript_id FROM coding
                JOIN code ON code.id = coding.code_id JOIN coder ON coder.id = coding.coder_id
                JOIN segment ON segment.id = coding.segment_id
                WHERE coding.status = 'accepted' AND coder.kind = 'person'
                """
            )
        ).all()
        transcript = dict(self.s.execute(sa.text("SELECT id, transcript_id FROM segment")).all())
        out: dict[str, dict[int, frozenset[str]]] = {}
        for coder in (MAIN, CHECK):
            mine = [r for r in rows if r[0] == coder and r[1] in usable]
            worked = {r[3] for r in mine}
            codes: dict[int, set[str]] = defaultdict(set)
            for r in mine:
                codes[r[1]].add(r[2])
            out[coder] = {
                sid: frozenset(codes.get(sid, set())) for sid in usable if transcript[sid] in worked
            }
        return out


def facts(t: Truth) -> dict[str, Callable[[], str]]:
    """Every fact the demo narrative uses, recomputed."""
    held = t.s.execute(
        sa.text(
            """
            SELECT group_session.id, session_date, duration_minutes, note_taker FROM group_session
            WHERE id IN (SELECT session_id FROM transcript) OR id IN (SELECT session_id FROM recording)
            """
        )
    ).all()
    minutes = sorted(r[2] for r in held if r[2])
    dates = sorted(str(r[1]) for r in held)
    people = t.s.execute(
        sa.text(
            """
            SELECT participant.id, consent.withdrawn_at, consent.quotation FROM participant
            LEFT JOIN consent ON consent.participant_id = participant.id
            WHERE participant.focus_group_id IS NOT NULL
            """
        )
    ).all()
    everyone = {r[0] for r in t.turns}
    main_coded = (
        set(
            t.s.execute(
                sa.text(
                    "SELECT DISTINCT coding.segment_id FROM coding JOIN coder ON coder.id = "
                    "coding.coder_id WHERE coder.name = :c AND coding.status = 'accepted'"
                ),
                {"c": MAIN},
            ).scalars()
        )
        & everyone
    )
    main_codings = t.s.execute(
        sa.text(
            "SELECT DISTINCT coding.segment_id, coding.code_id, coding.reason FROM coding "
            "JOIN coder ON coder.id = coding.coder_id WHERE coder.name = :c AND coding.status = 'accepted'"
        ),
        {"c": MAIN},
    ).all()
    counted = {(r[0], r[1]) for r in main_codings if r[0] in everyone}
    from_model = {
        (r[0], r[1])
        for r in main_codings
        if r[0] in everyone and "accepted_suggestion" in str(r[2])
    }
    verdicts = dict(
        t.s.execute(
            sa.text(
                "SELECT coding.status, COUNT(*) FROM coding JOIN coder ON coder.id = coding.coder_id "
                "WHERE coder.kind = 'model' GROUP BY coding.status"
            )
        ).all()
    )
    reviewed = verdicts.get("accepted", 0) + verdicts.get("rejected", 0)
    agreement = reliability(t.judgements())
    by_type = t.s.execute(
        sa.text(
            "SELECT group_type.sector, focus_group.label FROM focus_group JOIN group_type ON group_type.id = focus_group.group_type_id ORDER BY group_type.position"
        )
    ).all()
    comparison = [label for sector, label in by_type if sector == "comparison"]
    responses = dict(
        t.s.execute(sa.text("SELECT status, COUNT(*) FROM response GROUP BY status")).all()
    )
    invited = t.scalar("SELECT COUNT(*) FROM organisation")

    def day(text: str) -> str:
        y, m, d = map(int, text.split("-"))
        import datetime

        when = datetime.date(y, m, d)
        return f"{when.day} {when:%B %Y}"

    def listing(items: list[str]) -> str:
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

    median = statistics.median(minutes)
    return {
        "study.invited": lambda: str(invited),
        "study.submitted": lambda: str(responses.get("submitted", 0)),
        "study.drafts": lambda: str(responses.get("draft", 0)),
        "study.response_rate": lambda: formatting.pct(
            100 * responses.get("submitted", 0) / invited
        ),
        "study.groups": lambda: str(len(by_type)),
        "study.participants": lambda: str(len(people)),
        "groups.met": lambda: str(len({r[3] for r in t.turns})),
        "groups.not_met_names": lambda: "none",
        "groups.comparison_count": lambda: str(len(comparison)),
        "groups.comparison_names": lambda: listing(comparison),
        "sessions.held": lambda: str(len(held)),
        "study.first_session": lambda: day(dates[0]),
        "study.last_session": lambda: day(dates[-1]),
        "sessions.minutes_range": lambda: (
            f"{minutes[0]} minutes"
            if minutes[0] == minutes[-1]
            else f"{minutes[0]} to {minutes[-1]} minutes"
        ),
        "sessions.minutes_median": lambda: f"{formatting.number(median)} minutes",
        "sessions.recorded": lambda: str(
            t.scalar("SELECT COUNT(DISTINCT session_id) FROM recording")
        ),
        "sessions.transcribed": lambda: str(
            t.scalar("SELECT COUNT(DISTINCT session_id) FROM transcript WHERE kind = 'verbatim'")
        ),
        "sessions.with_note_taker": lambda: str(sum(1 for r in held if r[3].strip())),
        "transcripts.redactions": lambda: str(t.scalar("SELECT COUNT(*) FROM redaction")),
        "participants.attended": lambda: str(
            t.scalar(
                "SELECT COUNT(DISTINCT participant_id) FROM speaker WHERE role = 'participant'"
            )
        ),
        "participants.withdrawn": lambda: str(sum(1 for p in people if p[1] is not None)),
        "participants.refused_quotation": lambda: str(
            sum(1 for p in people if p[1] is None and p[2] == "refused")
        ),
        "participants.quotation_not_recorded": lambda: str(
            sum(1 for p in people if p[1] is None and p[2] not in ("refused", "granted"))
        ),
        "coding.coders": lambda: "1 coder",
        "coding.reliability_coders": lambda: "1 coder",
        "coding.turns": lambda: f"{len(everyone):,}",
        "coding.turns_coded": lambda: f"{len(main_coded):,}",
        "coding.turns_coded_pct": lambda: formatting.pct(100 * len(main_coded) / len(everyone)),
        "coding.models": lambda: "autocoder",
        "coding.suggestions_reviewed": lambda: f"{reviewed:,}",
        "coding.suggestions_accepted_pct": lambda: formatting.pct(
            100 * verdicts["accepted"] / reviewed
        ),
        "coding.model_accepted_pct": lambda: formatting.pct(100 * len(from_model) / len(counted)),
        "reliability.turns": lambda: f"{agreement.overall.units:,}",
        "reliability.kappa": lambda: f"{agreement.mean_code_kappa:.2f}",
        "reliability.alpha": lambda: f"{agreement.overall.alpha.value:.2f}",
        "tests.threshold": lambda: "0.05",
    }


def resolve(t: Truth, known: dict[str, Callable[[], str]], name: str) -> str:
    if name in known:
        return known[name]()
    if name.endswith(".headline"):
        return t.headline(name)
    if name.endswith(".top_label") and name.count(".") == 1:
        return t.top_label(name)
    m = re.fullmatch(r"themes\.([a-z_]+)\.(most|least)_raised_by", name)
    if m:
        return t.extreme(m.group(1), m.group(2) == "most")
    m = re.fullmatch(r"themes\.([a-z_]+)\.top_theme", name)
    if m:
        return t.top_theme(m.group(1))
    m = re.fullmatch(r"themes\.([a-z_.]+)\.(people|turns)", name)
    if m:
        hit = t.coded(m.group(1))
        n = len(hit & {r[0] for r in t.turns})
        if m.group(2) == "turns":
            return f"{n} turns ({formatting.pct(100 * n / len(t.turns))} of participants' turns)"
        raised = {r[2] for r in t.turns if r[0] in hit}
        return f"{len(raised)} of {len({r[2] for r in t.turns})}"
    if name in ("discussion.dominated_group", "discussion.near_silent"):
        said = {g: t.words(g) for g in t.groups}
        if name == "discussion.near_silent":
            quiet = sum(
                1 for c in said.values() for n in c.values() if n < 0.25 * c.total() / len(c)
            )
            return f"{quiet} of the {sum(len(c) for c in said.values())} participants who spoke"
        top = {g: sum(n for _, n in c.most_common(2)) / c.total() for g, c in said.items()}
        (g,) = [g for g in t.groups if top[g] == max(top.values())]
        return f"{g} (its two most talkative said {formatting.pct(100 * top[g])} of its participants' words)"
    if name == "discussion.moderator_share":
        turns = [turn for g in t.groups for turn in t.talk()[g]]
        words = sum(len(x[2].split()) for x in turns)
        said = sum(len(x[2].split()) for x in turns if x[3] == "facilitator")
        return f"{formatting.pct(100 * said / words)} of all words spoken"
    m = re.fullmatch(r"discussion\.([a-z_.]+)\.(unprompted|prompted_only)", name)
    if m:
        raised = {g: [r[1] for r in t.raised(g, m.group(1))] for g in t.groups}
        # unprompted in any of a group's transcripts wins over prompted in another
        if m.group(2) == "unprompted":
            picked = [g for g, prompted in raised.items() if not all(prompted)]
        else:
            picked = [g for g, prompted in raised.items() if prompted and all(prompted)]
        if not picked:
            return f"none of the {len(t.groups)} groups"
        listed = picked[0] if len(picked) == 1 else ", ".join(picked[:-1]) + " and " + picked[-1]
        return f"{len(picked)} of the {len(t.groups)} groups ({listed})"
    if name == "comparison.top_area":
        return t.top_area()
    m = re.fullmatch(r"comparison\.([a-z_]+)\.(civil_service|comparison|largest_gap)", name)
    if m:
        if m.group(2) == "largest_gap":
            return t.largest_gap(m.group(1))
        return t.sector_share(m.group(1), m.group(2))
    if name in t.stats:
        return t.survey(name)
    raise AssertionError(f"the test does not know how to recompute {{{{stat: {name}}}}}")


@pytest.fixture(scope="module")
def truth(demo_study: DemoSummary) -> Any:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        summary = analysis.load(store)
        instrument = load_instrument(demo_study.folder / "instrument.yaml")
        yield Truth(s, instrument, summary)


def test_every_value_a_placeholder_produced_is_recomputed(
    demo_study: DemoSummary, truth: Truth
) -> None:
    stats, _ = parse(demo_study.report.read_text(encoding="utf-8"))
    assert len(stats) >= 120
    known = facts(truth)
    wrong = [
        (name, shown, resolve(truth, known, name))
        for name, shown in stats
        if resolve(truth, known, name) != shown
    ]
    assert wrong == []
    assert {n for n, _ in stats} >= {
        "reliability.kappa",
        "themes.barriers.most_raised_by",
        "origin.top_pct.headline",
    }


def test_every_group_table_is_recounted(demo_study: DemoSummary, truth: Truth) -> None:
    _, tables = parse(demo_study.report.read_text(encoding="utf-8"))
    joint = [c for c in tables if c.endswith("turns in which each group raised each theme")]
    sides = [c for c in tables if c.endswith("civil service and comparison groups side by side")]
    assert len(joint) == len(sides) >= 4
    names = {
        name: key for key, name in truth.s.execute(sa.text("SELECT key, name FROM code")).all()
    }
    for caption in joint:
        header, *body = tables[caption]
        *themes, turns, words, people = body
        columns = truth.groups  # headed without the word "group", in report order
        assert header[1:] == [g.removesuffix(" group") for g in columns]
        assert turns[1:] == [f"{truth.column(c)[0]:,}" for c in columns]
        assert words[1:] == [f"{truth.column(c)[1]:,}" for c in columns]
        assert people[1:] == [f"{len(truth.column(c)[2]):,}" for c in columns]
        area = next(k for k, n in names.items() if caption.startswith(k))
        for row in themes:
            key = names[area] if row[0].startswith("Any theme") else names[row[0]]
            hit = truth.coded(key)
            for c, cell in zip(columns, row[1:], strict=True):
                n, total = truth.column(c, hit)[0], truth.column(c)[0]
                assert cell == f"{n} ({formatting.pct(100 * n / total)})", (caption, row[0], c)
    for caption in sides:
        header, *body = tables[caption]
        area = next(k for k, n in names.items() if caption.startswith(k))
        for row in body:
            key = names[area] if row[0].startswith("Any theme") else names[row[0]]
            hit = truth.coded(key)
            for i, side in enumerate(("All civil service", "All comparison")):
                n, w, raised = truth.column(side, hit)
                total, words, present = truth.column(side)
                assert row[1 + 3 * i : 4 + 3 * i] == [
                    f"{n} ({formatting.pct(100 * n / total)})",
                    formatting.pct(100 * w / words),
                    f"{len(raised)} of {len(present)}",
                ], (caption, row[0], side)


def test_every_discussion_table_is_recounted(demo_study: DemoSummary, truth: Truth) -> None:
    _, tables = parse(demo_study.report.read_text(encoding="utf-8"))
    found = [c for c in tables if c.endswith(": how the discussion developed in each group")]
    assert len(found) >= 2
    keys = {name: key for key, name in truth.s.execute(sa.text("SELECT key, name FROM code"))}
    for caption in found:
        header, *body = tables[caption]
        assert header[0] == "Group" and [r[0] for r in body] == truth.groups
        key = keys[caption.split(":")[0]]
        for row in body:
            raised = truth.raised(row[0], key)  # the group's first transcript that raised it
            if not raised:
                assert row[1:] == ["not raised", "–", "–", "–"]
                continue
            who, prompted, took_up, held = raised[0]
            assert row[1:] == [who, "yes" if prompted else "no", str(took_up), str(held)], row


def test_the_method_tables_are_recounted(demo_study: DemoSummary, truth: Truth) -> None:
    _, tables = parse(demo_study.report.read_text(encoding="utf-8"))
    groups = tables["The focus groups"][1:]
    recruited = dict(
        truth.s.execute(
            sa.text(
                "SELECT focus_group.label, COUNT(*) FROM participant JOIN focus_group "
                "ON focus_group.id = participant.focus_group_id GROUP BY focus_group.label"
            )
        ).all()
    )
    spoke = dict(
        truth.s.execute(
            sa.text(
                "SELECT focus_group.label, COUNT(DISTINCT participant.id) FROM speaker "
                "JOIN participant ON participant.id = speaker.participant_id "
                "JOIN focus_group ON focus_group.id = participant.focus_group_id "
                "WHERE speaker.role = 'participant' GROUP BY focus_group.label"
            )
        ).all()
    )
    assert [r[0] for r in groups] == truth.groups
    for label, _, rec, att, met in groups:
        assert (rec, att, met) == (str(recruited[label]), str(spoke[label]), "yes")
    response = {r[0]: r[1:] for r in tables["Survey response"][1:]}
    submitted = len(truth.rows)
    invited = truth.scalar("SELECT COUNT(*) FROM organisation")
    assert response["Submitted a response"] == [str(submitted), f"{100 * submitted / invited:.1f}"]
    tests = tables["Answers by organisation type: tests of association"][1:]
    kinds = {
        formatting.TEST_NAMES[v]
        for k, v in truth.stats.items()
        if k.endswith(".by_org_type.test") and v != "none"
    }
    assert {r[1] for r in tests} <= kinds and len(tests) == truth.stats["tests.count"]


def test_every_survey_question_table_is_recounted(demo_study: DemoSummary, truth: Truth) -> None:
    _, tables = parse(demo_study.report.read_text(encoding="utf-8"))
    checked = 0
    for q in truth.instrument.questions():
        if q.label not in tables:
            continue
        _, *rows = tables[q.label]
        answered = [a[q.key] for _, a in truth.rows if q.key in a]
        if q.type.is_numeric:
            values = {r[0]: r[1] for r in rows}
            assert values["Median"] == f"{statistics.median(answered):g}"
            assert values["Mean"] == f"{statistics.fmean(answered):.1f}"
            checked += 2
            continue
        if q.type is QuestionType.LIKERT_MATRIX:
            for row in rows:
                item = next(i for i in q.items if i.label == row[0])
                given = [a[item.key] for a in answered if a.get(item.key) is not None]
                high = sum(1 for v in given if q.choice_values.index(v) >= len(q.choices) - 2)
                assert (
                    row[1].rstrip("†") == str(high) and row[2] == f"{100 * high / len(given):.1f}"
                )
                checked += 1
            continue
        flat = Counter(
            a[0] if q.type is QuestionType.RANKING else v
            for a in answered
            for v in (
                [a[0]] if q.type is QuestionType.RANKING else a if isinstance(a, list) else [a]
            )
        )
        for row in rows:
            choice = next(c for c in q.choices if c.label == row[0])
            n = flat[choice.value]
            assert (
                row[1] == f"{n}{'†' if 0 < n < 5 else ''}"
                and row[2] == f"{100 * n / len(answered):.1f}"
            )
            checked += 1
    assert checked >= 40


def test_the_demo_report_reads_as_a_client_report(demo_study: DemoSummary) -> None:
    html = demo_study.report.read_text(encoding="utf-8")
    sections = re.findall(r'<section id="section-([a-z_]+)">', html)
    assert sections[:4] == ["purpose", "method", "general", "definitions"]
    assert "triggers" in sections and sections[-2:] == ["private_sector", "conclusions"]
    title = re.search(r"<title>(.*?)</title>", html)
    assert title is not None and title.group(1).lower().count("synthetic") == 1
    conclusions = html.split('id="section-conclusions"')[1].split("</section>")[0]
    assert conclusions.count('class="para"') >= 4 and 'class="gap"' not in html
    private = html.split('id="section-private_sector"')[1].split("</section>")[0]
    quoted = set(re.findall(r'<span class="attribution">\((.+?)\)</span>', private))
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        comparison = set(
            s.execute(
                sa.text(
                    "SELECT focus_group.label FROM focus_group JOIN group_type "
                    "ON group_type.id = focus_group.group_type_id WHERE group_type.sector = 'comparison'"
                )
            ).scalars()
        )
        everyone = set(s.execute(sa.text("SELECT label FROM focus_group")).scalars())
    assert quoted == comparison  # all four comparison groups
    assert set(re.findall(r'<span class="attribution">\((.+?)\)</span>', html)) == everyone
    assert html.count('<span class="elision">') >= 5 and 'class="lead-in"' in html
    assert "hyphens: manual" in html and "h2 { break-before: page; }" not in html
    assert Path(demo_study.folder / "narrative" / "accepted.json").exists()
