"""A class on PostgreSQL, enforced by the database: the two group roles, their grants, and
row-level security on every learner table, so a learner's role is limited to its own rows
even with plain SQL, not only in the app. The only module with this SQL.

- `quizapp_learner` (NOLOGIN): every learner logs in as their own role, a member of it, and
  may read and write the learner tables, but a policy limits each row to
  `learner = current_user` (USING: the rows it sees, updates and deletes; WITH CHECK: the rows
  it inserts or updates to). The app already names its learner in every statement
  (`quizapp.store.tables.mine`); this makes a mistake there, or a hand-written query, harmless.
- `quizapp_instructor` (NOLOGIN): reads every row of every table, writes none.

Not FORCE ROW LEVEL SECURITY: the tables' owner, who runs `class init` and the migrations, is
not limited, because migrations rewrite every learner's rows (0010 gives old rows to a
learner) and under FORCE, with no policy naming the owner, they would silently change
nothing. Learners and instructors never own the tables, so the policies always apply to them.
(PostgreSQL's own limits: foreign-key checks ignore policies, so a learner could learn that
a card id exists, never what it holds; the groups are cluster-wide, shared by every class
database on the server; on PostgreSQL 16+ the owner needs ADMIN OPTION on the groups to add
members, which it has when its own `class init` created them.)

Everything is idempotent: roles are created when missing, GRANT and ENABLE repeat harmlessly,
and each policy is dropped and created again in the same transaction, so running
`set_up_class` again after an upgrade covers new tables and new policy text.

Passwords never reach the server in clear: libpq turns one into a SCRAM-SHA-256 verifier on
the client (PQencryptPasswordConn, as psql's \\password does) and only the verifier is sent,
so no statement log, pg_stat_activity or pg_stat_statements can show the password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection

from quizapp.errors import QuizappError, StoreError
from quizapp.store.tables import LEARNED

LEARNERS = "quizapp_learner"
INSTRUCTORS = "quizapp_instructor"
GROUPS = (LEARNERS, INSTRUCTORS)
OWN_ROWS = "quizapp_learner_own_rows"  # policy: a learner's role, its own rows
READ_ALL = "quizapp_instructor_reads_all"  # policy: an instructor reads every row
VERSION_TABLE = "alembic_version"  # opening the app reads the schema revision
_PRIVILEGE = "42501"  # SQLSTATE insufficient_privilege
_KIND = {LEARNERS: "learner", INSTRUCTORS: "instructor"}


@dataclass(frozen=True, slots=True)
class ClassSetup:
    """What `set_up_class` did: the groups it had to create, the tables it now limits."""

    created: tuple[str, ...]
    tables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Member:
    """What `add_member` did."""

    name: str
    group: str
    created: bool  # False: an existing member's password was reset


def set_up_class(conn: Connection) -> ClassSetup:
    """Create the groups, grant them the tables and put row-level security on every learner
    table, in `conn`'s transaction (committed by the caller). Run as the tables' owner."""
    with _sql_errors(conn, "class init") as cur:
        created = tuple(name for name in GROUPS if _ensure_group(cur, name))
        database, schema = _one(cur, "SELECT current_database(), current_schema()")
        both = sql.SQL(", ").join(map(sql.Identifier, GROUPS))
        learned = sql.SQL(", ").join(sql.Identifier(t.name) for t in LEARNED)
        version = sql.Identifier(VERSION_TABLE)
        learners, instructors = sql.Identifier(LEARNERS), sql.Identifier(INSTRUCTORS)
        # granted to PUBLIC by default; explicit for a server that revoked them
        cur.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), both)
        )
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), both))
        cur.execute(
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {} TO {}").format(
                learned, learners
            )
        )
        cur.execute(sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(version, learners))
        cur.execute(
            sql.SQL("GRANT SELECT ON TABLE {}, {} TO {}").format(learned, version, instructors)
        )
        sequences = _sequences(cur, [t.name for t in LEARNED])
        if sequences:
            cur.execute(
                sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
                    sql.SQL(", ").join(sequences), learners
                )
            )
        for table in LEARNED:
            _secure(cur, sql.Identifier(table.name))
    return ClassSetup(created=created, tables=tuple(t.name for t in LEARNED))


def add_member(
    conn: Connection,
    name: str,
    password: Callable[[], str],
    group: str = LEARNERS,
    *,
    reset: bool = False,
) -> Member:
    """Create the login role `name` in `group` (or, with `reset`, give an existing member a
    new password), in `conn`'s transaction. `password` is called only once the name is known
    to be free (or, with `reset`, a member), so nobody types a password to be refused. `name`
    must already be checked (`quizapp.classroom.names`); it is quoted as an identifier all
    the same."""
    kind = _KIND[group]
    with _sql_errors(conn, f"class add-{kind}") as cur:
        if not is_class_database(cur):
            raise QuizappError(
                "this database has no class yet: run `quizapp class init` on it first "
                "(as the database owner)"
            )
        found = cur.execute(
            # a direct member only, and never a superuser: --reset-password must not reach
            # any other role (pg_has_role says yes to a superuser for every group)
            "SELECT NOT r.rolsuper AND EXISTS (SELECT FROM pg_auth_members m"
            " WHERE m.member = r.oid AND m.roleid = g.oid)"
            " FROM pg_roles r, pg_roles g WHERE r.rolname = %s AND g.rolname = %s",
            [name, group],
        ).fetchone()
        if found is None and reset:
            raise QuizappError(
                f"there is no {kind} {name} to reset: add them with `quizapp class add-{kind}`"
            )
        if found is not None and not found[0]:
            raise QuizappError(
                f"{name} is already a PostgreSQL role that is not a quizapp {kind}; "
                "choose another name"
            )
        if found is not None and not reset:
            raise QuizappError(
                f"{kind} {name} already exists; give them a new password with --reset-password"
            )
        verifier = sql.Literal(_verifier(cur.connection, name, password()))
        role = sql.Identifier(name)
        if found is None:
            cur.execute(
                sql.SQL("CREATE ROLE {} LOGIN IN ROLE {} PASSWORD {}").format(
                    role, sql.Identifier(group), verifier
                )
            )
        else:
            cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, verifier))
    return Member(name=name, group=group, created=found is None)


def is_class_database(cur: psycopg.Cursor[Any]) -> bool:
    """Whether `class init` has run on this database (its policies are there)."""
    return bool(
        _one(
            cur,
            "SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema()"
            " AND tablename = %s AND policyname = %s)",
            [LEARNED[0].name, OWN_ROWS],
        )[0]
    )


def _verifier(conn: psycopg.Connection[Any], name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, computed by libpq on this machine."""
    if "\x00" in password:
        raise QuizappError("a password cannot hold a NUL character")
    verifier = conn.pgconn.encrypt_password(
        password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def _ensure_group(cur: psycopg.Cursor[Any], name: str) -> bool:
    """Create the NOLOGIN group `name` if missing (True); refuse a role of that name that
    can log in or is a superuser: a policy naming it would not mean what it says."""
    row = cur.execute(
        "SELECT rolcanlogin OR rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [name]
    ).fetchone()
    if row is None:
        cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        return True
    if row[0]:
        raise QuizappError(
            f"the role {name} already exists and can log in (or bypasses row-level security); "
            "it cannot be the class's group: rename or drop it first"
        )
    return False


def _secure(cur: psycopg.Cursor[Any], table: sql.Identifier) -> None:
    cur.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(table))
    own, read = sql.Identifier(OWN_ROWS), sql.Identifier(READ_ALL)
    for policy in (own, read):
        cur.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(policy, table))
    cur.execute(
        sql.SQL(
            "CREATE POLICY {} ON {} FOR ALL TO {} "
            "USING (learner = current_user) WITH CHECK (learner = current_user)"
        ).format(own, table, sql.Identifier(LEARNERS))
    )
    cur.execute(
        sql.SQL("CREATE POLICY {} ON {} FOR SELECT TO {} USING (true)").format(
            read, table, sql.Identifier(INSTRUCTORS)
        )
    )


