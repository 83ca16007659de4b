"""Storage: one study is a folder with a SQLite database, or a folder plus a PostgreSQL URL."""

from innostudy.storage.store import StudyStore

__all__ = ["StudyStore"]
