"""Reliability: every fault in reaching the progress database is one clear line, and a
healthy file is never called corrupt.

The real CLI runs in subprocesses (`python -m quizapp.cli`, with the test's own
$QUIZAPP_HOME and a 1 s busy timeout): a lock held by a second process past the busy
timeout, a read-only file or folder (in a child that file permissions apply to: as root,
one without capabilities, else uid 65534, else skipped with the reason), a FIFO, a NUL
byte or an over-long `--db`, an empty file, a missing folder, a SIGKILL and a full disk
during the pre-upgrade backup. Each refusal: exit code 2, exactly one line on stderr that
starts "quizapp: " and names the path, no traceback, the file's bytes unchanged, and no
-wal/-shm/-journal left beside it.
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import functools
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from quizapp.cli import main
from quizapp.store import database, files

pytestmark = pytest.mark.sqlite_only  # SQLite files: locks, read-only files, corruption

QUIZAPP = [sys.executable, "-m", "quizapp.cli"]
FAST = {"QUIZAPP_BUSY_TIMEOUT_S": "1"}  # a lock test waits a second, not 15
SIDE = ("-wal", "-shm", "-journal")
OLD = "0001"  # the first schema: opening it backs it up, then upgrades it
APP: list[str] = []  # no command: the Textual app (every refusal here comes before the UI)
COMMANDS = [pytest.param(["stats"], id="stats"), pytest.param(APP, id="app")]


def quizapp(*args: str, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **FAST, **kwargs.pop("env", {})}
    return subprocess.run(
        [*QUIZAPP, *args],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang (a FIFO opened, a lock waited on forever) fails the test
        env=env,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def url_of(path: Path | str) -> str:
    return f"sqlite:///{path}"


def assert_refused(
    proc: subprocess.CompletedProcess[str],
    path: Path | None,
    before: bytes | None,
    *,
    named: str | None = None,
) -> str:
    """Exit 2, one `quizapp: ` line naming the path, no traceback, the file and its
    neighbourhood as they were. Returns the line."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizapp: "), proc.stderr
    assert (named if named is not None else str(path)) in lines[0], lines[0]
    assert proc.stdout == ""
    if path is not None:
        if before is not None:
            assert path.read_bytes() == before, "the file was changed"
        for suffix in SIDE:
            assert not os.path.lexists(f"{path}{suffix}"), f"{suffix} left beside {path}"
    return lines[0]


def head_db(path: Path) -> Path:
    """A database at the current schema, closed cleanly (nothing beside it)."""
    database.open_store(url_of(path)).dispose()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(path.name)] == [path.name]
    return path


def old_db(path: Path, rows: int = 3) -> Path:
    """A database at the first schema, with some settings in it (enough pages to copy slowly)."""
    from alembic import command

    engine = database.make_engine(url_of(path))
    with engine.begin() as conn:
        command.upgrade(database.alembic_config(conn), OLD)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('new_per_day', '5')")
        for i in range(rows):
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES (?, ?)", (f"filler-{i}", "x" * 3000)
            )
    engine.dispose()
    return path


def revision_of(path: Path) -> str:
    """Read without leaving anything beside the file (a plain read-only connection to a WAL
    database leaves -wal and -shm behind); only for files no process has open."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute("select version_num from alembic_version").fetchone()[0]


def backups(folder: Path) -> list[Path]:
    """Files named like a finished backup (a temporary copy must never be)."""
    return sorted(folder.glob("progress.db.backup-*"))


def scratch(folder: Path) -> list[Path]:
    return sorted(folder.glob(".progress.db.*"))


# --- a lock held by another process ----------------------------------------------------------

LOCKER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":  # no reader gets in either (WAL readers pass a plain lock)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


@contextmanager
def locked_by_another_process(path: Path, mode: str) -> Iterator[None]:
    """A second process holds `BEGIN EXCLUSIVE` on the file until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        _out, err = proc.communicate("\n", timeout=60)  # releases and closes
    assert proc.returncode == 0, err


@pytest.mark.parametrize(
    ("mode", "command"),
    [
        pytest.param("plain", ["stats"], id="writer-lock-stats"),
        pytest.param("exclusive", ["stats"], id="exclusive-lock-stats"),
        pytest.param("exclusive", APP, id="exclusive-lock-app"),
    ],
)
def test_a_lock_held_past_the_busy_timeout_by_another_process(
    tmp_path: Path, mode: str, command: list[str]
) -> None:
    path = head_db(tmp_path / "progress.db")
    before = path.read_bytes()
    with locked_by_another_process(path, mode):
        started = time.monotonic()
        proc = quizapp("--db", url_of(path), *command)
        took = time.monotonic() - started
    line = assert_refused(proc, path, before)
    assert "locked by another process" in line and "close the other" in line, line
    assert "corrupt" not in line
    assert took < 15, f"took {took:.1f} s with a 1 s busy timeout"


