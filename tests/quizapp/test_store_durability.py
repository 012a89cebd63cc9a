"""Durability: a process killed with SIGKILL mid-review loses no committed answer, two
processes answering on one database lose nothing, and a corrupt or unreadable file is
reported in one line and left byte-identical."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.errors import StoreError
from quizapp.store.database import open_store

pytestmark = pytest.mark.sqlite_only  # SQLite's WAL after SIGKILL, its lock, corrupt files

CHILD = r"""
import sys, time
from dataclasses import replace
from quizapp.bank.model import Item, Source
from quizapp.errors import CardChanged
from quizapp.collection import Collection, build_collection, open_collection

url, count, wait, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "wait", sys.argv[4]
pace = float(sys.argv[5])
src = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
items = [
    Item(f"kill-{i:04d}", "flashcard", "b", src, "neurons", "Modeling", "easy", "q", "a")
    for i in range(3000)
]
study = open_collection(url, items)
study.settings.save(replace(study.settings.current(), new_per_day=100000, reviews_per_day=100000))
print("ready", flush=True)
if wait:
    sys.stdin.readline()  # "go": both writers start together, however slow their start-up
n = 0
while count < 0 or n < count:
    card = study.reviews.next_card()
    if card is None:
        break
    grade = 1 + n % 4
    try:
        outcome = study.reviews.answer(card, grade)
    except CardChanged:
        continue  # the other writer answered this card since it was shown: nothing saved
    # printed only once answer() returned, i.e. after the commit
    print(tag, card.card_id, grade, repr(outcome.due.timestamp()), flush=True)
    n += 1
    time.sleep(pace)  # a learner's pause: lets the other writer in even on a loaded machine
"""


def spawn(
    url: str, count: int, wait: bool = False, tag: str = "a", pace: float = 0.0
) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(count), "wait" if wait else "go", tag, str(pace)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def parse(lines: list[str]) -> list[tuple[int, int, float]]:
    out = []
    for line in lines:
        if not line.endswith("\n") or line.startswith("ready"):
            continue  # a line cut by the kill was never a promise
        _tag, card, grade, due = line.split()
        out.append((int(card), int(grade), float(due)))
    return out


def logged(path: Path) -> list[tuple[int, int, float]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select card_id, grade, due from review_log order by id").fetchall()


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


def test_sigkill_mid_review_loses_no_committed_answer(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    url = f"sqlite:///{path}"
    promised: list[tuple[int, int, float]] = []
    for kill_after in (40, 150, 90):
        proc = spawn(url, -1)
        assert proc.stdout is not None
        lines = [proc.stdout.readline()]
        assert lines[0].startswith("ready"), proc.stderr.read() if proc.stderr else ""
        while len(lines) <= kill_after:
            lines.append(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)  # mid-loop: it was answering as fast as it could
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines.extend(proc.stdout.readlines())  # what it printed before dying
        promised.extend(parse(lines))
    store = open_store(url)  # reopens after the crash: health check and WAL recovery pass
    store.dispose()
    assert integrity(path) == "ok"
    rows = logged(path)
    missing = set(promised) - set(rows)
    assert not missing, f"{len(missing)} committed answers lost"
    assert len(rows) >= len(promised) >= 280


def test_two_processes_answering_on_one_database_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"  # not created yet: both instances start on nothing
    url = f"sqlite:///{path}"
    procs = [spawn(url, 150, wait=True, tag=tag, pace=0.002) for tag in ("a", "b")]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().startswith("ready")
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    promised = [parse(out.splitlines(keepends=True)) for out, _ in outputs]
    assert [len(p) for p in promised] == [150, 150]
    rows = logged(path)
    assert len(rows) == 300
    assert set(promised[0]) | set(promised[1]) == set(rows)
    # they really ran at the same time: in commit order, the writers take turns
    owner = {row: tag for tag, answers in zip("ab", promised, strict=True) for row in answers}
    turns = sum(owner[x] != owner[y] for x, y in itertools.pairwise(rows))
    assert turns > 10
    assert integrity(path) == "ok"
    with closing(sqlite3.connect(path)) as conn:
        reps = conn.execute("select sum(reps) from card_memory").fetchone()[0]
    assert reps == 300


def real_database(tmp_path: Path) -> Path:
    path = tmp_path / "progress.db"
    proc = spawn(f"sqlite:///{path}", 60)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert not Path(f"{path}-wal").exists()  # closed cleanly: everything is in the file
    return path


def assert_refused_untouched(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{path}")
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    assert main(["--db", f"sqlite:///{path}", "stats", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("quizapp: ")
    assert path.read_bytes() == before


def test_garbage_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "progress.db"
    path.write_bytes(os.urandom(3 * 4096))
    assert_refused_untouched(path, capsys)
    assert not Path(f"{path}-wal").exists()


def test_overwritten_page_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = real_database(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 6 * page
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = os.urandom(page)
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, capsys)


def test_truncated_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = real_database(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused_untouched(path, capsys)


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "progress.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="folder"):
        open_store(f"sqlite:///{folder}")
