"""Where the database lives and how SQLite is set up."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp.errors import StoreError
from quizapp.store.database import default_url, open_store, sqlite_file


def test_default_is_a_file_in_the_data_dir_created_on_first_run(
    _isolated_home: Path,
) -> None:
    url = default_url()
    path = sqlite_file(url)
    assert path == _isolated_home / "progress.db"
    assert not path.exists()
    store = open_store()
    assert store.path == path and path.exists()
    store.dispose()


def test_environment_variable_and_explicit_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "from-env.db"
    monkeypatch.setenv("QUIZAPP_DB", f"sqlite:///{env_db}")
    assert sqlite_file(default_url()) == env_db
    store = open_store()
    assert store.path == env_db
    store.dispose()
    explicit = tmp_path / "explicit.db"
    store = open_store(f"sqlite:///{explicit}")  # --db wins over the environment
    assert store.path == explicit and explicit.exists()
    store.dispose()


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    with store.read() as tx:
        pragma = {
            name: tx.scalar(text(f"PRAGMA {name}"))
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15000,
                      "synchronous": 1}  # fmt: skip
    with pytest.raises(StoreError) as err, store.write() as tx:
        tx.run(
            text(
                "INSERT INTO card_memory (learner, card_id, state, due, queue)"
                " VALUES (:q_learner, 999, 0, 0, 0)"
            )
        )
    assert "FOREIGN KEY" in str(err.value) and "\n" not in str(err.value)
    store.dispose()


def test_writes_take_the_lock_up_front(db_url: str) -> None:
    """A write transaction begins IMMEDIATE (SQLite) or with its learner's lock (PostgreSQL):
    a second writer waits instead of failing or reading what is about to change."""
    store = open_store(db_url)
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with store.write() as tx:
            tx.run(text("INSERT INTO settings (learner, key, value) VALUES (:q_learner, 'a', '1')"))
            inside.set()
            threading.Event().wait(0.3)
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    with store.write() as tx:
        # a read first: under a deferred BEGIN it would run at once and the insert after it
        # would fail (its snapshot predates the other commit); IMMEDIATE waits for the lock
        assert tx.scalar(text("SELECT count(*) FROM settings WHERE learner = :q_learner")) == 1
        order.append("second")
        tx.run(text("INSERT INTO settings (learner, key, value) VALUES (:q_learner, 'b', '2')"))
    thread.join()
    assert order == ["first", "second"]
    store.dispose()


def test_other_backends_are_accepted_by_url(tmp_path: Path) -> None:
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("postgresql://u@h/db") is None
    with pytest.raises(StoreError, match="bad database URL"):
        open_store("nosuchdriver://x")
