"""The database owner's side of a class: `init_class` (schema, groups, grants, row-level
security) and `add_member` (a learner's or an instructor's login role).

Only PostgreSQL has roles and row-level security, so a SQLite database (the default) is
refused in one line before anything is opened or created. The SQL itself is in
`quizapp.store.class_roles`, imported only once the URL is known to be PostgreSQL (psycopg is
an optional dependency).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from quizapp.errors import QuizappError
from quizapp.store.files import default_url

Kind = Literal["learner", "instructor"]


@dataclass(frozen=True, slots=True)
class Initialised:
    database: str  # as messages show it: no password
    created: tuple[str, ...]  # the groups this run created
    groups: tuple[str, ...]
    tables: tuple[str, ...]  # the tables row-level security now limits


def class_url(url: str | None, action: str) -> str:
    """`url` (else $QUIZAPP_DB), which must name a PostgreSQL database."""
    url = url or default_url()
    if url.partition("://")[0].split("+", 1)[0] != "postgresql":
        raise QuizappError(
            f"class {action} needs a PostgreSQL database (--db postgresql+psycopg://...)"
        )
    return url


def _need_psycopg() -> None:
    """psycopg is the optional extra `quizapp[postgres]`: without it, one line."""
    import importlib.util

    from quizapp.store.database import NEEDS_PSYCOPG

    if importlib.util.find_spec("psycopg") is None:
        raise QuizappError(NEEDS_PSYCOPG)


def init_class(url: str, learner: str | None = None) -> Initialised:
    """Migrate the schema (as `open_store` does) and set up the class on it. Idempotent: run
    it again after upgrading quizapp, to migrate and cover new tables."""
    _need_psycopg()
    from quizapp.store.class_roles import GROUPS, set_up_class
    from quizapp.store.database import database_name, open_store, store_errors

    with store_errors(url):
        store = open_store(url, learner=learner)
        try:
            with store.engine.begin() as conn:
                done = set_up_class(conn)
        finally:
            store.dispose()
    return Initialised(database_name(url), done.created, GROUPS, done.tables)


def add_member(
    url: str, name: str, password: Callable[[], str], kind: Kind, *, reset: bool = False
) -> bool:
    """Create `name`'s login role as a learner or an instructor (True), or with `reset` give
    an existing one a new password (False). `password` is asked for once the database has
    accepted the name, in the same transaction. `name` is checked by the caller."""
    _need_psycopg()
    from quizapp.store.class_roles import INSTRUCTORS, LEARNERS
    from quizapp.store.class_roles import add_member as add
    from quizapp.store.database import make_engine, store_errors

    group = LEARNERS if kind == "learner" else INSTRUCTORS
    with store_errors(url):
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                return add(conn, name, password, group, reset=reset).created
        finally:
            engine.dispose()


def login_url(url: str, name: str) -> str:
    """The URL a member opens the app with: the class's, as `name`, without a password
    (libpq then takes it from ~/.pgpass or $PGPASSWORD)."""
    from sqlalchemy.engine import URL, make_url

    u = make_url(url)
    return URL.create(
        u.drivername, name, None, u.host, u.port, u.database, u.query
    ).render_as_string()
