"""Alembic environment, run in-process by innostudy.storage.upgrade (no alembic.ini needed).

render_as_batch lets SQLite alter tables by copy-and-move; the naming convention on the
metadata gives every constraint a name so batch mode can find it again.
"""

from __future__ import annotations

from alembic import context

import innostudy.model  # noqa: F401  (registers every table)
from innostudy.model.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "innostudy migrations run through innostudy.storage.upgrade, not the alembic CLI"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
