"""A transaction, as every store module sees it: `Tx`, opened by `Store.read()` or
`Store.write()` (the one way to each), committed when the block ends.

`Tx` is small on purpose: `first`, `all`, `scalar`, `run`, `insert` and `many` over SQLAlchemy
Core statements, rows back as plain tuples. On SQLite (`SqliteTx`) each statement is compiled
once for the dialect and cached; executing it is one DBAPI `cursor.execute` on a pooled
connection with no result processing (booleans come back as 0/1, which callers convert): the
review loop pays no ORM or Connection overhead. `ConnectionTx` is the same interface over a
SQLAlchemy Connection, for other backends (PostgreSQL).

A transaction belongs to one learner: every statement runs with the bind parameter
`LEARNER_KEY` set to that learner (see `quizapp.store.tables.mine`). A statement that reads a
learner's table without naming the learner is refused the first time it is compiled
(`UnlimitedStatement`), unless it is marked `across_learners` (the instructor's report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Executable

from quizapp.store.tables import LEARNED, LEARNER_KEY

Params = Mapping[str, Any]
NO_PARAMS: Params = {}
ACROSS = "quizapp_across_learners"  # execution option: this statement reads every learner
_LEARNED_SQL = re.compile(r"\b(?:" + "|".join(t.name for t in LEARNED) + r")\b")
S = TypeVar("S", bound=Executable)


class UnlimitedStatement(ValueError):
    """A statement reads or writes learners' tables without naming the learner: a bug."""


def across_learners(stmt: S) -> S:
    """Mark a statement that reads every learner's rows (the class report) on purpose."""
    return stmt.execution_options(**{ACROSS: True})


def check_limited(stmt: Executable, sql: str, binds: Any) -> None:
    if LEARNER_KEY in binds or not _LEARNED_SQL.search(sql):
        return
    if stmt.get_execution_options().get(ACROSS):
        return
    raise UnlimitedStatement(f"statement not limited to one learner: {sql}")


class Tx(Protocol):
    def first(self, stmt: Executable, params: Params = NO_PARAMS) -> tuple[Any, ...] | None: ...
    def all(self, stmt: Executable, params: Params = NO_PARAMS) -> list[tuple[Any, ...]]: ...
    def scalar(self, stmt: Executable, params: Params = NO_PARAMS) -> Any: ...
    def run(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        """Execute; the number of rows changed."""
        ...

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        """Execute an INSERT; the new row's integer primary key."""
        ...

    def many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        """Execute once per row of parameters (an executemany)."""
        ...


class StatementCache:
    """Core statements compiled once for one dialect: SQL text, bind order, fixed binds."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[
            int, tuple[Executable, str, tuple[str, ...] | None, dict[str, Any]]
        ] = {}

    def get(self, stmt: Executable) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
        entry = self._compiled.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            # Core statements are ClauseElements too; compiling one gives an SQLCompiler
            compiled = cast(SQLCompiler, cast(ClauseElement, stmt).compile(dialect=self._dialect))
            if "POSTCOMPILE" in compiled.string:
                raise ValueError(f"hot-path statements cannot use expanding IN: {stmt}")
            check_limited(stmt, compiled.string, compiled.binds)
            fixed = {
                name: bind.effective_value
                for name, bind in compiled.binds.items()
                if not bind.required and bind.callable is None
            }
            order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
            entry = (stmt, compiled.string, order, fixed)  # keeps stmt alive: id stays unique
            self._compiled[id(stmt)] = entry
        return entry[1], entry[2], entry[3]


class SqliteTx:
    """Runs cached compiled statements on a DBAPI cursor (positional or named paramstyles:
    pysqlite's `?`, psycopg's `%(name)s`)."""

    __slots__ = ("_cache", "_cursor", "_learner")

    def __init__(self, cursor: Any, cache: StatementCache, learner: str) -> None:
        self._cursor = cursor
        self._cache = cache
        self._learner = {LEARNER_KEY: learner}

    def _execute(self, stmt: Executable, params: Params) -> Any:
        sql, order, fixed = self._cache.get(stmt)
        params = {**self._learner, **fixed, **params}
        if order is None:
            return self._cursor.execute(sql, params)
        return self._cursor.execute(sql, [params[name] for name in order])

    def first(self, stmt: Executable, params: Params = NO_PARAMS) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._execute(stmt, params).fetchone()
        return row

    def all(self, stmt: Executable, params: Params = NO_PARAMS) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._execute(stmt, params).fetchall()
        return rows

    def scalar(self, stmt: Executable, params: Params = NO_PARAMS) -> Any:
        row = self._execute(stmt, params).fetchone()
        return None if row is None else row[0]

    def run(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return int(self._execute(stmt, params).rowcount)

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return int(self._execute(stmt, params).lastrowid)

    def many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if not rows:
            return
        sql, order, fixed = self._cache.get(stmt)
        base = {**self._learner, **fixed}
        if order is None:
            self._cursor.executemany(sql, [{**base, **r} for r in rows])
        else:
            self._cursor.executemany(sql, [[{**base, **r}[n] for n in order] for r in rows])


_CHECKED: dict[int, Executable] = {}  # statements ConnectionTx has checked (module statements)


class PgTx(SqliteTx):
    """`SqliteTx` on a psycopg cursor: the same cached statements, compiled for PostgreSQL
    (an INSERT compiles with RETURNING its key). Booleans come back as bools."""

    __slots__ = ()

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        row = self._execute(stmt, params).fetchone()
        if row is None:  # the statement has no RETURNING: not a single-row Core insert
            raise ValueError(f"an insert that returns no key: {stmt}")
        return int(row[0])


class ConnectionTx:
    """The same interface over a SQLAlchemy Connection (any backend)."""

    __slots__ = ("_conn", "_learner")

    def __init__(self, conn: Connection, learner: str) -> None:
        self._conn = conn
        self._learner = {LEARNER_KEY: learner}

    def _params(self, stmt: Executable, params: Params) -> dict[str, Any]:
        key = id(stmt)
        if _CHECKED.get(key) is not stmt:
            compiled = cast(
                SQLCompiler, cast(ClauseElement, stmt).compile(dialect=self._conn.dialect)
            )
            check_limited(stmt, compiled.string, compiled.binds)
            _CHECKED[key] = stmt  # keeps stmt alive, so its id stays unique
        return {**self._learner, **params}

    def first(self, stmt: Executable, params: Params = NO_PARAMS) -> tuple[Any, ...] | None:
        row = self._conn.execute(stmt, self._params(stmt, params)).first()
        return None if row is None else tuple(row)

    def all(self, stmt: Executable, params: Params = NO_PARAMS) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn.execute(stmt, self._params(stmt, params))]

    def scalar(self, stmt: Executable, params: Params = NO_PARAMS) -> Any:
        return self._conn.execute(stmt, self._params(stmt, params)).scalar()

    def run(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return int(self._conn.execute(stmt, self._params(stmt, params)).rowcount)

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        result = self._conn.execute(stmt, self._params(stmt, params))
        # typed Optional, but never None after a single-row INSERT
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if rows:
            self._conn.execute(stmt, [self._params(stmt, r) for r in rows])
