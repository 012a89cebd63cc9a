"""Migrations: a database made at the first schema is backed up, then upgraded in place;
newer or foreign databases are refused untouched; the migrated schema equals the models."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import quizapp
from quizapp.bank.model import Item, Source
from quizapp.collection import build_collection
from quizapp.errors import StoreError
from quizapp.store.database import (
    SCHEMA_HEAD,
    alembic_config,
    foreign_keys_off,
    head_revision,
    make_engine,
    open_store,
)
from quizapp.store.models import Base

FIRST = "0001"


def make_first_schema_db(path: Path) -> None:
    """A database exactly as the first release left it, with some progress in it."""
    make_first_schema(f"sqlite:///{path}")


def make_first_schema(url: str) -> None:
    """The first release's schema and some progress in the database at `url` (any engine:
    true/false literals, not 1/0, which PostgreSQL refuses for booleans)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), FIRST)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            # id 1, from the table's own counter (PostgreSQL's sequence must count it)
            "INSERT INTO cards (key, kind, item_id, difficulty, topic, domain, position,"
            " retired, created_at) VALUES ('mig-1', 'flashcard', 'mig-1', 'easy',"
            " 'neurons', 'Modeling', 0, false, 1700000000.0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO card_memory (card_id, state, stability, difficulty, due, last_review,"
            " reps, lapses, queue, suspended, leech) VALUES"
            " (1, 2, 4.0, 5.0, 1700300000.0, 1700000000.0, 3, 0, 2, false, false)"
        )
        conn.exec_driver_sql(
            "INSERT INTO review_log (card_id, grade, reviewed_at, study_day, state, stability,"
            " difficulty, due, state_before, due_before, lapses_before, queue_before,"
            " suspended_before, leech_before) VALUES"
            " (1, 3, 1700000000.0, 738000, 2, 4.0, 5.0, 1700300000.0, 1, 1699999000.0, 0, 1,"
            " false, false)"
        )
        conn.exec_driver_sql(
            "INSERT INTO practice_attempts (attempted_at, study_day, variant_id, family,"
            " difficulty, typed, value, correct, elapsed_s) VALUES"
            " (1700000000.0, 738000, 'softmax@1', 'softmax', 'easy', '0.5', 0.5, true, 30.0)"
        )
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('new_per_day', '5')")
    engine.dispose()


def revision_of(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select version_num from alembic_version").fetchone()[0]


def columns(path: Path, table: str) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[1] for r in conn.execute(f"pragma table_info({table})")}


def test_there_is_a_real_upgrade_path() -> None:
    assert head_revision() != FIRST


def test_first_schema_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    make_first_schema_db(path)
    assert "hinted" not in columns(path, "practice_attempts")

    store = open_store(f"sqlite:///{path}", learner="ada")
    assert store.backup is not None and store.backup.exists()
    assert store.backup.parent == path.parent and FIRST in store.backup.name
    assert not Path(f"{store.backup}-wal").exists()  # a self-contained copy
    # the backup is the old database, whole
    assert revision_of(store.backup) == FIRST
    assert "hinted" not in columns(store.backup, "practice_attempts")
    with closing(sqlite3.connect(store.backup)) as conn:
        assert conn.execute("select count(*) from review_log").fetchone()[0] == 1
    # the database itself is upgraded in place, progress kept
    assert revision_of(path) == head_revision()
    assert "hinted" in columns(path, "practice_attempts")
    with closing(sqlite3.connect(path)) as conn:
        indexes = {r[1] for r in conn.execute("pragma index_list(review_log)")}
        assert "ix_review_log_learner_study_day_state_before" in indexes
        assert conn.execute("select hinted from practice_attempts").fetchone()[0] == 0
        # the daily counts were backfilled from the log: one review-state answer? no, the
        # logged answer was a learning one (state_before 1): counted, but not as new/review
        counts = "select study_day, answers, new_done, reviews_done, learner from daily_counts"
        assert conn.execute(counts).fetchall() == [(738000, 1, 0, 0, "ada")]
        # every row of the old database now belongs to the learner who upgraded it
        for table in ("cards", "card_memory", "review_log", "practice_attempts", "settings"):
            owners = {r[0] for r in conn.execute(f"select learner from {table}")}
            assert owners <= {"ada"}, table
        assert {r[0] for r in conn.execute("select learner from review_log")} == {"ada"}
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []

    src = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
    item = Item("mig-1", "flashcard", "b", src, "neurons", "Modeling", "easy", "q", "a")
    study = build_collection(store, [item])
    assert study.settings.current().new_per_day == 5
    info = study.browse.card_info(1)
    assert info.key == "mig-1" and info.reps == 3 and info.state == "review"
    stats = study.stats.summary()
    assert stats.reviews_total == 1 and stats.practice_attempts == 1
    study.close()

    again = open_store(f"sqlite:///{path}")  # already at head: no second backup
    assert again.backup is None
    again.dispose()
    assert len(list(tmp_path.glob("progress.db.backup-*"))) == 1


