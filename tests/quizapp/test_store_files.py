"""`quizapp.store.files`: the SQLAlchemy-free part of opening the progress database, shared by
the store and by `quizapp` (the app command) before the first frame."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from quizapp.errors import StoreError
from quizapp.store import database, files

pytestmark = pytest.mark.sqlite_only  # SQLite files: headers, permissions, FIFOs, paths

URLS = [
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///rel.db",
    "sqlite:////abs/dir/p.db",
    "sqlite+pysqlite:////abs/p.db",
    "sqlite:///file:p.db?mode=ro&uri=true",
    "sqlite:///file::memory:?cache=shared",
    "sqlite:///p.db?mode=memory",
    "sqlite:///p.db?mode=memory&cache=shared",
    "sqlite:///~/x.db",
    "sqlite:///a%20b.db",
    "sqlite:///dir/a b.db",
    "postgresql://u@h/db",
    "postgresql+psycopg://u:p@h:5432/db",
    "mysql://u@h/db",
]


def via_sqlalchemy(url: str) -> Path | None:
    """What the store read from a URL before the split (SQLAlchemy's own parser)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database or ""
    if db in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    if db.startswith("file:"):
        db = db[5:].split("?", 1)[0]
    return None if db in ("", ":memory:") else Path(db).expanduser()


@pytest.mark.parametrize("url", URLS)
def test_sqlite_file_reads_urls_as_sqlalchemy_does(url: str) -> None:
    assert files.sqlite_file(url) == via_sqlalchemy(url)


def test_a_url_without_a_scheme_is_refused() -> None:
    with pytest.raises(StoreError, match="bad database URL"):
        files.sqlite_file("progress.db")


def test_database_re_exports_the_same_functions() -> None:
    for name in ("default_url", "sqlite_file", "check_sqlite_file", "FileState", "DB_ENV"):
        assert getattr(database, name) is getattr(files, name)


def test_default_url_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(files.DB_ENV, f"sqlite:///{tmp_path / 'env.db'}")
    assert files.sqlite_file(files.default_url()) == tmp_path / "env.db"
    monkeypatch.delenv(files.DB_ENV)
    assert files.default_url().endswith(files.DB_FILENAME)


def test_check_sqlite_file(tmp_path: Path) -> None:
    assert files.check_sqlite_file(tmp_path / "none.db") is None
    (tmp_path / "empty.db").write_bytes(b"")  # not a database anyone made: refused
    with pytest.raises(StoreError, match=r"is empty \(0 bytes\).*delete it to start afresh"):
        files.check_sqlite_file(tmp_path / "empty.db")
    with pytest.raises(StoreError, match="it is a folder"):
        files.check_sqlite_file(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError, match="not a SQLite file; it was left untouched"):
        files.check_sqlite_file(junk)
    plain = tmp_path / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("create table t (x)")
    assert files.check_sqlite_file(plain) == files.FileState(None, True)
    study_db = tmp_path / "study.db"
    database.open_store(f"sqlite:///{study_db}").dispose()
    assert files.check_sqlite_file(study_db) == files.FileState(database.SCHEMA_HEAD, True)
    # smash the first page's b-tree: quick_check finds it, and the file is not touched
    data = bytearray(study_db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    study_db.write_bytes(bytes(data))
    before = study_db.read_bytes()
    with pytest.raises(StoreError, match="is corrupt"):
        files.check_sqlite_file(study_db)
    assert study_db.read_bytes() == before


def test_files_and_the_app_command_stay_free_of_sqlalchemy() -> None:
    code = (
        "import sys, quizapp.store.files, quizapp.commands.app\n"
        "print(','.join(m for m in ('sqlalchemy', 'numpy', 'textual') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_the_app_command_uses_the_shared_checks() -> None:
    import quizapp.commands.app as app_command

    assert app_command.sqlite_file is files.sqlite_file
    assert app_command.check_sqlite_file is files.check_sqlite_file
    assert app_command.default_url is files.default_url
    for gone in ("database_url", "sqlite_path", "check_database_file", "SQLITE_MAGIC"):
        assert not hasattr(app_command, gone)
