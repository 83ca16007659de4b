"""New responses into PostgreSQL with COPY, inside the import's transaction.

COPY streams rows without a statement per row. Ids come from the tables' own
sequences (``nextval`` over ``generate_series``), so they are the server's and stay
correct whatever else writes meanwhile; the rows then go in with their ids, so
responses and revisions can refer to them. A failure (or a killed client) leaves
nothing: the server rolls the transaction back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from innostudy.survey.importing.writer import Accepted, ResponseWriter


class CopyWriter:
    def __init__(self, conn: Connection, writer: ResponseWriter) -> None:
        self.conn = conn
        self.writer = writer
        raw = conn.connection.driver_connection
        self.raw: Any = raw

    def _ids(self, table: str, n: int) -> list[int]:
        if n == 0:
            return []
        with self.raw.cursor() as cur:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, n),
            )
            return [int(r[0]) for r in cur.fetchall()]

    def create(self, creates: list[Accepted]) -> None:
        w = self.writer
        now = w.now
        new = [a for a in creates if a.new is not None]
        org_ids = dict(zip((a.row for a in new), self._ids("organisation", len(new)), strict=True))
        ids = self._ids("response", len(creates))
        with self.raw.cursor() as cur:
            if new:
                with cur.copy(
                    "COPY organisation (id, name, org_type, external_id, created_at) FROM STDIN"
                ) as copy:
                    for a in new:
                        assert a.new is not None
                        copy.write_row((org_ids[a.row], *a.new, now))
            with cur.copy(
                "COPY response (id, organisation_id, status, answers, instrument_version, "
                "revision, source, source_file, source_row, batch_id, created_at, updated_at, "
                "imported_at, started_at, submitted_at, received_at) FROM STDIN"
            ) as copy:
                for i, a in zip(ids, creates, strict=True):
                    org = a.org_id if a.org_id is not None else org_ids[a.row]
                    t = a.moments()
                    first = (i, org, a.status.value, a.json(), w.version, 1, "import")
                    copy.write_row((*first, w.source_file, a.row, w.batch_id, now, now, now, *t))
            with cur.copy(
                "COPY response_revision (response_id, revision, status, answers, source, "
                "source_file, source_row, batch_id, actor, recorded_at) FROM STDIN"
            ) as copy:
                for i, a in zip(ids, creates, strict=True):
                    head = (i, 1, a.status.value, None, "import", w.source_file, a.row)
                    copy.write_row((*head, w.batch_id, w.actor, now))
