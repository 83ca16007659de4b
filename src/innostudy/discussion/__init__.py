"""How each discussion developed: who spoke, who raised each theme, where a group agreed.

Pure measures over plain turns (``turns.Turn``), so every figure can be recomputed by
hand in a test: ``talk`` (talk and balance), ``flow`` (themes in the flow of talk, with
``naming`` deciding what a moderator's turn names), ``positions`` (agreement and dissent
from coders' stances). ``study`` reads a study's turns once, through the consent-aware
segment query and the main coding, and hands them to the measures. docs/discussion.md
explains each measure and its limits.
"""
