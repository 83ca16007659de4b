"""Where a source's file is inside a ``.qdpx``, however the tool wrote its path.

The standard writes ``internal://<file>`` for files in ``sources/``. Tools also write a
bare file name or a path relative to ``sources/`` (qc 1.3.2: ``admin-1.txt``), a path
from the archive's root (``/sources/x.txt``), or the path the file had on the author's
disk (``C:/…``, ``absolute://``, ``relative://``). The first three are looked up in the
archive; for the last, a file of the same name in ``sources/`` is taken, since tools that
embed a file keep its name, and the finding says so. Only a path that leads nowhere in
the archive is outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from innostudy.exchange.refi.project_qdpx import INTERNAL, SOURCES_DIR
from innostudy.zipsafe import SafeZip

# absolute:// and relative:// (to the project's basePath) are the standard's external
# paths; file: URLs and drive letters (C:/…) are what tools write for them in practice.
_OUTSIDE_SCHEMES = {"absolute", "relative", "file"}


@dataclass(frozen=True)
class Located:
    entry: str | None  # the archive entry, or None when the path leads outside
    internal: bool  # written as internal://, so a missing entry is a damaged archive
    by_name_only: bool = False  # an outside path whose file name was found in sources/


def locate(archive: SafeZip, path: str) -> Located:
    raw = path.strip().replace("\\", "/")
    if raw.casefold().startswith(INTERNAL):
        rest = raw[len(INTERNAL) :].lstrip("/")
        return Located(archive.find(f"{SOURCES_DIR}/{rest}"), internal=True)
    scheme = raw.split(":", 1)[0].casefold() if ":" in raw else ""
    outside = scheme in _OUTSIDE_SCHEMES or len(scheme) == 1 or raw.startswith("../")
    if not outside:
        rest = raw.lstrip("/").removeprefix("./")
        for candidate in (f"{SOURCES_DIR}/{rest}", rest):
            entry = archive.find(candidate)
            if entry is not None:
                return Located(entry, internal=False)
    base = raw.rsplit("/", 1)[-1]
    entry = archive.find(f"{SOURCES_DIR}/{base}") if base else None
    return Located(entry, internal=False, by_name_only=entry is not None)
