"""The demo's focus-group scripts: one play script per group type, read into typed turns.

A script is written like a play, one turn per line, so that its author can read the
discussion aloud and see who answers whom; in YAML the keys and quoting would stand
between the writer and the talk. Everything the generator later treats as ground truth
(codes, stances, prompts, intended dynamics) is written next to the words it describes::

    @group cs_project                       the group type this script is for
    @person A Project manager | noquote     a participant: letter, role, consent flags
    @dynamic dominated A B                  what the discussion is meant to show
    == costs                                the area now under discussion
    M~11: [Briefing …] So, first …         the moderator; ~11: opens with 11 untranscribed minutes
    M>risk+barriers: What about blame?      the moderator names themes or areas (a prompt)
    A approval+speed qualify cmp: Yes, but… a participant: codes, stance, compares sectors
    B -: Sorry, go on.                      a participant's turn with no code

Codes are written by their last part (``risk`` for ``barriers.risk``); a coded turn's
stance toward the theme as it stood is ``new`` (the default), ``agree``, ``disagree`` or
``qualify``. In the text, ``$B`` is participant B's given name, ``((…))`` a stretch an
analyst may elide from a quote and ``word{…}`` a clarification they may add after it.
Every problem is reported as an :class:`InputError` naming the script's line.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from innostudy.errors import InputError

MODERATOR = "M"
_LETTERS = "ABCDEFGHIJKL"
_TURN = re.compile(
    r"^(?P<who>[A-Z])(?:~(?P<minutes>\d+))?(?:>(?P<prompt>[\w.+]+))?"
    r"(?: (?P<codes>[\w.+]+|-)(?: (?P<stance>[a-z]+))?(?P<cmp> cmp)?)?: (?P<text>\S.*)$"
)
_NAME = re.compile(r"\$([A-Z])")
_MARKUP = re.compile(r"\(\((?P<elide>.+?)\)\)|\{(?P<clarify>[^{}]+)\}")
DYNAMICS = {"dominated", "split", "unprompted", "prompted", "quiet"}


class Stance(enum.StrEnum):
    NEW = "new"
    AGREE = "agree"
    DISAGREE = "disagree"
    QUALIFY = "qualify"


@dataclass(frozen=True)
class QuoteEdit:
    """How an analyst could quote a turn: stretches left out, clarifications put in."""

    elided: tuple[tuple[int, int], ...]  # spans of the plain text left out
    clarifications: tuple[tuple[int, str], ...]  # (offset after a word, inserted text)

    def render(self, text: str) -> str:
        """The edited quote: ". . ." for each elision, "[text]" for each clarification."""
        cuts = sorted(
            [(s, e, " . . . ") for s, e in self.elided]
            + [(at, at, f" [{words}]") for at, words in self.clarifications]
        )
        out, done = [], 0
        for start, end, insert in cuts:
            piece = text[done:start]
            out.append(piece.rstrip() if insert.startswith(" . ") else piece)
            out.append(insert)
            done = end
            if insert.startswith(" . "):
                while done < len(text) and text[done] == " ":
                    done += 1
        out.append(text[done:])
        return "".join(out).strip()


@dataclass(frozen=True)
class ScriptTurn:
    line: int
    who: str  # MODERATOR or a participant letter
    text: str  # as spoken, with $X name slots still in it
    codes: tuple[str, ...] = ()  # full code keys this turn was written for
    stance: Stance | None = None  # toward the theme as it stood (coded turns only)
    prompt: tuple[str, ...] = ()  # themes (code keys) or areas the moderator names
    compares: bool = False  # compares public-sector with private-sector practice
    pause_minutes: int = 0  # an untranscribed stretch the turn opens with (briefing, exercise)
    quote: QuoteEdit | None = None


@dataclass(frozen=True)
class ScriptPerson:
    letter: str
    role: str
    quotation: bool = True
    withdrawn: bool = False


@dataclass(frozen=True)
class Script:
    group_type: str
    people: tuple[ScriptPerson, ...]
    dynamics: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, arguments) as declared
    turns: tuple[ScriptTurn, ...]

    def person(self, letter: str) -> ScriptPerson:
        return next(p for p in self.people if p.letter == letter)


def script_names() -> list[str]:
    """The group types that have a script, in file-name order."""
    folder = resources.files("innostudy.demo").joinpath("scripts")
    return sorted(p.name.removesuffix(".txt") for p in folder.iterdir() if p.name.endswith(".txt"))


def load_script(group_type: str, codes: list[str]) -> Script:
    """The packaged script for a group type; ``codes`` are the codebook's keys."""
    resource = resources.files("innostudy.demo").joinpath("scripts", f"{group_type}.txt")
    return parse_script(resource.read_text(encoding="utf-8"), f"scripts/{group_type}.txt", codes)


def parse_script(text: str, file: str | Path, codes: list[str]) -> Script:
    parser = _Parser(str(file), codes)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            parser.read(number, line)
    return parser.finish(len(text.splitlines()))


