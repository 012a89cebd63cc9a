"""Where the progress database lives, and a read-only check of a SQLite file: no SQLAlchemy.

`quizapp` (the app command) runs these before the first frame, so they must cost
milliseconds: only `os`, `sqlite3` and `pathlib`. `quizapp.store.database` re-exports them.

Every fault in reaching the file becomes one line naming it and what to do (`explain` for
SQLite's errors): locked by another process, read-only file or folder, a folder that cannot
be made, a FIFO or device (never opened), an empty file, a bad or over-long path. Only a
file that fails SQLite's header or integrity check is called corrupt. `explain` also turns a
PostgreSQL server's errors (psycopg's, read by their text and SQLSTATE: no psycopg import)
into one line: no server answering, login refused, no such database, permission denied.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote

from quizapp.errors import StoreError
from quizapp.paths import special_file_kind

DB_ENV = "QUIZAPP_DB"
DB_FILENAME = "progress.db"
BUSY_TIMEOUT_S = 15.0  # how long to wait for another process's lock before giving up
BUSY_TIMEOUT_ENV = "QUIZAPP_BUSY_TIMEOUT_S"  # overrides it (tests wait a second, not 15)
SQLITE_MAGIC = b"SQLite format 3\x00"


def busy_timeout() -> float:
    """Seconds to wait for a lock held by another process: `$QUIZAPP_BUSY_TIMEOUT_S`, else 15."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return BUSY_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:  # also refuses nan
        raise StoreError(
            f"${BUSY_TIMEOUT_ENV} must be a number of seconds (0 to 3600), not {raw!r}"
        )
    return value


def shown(path: object) -> str:
    """A path as a one-line message shows it: control characters (a NUL byte) escaped, a
    very long path shortened to its two ends and its length."""
    text = str(path)
    clean = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(clean) > 200:
        clean = f"{clean[:80]}…{clean[-60:]} ({len(text)} characters)"
    return clean


