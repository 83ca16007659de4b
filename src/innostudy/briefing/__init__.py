"""The focus-group briefing: slides with speaker notes (PowerPoint, HTML, PDF) and a handout.

``build.build_briefing(store)`` is the entry point; ``compose`` decides what is said,
``pptx_deck`` and ``html_deck`` (+ ``pdf``) how it is drawn.
"""
