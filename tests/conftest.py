"""Shared fixtures: every test gets its own data directory, never the learner's. Also makes
`quiz_records` (recording quiz attempts for history tests) importable: the suite runs with
--import-mode=importlib, so sibling modules are not on sys.path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

if "quiz_records" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "quiz_records", Path(__file__).with_name("quiz_records.py")
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["quiz_records"] = _module
    _spec.loader.exec_module(_module)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("quizapp-home")
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    monkeypatch.delenv("QUIZAPP_DB", raising=False)
    return home