def test_the_app_ends_on_a_lock_with_the_same_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the start-up check (WAL readers get in), the study thread's open meets the
    lock: the app exits with `fatal` set to the one line naming the file, once."""
    from quizapp.commands.app import StudyOpener
    from quizapp.tui.app import QuizApp

    monkeypatch.setenv("QUIZAPP_BUSY_TIMEOUT_S", "1")
    path = head_db(tmp_path / "progress.db")
    before = path.read_bytes()

    async def run() -> QuizApp:
        opener = StudyOpener(url_of(path), [])
        app = QuizApp(opener, bank_errors=lambda: opener.bank_errors)
        async with app.run_test(size=(80, 24)) as pilot:
            deadline = time.monotonic() + 30
            while app.fatal is None and time.monotonic() < deadline:
                await pilot.pause(0.05)
        return app

    with locked_by_another_process(path, "plain"):
        files.check_sqlite_file(path)  # the start-up check passes: the file is healthy
        started = time.monotonic()
        app = asyncio.run(run())
        took = time.monotonic() - started
    assert app.fatal is not None
    assert str(path) in app.fatal and "locked by another process" in app.fatal, app.fatal
    assert "\n" not in app.fatal
    assert took < 15, f"took {took:.1f} s with a 1 s busy timeout"
    assert path.read_bytes() == before
    assert not any(os.path.lexists(f"{path}{s}") for s in SIDE)


# --- read-only file and folder: a child that permissions apply to ------------------------------

PR_CAPBSET_DROP = 24


def _drop_capabilities() -> None:  # pragma: no cover - runs in the child before exec
    """Empty the bounding set: after exec the child is root without any capability, so
    file permissions bind as for anyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


@functools.cache
def _unprivileged() -> tuple[tuple[tuple[str, Any], ...], str]:
    """subprocess keyword arguments for a child that file permissions apply to, or why
    there is none. Each way is probed: the child must fail to append to a 0444 file."""
    if os.geteuid() != 0:
        return (), ""
    ways: list[tuple[str, dict[str, Any]]] = [
        ("root without capabilities", {"preexec_fn": _drop_capabilities}),
        ("uid 65534", {"user": 65534, "group": 65534, "extra_groups": []}),
    ]
    probe_dir = Path(tempfile.mkdtemp(prefix="quizapp-probe-"))
    probe_dir.chmod(0o755)
    probe = probe_dir / "read-only"
    probe.write_text("")
    probe.chmod(0o444)
    tried = []
    try:
        for name, kwargs in ways:
            code = "import sys, quizapp.cli\nopen(sys.argv[1], 'a')\n"
            try:
                proc = subprocess.run(
                    [sys.executable, "-c", code, str(probe)],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    cwd=probe_dir,
                    **kwargs,
                )
            except OSError as err:
                tried.append(f"{name}: {err}")
                continue
            if proc.returncode != 0 and "PermissionError" in proc.stderr:
                return tuple(kwargs.items()), ""
            why = proc.stderr.strip().splitlines()[-1:] or ["permissions did not bind"]
            tried.append(f"{name}: {why[0]}")
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    return (), "; ".join(tried)


