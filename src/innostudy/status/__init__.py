"""Where a study stands in the pipeline, and the next command to run with the reason.

``study_status(store)`` counts what the study holds at each stage (``facts``) and judges
each step (``steps``); ``innostudy status`` prints it. It is the newcomer's path from
``init`` to ``report``: after each command, it says what the study now holds and what
comes next.
"""

from __future__ import annotations

from dataclasses import dataclass

from innostudy.status.facts import Facts, gather
from innostudy.status.steps import DONE, LATER, NOTE, TODO, Next, Step, all_steps, first
from innostudy.storage.store import StudyStore

__all__ = ["DONE", "LATER", "NOTE", "TODO", "Next", "Step", "StudyStatus", "study_status"]


@dataclass(frozen=True)
class StudyStatus:
    facts: Facts
    steps: list[Step]
    next: Next | None  # the first step to do
    also: Next | None  # worth doing, blocks nothing

    def lines(self) -> list[str]:
        """The status as a person reads it: one line per step, then what to run next."""
        width = max(len(s.name) for s in self.steps)
        marks = {DONE: "✓", TODO: "·", NOTE: "!", LATER: "-"}
        out = [f"{self.facts.study_name} ({self.facts.folder})", ""]
        for number, step in enumerate(self.steps, start=1):
            out.append(f"{number:>2} {marks[step.state]} {step.name:<{width}}  {step.summary}")
        out.append("")
        if self.next is not None:
            out += [f"Next: {self.next.command}", f"  because {self.next.reason}."]
        else:
            out.append("Every step is done: the report is up to date with the data.")
        if self.also is not None:
            out += [f"Also worth running: {self.also.command}", f"  ({self.also.reason})."]
        return out


def study_status(store: StudyStore) -> StudyStatus:
    facts = gather(store)
    steps = all_steps(facts)
    return StudyStatus(facts, steps, first(steps, TODO), first(steps, NOTE))
