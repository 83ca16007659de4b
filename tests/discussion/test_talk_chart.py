"""The talk chart draws one bar per speaker, as long as their words, quiet voices orange."""

from __future__ import annotations

from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from innostudy.analysis.charts import style
from innostudy.discussion.chart import talk_figure
from innostudy.discussion.talk import talk_balance
from innostudy.storage.store import StudyStore
from tests.conftest import Cli

from .conftest import SmallStudy
from .helpers import discussion, turn

WORDS = {"A": 40, "B": 30, "C": 2}


def _session() -> list:  # type: ignore[type-arg]
    return [
        turn(0, "M", "one two three four five"),
        *(turn(i, who, " ".join(["w"] * n)) for i, (who, n) in enumerate(WORDS.items(), 1)),
    ]


def test_one_bar_per_speaker_as_long_as_their_words() -> None:
    talk = talk_balance([discussion(_session())])
    assert talk.near_silent == ("C",)  # 2 < ¼ × 72 / 3
    fig = talk_figure("Session 1", talk)
    ax = fig.axes[0]
    at = {
        round(y): t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    }
    # top to bottom: participants by words, then the moderator
    assert [at[y] for y in sorted(at, reverse=True)] == ["A", "B", "C", "Facilitator"]
    bars = {
        at[round(p.get_y() + p.get_height() / 2)]: p for p in ax.patches if isinstance(p, Rectangle)
    }
    assert {k: b.get_width() for k, b in bars.items()} == {
        "A": 40,
        "B": 30,
        "C": 2,
        "Facilitator": 5,
    }
    assert {k: to_hex(b.get_facecolor()) for k, b in bars.items()} == {
        "A": style.ACCENT.lower(),
        "B": style.ACCENT.lower(),
        "C": style.ORANGE.lower(),
        "Facilitator": style.NEUTRAL.lower(),
    }
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["2 (3%)", "30 (42%)", "40 (56%)", "5 (6%)"]  # of 72; the moderator of 77
    words = [t.get_text() for t in fig.texts]
    assert words[0] == "Words per speaker: Session 1"
    assert "Gini" in words[1] and "near-silent (orange): C" in words[1]


def test_the_cli_writes_svg_and_png(small_study: SmallStudy, cli: Cli) -> None:
    from innostudy.model import Transcript

    with StudyStore.open(small_study.folder) as store, store.session() as s:
        found = s.get(Transcript, small_study.senior_transcript)
        assert found is not None
        session = found.session_id
    for name, magic in (("talk.svg", b"<?xml"), ("talk.png", b"\x89PNG")):
        out = small_study.folder / name
        result = cli("--study", small_study.folder, "discussion", "talk", "--session",
                     str(session), "--chart", out)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert result.stderr.strip() == f"Wrote {out}"
        assert out.read_bytes().startswith(magic)
    svg = (small_study.folder / "talk.svg").read_text()
    # two participants' bars in the accent, the moderator's in grey; nobody near-silent
    assert svg.count(f"fill: {style.ACCENT.lower()}") == 2
    assert svg.count(f"fill: {style.NEUTRAL.lower()}") == 1
    assert svg.count(f"fill: {style.ORANGE.lower()}") == 0
