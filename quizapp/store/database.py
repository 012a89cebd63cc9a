"""Opening the progress database: URL, SQLite pragmas, health check, backup and migration.

`open_store(url)` is the one way in. It resolves the URL (`--db`, then `$QUIZAPP_DB`, then a
SQLite file in the user data directory, created on first run), refuses a corrupt or unreadable
file with one line (`StoreError`) without writing to it, backs up a database made by an older
version and upgrades it in place with Alembic, and returns a `Store`: its engine, and the one
way to open a read (`Store.read()`) or a write transaction (`Store.write()`).

SQLite runs in WAL mode with foreign keys on, a busy timeout and synchronous=NORMAL (safe
against a killed process; only a power cut may lose the last commits). pysqlite's own
transaction handling is switched off and BEGIN is emitted explicitly: deferred for reads,
BEGIN IMMEDIATE for writes, so two app instances queue on the write lock (busy timeout)
instead of failing when a read transaction would upgrade to a write.

PostgreSQL (`postgresql+psycopg://...`; psycopg 3 is the optional extra `quizapp[postgres]`)
runs the same statements through `ConnectionTx`. Connections are checked before use; a write
transaction first takes its learner's advisory lock, so one learner's writers queue as on
SQLite while different learners write side by side; migrations run under an advisory lock
too, so processes opening a new database together migrate it once. There is no file to check
or copy: backing up a server database is its administrator's job.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from quizapp.errors import StoreError
from quizapp.store.files import BUSY_TIMEOUT_S as BUSY_TIMEOUT_S
from quizapp.store.files import DB_ENV as DB_ENV
from quizapp.store.files import DB_FILENAME as DB_FILENAME
from quizapp.store.files import SQLITE_MAGIC as SQLITE_MAGIC
from quizapp.store.files import (  # re-exported: the SQLAlchemy-free part of opening a store
    FileState,
    busy_timeout,
    check_sqlite_file,
    default_url,
    explain,
    hide_password,
    os_reason,
    shown,
    sqlite_fault,
    sqlite_file,
    sqlite_reason,
)
from quizapp.store.learner import resolve_learner
from quizapp.store.transaction import ConnectionTx, PgTx, SqliteTx, StatementCache, Tx

WRITE_OPTION = "quizapp_write"  # execution option: this transaction will write
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# the newest revision in migrations/versions (a test keeps the two in step): a database
# already there opens without importing Alembic at all
SCHEMA_HEAD = "0010"


# PostgreSQL: a write transaction first waits for the learner's other writers (an advisory
# lock held until it ends), as BEGIN IMMEDIATE makes SQLite's writers queue: what it reads
# before writing (a card's state, whether a bank's cards exist) cannot change under it, and
# two windows of one learner never both insert a card. Different learners never wait.
ADVISORY_KEY = 0x71756978  # "quix": quizapp's PostgreSQL advisory locks
_PG_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s, hashtext(%s))"  # (ADVISORY_KEY, learner)


@dataclass(frozen=True, slots=True)
class Store:
    """An open progress database: its engine and its transactions (no module globals)."""

    url: str
    engine: Engine  # reads: deferred BEGIN
    writer: Engine  # the same pool; its transactions BEGIN IMMEDIATE on SQLite
    path: Path | None = None
    backup: Path | None = None  # set when this open backed up an older schema
    statements: StatementCache | None = None  # compiled statements (SQLite, PostgreSQL)
    learner: str = ""  # whose rows every transaction reads and writes

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read transaction (SQLite: BEGIN, one snapshot; PostgreSQL: its statements in
        autocommit, see `_pg_transaction`); errors become one line."""
        with self._transaction(write=False) as tx:
            yield tx

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction (BEGIN IMMEDIATE on SQLite: writers queue on the lock instead
        of failing mid-way), committed when the block ends, rolled back if it raises."""
        with self._transaction(write=True) as tx:
            yield tx

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        verb = "write" if write else "read"
        if self.statements is None:
            with _store_errors(self, verb), (self.writer if write else self.engine).begin() as c:
                yield ConnectionTx(c, self.learner)
            return
        if self.engine.dialect.name == "postgresql":
            with self._pg_transaction(write=write) as tx:
                yield tx
            return
        fairy = None
        try:
            fairy = self.engine.raw_connection()
            # statements are only cached on SQLite, so this is a pysqlite connection
            dbapi = cast(sqlite3.Connection, fairy.driver_connection)
            cursor = dbapi.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield SqliteTx(cursor, self.statements, self.learner)
                dbapi.commit()
            except BaseException:
                dbapi.rollback()
                raise
            finally:
                cursor.close()
        except sqlite3.Error as err:
            raise StoreError(explain(err, describe(self), verb)) from err
        except SQLAlchemyError as err:
            raise StoreError(explain(err, describe(self))) from err
        finally:
            if fairy is not None:
                fairy.close()

    @contextmanager
    def _pg_transaction(self, *, write: bool) -> Iterator[Tx]:
        """PostgreSQL, the same way: cached statements on a psycopg cursor, no SQLAlchemy
        Connection in between. A write is one transaction that first takes its learner's
        lock. A read runs its statements in autocommit: under READ COMMITTED each statement
        sees its own snapshot inside a transaction too, so BEGIN and COMMIT would only cost
        two round trips."""
        assert self.statements is not None
        verb = "write" if write else "read"
        fairy = None
        dbapi: Any = None
        try:
            fairy = self.engine.raw_connection()
            dbapi = fairy.driver_connection
            if not write:
                dbapi.autocommit = True
            with dbapi.cursor() as cursor:
                try:
                    if write:
                        cursor.execute(_PG_LOCK_SQL, (ADVISORY_KEY, self.learner))
                    yield PgTx(cursor, self.statements, self.learner)
                    if write:
                        dbapi.commit()
                except BaseException:
                    if write:
                        dbapi.rollback()
                    raise
        except Exception as err:
            if isinstance(err, SQLAlchemyError) or _is_psycopg(err):
                if fairy is not None and dbapi is not None and dbapi.closed:
                    fairy.invalidate()  # a lost connection never goes back to the pool
                raise StoreError(explain(err, describe(self), verb)) from err
            raise
        finally:
            if dbapi is not None and not write and not dbapi.closed:
                dbapi.autocommit = False  # as SQLAlchemy expects it back
            if fairy is not None:
                fairy.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _is_psycopg(err: BaseException) -> bool:
    return type(err).__module__.startswith("psycopg")


@contextmanager
def _store_errors(store: Store, verb: str) -> Iterator[None]:
    # sqlite3.Error too: the BEGIN emitted by the "begin" hook reaches us unwrapped
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error) as err:
        raise StoreError(explain(err, describe(store), verb)) from err


@contextmanager
def store_errors(url: str | None) -> Iterator[None]:
    """For commands: any database error escaping the block becomes a one-line StoreError
    naming the database (`Store` methods already do this; this catches what slips past)."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error) as err:
        raise StoreError(explain(err, database_name(url or default_url()))) from err