class _Parser:
    def __init__(self, file: str, codes: list[str]) -> None:
        self.file = file
        self.keys = set(codes)
        self.short = {k.rsplit(".", 1)[-1]: k for k in codes if "." in k}
        self.areas = {k for k in codes if "." not in k}
        self.group_type = ""
        self.people: dict[str, ScriptPerson] = {}
        self.dynamics: list[tuple[str, tuple[str, ...]]] = []
        self.turns: list[ScriptTurn] = []

    def error(self, line: int, field: str, message: str) -> InputError:
        return InputError(self.file, line, field, message, unit="line")

    def read(self, number: int, line: str) -> None:
        if line.startswith("@"):
            self._directive(number, line)
        elif line.startswith("=="):
            area = line[2:].strip()
            if area not in self.areas and area not in ("opening", "close"):
                raise self.error(number, "area", f"unknown area '{area}'")
        else:
            self.turns.append(self._turn(number, line))

    def _directive(self, number: int, line: str) -> None:
        name, _, rest = line[1:].partition(" ")
        if name == "group":
            self.group_type = rest.strip()
        elif name == "person":
            self._person(number, rest)
        elif name == "dynamic":
            kind, *args = rest.split()
            if kind not in DYNAMICS:
                raise self.error(number, "dynamic", f"unknown dynamic '{kind}'")
            resolved = [a if a in self.people else self._code(number, a, "dynamic") for a in args]
            self.dynamics.append((kind, tuple(resolved)))
        else:
            raise self.error(number, "directive", f"unknown directive '@{name}'")

    def _person(self, number: int, rest: str) -> None:
        head, _, flags = rest.partition("|")
        letter, _, role = head.strip().partition(" ")
        if letter not in _LETTERS or letter in self.people or not role:
            raise self.error(number, "person", f"expected a new letter A-L and a role: '{rest}'")
        marks = set(flags.split())
        if marks - {"noquote", "withdrawn"}:
            raise self.error(number, "person", f"unknown flags {sorted(marks)}")
        self.people[letter] = ScriptPerson(
            letter, role.strip(), "noquote" not in marks, "withdrawn" in marks
        )

    def _turn(self, number: int, line: str) -> ScriptTurn:
        m = _TURN.match(line)
        if m is None:
            raise self.error(number, "turn", "expected 'A codes [stance] [cmp]: text' or 'M: text'")
        who = m["who"]
        moderator = who == MODERATOR
        if not moderator and who not in self.people:
            raise self.error(number, "speaker", f"'{who}' is not a declared @person")
        if moderator == (m["codes"] is not None) or (
            not moderator and (m["minutes"] or m["prompt"])
        ):
            raise self.error(
                number, "turn", "only M takes ~minutes and >prompts; only people take codes"
            )
        if self.turns and self.turns[-1].who == who:
            raise self.error(number, "speaker", f"'{who}' speaks twice in a row; make it one turn")
        codes = self._codes(number, m["codes"])
        stance = self._stance(number, m["stance"], codes)
        text, quote = self._text(number, m["text"], who)
        return ScriptTurn(
            line=number,
            who=who,
            text=text,
            codes=codes,
            stance=stance,
            prompt=tuple(
                self._code(number, p, "prompt") for p in (m["prompt"] or "").split("+") if p
            ),
            compares=bool(m["cmp"]),
            pause_minutes=int(m["minutes"] or 0),
            quote=quote,
        )

    def _codes(self, number: int, field: str | None) -> tuple[str, ...]:
        if field is None or field == "-":
            return ()
        return tuple(self._code(number, c, "codes") for c in field.split("+"))

    def _code(self, number: int, name: str, field: str) -> str:
        if name in self.keys:
            return name
        if name in self.short:
            return self.short[name]
        raise self.error(number, field, f"unknown code or area '{name}'")

    def _stance(self, number: int, word: str | None, codes: tuple[str, ...]) -> Stance | None:
        if word is None:
            return Stance.NEW if codes else None
        if not codes:
            raise self.error(number, "stance", "a turn with no code takes no stance")
        try:
            return Stance(word)
        except ValueError:
            raise self.error(number, "stance", f"unknown stance '{word}'") from None

    def _text(self, number: int, raw: str, who: str) -> tuple[str, QuoteEdit | None]:
        for name in _NAME.findall(raw):
            if name not in self.people or name == who:
                raise self.error(number, "text", f"${name} names nobody else in the group")
            if self.people[name].withdrawn:
                raise self.error(number, "text", f"${name} withdrew; nobody may echo them")
        elided: list[tuple[int, int]] = []
        clarifications: list[tuple[int, str]] = []
        out, done = "", 0
        for m in _MARKUP.finditer(raw):
            out += raw[done : m.start()]
            if m["elide"] is not None:
                elided.append((len(out), len(out) + len(m["elide"])))
                out += m["elide"]
            else:
                clarifications.append((len(out), m["clarify"]))
            done = m.end()
        out += raw[done:]
        if (elided or clarifications) and _NAME.search(out):
            raise self.error(number, "text", "a quotable turn may not name anyone")
        if any(mark in out for mark in ("((", "))", "{", "}")):
            raise self.error(number, "text", "unbalanced (( )) or { } markup")
        quote = (
            QuoteEdit(tuple(elided), tuple(clarifications)) if elided or clarifications else None
        )
        return out, quote

    def finish(self, lines: int) -> Script:
        if not self.group_type:
            raise self.error(1, "group", "the script names no @group")
        silent = set(self.people) - {t.who for t in self.turns}
        if silent:
            raise self.error(lines, "person", f"declared but never speak: {sorted(silent)}")
        return Script(
            self.group_type, tuple(self.people.values()), tuple(self.dynamics), tuple(self.turns)
        )