def os_reason(err: OSError) -> str:
    """What an OSError means for the learner, on one line."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DISK_FULL
    if err.errno == errno.EROFS:
        return "the file system is read-only"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.ENAMETOOLONG:
        return "the path is too long for this system; pass a shorter --db path"
    return " ".join(str(err.strerror or err).split())


# SQLite primary result codes (the low byte of `sqlite3.Error.sqlite_errorcode`)
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 11, 13, 26
DISK_FULL = "the disk is full; free some space, then try again"


def sqlite_fault(err: BaseException) -> tuple[str, str]:
    """(kind, the driver's message on one line) for a SQLite or SQLAlchemy-wrapped error;
    kind is "locked", "read-only", "full", "corrupt" or "other"."""
    orig = getattr(err, "orig", None) or err
    detail = " ".join(str(orig).split()) or type(orig).__name__
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    low = detail.lower()
    if primary in (_BUSY, _LOCKED) or "database is locked" in low:
        return "locked", detail
    if primary == _READONLY or "readonly database" in low:
        return "read-only", detail
    if primary == _FULL or "disk is full" in low:
        return "full", detail
    if primary in (_CORRUPT, _NOTADB) or "malformed" in low or "not a database" in low:
        return "corrupt", detail
    return "other", detail


def explain(err: BaseException, where: object, verb: str = "open") -> str:
    """One line for a SQLite or PostgreSQL (or SQLAlchemy-wrapped) error on the progress
    database at `where`: it names the database (a file, or a URL without its password) and
    says what to do. Corrupt only when SQLite says so."""
    place = shown(where)
    server = server_reason(err)
    if server is not None:
        return f"cannot {verb} the progress database {place}: {server}"
    kind, detail = sqlite_fault(err)
    if kind == "locked":
        try:
            waited = busy_timeout()
        except StoreError:
            waited = BUSY_TIMEOUT_S
        return (
            f"the progress database {place} is locked by another process (still busy after "
            f"{waited:g} s): close the other quizapp or program using it, then try again"
        )
    if kind == "corrupt":
        if verb in ("open", "check"):
            return f"the progress database {place} is corrupt ({detail}); it was left untouched"
        return f"the progress database {place} is corrupt ({detail}): restore it from a backup"
    return f"cannot {verb} the progress database {place}: {sqlite_reason(err)}"


# PostgreSQL SQLSTATE codes (errors raised inside a session; login errors carry none)
_SERVER_STATES = {
    "42501": "permission denied ({detail}); ask the database's owner for access",
    "40001": "another session changed the same rows at the same time; try again",
    "40P01": "another session changed the same rows at the same time; try again",
    "53300": "the server has too many connections open; try again later",
    "53100": DISK_FULL.replace("disk", "server's disk"),
    "57P01": "the server is shutting down; try again when it is back",
    "57P02": "the server is shutting down; try again when it is back",
    "57P03": "the server is starting up or shutting down; try again in a moment",
    "25006": "this connection may only read ({detail}); connect as a user who may write",
}


def server_reason(err: BaseException) -> str | None:
    """Why a PostgreSQL operation failed and what to do (for after "cannot <do> ...: "), or
    None when `err` is not psycopg's. The server's text never holds the password."""
    orig = getattr(err, "orig", None) or err
    if not type(orig).__module__.startswith("psycopg"):
        return None
    detail = " ".join(str(orig).split()) or type(orig).__name__
    # "connection failed: connection to server at "h", port p failed: FATAL: <why>"
    why = detail.rpartition(" failed: ")[2].removeprefix("FATAL: ")
    why = why.partition(" Is the server running")[0].strip()  # libpq's hint: we say it
    low = detail.lower()
    connecting = low.startswith("connection failed") or "fatal:" in low
    login = re.search(r'(?:password authentication failed for user|role) "([^"]*)"', detail)
    if connecting and login is not None:
        return (
            f'the server refused the login of user "{login.group(1)}" (wrong password, or no '
            "such role): check the user and password in the URL"
        )
    missing = re.search(r'database "([^"]*)" does not exist', detail)
    if connecting and missing is not None:
        return (
            f'there is no database "{missing.group(1)}" on the server: create it '
            f"(createdb {missing.group(1)}) or fix its name in the URL"
        )
    if "pg_hba.conf" in low:
        return f"the server does not accept this connection ({why}): ask its administrator"
    if any(
        sign in low
        for sign in (
            "connection refused",
            "failed to resolve host",
            "timeout expired",
            "could not translate host",
            "no route to host",
            "network is unreachable",
        )
    ):
        return (
            f"no PostgreSQL server answers there ({why}): start it, or fix the host and port "
            "in the URL"
        )
    if "server closed the connection" in low or "consuming input failed" in low:
        return "the connection to the server was lost; try again"
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str) and state in _SERVER_STATES:
        return _SERVER_STATES[state].format(detail=detail)
    return detail


def hide_password(url: str) -> str:
    """A database URL as messages show it: any password replaced by ***."""
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    credentials, at, host = authority.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}{sep}{user}:***@{host}{slash}{tail}"


def sqlite_reason(err: BaseException) -> str:
    """Why a SQLite operation failed and what to do, for after "cannot <do> ...: "."""
    kind, detail = sqlite_fault(err)
    if kind == "read-only":
        return "it or its folder is read-only; make both writable, then try again"
    if kind == "full":
        return DISK_FULL
    return detail


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
    if "\x00" in database:
        raise StoreError(
            f"bad database path {shown(database)}: it contains a NUL byte; pass another --db path"
        )
    return Path(database).expanduser()


@dataclass(frozen=True, slots=True)
class FileState:
    """What a read-only look at an existing SQLite file found."""

    revision: str | None  # Alembic revision, None without an alembic_version table
    has_tables: bool


def check_sqlite_file(path: Path) -> FileState | None:
    """Refuse, in one line and without writing anything beside it, a database quizapp cannot
    use: not a regular file (a FIFO or device is never opened), empty, unreadable, read-only
    (the file, or the folder its -wal and -shm files go in), locked past the busy timeout,
    or not a sound SQLite file (header, then `PRAGMA quick_check` on a read-only
    connection). None if there is no file yet and its folder exists or can be made."""
    timeout = busy_timeout()  # a bad $QUIZAPP_BUSY_TIMEOUT_S is refused before anything else
    where = shown(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # no file yet (or a file in the way)
        _check_new_file(path)
        return None
    except ValueError:  # a NUL byte
        raise StoreError(
            f"bad database path {where}: it contains a NUL byte; pass another --db path"
        ) from None
    except OSError as err:
        raise StoreError(_unreachable(path, err)) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"cannot open the progress database {where}: it is a folder; "
            "pass the path of a file with --db"
        )
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(_not_regular(path, info.st_mode))
    if info.st_size == 0:
        raise StoreError(
            f"the progress database {where} is empty (0 bytes), not a database quizapp "
            "made: delete it to start afresh, or pass another --db path"
        )
    header = _read_header(path)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"the progress database {where} is corrupt or not a SQLite file; it was left untouched"
        )
    if not os.access(path, os.W_OK):
        raise StoreError(
            f"the progress database {where} is read-only: make it writable (chmod u+w), "
            "then try again; it was left untouched"
        )
    folder = Path(os.path.realpath(path)).parent  # SQLite puts -wal and -shm beside the target
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"the folder {shown(folder)} of the progress database {where} is read-only, and "
            "quizapp keeps its journal (-wal, -shm) there: make the folder writable, then "
            "try again; the database was left untouched"
        )
    return _inspect_read_only(path, timeout)


def _not_regular(path: Path, mode: int) -> str:
    return (
        f"the progress database {shown(path)} is {special_file_kind(mode)}, not a regular "
        "file, and was not opened: pass the path of a database file"
    )


def _unreachable(path: Path, err: OSError) -> str:
    """The message for a path that cannot even be looked at."""
    where = shown(path)
    if err.errno == errno.ENAMETOOLONG:
        return (
            f"the progress database path {where} is too long for this system: "
            "pass a shorter --db path"
        )
    if err.errno in (errno.EACCES, errno.EPERM):
        return (
            f"cannot reach the progress database {where}: permission denied on one of its "
            "folders; fix the permissions or pass another --db path"
        )
    if err.errno == errno.ELOOP:
        return f"cannot open the progress database {where}: too many symbolic links (a loop?)"
    return f"cannot open the progress database {where}: {os_reason(err)}"


def _check_new_file(path: Path) -> None:
    """There is no file yet: its folder must exist or be creatable (`open_store` makes it)."""
    where = shown(path)
    probe = path.parent
    while True:
        try:
            info = os.stat(probe)
            break
        except (FileNotFoundError, NotADirectoryError):
            if probe.parent == probe:
                return  # nothing on the path exists at all: let creating it say why
            probe = probe.parent
        except OSError as err:
            raise StoreError(_unreachable(path, err)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"cannot create the progress database {where}: {shown(probe)} is a file, not a "
            "folder; pass another --db path"
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        if probe == path.parent:
            raise StoreError(
                f"cannot create the progress database {where}: its folder is read-only; "
                "make the folder writable or pass another --db path"
            )
        raise StoreError(
            f"cannot create the folder {shown(path.parent)} for the progress database {where}: "
            f"{shown(probe)} is read-only; create the folder yourself or pass another --db path"
        )


def _read_header(path: Path) -> bytes:
    """The first 100 bytes; non-blocking, so a file swapped for a FIFO cannot hang us."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise StoreError(
            f"cannot read the progress database {shown(path)}: {os_reason(err)}; "
            "make it readable and writable by you, then try again"
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise StoreError(_not_regular(path, mode))
        return os.read(fd, 100)
    except OSError as err:
        raise StoreError(
            f"cannot read the progress database {shown(path)}: {os_reason(err)}"
        ) from None
    finally:
        os.close(fd)


class _Unsound(Exception):
    """`PRAGMA quick_check` found problems (its findings are the message)."""


def _inspect_read_only(path: Path, timeout: float) -> FileState:
    """quick_check and the schema revision, on a read-only connection that leaves nothing
    beside the file.

    A read-only SQLite connection to a WAL database creates `-wal` and `-shm` files and
    cannot remove them. So when there is no `-wal` (nor a rollback `-journal`) everything
    is in the file itself, and it is read as immutable (no locks, no side files). Should
    that read find a problem while another process started using the file meanwhile (a
    `-wal` appeared, or the file changed), it is read again with locks before anything is
    called corrupt."""
    side = (Path(f"{path}-wal"), Path(f"{path}-journal"))
    quiet = not any(os.path.exists(p) for p in side)
    before = _signature(path)
    try:
        try:
            return _look(path, timeout, immutable=quiet)
        except (sqlite3.Error, _Unsound):
            changed = any(os.path.exists(p) for p in side) or _signature(path) != before
            if not (quiet and changed):
                raise
        return _look(path, timeout, immutable=False)
    except _Unsound as found:
        raise StoreError(
            f"the progress database {shown(path)} is corrupt ({found}); it was left untouched"
        ) from None
    except sqlite3.Error as err:
        raise StoreError(explain(err, path, "check")) from None


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _look(path: Path, timeout: float, *, immutable: bool) -> FileState:
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
        if rows != ["ok"]:
            raise _Unsound("; ".join(" ".join(str(r).split()) for r in rows))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
        return FileState(revision, bool(tables))
    finally:
        conn.close()
