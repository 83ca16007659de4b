"""What the report engine asks the study for, as a small protocol.

The composer only knows this seam; ``study_resolver.StudyResolver`` answers it from the
store (analysis summary, quotes, coding), and tests answer it with plain values.
Two ways to say no, kept apart on purpose:

* ``LookupError``: the name is wrong (a typo, an unknown area). The report stops: no
  draft can fix a misspelt placeholder.
* ``Unresolved``: the name is right but the study has nothing to say yet (no session
  held, no quote chosen, no coding). That is a *gap*: ``report`` refuses it,
  ``report --draft`` shows it, ``report check`` names it.
"""

from __future__ import annotations

from typing import Protocol

from innostudy.reporting.document import Figure, QuoteItem, Table
from innostudy.reporting.quotes import QuoteSelection


class Unresolved(Exception):
    """A known placeholder with nothing behind it yet; the message says what is missing."""


class Resolver(Protocol):
    def stat(self, name: str) -> str: ...

    def figure(self, name: str) -> Figure: ...

    def table(self, name: str) -> Table: ...

    def joint(self, area: str) -> Table: ...

    def comparison(self, area: str) -> Table: ...

    def quote(self, label: str) -> QuoteItem: ...

    def quotes(self, params: dict[str, str]) -> QuoteSelection: ...
