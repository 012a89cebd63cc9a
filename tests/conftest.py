"""Shared fixtures: every test gets its own data directory, never the learner's. Also makes
`quiz_records` (recording quiz attempts for history tests) and `pg_support` importable: the
suite runs with --import-mode=importlib, so sibling modules are not on sys.path.

PostgreSQL (see tests/pg_support.py): `pg_admin_url` is the server from $QUIZAPP_TEST_PG_URL
(tests using it skip without one, and fail when $QUIZAPP_TEST_REQUIRE_PG=1, as in CI);
`pg_url` is a fresh, empty database; `pg_migrated_url` one already at the newest schema;
`db_url` runs a test twice, on a new SQLite file and on a new PostgreSQL database."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

for _name in ("quiz_records", "pg_support"):
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(
            _name, Path(__file__).with_name(f"{_name}.py")
        )
        assert _spec is not None and _spec.loader is not None
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_name] = _module
        _spec.loader.exec_module(_module)

import pg_support  # noqa: E402  (loaded just above)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("quizapp-home")
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    monkeypatch.delenv("QUIZAPP_DB", raising=False)
    return home


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: needs the PostgreSQL server named by $QUIZAPP_TEST_PG_URL"
    )
    config.addinivalue_line(
        "markers",
        "sqlite_only: about SQLite itself (its files, WAL, locks, backups): runs on SQLite only",
    )


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The superuser URL of the test server; skips (fails in CI) when none is configured."""
    url = pg_support.admin_url()
    if url is None:
        message = f"no PostgreSQL server: set ${pg_support.PG_URL_ENV} to a superuser URL"
        if pg_support.required():
            pytest.fail(f"${pg_support.REQUIRE_PG_ENV} is set but {message}")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def _pg_server(pg_admin_url: str) -> Iterator[pg_support.Server]:
    server = pg_support.Server(pg_admin_url)
    server.drop_stale()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def _pg_template(_pg_server: pg_support.Server) -> Iterator[str]:
    """A database migrated to the newest schema once per run: the template others copy."""
    from quizapp.store.database import open_store

    name = pg_support.new_name("tpl")
    store = open_store(_pg_server.create(name), learner="template")
    store.dispose()
    try:
        yield name
    finally:
        _pg_server.drop(name)


@pytest.fixture
def pg_url(_pg_server: pg_support.Server) -> Iterator[str]:
    """A fresh, empty database on the test server (dropped after the test)."""
    with _pg_server.database() as url:
        yield url


@pytest.fixture(scope="session")
def _pg_recycled(_pg_server: pg_support.Server, _pg_template: str) -> Iterator[pg_support.Recycled]:
    recycled = pg_support.Recycled(_pg_server, _pg_template)
    try:
        yield recycled
    finally:
        recycled.close()


@pytest.fixture(scope="session")
def pg_migrated_databases(
    _pg_server: pg_support.Server, _pg_template: str
) -> Callable[[], AbstractContextManager[str]]:
    """For fixtures wider than one test: `with pg_migrated_databases() as url:` a database of
    its own at the newest schema, dropped when the block ends."""
    return lambda: _pg_server.database(_pg_template)


@pytest.fixture
def pg_migrated_url(_pg_recycled: pg_support.Recycled) -> str:
    """A database at the newest schema with no rows, as the template left it: `open_store`
    has nothing to migrate, so store tests start faster than on `pg_url`. (One database
    emptied before each test: see pg_support.Recycled.)"""
    return _pg_recycled.fresh()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh progress database of either kind: a new SQLite file, or a new PostgreSQL
    database at the newest schema (as `open_store` would leave an empty one)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'progress.db'}"
    url: str = request.getfixturevalue("pg_migrated_url")
    return url