def test_fresh_database_is_created_at_head_and_matches_the_models(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sub' / 'progress.db'}")
    assert store.backup is None
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    store.dispose()
    assert revision_of(tmp_path / "sub" / "progress.db") == head_revision()


@pytest.mark.postgresql
def test_fresh_postgresql_database_is_created_at_head_and_matches_the_models(
    pg_url: str,
) -> None:
    store = open_store(pg_url, learner="ada")
    assert store.backup is None and store.path is None
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == SCHEMA_HEAD
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    store.dispose()


@pytest.mark.postgresql
def test_first_schema_postgresql_database_is_upgraded_for_its_learner(pg_url: str) -> None:
    """The raw SQL and re-keying of every migration run on PostgreSQL with rows in place
    (there is no file to copy: backing up a server database is its administrator's job)."""
    make_first_schema(pg_url)
    store = open_store(pg_url, learner="ada")
    assert store.backup is None
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        counts = "select study_day, answers, new_done, reviews_done, learner from daily_counts"
        assert conn.exec_driver_sql(counts).fetchall() == [(738000, 1, 0, 0, "ada")]
        assert conn.exec_driver_sql("select hinted from practice_attempts").scalar() is False
        for table in ("cards", "card_memory", "review_log", "practice_attempts", "settings"):
            owners = {r[0] for r in conn.exec_driver_sql(f"select learner from {table}")}
            assert owners == {"ada"}, table
    src = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
    item = Item("mig-1", "flashcard", "b", src, "neurons", "Modeling", "easy", "q", "a")
    study = build_collection(store, [item])
    assert study.settings.current().new_per_day == 5
    info = study.browse.card_info(1)
    assert info.key == "mig-1" and info.reps == 3 and info.state == "review"
    stats = study.stats.summary()
    assert stats.reviews_total == 1 and stats.practice_attempts == 1
    study.close()


@pytest.mark.postgresql
def test_postgresql_downgrades_to_nothing_and_upgrades_again(pg_url: str) -> None:
    open_store(pg_url, learner="ada").dispose()
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    open_store(f"sqlite:///{path}").dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("update alembic_version set version_num = 'f00d9999'")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer quizapp"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("create table notes (body text)")
        conn.execute("insert into notes values ('mine')")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a quizapp progress database"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_migrations_run_from_an_installed_copy_in_another_directory(tmp_path: Path) -> None:
    """The script location comes from the package, not the working directory or the repo."""
    site = tmp_path / "site"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("quizapp", "engine", "content"):
        source = Path(quizapp.__file__).parent.parent / package
        shutil.copytree(source, site / package, ignore=ignore)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    db = tmp_path / "installed.db"
    code = (
        "import quizapp, sys\n"
        f"assert quizapp.__file__.startswith({str(site)!r}), quizapp.__file__\n"
        "from quizapp.store.database import open_store\n"
        f"open_store('sqlite:///{db}').dispose()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, check=True, timeout=60)
    assert revision_of(db) == head_revision()


def test_schema_head_constant_is_the_newest_revision() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    db = tmp_path / "current.db"
    open_store(f"sqlite:///{db}").dispose()
    code = (
        "import sys\n"
        "from quizapp.store.database import open_store\n"
        f"open_store('sqlite:///{db}').dispose()\n"
        "assert 'alembic' not in sys.modules, 'alembic imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


SECOND = "0002"


def make_second_schema_db(path: Path) -> None:
    """A database as schema 0002 left it: quiz attempts without plan or progress."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), SECOND)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO quiz_attempts (id, mode, profile, started_at, finished_at, time_limit_s,"
            " remaining_s, question_count, score) VALUES"
            " (1, 'exam', 'mls-c01', 1700000000.0, 1700003000.0, 10800.0, 7800.0, 3, 720.0),"
            " (2, 'practice', 'practice', 1700100000.0, NULL, NULL, NULL, 3, NULL)"
        )
        conn.exec_driver_sql(
            "INSERT INTO quiz_answers (attempt_id, position, item_id, topic, domain, chosen,"
            " typed, correct, flagged, answered_at, study_day) VALUES"
            " (1, 0, 'q-a', 'losses', 'Modeling', '[1]', NULL, 1, 0, 1700000100.0, 738000),"
            " (1, 1, 'q-b', 'aws', 'Data Engineering', '[0, 2]', NULL, 0, 1, 1700000200.0,"
            " 738000),"
            " (2, 0, 'q-c', 'softmax', 'Modeling', NULL, '0.25', 1, 0, 1700100100.0, 738001),"
            " (2, 2, 'q-d', 'losses', 'Modeling', NULL, NULL, NULL, 1, NULL, NULL)"
        )
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('new_per_day', '7')")
    engine.dispose()


def quiz_rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        # the columns of the second schema (later revisions add more)
        return conn.execute(
            "select attempt_id, position, item_id, topic, domain, chosen, typed, correct,"
            " flagged, answered_at, study_day from quiz_answers order by attempt_id, position"
        ).fetchall()


def test_second_schema_is_backed_up_then_upgraded_keeping_quiz_attempts(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    make_second_schema_db(path)
    answers = quiz_rows(path)
    assert len(answers) == 4 and "plan" not in columns(path, "quiz_attempts")

    store = open_store(f"sqlite:///{path}")
    assert store.backup is not None and store.backup.exists()
    assert f"backup-{SECOND}-" in store.backup.name and store.backup.parent == path.parent
    assert revision_of(store.backup) == SECOND
    assert "plan" not in columns(store.backup, "quiz_attempts")
    assert quiz_rows(store.backup) == answers

    assert revision_of(path) == head_revision() == SCHEMA_HEAD
    assert {"plan", "current_position", "elapsed_s"} <= columns(path, "quiz_attempts")
    assert quiz_rows(path) == answers  # no cascade from a rebuilt quiz_attempts
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute(
            "select id, plan, current_position, elapsed_s, score, remaining_s"
            " from quiz_attempts order by id"
        ).fetchall() == [(1, "{}", 0, 0.0, 720.0, 7800.0), (2, "{}", 0, 0.0, None, None)]
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []

    study = build_collection(store)
    assert study.settings.current().new_per_day == 7
    recorder = study.quizzes.recorder()
    [finished] = recorder.finished_attempts()
    assert (finished.attempt_id, finished.score, finished.answered) == (1, 720.0, 2)
    assert finished.remaining_s == 7800.0 and finished.passed is False
    [unfinished] = recorder.unfinished_attempts()
    assert (unfinished.attempt_id, unfinished.answered) == (2, 1)  # the flag-only row: no
    assert study.stats.summary().quiz_attempts == 2
    study.close()

    again = open_store(f"sqlite:///{path}")
    assert again.backup is None
    again.dispose()
    assert len(list(tmp_path.glob("progress.db.backup-*"))) == 1


def test_downgrading_the_quiz_resume_columns_keeps_quiz_answers(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    make_second_schema_db(path)
    open_store(f"sqlite:///{path}").dispose()
    answers = quiz_rows(path)
    engine = make_engine(f"sqlite:///{path}")  # foreign keys on, as the app runs
    # below 0010 first, with foreign keys off as upgrades run (it rebuilds re-keyed tables)
    with engine.connect() as conn, foreign_keys_off(conn), conn.begin():
        command.downgrade(alembic_config(conn), "0009")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), SECOND)
    engine.dispose()
    assert revision_of(path) == SECOND
    assert "plan" not in columns(path, "quiz_attempts")
    assert quiz_rows(path) == answers
