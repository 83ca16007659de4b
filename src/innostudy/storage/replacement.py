"""What ``init``/``demo`` may do with a folder or database that is already there.

Decided before anything is written, from what is there:

- nothing, or an empty folder: the study is created in it;
- a folder of other files (no ``study.toml``): ``--force`` adds the study's files beside
  them; nothing there is changed or removed, and a name the study needs that is taken
  stops it;
- a study: ``--force`` moves it whole to ``NAME.backup-YYYYMMDD-HHMMSS`` beside it (one
  rename, nothing copied or deleted) and the new study takes its place. If the study holds
  anything ``init`` did not write (responses, participants, transcripts, codings, edited
  files, files of the user's own), ``--force`` alone is refused: the user must also give
  the folder's name (``--confirm NAME``, or typed at the prompt). A synthetic demo study
  holding only what the demo writes is replaced without a backup, since its seed rebuilds
  it;
- a database outside the folder (PostgreSQL) that holds study data is never emptied:
  innostudy cannot back it up, so the user backs it up and empties it, or picks another.
"""

from __future__ import annotations

import contextlib
import enum
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from innostudy.atomic import add_to_folder, atomic_folder
from innostudy.config import load_settings
from innostudy.demo.ground_truth import FILE_NAME as GROUND_TRUTH_FILE
from innostudy.errors import DatabaseError, InnostudyError, StudyError
from innostudy.storage.engine import check_connection, display_url, make_engine
from innostudy.storage.study_folder import FILES_DIR, STUDY_DB, STUDY_TOML

# Tables init fills; rows anywhere else are data someone added.
SEEDED_TABLES = frozenset(
    {"study", "group_type", "codebook", "code", "alembic_version", "definition_revision"}
)
_SQLITE_SIDE_FILES = tuple(STUDY_DB + s for s in ("-wal", "-shm", "-journal"))
# What the stages write at the top of a study folder by default (the demo writes all of them).
_OUTPUT_FOLDERS = ("analysis", "briefing", "exchange")
# Written by the synthetic demo beside its study; in a study that is not synthetic a file
# of that name is the user's own.
_DEMO_FILES = (GROUND_TRUTH_FILE,)
# What a person would call the rows of each table, in pipeline order; other tables are
# bookkeeping (revisions, audit, embeddings) and only counted when nothing else is there.
_NOUNS = {
    "organisation": ("organisation", "organisations"),
    "response": ("response", "responses"),
    "focus_group": ("focus group", "focus groups"),
    "participant": ("participant", "participants"),
    "group_session": ("session", "sessions"),
    "recording": ("recording", "recordings"),
    "transcript": ("transcript", "transcripts"),
    "coding": ("coding", "codings"),
    "quote": ("quote", "quotes"),
    "user_account": ("web account", "web accounts"),
}


class ConfirmationNeeded(StudyError):
    """Replacing this study needs the folder's name as well as --force."""

    def __init__(self, message: str, name: str, held: str) -> None:
        super().__init__(message)
        self.name = name
        self.held = held  # "DIR: holds a study with data (…)"


class TargetKind(enum.Enum):
    NEW = "new"  # nothing there, or an empty folder
    OTHER = "other"  # a folder of files that is not a study
    STUDY = "study"


@dataclass(frozen=True)
class Target:
    """What is at the folder a study is about to be created in."""

    folder: Path
    kind: TargetKind
    entries: list[str] = field(default_factory=list)
    own: list[str] = field(default_factory=list)  # entries no stage writes
    changed: list[str] = field(default_factory=list)  # init's files, since edited
    rows: dict[str, int] = field(default_factory=dict)  # table → rows init did not write
    synthetic: bool = False
    unreadable: str = ""  # why the study's contents could not be read
    database: str = ""  # a database outside the folder (shown without its password)

    @property
    def holds_data(self) -> bool:
        if self.kind is not TargetKind.STUDY:
            return False
        if self.synthetic and not self.unreadable:
            return bool(self.own)
        return bool(self.own or self.changed or self.rows or self.unreadable)

    def describe(self) -> str:
        """What is there, in a few words: "12 responses, 3 transcripts, edited codebook.yaml"."""
        parts = _counted(self.rows)
        if self.changed:
            parts.append("edited " + ", ".join(self.changed))
        if self.own:
            shown = ", ".join(self.own[:3]) + (", …" if len(self.own) > 3 else "")
            n = len(self.own)
            parts.append(f"{n} more {_plural(n, 'file or folder', 'files or folders')} ({shown})")
        if self.unreadable:
            parts.append(self.unreadable)
        return ", ".join(parts)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _counted(rows: Mapping[str, int]) -> list[str]:
    """ "3 organisations, 1 transcript": the tables a person knows, else a total."""
    named = [f"{rows[t]} {_plural(rows[t], *_NOUNS[t])}" for t in _NOUNS if rows.get(t)]
    if named or not rows:
        return named
    total = sum(rows.values())
    return [f"{total} {_plural(total, 'record', 'records')}"]


