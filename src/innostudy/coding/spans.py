"""Character spans over segment text. Offsets are code points, end exclusive (Python slices)."""

from __future__ import annotations


def check_span(text: str, start: int, end: int) -> str | None:
    """Why [start, end) is not a usable span of ``text``, or None."""
    if start < 0 or end > len(text):
        return f"span {start}-{end} is outside the text (0-{len(text)})"
    if end <= start:
        return f"span {start}-{end} is empty"
    if not text[start:end].strip():
        return f"span {start}-{end} holds only white space"
    return None


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence-sized spans (split after . ! ? followed by white space), trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1].isspace()):
            spans.append(trim_span(text, start, i + 1))
            start = i + 1
    if start < len(text) and text[start:].strip():
        spans.append(trim_span(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]
