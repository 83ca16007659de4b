"""REFI-QDA exchange: ``.qdpx`` projects and ``.qdc`` codebooks, in and out.

Layout (export reads left to right, import right to left)::

    study ──from_study──> RefiProject ──project_qdpx──> project.qde + sources/*.txt (ZIP)
    study <──importing─── RefiProject <──reading/zipsafe── .qdpx

``sourcetext`` holds the one rule both directions share: how speaker turns become one
plain-text source and back.
"""