def _sequences(cur: psycopg.Cursor[Any], tables: Sequence[str]) -> list[sql.Identifier]:
    """The sequences behind the tables' serial or identity columns (inserting needs them)."""
    rows = cur.execute(
        "SELECT DISTINCT n.nspname, s.relname FROM pg_depend d"
        " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
        " JOIN pg_namespace n ON n.oid = s.relnamespace"
        " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
        " AND d.deptype IN ('a', 'i')"
        " AND d.refobjid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) AS t)"
        " ORDER BY 1, 2",
        [list(tables)],
    ).fetchall()
    return [sql.Identifier(schema, name) for schema, name in rows]


def _one(cur: psycopg.Cursor[Any], query: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    row = cur.execute(query, params).fetchone()
    assert row is not None  # an aggregate or a function call: always one row
    return tuple(row)


@contextmanager
def _sql_errors(conn: Connection, what: str) -> Iterator[psycopg.Cursor[Any]]:
    """A psycopg cursor in `conn`'s own transaction; a server error becomes one line."""
    if conn.dialect.name != "postgresql":
        raise QuizappError(f"{what} needs a PostgreSQL database (--db postgresql+psycopg://...)")
    driver = conn.connection.driver_connection
    if not isinstance(driver, psycopg.Connection):
        raise QuizappError(f"{what} needs the psycopg driver (--db postgresql+psycopg://...)")
    try:
        with driver.cursor() as cur:
            yield cur
    except psycopg.Error as err:
        message = " ".join(str(err).split()) or type(err).__name__
        if err.sqlstate == _PRIVILEGE:
            message += (
                "; run it as the database owner, with the CREATEROLE privilege (or as a superuser)"
            )
        raise StoreError(f"{what}: {message}") from None
