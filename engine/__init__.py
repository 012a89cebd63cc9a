"""The NumPy neural engine: primitives and computed-problem generators.

Pure computation: no I/O, no UI, never imports quizapp. Importing `engine` alone is cheap;
the NumPy-backed parts load from their submodules (or lazily: `engine.make_problem`).
"""

from __future__ import annotations

import importlib
from typing import Any

from engine.catalog import ACTIVATIONS, DIFFICULTIES, FAMILIES, LOSSES, SCENARIOS

_LAZY = {
    "make_problem": "engine.problems.generate",
    "parse_answer": "engine.answers",
    "check_answer": "engine.answers",
}

__all__ = ["ACTIVATIONS", "DIFFICULTIES", "FAMILIES", "LOSSES", "SCENARIOS", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