def inspect_target(folder: Path, init_files: Mapping[str, bytes]) -> Target:
    """Classify ``folder``; for a study, find what it holds beyond what ``init`` writes.

    ``init_files`` are the data files init writes (name → content), to tell edits apart.
    """
    if folder.exists() and not folder.is_dir():
        raise StudyError(f"{folder}: exists and is not a folder")
    entries = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if not entries:
        return Target(folder, TargetKind.NEW)
    if not (folder / STUDY_TOML).is_file():
        return Target(folder, TargetKind.OTHER, entries, own=entries)
    try:
        settings = load_settings(folder / STUDY_TOML)
    except InnostudyError as exc:
        return Target(
            folder, TargetKind.STUDY, entries, unreadable=f"a study.toml that fails ({exc})"
        )
    written = {STUDY_TOML, STUDY_DB, *_SQLITE_SIDE_FILES, FILES_DIR, *init_files}
    outputs = {
        *_OUTPUT_FOLDERS,
        *(_top(str(settings[k])) for k in ("report.dir", "report.narrative")),
    }
    own = [e for e in entries if e not in written | outputs]
    generated = [e for e in entries if e in outputs]
    changed = [
        name
        for name, content in init_files.items()
        if (folder / name).is_file() and (folder / name).read_bytes() != content
    ]
    url = settings.database_url or f"sqlite:///{(folder / STUDY_DB).resolve()}"
    outside = display_url(sa.engine.make_url(url)) if settings.database_url else ""
    try:
        rows, synthetic = database_rows(url) if _exists(url) else ({}, False)
    except InnostudyError as exc:
        return Target(
            folder, TargetKind.STUDY, entries, own, changed, unreadable=str(exc), database=outside
        )
    if synthetic:
        own = [e for e in own if e not in _DEMO_FILES]
    else:
        own = own + [e for e in generated if _has_files(folder / e)]
        files = folder / FILES_DIR
        if _has_files(files):
            own.append(FILES_DIR)
    return Target(
        folder, TargetKind.STUDY, entries, sorted(own), changed, rows, synthetic, database=outside
    )


def _top(relative: str) -> str:
    return Path(relative).parts[0] if Path(relative).parts else relative


def _has_files(path: Path) -> bool:
    return path.is_dir() and any(p.is_file() for p in path.rglob("*"))


def _exists(url: str) -> bool:
    engine_url = sa.engine.make_url(url)
    if engine_url.get_backend_name() != "sqlite":
        return True
    return bool(engine_url.database) and Path(str(engine_url.database)).is_file()


def _read_only(url: str) -> sa.Engine:
    """An engine that only looks. A SQLite file is opened read-only, and as immutable when
    it has no write-ahead log (all its data is in the file then): an ordinary connection
    would checkpoint the log and delete it on closing, a read-only one would create
    ``-wal``/``-shm`` files, and a refusal must leave the folder exactly as it was."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return make_engine(url)
    path = Path(parsed.database).resolve()
    flags = "mode=ro" if path.with_name(path.name + "-wal").exists() else "immutable=1"
    return sa.create_engine(
        f"sqlite:///file:{quote(path.as_posix())}?{flags}&uri=true", poolclass=sa.pool.NullPool
    )


def database_rows(url: str) -> tuple[dict[str, int], bool]:
    """Rows in each table that init does not fill (non-empty ones only), and whether the
    database says its study is synthetic."""
    engine = _read_only(url)
    try:
        check_connection(engine)
        tables = set(sa.inspect(engine).get_table_names())
        rows: dict[str, int] = {}
        synthetic = False
        with engine.connect() as conn:
            for table in sorted(tables - SEEDED_TABLES):
                count = conn.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))
                if count:
                    rows[table] = int(count)
            if "study" in tables:
                synthetic = any(conn.scalars(sa.text("SELECT synthetic FROM study")))
        return rows, synthetic
    finally:
        engine.dispose()


def backup_name(folder: Path, now: datetime | None = None) -> Path:
    """``NAME.backup-YYYYMMDD-HHMMSS`` beside the folder (``-2``, ``-3``… if taken)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = folder.with_name(f"{folder.name}.backup-{stamp}")
    n = 2
    while candidate.exists():
        candidate = folder.with_name(f"{folder.name}.backup-{stamp}-{n}")
        n += 1
    return candidate


