"""Fixtures shared by the quiz tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.collection import open_collection
from quizapp.quiz import MemoryRecorder, QuizRecorder


@pytest.fixture(
    params=["memory", "store", pytest.param("store-postgresql", marks=pytest.mark.postgresql)]
)
def recorder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QuizRecorder]:
    """The reference MemoryRecorder, or the store's recorder on a temporary database file or
    a PostgreSQL database: every scenario that takes it runs on all three."""
    if request.param == "memory":
        yield MemoryRecorder()
        return
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    if request.param == "store-postgresql":
        url = request.getfixturevalue("pg_migrated_url")
    study = open_collection(url)
    try:
        yield study.quizzes.recorder()
    finally:
        study.close()
