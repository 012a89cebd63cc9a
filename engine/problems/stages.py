"""Step-by-step solving: a problem's intermediate quantities, in the order a solver finds them.

Each stage computes its value from the problem's numbers and the values of earlier stages,
looked up by key. Judging a learner's stage feeds in *their* earlier values (error carried
forward, as STACK and Numbas do): one slip costs one stage, not every stage after it.

A family module offers `stages(problem) -> tuple[Stage, ...]`; the last stage is the answer
(fed the right earlier values, it gives `problem.answer`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from engine.problems.model import Tolerance, fixed

if TYPE_CHECKING:
    from engine.problems.model import Problem

Values = Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Stage:
    """One intermediate quantity: what it is, how to get it, and how it is computed."""

    key: str  # "z", "a", "delta" (unique within the problem)
    label: str  # what to type, self-contained: "z = w·x + b (the weighted sum)"
    hint: str  # how to get it from the numbers and earlier stages, in words
    decimals: int  # how its value is shown in feedback (and the precision it is judged at)
    compute: Callable[[Values], float] = field(compare=False)  # from earlier stages' values

    def value(self, given: Values) -> float:
        return float(self.compute(given))

    def tolerance(self) -> Tolerance:
        """One unit in the last shown decimal, or 0.1% (whichever is wider): a learner who
        rounds intermediates to the shown precision is never marked wrong for it."""
        return Tolerance(rel=1e-3, abs=10.0**-self.decimals)


@dataclass(frozen=True, slots=True)
class StageResult:
    """A learner's value for one stage, judged against their own earlier values."""

    key: str
    typed: str
    value: float
    expected: float  # from the learner's earlier values (what they should have got)
    correct: bool
    display: str  # expected, rounded as the stage shows it

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "typed": self.typed,
            "value": self.value,
            "expected": self.expected,
            "correct": self.correct,
        }


def stages_of(problem: Problem) -> tuple[Stage, ...]:
    """The problem's stages, or () when its family is answered in one step."""
    from engine.problems.generate import GENERATORS

    make = getattr(GENERATORS[problem.family], "stages", None)
    return tuple(make(problem)) if make is not None else ()


def solve(stages: tuple[Stage, ...]) -> dict[str, float]:
    """Every stage's right value, in order."""
    values: dict[str, float] = {}
    for stage in stages:
        values[stage.key] = stage.value(values)
    return values


def judge(
    problem: Problem, stages: tuple[Stage, ...], given: Values, index: int, typed: str, value: float
) -> StageResult:
    """Stage `index` answered with `value`, judged against `given` (the learner's values of
    the earlier stages). The last stage uses the problem's own tolerance."""
    stage = stages[index]
    expected = stage.value(given)
    last = index == len(stages) - 1
    tol = problem.tolerance if last else stage.tolerance()
    ok = math.isfinite(value) and tol.accepts(value, expected)
    return StageResult(
        key=stage.key,
        typed=typed,
        value=value,
        expected=expected,
        correct=ok,
        display=fixed(expected, problem.decimals if last else stage.decimals),
    )


def enough_decimals(stages: tuple[Stage, ...], decimals: int) -> tuple[Stage, ...]:
    """The stages, each intermediate shown with enough decimals that rounding it moves the
    answer (shown at `decimals`) by at most a twentieth of its last decimal.

    A large input or learning rate magnifies an intermediate's rounding (δ × x with x = 226):
    the slope of the answer in each stage, carried forward, sets that stage's decimals, so a
    learner who rounds every stage as shown still lands on the answer."""
    right = solve(stages)
    last = stages[-1].key
    out = []
    for i, stage in enumerate(stages[:-1]):
        value = right[stage.key]
        h = 1e-6 * max(1.0, abs(value))
        moved = {**right, stage.key: value + h}
        for later in stages[i + 1 :]:
            moved[later.key] = later.value(moved)
        slope = abs(moved[last] - right[last]) / h
        need = math.ceil(decimals + math.log10(10 * slope)) if slope > 0 else 0
        out.append(replace(stage, decimals=max(stage.decimals, min(need, 10))))
    return (*out, stages[-1])
