"""Computed practice problems: make_problem(family, seed, difficulty, scenario) -> Problem.

The dataclasses (Problem, Misconception, Choice, Tolerance) import without NumPy; the
generators load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.problems.model import Choice, Misconception, Problem, Tolerance

if TYPE_CHECKING:
    from engine.problems.generate import make_problem

__all__ = ["Choice", "Misconception", "Problem", "Tolerance", "make_problem"]


def __getattr__(name: str) -> Any:
    if name == "make_problem":
        from engine.problems.generate import make_problem

        return make_problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
