"""Opening a PostgreSQL progress database: the driver is optional, every way of failing to
reach the server is one line that names the database without its password, and processes
opening a fresh database together migrate it once."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from quizapp.cli import main
from quizapp.errors import StoreError
from quizapp.store.database import (
    NEEDS_PSYCOPG,
    database_name,
    head_revision,
    make_engine,
    open_store,
)
from quizapp.store.files import hide_password
from tests.quizapp.test_store_durability import parse, spawn

SECRET = "s3cret-pw"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def opening_fails(url: str) -> str:
    with pytest.raises(StoreError) as err:
        open_store(url, learner="ada")
    message = str(err.value)
    assert "\n" not in message and SECRET not in message
    return message


def test_without_psycopg_a_postgresql_url_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` now fails
    for url in (f"postgresql+psycopg://u:{SECRET}@127.0.0.1/x", "postgresql://u@h/x"):
        with pytest.raises(StoreError) as err:
            make_engine(url)
        assert str(err.value) == NEEDS_PSYCOPG
    assert main(["--db", f"postgresql+psycopg://u:{SECRET}@127.0.0.1/x", "stats"]) == 2
    assert capsys.readouterr().err.strip() == f"quizapp: {NEEDS_PSYCOPG}"


def test_a_plain_postgresql_url_means_psycopg_without_a_ping_per_transaction() -> None:
    engine = make_engine(f"postgresql://u:{SECRET}@127.0.0.1:5432/x")
    assert engine.dialect.driver == "psycopg"
    assert not engine.pool._pre_ping  # type: ignore[attr-defined]  # a round trip each
    engine.dispose()


def test_a_connection_the_server_closed_fails_once_in_one_line_then_reconnects(
    pg_migrated_url: str, pg_admin_url: str
) -> None:
    """No pre-ping: a pooled connection the server ended (a restart, an idle timeout) costs
    the next transaction one clear line, and is dropped; the one after works."""
    store = open_store(pg_migrated_url, learner="ada")
    try:
        with store.read() as tx:
            pid = tx.scalar(text("SELECT pg_backend_pid()"))
        admin = make_engine(pg_admin_url)
        try:
            with admin.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            admin.dispose()
        time.sleep(0.2)
        with pytest.raises(StoreError) as err, store.read() as tx:
            tx.scalar(text("SELECT 1"))
        assert "\n" not in str(err.value) and SECRET not in str(err.value)
        with store.read() as tx:
            assert tx.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        store.dispose()


def test_no_server_is_one_line_naming_the_url_without_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"postgresql+psycopg://ada:{SECRET}@127.0.0.1:{closed_port()}/class"
    message = opening_fails(url)
    assert message.startswith(f"cannot open the progress database {hide_password(url)}: ")
    assert "no PostgreSQL server answers there" in message and "ada:***@" in message
    assert main(["--db", url, "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and SECRET not in err and "no PostgreSQL server" in err


@pytest.mark.postgresql
def test_a_wrong_password_is_one_line(pg_admin_url: str) -> None:
    message = opening_fails(with_password(pg_admin_url, SECRET))
    assert "refused the login of user" in message and ":***@" in message


@pytest.mark.postgresql
def test_a_missing_database_is_one_line(pg_admin_url: str) -> None:
    url = make_url(pg_admin_url).set(database="quizapp_test_no_such_db").render_as_string(False)
    message = opening_fails(url)
    assert 'there is no database "quizapp_test_no_such_db"' in message


@pytest.mark.postgresql
def test_an_error_inside_a_transaction_is_one_line(pg_migrated_url: str) -> None:
    store = open_store(pg_migrated_url, learner="ada")
    with pytest.raises(StoreError) as err, store.write() as tx:
        tx.run(text("INSERT INTO nowhere VALUES (1)"))
    assert "\n" not in str(err.value) and 'relation "nowhere" does not exist' in str(err.value)
    shown = make_url(store.url).render_as_string()
    assert str(err.value).startswith(f"cannot write the progress database {shown}: ")
    store.dispose()


def test_urls_are_shown_without_their_password() -> None:
    assert hide_password(f"postgresql://ada:{SECRET}@db:5432/x?sslmode=require") == (
        "postgresql://ada:***@db:5432/x?sslmode=require"
    )
    assert hide_password("postgresql://ada@db/x") == "postgresql://ada@db/x"
    assert hide_password("sqlite:///a:b@c.db") == "sqlite:///a:b@c.db"
    assert SECRET not in database_name(f"postgresql+psycopg://ada:{SECRET}@db/x")
    assert SECRET not in database_name(f"nosuch://ada:{SECRET}@db/x%%")
    with pytest.raises(StoreError) as err:
        make_engine(f"nosuchdriver://ada:{SECRET}@db/x")
    assert SECRET not in str(err.value) and "bad database URL" in str(err.value)


@pytest.mark.postgresql
def test_processes_opening_a_fresh_database_together_migrate_it_once(pg_url: str) -> None:
    """The first open migrates under an advisory lock: the others wait, then find it done
    (without the lock, all would create the tables and all but one fail)."""
    code = (
        "import sys, time\n"
        "from quizapp.store.database import open_store\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "open_store(sys.argv[1], learner='ada').dispose()\n"
    )
    at = str(time.time() + 2.0)  # after every interpreter has started and imported
    runs = [
        subprocess.Popen([sys.executable, "-c", code, pg_url, at], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outcomes = [(run.wait(60), run.stderr.read() if run.stderr else b"") for run in runs]
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head_revision(),)
        ]
    engine.dispose()


def logged(url: str) -> list[tuple[int, int, float]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        sql = "select card_id, grade, due from review_log order by id"
        rows = [(int(c), int(g), float(d)) for c, g, d in conn.exec_driver_sql(sql)]
        reps = conn.exec_driver_sql("select sum(reps) from card_memory").scalar()
    engine.dispose()
    assert reps == len(rows)
    return rows


@pytest.mark.postgresql
def test_two_processes_answering_on_one_postgresql_database_lose_nothing(pg_url: str) -> None:
    """As on SQLite (test_store_durability), from an empty database both migrate at once."""
    procs = [spawn(pg_url, 100, wait=True, tag=tag, pace=0.002) for tag in ("a", "b")]
    for p in procs:
        assert p.stdout is not None
        ready = p.stdout.readline()
        assert ready.startswith("ready"), p.stderr.read() if p.stderr else ""
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=180) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    promised = [parse(out.splitlines(keepends=True)) for out, _ in outputs]
    assert [len(p) for p in promised] == [100, 100]
    rows = logged(pg_url)
    assert len(rows) == 200 and set(promised[0]) | set(promised[1]) == set(rows)
    owner = {row: tag for tag, answers in zip("ab", promised, strict=True) for row in answers}
    assert sum(owner[x] != owner[y] for x, y in itertools.pairwise(rows)) > 10  # interleaved


@pytest.mark.postgresql
def test_sigkill_mid_review_loses_no_committed_postgresql_answer(pg_migrated_url: str) -> None:
    promised: list[tuple[int, int, float]] = []
    for kill_after in (40, 90):
        proc = spawn(pg_migrated_url, -1)
        assert proc.stdout is not None
        lines = [proc.stdout.readline()]
        assert lines[0].startswith("ready"), proc.stderr.read() if proc.stderr else ""
        while len(lines) <= kill_after:
            lines.append(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        lines.extend(proc.stdout.readlines())
        promised.extend(parse(lines))
    rows = logged(pg_migrated_url)
    assert not set(promised) - set(rows) and len(rows) >= len(promised) >= 130
