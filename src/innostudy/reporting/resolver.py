"""What the report engine asks the study for, as a small protocol.

The composer only knows this seam; ``study_resolver.StudyResolver`` answers it from the
store (analysis summary, quotes, coding), and tests answer it with plain values.
Every method raises ``LookupError`` with a readable message for an unknown name.
"""

from __future__ import annotations

from typing import Protocol

from innostudy.reporting.document import Figure, QuoteItem, Table


class Resolver(Protocol):
    def stat(self, name: str) -> str: ...

    def figure(self, name: str) -> Figure: ...

    def table(self, name: str) -> Table: ...

    def joint(self, area: str) -> Table: ...

    def quote(self, label: str) -> QuoteItem: ...

    def quotes(self, params: dict[str, str]) -> list[QuoteItem]: ...
