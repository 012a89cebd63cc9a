"""Where the progress database lives, and a read-only check of a SQLite file: no SQLAlchemy.

`quizapp` (the app command) runs these before the first frame, so they must cost
milliseconds: only `os`, `sqlite3` and `pathlib`. `quizapp.store.database` re-exports them.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote

from quizapp.errors import StoreError

DB_ENV = "QUIZAPP_DB"
DB_FILENAME = "progress.db"
BUSY_TIMEOUT_S = 15.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_url() -> str:
    """`$QUIZAPP_DB`, else `progress.db` in the user data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    from quizapp.paths import data_dir

    return f"sqlite:///{data_dir() / DB_FILENAME}"


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases.

    Reads URLs as SQLAlchemy's `make_url` does (`sqlite:///relative.db`, `sqlite:////abs.db`,
    `sqlite+pysqlite:///...`, `?mode=memory`, `file:` URIs); a URL without `://` is refused.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        raise StoreError(f"bad database URL {url!r}: expected <dialect>://...")
    if scheme.split("+", 1)[0] != "sqlite":
        return None
    location, _, query = rest.partition("?")
    _host, slash, database = location.partition("/")
    database = unquote(database) if slash else ""
    if parse_qs(query).get("mode") == ["memory"]:
        return None
    if database.startswith("file:"):
        database = database[5:].split("?", 1)[0]
    if database in ("", ":memory:"):
        return None
    return Path(database).expanduser()


@dataclass(frozen=True, slots=True)
class FileState:
    """What a read-only look at an existing SQLite file found."""

    revision: str | None  # Alembic revision, None without an alembic_version table
    has_tables: bool


def check_sqlite_file(path: Path) -> FileState | None:
    """Refuse a file that is unreadable or not a sound SQLite database, without writing to
    it (header, then `PRAGMA quick_check` on a read-only connection). None if it is new."""
    if not path.exists():
        return None
    if path.is_dir():
        raise StoreError(f"cannot open the progress database {path}: it is a folder")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as err:
        raise StoreError(
            f"cannot read the progress database {path}: {err.strerror or err}"
        ) from None
    if not header:
        return None  # an empty file is an empty database
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"the progress database {path} is corrupt or not a SQLite file; it was left untouched"
        )
    state, problem = _inspect_read_only(path)
    if problem:
        raise StoreError(
            f"the progress database {path} is corrupt ({problem}); it was left untouched"
        )
    return state


def _inspect_read_only(path: Path) -> tuple[FileState | None, str | None]:
    """quick_check and the schema revision, on a read-only connection."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as err:
        return None, " ".join(str(err).split())
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
        if rows != ["ok"]:
            return None, "; ".join(" ".join(str(r).split()) for r in rows)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
        return FileState(revision, bool(tables)), None
    except sqlite3.Error as err:
        return None, " ".join(str(err).split())
    finally:
        conn.close()
