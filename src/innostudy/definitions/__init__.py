"""The study's definitions (instrument, codebook, group types, areas, report outline): kept
in the database with their history; a study folder's YAML files are views of them.

    names      which definitions exist and where each one's file sits in a folder
    text       a definition's stored body and the stamp its file carries
    revisions  the history in the database, and the lock writers take
    compare    differences in meaning, as a sentence and as a line diff
    views      a folder's file against the database: in step, stale or edited
    adopting   a file becomes the next revision (``adopt``), or a derived text (``record``)
    reading    the current revision, parsed, after checking the folder's file
    kind       what a stage tells this package about its definition

Nothing here imports a stage: each stage defines its ``Kind`` beside its parser. Kept free
of imports so that ``storage`` may use ``names`` without a cycle.
"""