@dataclass(frozen=True)
class Plan:
    """What creating the study will do to what is there."""

    target: Target
    backup: Path | None = None  # where the old study goes

    @property
    def adds_beside(self) -> bool:
        return self.target.kind is TargetKind.OTHER

    def outcome(self) -> list[str]:
        """What happened to what was there, for the person who ran the command."""
        target = self.target
        if self.backup is not None:
            held = f" ({target.describe()})" if target.holds_data else ""
            kept = [f"The study that was there{held} is kept whole in {self.backup}"]
            if target.database:
                kept.append(
                    f"Its database {target.database} is not in that folder and was not "
                    "touched; the backup's study.toml still points at it"
                )
            return kept
        if self.adds_beside:
            n = len(target.entries)
            return [
                f"Created beside the {n} {_plural(n, 'entry', 'entries')} already there, "
                "left as they were"
            ]
        if target.kind is TargetKind.STUDY:
            return ["Replaced the synthetic demo study that was there (its seed rebuilds it)"]
        return []


@contextlib.contextmanager
def creating(plan: Plan) -> Iterator[Path]:
    """Yield a scratch folder; on success it becomes the study as ``plan`` says, on failure
    it vanishes and what was there is untouched."""
    folder = plan.target.folder.resolve()
    if not plan.adds_beside:
        with atomic_folder(folder, keep_old_as=plan.backup) as scratch:
            yield scratch
        return
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    try:
        yield scratch
        add_to_folder(scratch, folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def plan_creation(
    folder: Path, init_files: Mapping[str, bytes], *, force: bool, confirm: str | None
) -> Plan:
    """Refuse (one line, nothing written) or say how the study will be put in place."""
    target = inspect_target(folder, init_files)
    if target.kind is TargetKind.NEW:
        return Plan(target)
    name = folder.name
    if target.holds_data and not (force and confirm == name):
        raise ConfirmationNeeded(
            _needs_confirmation(target, force=force, confirm=confirm), name, _held(target)
        )
    if not force:
        raise StudyError(
            f"{folder}: folder is not empty; choose a new folder or pass --force to replace it"
        )
    if target.kind is TargetKind.OTHER:
        for taken in sorted(set(target.entries) & {STUDY_TOML, STUDY_DB, FILES_DIR, *init_files}):
            raise StudyError(
                f"{folder}: {taken} is already there and is not a study's; "
                "move it away or choose a new folder (nothing was changed)"
            )
        return Plan(target)
    if target.synthetic and not target.holds_data:
        return Plan(target)
    return Plan(target, backup=backup_name(folder))


def _held(target: Target) -> str:
    return f"{target.folder}: holds a study with data ({target.describe()})"


def _needs_confirmation(target: Target, *, force: bool, confirm: str | None) -> str:
    name = target.folder.name
    held = _held(target)
    keep = f"the old folder is kept whole as {name}.backup-<date>-<time>"
    if confirm is not None and confirm != name:
        return f"{held}; --confirm must be the folder's name, {name!r}; nothing was changed"
    if not force:
        return (
            f"{held}; choose a new folder, or pass --force --confirm {name} to replace it ({keep})"
        )
    return f"{held}; to replace it pass --confirm {name} as well as --force ({keep})"


def check_external_database(url: str, *, force: bool) -> None:
    """A database outside the study folder: empty, or holding only what init (or the
    synthetic demo) writes and --force given. Study data there is never emptied, because
    innostudy cannot back it up."""
    engine = make_engine(url)
    try:
        check_connection(engine)
        tables = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if not tables:
        return
    shown = display_url(sa.engine.make_url(url))
    rows, synthetic = database_rows(url)
    if rows and not synthetic:
        held = ", ".join(_counted(rows))
        raise DatabaseError(
            f"{shown} holds study data ({held}); innostudy does not back up databases "
            "outside the study folder, so it will not empty this one: back it up "
            "(e.g. pg_dump), empty it yourself, or use a new database"
        )
    if not force:
        raise DatabaseError(
            f"{shown} already holds {len(tables)} tables; "
            "use an empty database or pass --force to replace its contents"
        )
