"""A transaction, as every store module sees it: `Tx`, opened by `Store.read()` or
`Store.write()` (the one way to each), committed when the block ends.

`Tx` is small on purpose: `first`, `all`, `scalar`, `run`, `insert` and `many` over SQLAlchemy
Core statements, rows back as plain tuples. On SQLite (`SqliteTx`) each statement is compiled
once for the dialect and cached; executing it is one DBAPI `cursor.execute` on a pooled
connection with no result processing (booleans come back as 0/1, which callers convert): the
review loop pays no ORM or Connection overhead. `ConnectionTx` is the same interface over a
SQLAlchemy Connection, for other backends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Executable

Params = Mapping[str, Any]
NO_PARAMS: Params = {}


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
    """Runs cached compiled statements on a DBAPI cursor (positional paramstyles)."""

    __slots__ = ("_cache", "_cursor")

    def __init__(self, cursor: Any, cache: StatementCache) -> None:
        self._cursor = cursor
        self._cache = cache

    def _execute(self, stmt: Executable, params: Params) -> Any:
        sql, order, fixed = self._cache.get(stmt)
        if order is None:
            return self._cursor.execute(sql, {**fixed, **params})
        if fixed:
            params = {**fixed, **params}
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
        if order is None:
            self._cursor.executemany(sql, [{**fixed, **r} for r in rows])
        else:
            self._cursor.executemany(sql, [[{**fixed, **r}[n] for n in order] for r in rows])


class ConnectionTx:
    """The same interface over a SQLAlchemy Connection (any backend)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def first(self, stmt: Executable, params: Params = NO_PARAMS) -> tuple[Any, ...] | None:
        row = self._conn.execute(stmt, dict(params)).first()
        return None if row is None else tuple(row)

    def all(self, stmt: Executable, params: Params = NO_PARAMS) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn.execute(stmt, dict(params))]

    def scalar(self, stmt: Executable, params: Params = NO_PARAMS) -> Any:
        return self._conn.execute(stmt, dict(params)).scalar()

    def run(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return int(self._conn.execute(stmt, dict(params)).rowcount)

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        result = self._conn.execute(stmt, dict(params))
        # typed Optional, but never None after a single-row INSERT
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if rows:
            self._conn.execute(stmt, [dict(r) for r in rows])