@pytest.fixture
def unprivileged() -> Iterator[tuple[Path, Callable[..., subprocess.CompletedProcess[str]]]]:
    """A folder anyone can traverse, and a runner of the CLI that its permissions bind."""
    kwargs, why = _unprivileged()
    if why:
        print(f"read-only tests skipped: no child that file permissions apply to ({why})")
        pytest.skip(f"no child that file permissions apply to: {why}")
    base = Path(tempfile.mkdtemp(prefix="quizapp-faults-"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    home.chmod(0o777)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return quizapp(*args, env={"QUIZAPP_HOME": str(home)}, cwd=base, **dict(kwargs))

    try:
        yield base, run
    finally:
        for folder, dirs, _files in os.walk(base):
            for d in dirs:
                (Path(folder) / d).chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_database_is_refused_at_start(
    unprivileged: tuple[Path, Callable[..., subprocess.CompletedProcess[str]]],
    command: list[str],
) -> None:
    base, run = unprivileged
    folder = base / "db"
    folder.mkdir()
    folder.chmod(0o777)  # the folder is writable: only the file is read-only
    path = head_db(folder / "progress.db")
    path.chmod(0o444)
    before = path.read_bytes()
    line = assert_refused(run("--db", url_of(path), *command), path, before)
    assert "is read-only" in line and "make it writable" in line and "corrupt" not in line


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_in_a_read_only_folder_is_refused_at_start(
    unprivileged: tuple[Path, Callable[..., subprocess.CompletedProcess[str]]],
    command: list[str],
) -> None:
    base, run = unprivileged
    folder = base / "db"
    folder.mkdir()
    path = head_db(folder / "progress.db")
    path.chmod(0o666)  # the file is writable: only its folder is read-only
    folder.chmod(0o555)
    before = path.read_bytes()
    line = assert_refused(run("--db", url_of(path), *command), path, before)
    assert "folder" in line and "read-only" in line and "corrupt" not in line
    assert sorted(p.name for p in folder.iterdir()) == ["progress.db"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        pytest.param("progress.db", "its folder is read-only", id="new-file"),
        pytest.param("sub/progress.db", "is read-only; create the folder", id="new-folder"),
    ],
)
def test_a_new_database_that_cannot_be_created_is_one_line(
    unprivileged: tuple[Path, Callable[..., subprocess.CompletedProcess[str]]],
    where: str,
    expected: str,
) -> None:
    base, run = unprivileged
    folder = base / "db"
    folder.mkdir()
    folder.chmod(0o555)
    path = folder / where
    line = assert_refused(run("--db", url_of(path), "stats"), path, None)
    assert expected in line, line
    assert list(folder.iterdir()) == []


# --- not a database file at all ---------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_at_the_path_is_never_opened(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "progress.db"
    os.mkfifo(path)
    line = assert_refused(quizapp("--db", url_of(path), *command, timeout=30), path, None)
    assert "not a regular file" in line and "named pipe" in line, line
    assert stat.S_ISFIFO(os.stat(path).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_empty_file_is_refused_not_made_into_a_database(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "progress.db"
    path.write_bytes(b"")
    line = assert_refused(quizapp("--db", url_of(path), *command, timeout=30), path, b"")
    assert "is empty (0 bytes)" in line and "delete it to start afresh" in line, line
    assert "corrupt" not in line


@pytest.mark.parametrize("command", COMMANDS)
def test_a_nul_byte_in_db_is_one_line(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    raw = f"{tmp_path}/bad\x00name.db"  # as Python passes it (argv cannot hold a NUL)
    assert main(["--db", url_of(raw), *command]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizapp: "), captured.err
    assert f"{tmp_path}/bad\\x00name.db" in lines[0] and "NUL byte" in lines[0]
    # as a shell can pass it: percent-encoded in the URL
    proc = quizapp("--db", url_of(f"{tmp_path}/bad%00name.db"), *command, timeout=30)
    line = assert_refused(proc, None, None, named=f"{tmp_path}/bad\\x00name.db")
    assert "NUL byte" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("d/" * 2500 + "progress.db", id="deep"),
        pytest.param("x" * 5000, id="long-name"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_over_long_db_path_is_one_line(tmp_path: Path, tail: str, command: list[str]) -> None:
    raw = f"{tmp_path}/{tail}"
    assert len(raw) > 5000
    proc = quizapp("--db", url_of(raw), *command, timeout=30)
    line = assert_refused(proc, None, None, named=raw[:60])
    assert raw[-40:] in line and "too long" in line and f"({len(raw)} characters)" in line
    assert len(line) < 400  # named, but not 5000 characters of it
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "progress.db"
    proc = quizapp("--db", url_of(path), "stats", "--json")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    json.loads(proc.stdout)
    assert revision_of(path) == database.SCHEMA_HEAD
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.db"]  # no scratch


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path, command: list[str]) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    path = blocker / "sub" / "progress.db"
    line = assert_refused(quizapp("--db", url_of(path), *command, timeout=30), None, None,
                          named=str(path))  # fmt: skip
    assert f"{blocker} is a file, not a folder" in line, line
    assert blocker.read_text() == "mine"


# --- the read-only check writes nothing ------------------------------------------------------


def test_the_start_up_check_leaves_nothing_beside_the_file(tmp_path: Path) -> None:
    path = head_db(tmp_path / "progress.db")
    before = path.read_bytes()
    assert files.check_sqlite_file(path) == files.FileState(database.SCHEMA_HEAD, True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]
    assert path.read_bytes() == before
    # a database refused after the check (made by a newer quizapp): nothing left either
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("update alembic_version set version_num = 'f00d9999'")
        conn.commit()
    before = path.read_bytes()
    line = assert_refused(quizapp("--db", url_of(path), "stats"), path, before)
    assert "newer quizapp" in line


# --- the backup before an upgrade ------------------------------------------------------------

SLOW_BACKUP = r"""
import sqlite3, sys, time, types
import quizapp.store.database as database
from quizapp.cli import main

class Slow(sqlite3.Connection):
    def backup(self, target, **kwargs):
        def progress(status, remaining, total):
            print("copying", remaining, total, flush=True)
            time.sleep(0.2)
        return super().backup(target, pages=1, progress=progress)

shim = types.ModuleType("sqlite3")
shim.__dict__.update(sqlite3.__dict__)
shim.connect = lambda *a, **k: sqlite3.connect(*a, factory=Slow, **k)
database.sqlite3 = shim  # only the backup's connections copy slowly
sys.exit(main(["--db", sys.argv[1], "stats"]))
"""


def test_a_sigkill_during_the_backup_leaves_no_false_backup(tmp_path: Path) -> None:
    path = old_db(tmp_path / "progress.db", rows=40)
    before = path.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_BACKUP, url_of(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **FAST},
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("copying"), child.communicate(timeout=30)
    child.stdout.readline()  # a few pages in
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before  # the original: byte for byte
    assert backups(tmp_path) == [], "a half-made copy is named like a backup"
    # the next start backs up again, whole, and tidies what the killed one left
    proc = quizapp("--db", url_of(path), "stats", "--json")
    assert proc.returncode == 0, proc.stderr
    [backup] = backups(tmp_path)
    assert revision_of(backup) == OLD and revision_of(path) == database.SCHEMA_HEAD
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("select count(*) from settings").fetchone()[0] == 41
    assert scratch(tmp_path) == []


def _full_disk_on_fsync(_path: Path) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDiskCopy(sqlite3.Connection):
    def backup(self, target: sqlite3.Connection, **kwargs: Any) -> None:
        target.execute("CREATE TABLE half_written (x)")  # the copy has begun on disk
        err = sqlite3.OperationalError("database or disk is full")
        err.sqlite_errorcode = 13  # type: ignore[attr-defined]
        err.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
        raise err


@pytest.mark.parametrize("fails", ["copy", "fsync"])
def test_a_full_disk_during_the_backup_stops_the_upgrade(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fails: str,
) -> None:
    path = old_db(tmp_path / "progress.db")
    before = path.read_bytes()
    if fails == "fsync":
        monkeypatch.setattr(database, "_fsync", _full_disk_on_fsync, raising=False)
    else:
        shim = types.ModuleType("sqlite3")
        shim.__dict__.update(sqlite3.__dict__)
        shim.connect = lambda *a, **k: sqlite3.connect(*a, factory=_FullDiskCopy, **k)  # type: ignore[attr-defined]
        monkeypatch.setattr(database, "sqlite3", shim)
    assert main(["--db", url_of(path), "stats"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizapp: "), captured.err
    assert str(path) in lines[0] and "disk is full" in lines[0], lines[0]
    assert "untouched" in lines[0] and "corrupt" not in lines[0]
    assert captured.out == ""
    assert path.read_bytes() == before and revision_of(path) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]  # no copy, no -wal


def test_the_backup_is_reported_exactly_once(tmp_path: Path) -> None:
    path = old_db(tmp_path / "progress.db")
    proc = quizapp("--db", url_of(path), "stats", "--json")
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)  # stdout stays the JSON
    [backup] = backups(tmp_path)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and str(backup) in lines[0] and str(path) in lines[0], proc.stderr
    again = quizapp("--db", url_of(path), "stats", "--json")
    assert again.returncode == 0 and again.stderr == ""
    assert backups(tmp_path) == [backup]


def test_the_app_reports_the_backup_once_it_has_closed(tmp_path: Path) -> None:
    from quizapp.commands.app import StudyOpener

    path = old_db(tmp_path / "progress.db")
    opener = StudyOpener(url_of(path), [])
    study = opener()
    study.close()
    [backup] = backups(tmp_path)
    assert opener.backup_note is not None
    assert opener.backup_note.startswith("quizapp: ") and str(backup) in opener.backup_note
    assert "\n" not in opener.backup_note