def database_name(url: str) -> str:
    """The database as messages name it: its file, else its URL without the password."""
    try:
        path = sqlite_file(url)
        return shown(path) if path is not None else make_url(url).render_as_string()
    except (StoreError, ArgumentError, ValueError):
        return shown(hide_password(url))


def backup_note(store: Store) -> str | None:
    """The one line that says an older database was upgraded, and where its backup is."""
    if store.backup is None:
        return None
    return (
        f"quizapp: upgraded the progress database {describe(store)}; "
        f"the old version was kept as {shown(store.backup)}"
    )


def describe(store: Store) -> str:
    return str(store.path) if store.path else make_url(store.url).render_as_string()


def reason(err: BaseException) -> str:
    """The driver's message on one line, without SQLAlchemy's SQL dump and links."""
    orig = getattr(err, "orig", None) or err
    return " ".join(str(orig).split()) or type(orig).__name__


def _install_sqlite_hooks(engine: Engine) -> None:
    timeout_ms = int(busy_timeout() * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        # straight to the driver: this runs for every transaction, on the hot path too
        dbapi = cast(sqlite3.Connection, conn.connection.driver_connection)
        dbapi.execute("BEGIN IMMEDIATE" if write else "BEGIN")


def refuse_foreign(revision: str | None, has_tables: bool, where: object) -> None:
    """StoreError for a database this version cannot (or must not) migrate."""
    if revision is None:
        if has_tables:
            raise StoreError(f"{where} is not a quizapp progress database; it was left untouched")
        return
    if revision == SCHEMA_HEAD:
        return
    from alembic.script import ScriptDirectory

    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise StoreError(
            f"the progress database {where} was made by a newer quizapp (schema {revision}); "
            "upgrade quizapp (the file was left untouched)"
        )


POSTGRES_DRIVER = "postgresql+psycopg"  # psycopg 3: the optional extra `quizapp[postgres]`
NEEDS_PSYCOPG = "PostgreSQL support needs psycopg: pip install 'quizapp[postgres]'"
CONNECT_TIMEOUT_S = 10  # a server that does not answer fails in seconds, not minutes


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite: the pragmas and explicit BEGIN hooks. PostgreSQL (a
    plain `postgresql://` URL means psycopg 3 too): a connect timeout, an application name,
    and NUMERIC read as float (statements run on the bare cursor: no SQLAlchemy result
    processing turns an AVG or a SUM of BIGINT from Decimal into float)."""
    backend = ""
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        kwargs: dict[str, Any] = {}
        if backend == "sqlite":
            kwargs["connect_args"] = {"timeout": busy_timeout()}
        elif backend == "postgresql":
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername=POSTGRES_DRIVER)
            defaults = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "quizapp"}
            kwargs["connect_args"] = {k: v for k, v in defaults.items() if k not in parsed.query}
            # no pool_pre_ping: it is a round trip per transaction; a connection the server
            # closed fails once, with one line, and is dropped from the pool
        engine = create_engine(parsed, **kwargs)
    except ImportError as err:
        if backend == "postgresql" and "psycopg" in str(err):
            raise StoreError(NEEDS_PSYCOPG) from None
        raise StoreError(f"bad database URL {hide_password(url)!r}: {reason(err)}") from None
    except (ArgumentError, ValueError) as err:
        raise StoreError(f"bad database URL {hide_password(url)!r}: {reason(err)}") from None
    if backend == "sqlite":
        _install_sqlite_hooks(engine)
    elif backend == "postgresql":
        event.listen(engine, "connect", _numeric_as_float)
    return engine


def _numeric_as_float(dbapi_connection: Any, _record: Any) -> None:
    from psycopg.types.numeric import FloatLoader

    dbapi_connection.adapters.register_loader("numeric", FloatLoader)


def alembic_config(connection: Connection | None = None, learner: str | None = None) -> Any:
    """An Alembic Config pointing at the migrations shipped inside this package. `learner`:
    who is given the progress of a database from before learners (revision 0010)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    if learner is not None:
        cfg.attributes["learner"] = learner
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """The database's Alembic revision and whether it holds any table at all."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        has_tables = bool(inspect(conn).get_table_names())
    return revision, has_tables


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _scratch(path: Path, name: str) -> Path:
    """A temporary name beside `path` for a file being built: hidden, never matching the
    finished file's name, and tagged with this process's id (see `_remove_stale_scratch`)."""
    return path.with_name(f".{name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def _remove_with_side_files(path: Path) -> None:
    for leftover in (path, *(Path(f"{path}{s}") for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _remove_stale_scratch(path: Path) -> None:
    """Remove temporary files beside `path` left by a quizapp that was killed mid-way."""
    for scratch in path.parent.glob(f".{path.name}.*.tmp-*"):
        pid = scratch.name.rpartition(".tmp-")[2].split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            _remove_with_side_files(scratch)
        except OSError:
            pass  # alive (another user's), or we cannot tell: leave it


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the database (consistently, via SQLite's backup API) next to itself, whole or
    not at all: the copy is written under a temporary name, fsynced, then renamed to its
    final name and the folder fsynced, so a kill or a full disk never leaves a file named
    like a backup that is not one. Raises OSError or sqlite3.Error; nothing is left then."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.backup-{revision}-{stamp}-{n}")
    _remove_stale_scratch(path)
    partial = _scratch(path, target.name)
    renamed = False
    try:
        source = sqlite3.connect(str(path), timeout=busy_timeout())
        try:
            dest = sqlite3.connect(str(partial))
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()
        finally:
            source.close()
        _fsync(partial)
        os.replace(partial, target)
        renamed = True
        _fsync_dir(path.parent)
    except BaseException:
        _remove_with_side_files(partial)
        if renamed:
            target.unlink(missing_ok=True)
        raise
    return target


def create_sqlite_file(path: Path) -> None:
    """Make an empty WAL-mode SQLite database at `path` (and its folder), whole or not at
    all: it is built under a temporary name and hard-linked into place, so no zero-byte
    file (which `check_sqlite_file` refuses as empty) is ever seen there, even if this
    process is killed. A database another instance made first is kept as it is."""
    where = shown(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"cannot create the folder {shown(path.parent)} for the progress database "
            f"{where}: {os_reason(err)}"
        ) from None
    _remove_stale_scratch(path)
    scratch = _scratch(path, path.name + ".new")
    try:
        conn = sqlite3.connect(str(scratch), isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # writes the first page
        finally:
            conn.close()
        _fsync(scratch)
        try:
            os.link(scratch, path)
        except FileExistsError:
            return  # another instance made it first: use theirs
        except OSError:  # no hard links on this file system: copy, never over a file
            try:
                with open(path, "xb") as out:
                    out.write(scratch.read_bytes())
                    out.flush()
                    os.fsync(out.fileno())
            except FileExistsError:
                return
        _fsync_dir(path.parent)
    except OSError as err:
        raise StoreError(f"cannot create the progress database {where}: {os_reason(err)}") from None
    except sqlite3.Error as err:
        raise StoreError(explain(err, path, "create")) from None
    finally:
        _remove_with_side_files(scratch)


def migrate(engine: Engine, path: Path | None, learner: str | None = None) -> Path | None:
    """Bring the schema to head; back up an older SQLite database first. Returns the backup.
    `learner` is given the progress of a database from before learners."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    revision, has_tables = current_revision(engine)
    if revision == head:
        return None
    refuse_foreign(revision, has_tables, path or engine.url)
    backup = None
    if revision is not None and path is not None:
        untouched = "it was left untouched (not upgraded)"
        try:
            backup = backup_sqlite(path, revision)
        except OSError as err:
            raise StoreError(
                f"cannot back up the progress database {shown(path)} before upgrading it: "
                f"{os_reason(err)}; {untouched}"
            ) from None
        except sqlite3.Error as err:
            if sqlite_fault(err)[0] == "locked":
                raise StoreError(explain(err, path)) from None
            raise StoreError(
                f"cannot back up the progress database {shown(path)} before upgrading it: "
                f"{sqlite_reason(err)}; {untouched}"
            ) from None
    try:
        with (
            engine.connect() as conn,
            foreign_keys_off(conn),
            conn.execution_options(**{WRITE_OPTION: True}).begin(),
        ):
            _lock_migrations(conn)
            # another instance may have migrated while we waited for the write lock
            if MigrationContext.configure(conn).get_current_revision() != head:
                command.upgrade(alembic_config(conn, learner), "head")
                _check_foreign_keys(conn)
    except (SQLAlchemyError, sqlite3.Error) as err:
        message = explain(err, path or engine.url.render_as_string(), "upgrade")
        if backup is not None:
            message = f"{message} (the copy made before the upgrade is {shown(backup)})"
        raise StoreError(message) from None
    return backup


def _url_user(url: str) -> str | None:
    try:
        return make_url(url).username
    except (ArgumentError, ValueError):
        return None  # make_engine says what is wrong with the URL


MIGRATION_LOCK = ADVISORY_KEY  # one migrator at a time (a one-key lock: not a learner's)


def _lock_migrations(conn: Connection) -> None:
    """PostgreSQL: wait for any other process migrating the same database (the lock ends
    with the transaction); SQLite's BEGIN IMMEDIATE already queues writers."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))


@contextmanager
def foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: foreign keys off while migrating, as SQLite's own recipe for rebuilding a table
    says (a rebuilt parent table would otherwise take its children's rows with it); set
    outside any transaction (inside one it is ignored), checked before commit, on again after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    dbapi = cast(sqlite3.Connection, conn.connection.driver_connection)
    dbapi.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        dbapi.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
        raise StoreError("the upgrade would break links between tables; it was rolled back")


def open_store(url: str | None = None, *, check: bool = True, learner: str | None = None) -> Store:
    """Open (creating on first run) and migrate the progress database at `url`, for
    `learner` (see `quizapp.store.learner.resolve_learner` for the default)."""
    url = url or default_url()
    path = sqlite_file(url)
    who = resolve_learner(learner, None if path is not None else _url_user(url))
    found: FileState | None = None
    if path is not None:
        if check:
            found = check_sqlite_file(path)
            if found is not None:  # refuse before any pragma could touch the file
                refuse_foreign(found.revision, found.has_tables, path)
        if not os.path.exists(path):
            create_sqlite_file(path)
    engine = make_engine(url)
    current = found is not None and found.revision == SCHEMA_HEAD
    try:
        backup = None if current else migrate(engine, path, who)
    except (SQLAlchemyError, sqlite3.Error) as err:
        engine.dispose()
        raise StoreError(explain(err, path or make_url(url).render_as_string())) from None
    except BaseException:
        engine.dispose()
        raise
    writer = engine.execution_options(**{WRITE_OPTION: True})
    return Store(
        url=url,
        engine=engine,
        writer=writer,
        path=path,
        backup=backup,
        statements=(
            StatementCache(engine.dialect)
            if engine.dialect.name in ("sqlite", "postgresql")
            else None
        ),
        learner=who,
    )
