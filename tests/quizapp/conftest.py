"""Fixtures shared by the quiz tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.collection import open_collection
from quizapp.quiz import MemoryRecorder, QuizRecorder


@pytest.fixture(params=["memory", "store"])
def recorder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QuizRecorder]:
    """The reference MemoryRecorder, or the store's recorder on a temporary database file:
    every scenario that takes it runs on both."""
    if request.param == "memory":
        yield MemoryRecorder()
        return
    study = open_collection(f"sqlite:///{tmp_path / 'progress.db'}")
    try:
        yield study.quizzes.recorder()
    finally:
        study.close()
