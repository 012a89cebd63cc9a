"""PostgreSQL for the tests: one server named by $QUIZAPP_TEST_PG_URL (a superuser URL), a
fresh database per test.

An empty database (`Server.database()`) is created in a few tens of milliseconds. A copy of
a migrated one costs ten times that (every table and index is a file to copy), so a test
that wants the newest schema gets `Recycled`: one migrated database per run, emptied before
each test in milliseconds (rows deleted, sequences restarted, anyone still connected
disconnected), and created afresh from the template when a test changed its schema.

Database names carry this process's id, so several test runs can share one server (the dev
server, CI's temporary one), and databases left by a killed run are dropped by the next.
Server-agnostic: it talks to whatever server the URL names, through psycopg directly
(CREATE and DROP DATABASE cannot run inside a transaction, which SQLAlchemy would open).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PG_URL_ENV = "QUIZAPP_TEST_PG_URL"
REQUIRE_PG_ENV = "QUIZAPP_TEST_REQUIRE_PG"
PREFIX = "quizapp_test_"


def admin_url() -> str | None:
    """The superuser URL from the environment, or None when no server is configured."""
    return os.environ.get(PG_URL_ENV, "").strip() or None


def required() -> bool:
    """CI sets $QUIZAPP_TEST_REQUIRE_PG=1: a missing server then fails instead of skipping."""
    return os.environ.get(REQUIRE_PG_ENV, "").strip() not in ("", "0")


def with_database(url: str, name: str) -> str:
    """`url` (a SQLAlchemy URL) pointing at database `name` instead."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://...`) as libpq reads it (`postgresql://...`)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def new_name(kind: str = "db") -> str:
    return f"{PREFIX}{os.getpid()}_{kind}_{secrets.token_hex(4)}"


class Server:
    """One autocommit admin connection that creates and drops test databases."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self._conn: Any = psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10)

    def close(self) -> None:
        self._conn.close()

    def create(self, name: str, template: str | None = None) -> str:
        """Create database `name` (empty, or a copy of `template`); its URL."""
        from psycopg import sql

        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
        self._conn.execute(query)
        return with_database(self.url, name)

    def drop(self, name: str) -> None:
        from psycopg import sql

        self._conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    @contextmanager
    def database(self, template: str | None = None) -> Iterator[str]:
        """A fresh database for one test (a copy of `template`), dropped afterwards."""
        name = new_name()
        url = self.create(name, template)
        try:
            yield url
        finally:
            self.drop(name)

    def disconnect(self, name: str) -> None:
        """End every session on database `name` (a test that left a store open)."""
        self._conn.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    def drop_stale(self) -> None:
        """Drop test databases whose run (its process id is in the name) is gone."""
        rows = self._conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"]
        ).fetchall()
        for (name,) in rows:
            pid = name[len(PREFIX) :].split("_", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                self.drop(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


# what a test could change besides rows: relations, columns, row security, grants, policies
_FINGERPRINT = """
SELECT coalesce(string_agg(concat_ws(':', c.relname, c.relkind, c.relnatts, c.relrowsecurity,
                                     c.relacl), ',' ORDER BY c.relname), '')
       || (SELECT count(*) FROM pg_policy) || ':' || (SELECT count(*) FROM pg_trigger)
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
"""


class Recycled:
    """One database at the newest schema, emptied for each test instead of copied anew."""

    def __init__(self, server: Server, template: str) -> None:
        self._server = server
        self._template = template
        self._name: str | None = None
        self._fingerprint = ""
        self._revision: object = None

    def fresh(self) -> str:
        """The URL of the database, as the template left it (no rows)."""
        import psycopg

        if self._name is None:
            return self._create()
        url = with_database(self._server.url, self._name)
        self._server.disconnect(self._name)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            if self._state(conn) != (self._fingerprint, self._revision):
                return self._create()
            with conn.transaction():
                for (table,) in conn.execute(_DELETE_ORDER).fetchall():
                    conn.execute(f'DELETE FROM "{table}"')
                conn.execute(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false)"
                    " FROM pg_sequences WHERE schemaname = 'public'"
                )
        return url

    def close(self) -> None:
        if self._name is not None:
            self._server.drop(self._name)

    def _create(self) -> str:
        import psycopg

        self.close()
        self._name = new_name("reused")
        url = self._server.create(self._name, self._template)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            self._fingerprint, self._revision = self._state(conn)
        return url

    @staticmethod
    def _state(conn: Any) -> tuple[str, object]:
        fingerprint = conn.execute(_FINGERPRINT).fetchone()[0]
        revision = conn.execute("SELECT array_agg(version_num) FROM alembic_version").fetchone()
        return fingerprint, revision[0]


# the public tables, children before the tables they reference, Alembic's own table left out
_DELETE_ORDER = """
WITH RECURSIVE refs(child, parent) AS (
    SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
    WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid
), depth(name, level) AS (
    SELECT tablename::text, 0 FROM pg_tables WHERE schemaname = 'public'
    UNION ALL
    SELECT refs.parent, depth.level + 1 FROM depth JOIN refs ON refs.child = depth.name
    WHERE depth.level < 20
)
SELECT name FROM depth WHERE name <> 'alembic_version'
GROUP BY name ORDER BY max(level), name
"""
