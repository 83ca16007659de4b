"""Lines for synthetic spoken focus groups: a moderator's questions and participants' answers.

Written for this project (synthetic, like all demo data). Words only, no digits or
names, so a word error rate measures hearing rather than number formatting or redaction.
"""

from __future__ import annotations

import random

from innostudy.demo.speech import Line

QUESTIONS = (
    "Thank you all for coming today. Let us start with how your innovation began.",
    "Where did the idea first come from in your organisation?",
    "What pushed the project forward once it had started?",
    "How did the budget cycle affect your plans?",
    "What got in the way, and what helped you most?",
    "Did anyone measure the impact on the people who use the service?",
    "How long did it take from the first idea to the full roll out?",
    "Would the private sector have done this any differently?",
    "What would you tell a team that is about to try something similar?",
    "Let us move on to the costs. Was there a business case?",
)

ANSWERS = (
    "Our idea came from the front line staff who saw the same problem every week.",
    "In my department it was the minister who pushed for it after a critical report.",
    "We had no business case at the start, we simply tried a small pilot.",
    "The pilot took about six months and then the roll out took much longer.",
    "Procurement rules slowed us down more than anything else.",
    "I would say fear of failure is the real barrier, nobody wants to be blamed.",
    "We asked users before and after, and satisfaction went up clearly.",
    "We never had a baseline, so we cannot really prove what changed.",
    "Leadership made the difference for us, our director protected the team.",
    "Working with contractors was hard because the contract was written for the old system.",
    "The financial year ends in March, so everything has to be spent in a hurry.",
    "In the private sector we would simply move money to where it works.",
    "Cooperation between departments only happened because of one shared target.",
    "The technology was the easy part, changing how people work was the hard part.",
    "Our users told us the old forms were confusing, so we started there.",
    "A local council had already done something similar, and we learned from them.",
    "We had to wait for the next spending review before we could begin.",
    "The approval process had four separate gateways, each with its own board.",
    "Staff were worried about their jobs, so we involved them from the beginning.",
    "Once the first results came in, senior managers became much more supportive.",
    "Nobody rewards you for taking a risk, but everyone notices when it goes wrong.",
    "The legislation had not caught up with what the service needed to do.",
    "We saved money on printing and postage almost immediately.",
    "Response times improved, and complaints fell over the following year.",
    "I think the categories in the survey miss the small everyday changes.",
    "For us an innovation is anything that changes what the user experiences.",
    "We spent more time on the business case than on building the thing itself.",
    "Partners in the voluntary sector brought ideas we would never have had.",
    "Our IT supplier could not change the system without a new contract.",
    "The pilot worked in one region, but rolling it out everywhere was another matter.",
    "Skills were a problem, we had very few people who understood data.",
    "Silos between teams meant that nobody owned the whole process.",
    "The crisis forced us to move faster than we ever had before.",
    "We measured efficiency, but not whether the service actually got better.",
    "Senior sponsorship kept the project alive when the money was tight.",
    "Joined up working improved because the teams finally shared one building.",
    "The private companies we worked with expected decisions within days, not months.",
    "Customer evidence was thin, we relied on what staff told us.",
    "I would tell them to start small and to show results early.",
    "Our board only agreed once we had found savings elsewhere to pay for it.",
)


def focus_group(speakers: list[str], lines: int, rng: random.Random) -> list[Line]:
    """``speakers[0]`` moderates: asks, then two to four others answer, in a shuffled order."""
    moderator, others = speakers[0], speakers[1:]
    script: list[Line] = []
    answers = list(ANSWERS)
    rng.shuffle(answers)
    asked = 0
    while len(script) < lines:
        script.append(Line(moderator, QUESTIONS[asked % len(QUESTIONS)]))
        asked += 1
        for who in rng.sample(others, min(len(others), rng.randint(2, 4))):
            if len(script) >= lines:
                break
            if not answers:
                answers = list(ANSWERS)
                rng.shuffle(answers)
            script.append(Line(who, answers.pop()))
    return script
