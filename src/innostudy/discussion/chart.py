"""Words per speaker in one session (or a pooled scope), in the house style.

One bar per speaker, participants first (most words at the top), then the moderator and
anyone else. Participants are the accent colour; near-silent participants orange, so the
quiet stand out without reading numbers; the moderator and others neutral grey. Each bar
is labelled with its words and share, and the subtitle gives the balance figures the
bars illustrate, so the chart can be read without the table.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from innostudy.analysis.charts import style
from innostudy.discussion.talk import SpeakerTalk, TalkBalance
from innostudy.wording import counted

QUIET = style.ORANGE
OTHERS = style.NEUTRAL


def talk_figure(label: str, talk: TalkBalance, *, synthetic: bool = False) -> Figure:
    """The figure itself (tests read its bars)."""
    speakers: list[SpeakerTalk] = [*talk.participants, *talk.others]
    fig = style.new_figure(style.bar_height(len(speakers)))
    ax = fig.add_subplot()
    ys = list(range(len(speakers)))[::-1]
    top = max((s.words for s in speakers), default=0) or 1
    for y, who in zip(ys, speakers, strict=True):
        colour = OTHERS if who.role != "participant" else style.ACCENT
        if who.speaker in talk.near_silent and who.role == "participant":
            colour = QUIET
        ax.barh(y, who.words, height=0.66, color=colour, linewidth=0)
        ax.text(
            who.words + top * 0.012,
            y,
            f"{who.words} ({100 * who.word_share:.0f}%)",
            va="center",
            fontsize=style.SMALL_SIZE,
            color=style.INK,
        )
    ax.set_yticks(ys, style.labels_for([s.speaker for s in speakers]))
    ax.set_ylim(-0.6, len(speakers) - 0.4)
    ax.set_xlim(0, top * 1.18)
    style.tidy_axes(ax)
    frame = style.Frame(f"Words per speaker: {label}", _subtitle(talk), _footer(talk, synthetic))
    style.decorate(fig, frame, ax)
    return fig


def _subtitle(talk: TalkBalance) -> str:
    n = len(talk.participants)
    parts = [f"Participants' shares are of their {talk.participant_words} words"]
    if talk.moderator_word_share is not None:
        parts.append(f"the moderator said {100 * talk.moderator_word_share:.0f}% of all words")
    if talk.gini is not None:
        parts.append(f"Gini {talk.gini:.2f} over {n} participants who spoke")
    if talk.near_silent:
        parts.append(f"near-silent (orange): {', '.join(talk.near_silent)}")
    return "; ".join(parts) + "."


def _footer(talk: TalkBalance, synthetic: bool) -> str:
    text = f"Source: verbatim transcripts, {counted(talk.turns, 'turn')}."
    return f"{text} Synthetic demo data." if synthetic else text


def talk_chart(label: str, talk: TalkBalance, fmt: str, synthetic: bool = False) -> bytes:
    """PNG or SVG bytes of ``talk_figure``."""
    return style.to_bytes(talk_figure(label, talk, synthetic=synthetic), fmt)
