"""The pipeline as steps: what each holds, whether it is done, and what to run next and why.

Pure functions of ``Facts``. A step is *done*; *to do* (with the command that does it,
unless an earlier step must come first); a *note* (worth doing, does not block: unmapped
speakers when other turns can be coded, suggestions waiting, reliability); or *later*
(optional, or nothing to do until an earlier step has data). The next
command is the first step to do, in pipeline order; commands name real IDs and files of
the study where it has them, and UPPERCASE placeholders where the user must choose.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from innostudy.status.facts import Facts

DONE, TODO, NOTE, LATER = "done", "to do", "note", "later"


@dataclass(frozen=True)
class Next:
    command: str
    reason: str


@dataclass(frozen=True)
class Step:
    name: str
    state: str
    summary: str
    next: Next | None = None


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def _names(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _q(text: str) -> str:
    return shlex.quote(text)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _older(output: datetime | None, data: datetime | None) -> bool:
    return output is not None and data is not None and output < data


def instrument(f: Facts) -> Step:
    if f.instrument_problem:
        fix = Next(
            "innostudy survey check", f"the instrument does not load: {f.instrument_problem}"
        )
        return Step("Instrument", TODO, f"{f.instrument_file} has a problem", fix)
    summary = f"{_n(f.questions, 'question')} in {_n(f.sections, 'section')} ({f.instrument_file})"
    return Step("Instrument", DONE, summary)


def invitations(f: Facts) -> Step:
    if not f.organisations:
        return Step(
            "Invitations",
            TODO,
            "no organisation registered",
            Next(
                "innostudy survey invite ORGANISATIONS.csv",
                "no organisation is registered yet: invite the organisations in scope "
                "(a CSV or XLSX with organisation, type, contact, email); each gets a "
                "personal survey link in a mail-merge file",
            ),
        )
    return Step(
        "Invitations", DONE, f"{_n(f.organisations, 'organisation')}, {f.with_link:,} with a link"
    )


def responses(f: Facts) -> Step:
    submitted = f.responses.get("submitted", 0)
    summary = (
        f"{submitted:,} submitted, {_n(f.responses.get('draft', 0), 'draft')}, "
        f"{f.responses.get('invited', 0):,} not started"
    )
    if submitted:
        return Step("Responses", DONE, summary)
    return Step(
        "Responses",
        TODO,
        summary,
        Next(
            "innostudy survey import RESPONSES.csv",
            "no response has been submitted yet: import a survey export (Qualtrics, "
            "LimeSurvey, Kobo, REDCap, SPSS or CSV/XLSX), or let respondents answer "
            "through their links (`innostudy serve`)",
        ),
    )


def analysis(f: Facts) -> Step:
    if f.analysis_at is None:
        why = "the survey has not been analysed yet: figures per area, tables and charts"
        return Step("Analysis", TODO, "not run", Next("innostudy analyse", why))
    if _older(f.analysis_at, f.last_answer_at):
        why = (
            f"the analysis ({_when(f.analysis_at)}) is older than the latest answer "
            f"({_when(f.last_answer_at)})"
        )
        return Step(
            "Analysis",
            TODO,
            f"out of date ({_when(f.analysis_at)})",
            Next("innostudy analyse", why),
        )
    return Step("Analysis", DONE, f"analysis/ written {_when(f.analysis_at)}")


def briefing(f: Facts) -> Step:
    if f.briefing_at is None:
        why = "the focus groups start from a briefing on the survey: slides and a handout"
        return Step("Briefing", TODO, "not written", Next("innostudy brief", why))
    if _older(f.briefing_at, f.last_answer_at):
        why = f"the briefing ({_when(f.briefing_at)}) is older than the latest answer"
        return Step("Briefing", TODO, "out of date", Next("innostudy brief", why))
    return Step("Briefing", DONE, f"briefing/ written {_when(f.briefing_at)}")


def groups(f: Facts) -> Step:
    if not f.groups:
        types = _names(f.group_types, 7)
        return Step(
            "Groups",
            TODO,
            "no focus group",
            Next(
                "innostudy groups add NAME --type TYPE",
                f"no focus group is set up yet; this study's group types are {types} "
                "(`innostudy groups plan` proposes groups and people from the survey)",
            ),
        )
    summary = _n(len(f.groups), "focus group")
    if not f.small_groups:
        return Step("Groups", DONE, summary)
    name, size, minimum = f.small_groups[0]
    return Step(
        "Groups",
        NOTE,
        f"{summary}; {_n(len(f.small_groups), 'group')} below the minimum size",
        Next(
            f"innostudy participants add --group {_q(name)} --name 'FULL NAME'",
            f"{name} has {_n(size, 'participant')}, fewer than the {minimum} its group type needs",
        ),
    )


def participants(f: Facts) -> Step:
    if f.participants:
        return Step("Participants", DONE, f"{_n(len(f.participants), 'participant')}")
    group = _q(f.groups[0]) if f.groups else "NAME"
    return Step(
        "Participants",
        TODO,
        "nobody recruited",
        Next(
            f"innostudy participants add --group {group} --name 'FULL NAME'",
            "no participant is recorded yet: add people one by one (their names stay "
            "apart; analysis sees codes such as SCS-01), or import a recruitment sheet "
            "with `innostudy participants import SHEET.csv`",
        ),
    )


def consent(f: Facts) -> Step:
    summary = (
        f"{f.may_quote:,} of {_n(len(f.participants), 'participant')} may be quoted, "
        f"{f.withdrawn:,} withdrawn"
    )
    if not f.participants:
        return Step("Consent", TODO, "no participant yet")
    if not f.no_consent:
        return Step("Consent", DONE, summary)
    return Step(
        "Consent",
        TODO,
        f"{summary}; nothing recorded for {_n(len(f.no_consent), 'participant')}",
        Next(
            f"innostudy consent record {f.no_consent[0]} --audio yes --quotation yes",
            f"no consent is recorded for {_names(f.no_consent)}: without a yes to "
            "quotation their words cannot be quoted in the report",
        ),
    )


def sessions(f: Facts) -> Step:
    if f.sessions:
        return Step("Sessions", DONE, _n(len(f.sessions), "session"))
    group = _q(f.groups[0]) if f.groups else "NAME"
    return Step(
        "Sessions",
        TODO,
        "no session",
        Next(
            f"innostudy sessions add --group {group} --date YYYY-MM-DD",
            "no focus-group session is recorded yet: a transcript belongs to a session",
        ),
    )


def transcripts(f: Facts) -> Step:
    summary = f"{_n(f.transcripts, 'transcript')}, {_n(f.turns, 'turn')}"
    waiting = f.sessions_without_transcript
    if not waiting:
        return Step("Transcripts", DONE if f.transcripts else TODO, summary)
    session_id, name = waiting[0]
    step = Step(
        "Transcripts",
        TODO if not f.transcripts else NOTE,
        f"{summary}; {_n(len(waiting), 'session')} without one",
        Next(
            f"innostudy transcripts import FILE --session {session_id}",
            f"session {session_id} ({name}) has no transcript yet: import the Teams or "
            "Zoom VTT, an SRT, a Word document or a text file of it",
        ),
    )
    return step


def speakers(f: Facts) -> Step:
    if not f.transcripts:
        return Step("Speakers", TODO, "no transcript yet")
    if not f.unmapped:
        return Step("Speakers", DONE, "every speaker label mapped")
    first = f.unmapped[0]
    labels = [label for u in f.unmapped for label in u.labels]
    state = TODO if not f.participant_turns else NOTE
    return Step(
        "Speakers",
        state,
        f"{_n(len(labels), 'label')} not mapped ({_names(labels)})",
        Next(
            f"innostudy transcripts map-speakers {first.transcript_id}",
            f"{_n(len(first.labels), 'speaker label')} in transcript {first.transcript_id} "
            f"({first.transcript}) {'is' if len(first.labels) == 1 else 'are'} not mapped to "
            "a participant, so their turns cannot be coded",
        ),
    )


def codebook(f: Facts) -> Step:
    return Step(
        "Codebook", DONE if f.codes else TODO, f"{_n(f.codes, 'code')} in {_n(f.areas, 'area')}"
    )


def coding(f: Facts) -> Step:
    summary = (
        f"{_n(f.accepted, 'accepted coding')} by {_n(len(f.people), 'person', 'people')} "
        f"on {f.coded_turns:,} of {_n(f.participant_turns, 'participant turn')}"
    )
    if f.accepted:
        return Step("Coding", DONE, summary)
    if not f.participant_turns:
        return Step("Coding", TODO, summary)  # the steps above say what is missing
    if f.open_suggestions:
        first = f.open_suggestions[0]
        return Step(
            "Coding",
            TODO,
            summary,
            Next(
                f"innostudy code review {first} --coder NAME --accept",
                f"{_n(len(f.open_suggestions), 'suggestion')} wait for a person: only "
                "codings a person accepted count (or use the web workbench)",
            ),
        )
    return Step(
        "Coding",
        TODO,
        summary,
        Next(
            "innostudy code suggest",
            "no turn is coded yet: the model suggests a code for each participant turn "
            "(nothing is applied until a person accepts it); or code by hand with "
            "`innostudy code apply SEGMENT CODE --coder NAME`",
        ),
    )


def suggestions(f: Facts) -> Step:
    waiting = len(f.open_suggestions)
    summary = f"{_n(f.suggestions_made, 'suggestion')} made, {waiting:,} waiting for review"
    if not waiting:
        return Step("Suggestions", DONE if f.suggestions_made else LATER, summary)
    return Step(
        "Suggestions",
        NOTE,
        summary,
        Next(
            f"innostudy code review {f.open_suggestions[0]} --coder NAME --accept",
            f"{_n(waiting, 'suggestion')} {'waits' if waiting == 1 else 'wait'} for a person",
        ),
    )


def reliability(f: Facts) -> Step:
    people = sorted(f.people)
    if len(people) >= 2:
        a, b = _q(people[0]), _q(people[1])
        return Step(
            "Reliability",
            NOTE,
            f"{_n(len(people), 'person', 'people')} coded ({_names(people)})",
            Next(
                f"innostudy code reliability -c {a} -c {b}",
                f"{_names(people)} coded: reliability says how far two coders agree on "
                "the turns both coded",
            ),
        )
    return Step(
        "Reliability",
        LATER,
        "needs a second person coding the same turns"
        if people
        else "needs two people coding the same turns",
    )


def quotes(f: Facts) -> Step:
    summary = f"{_n(f.quotes, 'quote')} selected, {f.usable_quotes:,} may be shown"
    refused = "; ".join(f"{n} because {why}" for why, n in f.quote_refusals.items())
    if refused:
        summary += f" (not shown: {refused})"
    if f.quote_problem:
        why = f"a quote stops the report: {f.quote_problem}"
        return Step("Quotes", TODO, summary, Next("innostudy quotes list", why))
    if f.usable_quotes:
        return Step("Quotes", DONE, summary)
    if f.quotable_coding is not None:
        return Step(
            "Quotes",
            TODO,
            summary,
            Next(
                f"innostudy quotes add {f.quotable_coding}",
                "no quote is chosen yet: the report shows verbatim quotes chosen from "
                f"coded turns (coding {f.quotable_coding} may be quoted; "
                "`innostudy code list` shows the others)",
            ),
        )
    if f.accepted:
        return Step(
            "Quotes",
            TODO,
            summary,
            Next(
                "innostudy participants list",
                "no coded turn may be quoted: quotes need a verbatim transcript and a "
                "participant who said yes to quotation",
            ),
        )
    return Step("Quotes", TODO, summary)


def report(f: Facts) -> Step:
    if not f.narrative:
        return Step(
            "Report",
            TODO,
            "no narrative yet",
            Next(
                "innostudy report init",
                "the report is written from a narrative (Markdown per section with "
                "placeholders for figures and quotes); this writes the starting one to edit",
            ),
        )
    if f.report_at is None or _older(f.report_at, f.last_change_at):
        why = (
            "the report has not been rendered yet"
            if f.report_at is None
            else f"the report ({_when(f.report_at)}) is older than the latest change "
            f"({_when(f.last_change_at)})"
        )
        return Step(
            "Report",
            TODO,
            "not rendered" if f.report_at is None else "out of date",
            Next("innostudy report", why),
        )
    return Step("Report", DONE, f"report/ rendered {_when(f.report_at)}")


PIPELINE: tuple[Callable[[Facts], Step], ...] = (
    instrument,
    invitations,
    responses,
    analysis,
    briefing,
    groups,
    participants,
    consent,
    sessions,
    transcripts,
    speakers,
    codebook,
    coding,
    suggestions,
    reliability,
    quotes,
    report,
)


def all_steps(facts: Facts) -> list[Step]:
    return [step(facts) for step in PIPELINE]


def first(steps: list[Step], state: str) -> Next | None:
    """The command of the first step in ``state``, in pipeline order."""
    return next((s.next for s in steps if s.state == state and s.next is not None), None)
