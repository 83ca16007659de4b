"""`report check`: values changed since --accept, numbers typed by hand, quote blocks that
leave groups out; and `report draft`, whose every sentence is placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Participant, utcnow
from innostudy.reporting.placeholders import find_placeholders
from innostudy.storage.store import StudyStore
from tests.conftest import Cli


def warnings(stderr: str) -> list[str]:
    return [
        line.removeprefix("warning: ")
        for line in stderr.splitlines()
        if line.startswith("warning: ")
    ]


def test_the_demo_was_accepted_and_a_changed_value_is_named(cli: Cli, demo_copy: Path) -> None:
    clean = cli("--study", demo_copy, "report", "check")
    assert clean.exit_code == 0, clean.stderr
    assert clean.stdout.strip().endswith("0 gaps, 0 warnings")
    with StudyStore.open(demo_copy) as store, store.session() as s:
        before = sum(
            1 for p in s.scalars(sa.select(Participant)) if p.consent and p.consent.withdrawn_at
        )
        person = next(
            p for p in s.scalars(sa.select(Participant)) if p.consent and not p.consent.withdrawn_at
        )
        person.consent.withdrawn_at = utcnow()  # type: ignore[union-attr]
    changed = cli("--study", demo_copy, "report", "check")
    assert changed.exit_code == 0
    found = warnings(changed.stderr)
    assert (
        "narrative/02-method.md: {{stat: participants.withdrawn}} was "
        f"'{before}' when the text was accepted and is now '{before + 1}'; reread the sentence "
        "around it"
    ) in found
    accepted = cli("--study", demo_copy, "report", "check", "--accept")
    assert accepted.exit_code == 0 and "Recorded the values as read" in accepted.stdout
    assert warnings(cli("--study", demo_copy, "report", "check").stderr) == []


def test_a_number_typed_by_hand_is_named_with_its_line(cli: Cli, demo_copy: Path) -> None:
    narrative = demo_copy / "narrative" / "04-costs.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8")
        + "\nSeven groups met, and 12 people spoke for 90% of it.\n",
        encoding="utf-8",
    )
    line = (
        narrative.read_text(encoding="utf-8")
        .splitlines()
        .index("Seven groups met, and 12 people spoke for 90% of it.")
        + 1
    )
    result = cli("--study", demo_copy, "report", "check")
    assert result.exit_code == 0
    assert warnings(result.stderr) == [
        f"narrative/04-costs.md, line {line}: the number '{n}' was typed by hand; no placeholder "
        "produced it, so the data may no longer support it"
        for n in ("12", "90%")
    ]


def test_a_quote_block_names_the_groups_it_leaves_out(cli: Cli, demo_copy: Path) -> None:
    narrative = demo_copy / "narrative" / "09-conclusions.md"
    narrative.write_text("{{quotes: code=barriers limit=2}}\n", encoding="utf-8")
    result = cli("--study", demo_copy, "report", "check")
    assert result.exit_code == 0
    (found,) = warnings(result.stderr)
    assert found.startswith(
        "narrative/09-conclusions.md: {{quotes: code=barriers limit=2}} shows no quote from "
    )
    assert found.count(" group") >= 5  # seven groups have barrier quotes; two are shown


def test_report_draft_writes_placeholder_sentences_and_candidates(
    cli: Cli, demo_copy: Path
) -> None:
    result = cli("--study", demo_copy, "report", "draft", "--area", "barriers")
    assert result.exit_code == 0, result.stderr
    draft = demo_copy / "narrative" / "draft-barriers.md"
    text = draft.read_text(encoding="utf-8")
    prose = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", prose) if s.strip()]
    assert sentences and all(find_placeholders(s) for s in sentences), sentences
    assert "{{comparison: barriers}}" in text and "{{quotes: code=barriers per_group=1}}" in text
    candidates = re.findall(
        r"^     (.+?), barriers\.\S+ \((\d\.\d\d)\): innostudy quotes add (\d+)", text, re.M
    )
    groups = [g for g, _, _ in candidates]
    assert len(set(groups)) == 7 and all(groups.count(g) <= 2 for g in groups)
    again = cli("--study", demo_copy, "report", "draft", "--area", "barriers")
    assert again.exit_code == 1 and "pass --force" in again.stderr
    outline = demo_copy / "narrative" / "outline.yaml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace(
            "file: 06-barriers.md", "file: draft-barriers.md"
        ),
        encoding="utf-8",
    )
    quote = cli("--study", demo_copy, "quotes", "add", candidates[0][2])
    assert quote.exit_code == 0, quote.stderr
    rendered = cli("--study", demo_copy, "report", "--format", "md")
    assert rendered.exit_code == 0, rendered.stderr
    md = (demo_copy / "report" / "report.md").read_text(encoding="utf-8")
    assert "organisations ranked “Reluctance to adopt new ways of working” first most often" in md
    bad = cli("--study", demo_copy, "report", "draft", "--area", "nowhere")
    assert bad.exit_code == 1 and "nowhere" in bad.stderr
