"""What a generated problem is: plain frozen dataclasses, no NumPy (cheap to import)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

CHOICES = 4  # the multiple-choice form: the answer and three misconceptions


def fixed(value: float, decimals: int) -> str:
    """`value` rounded to `decimals` places.

    Trailing zeros are dropped only when nothing was rounded away: 0.5 -> "0.5", 1.0 -> "1",
    but 0.090031 -> "0.0900" at 4 decimals (the zeros say how precise it is). Never "-0".
    """
    text = f"{value:.{decimals}f}"
    if "." in text and abs(float(text) - value) <= 1e-12 * max(1.0, abs(value)):
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


@dataclass(frozen=True, slots=True)
class Tolerance:
    """x is accepted for ref when |x − ref| <= max(abs, rel·|ref|)."""

    rel: float
    abs: float

    def width(self, ref: float) -> float:
        return max(self.abs, self.rel * abs(ref))

    def accepts(self, x: float, ref: float) -> bool:
        return abs(x - ref) <= self.width(ref)


@dataclass(frozen=True, slots=True)
class Misconception:
    """The answer a named wrong procedure gives, run on the problem's own numbers."""

    name: str
    answer: float
    hint: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "answer": self.answer, "hint": self.hint}


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of the multiple-choice form."""

    display: str
    value: float
    correct: bool
    misconception: str | None


def _order_key(*parts: object) -> bytes:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()


@dataclass(frozen=True)
class Problem:
    """One computed practice problem; the answer comes from running the engine."""

    id: str
    family: str
    seed: int
    difficulty: str
    scenario: str
    params: dict[str, Any]
    answer: float
    display: str
    decimals: int
    tolerance: Tolerance
    prompt: str
    steps: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    proportion: bool = False

    def show(self, value: float) -> str:
        """A value rounded the way this problem displays its answer."""
        return fixed(value, self.decimals)

    def choices(self) -> tuple[Choice, ...]:
        """The answer plus three misconception answers, picked and ordered by the seed."""
        salt = (self.id, self.difficulty, self.scenario)
        picked = sorted(self.misconceptions, key=lambda m: _order_key(*salt, "pick", m.name))
        options = [Choice(self.display, self.answer, True, None)]
        options += [
            Choice(self.show(m.answer), m.answer, False, m.name) for m in picked[: CHOICES - 1]
        ]
        return tuple(sorted(options, key=lambda c: _order_key(*salt, "order", c.display)))

    def to_json(self) -> dict[str, Any]:
        """The export contract's object (JSON-ready)."""
        return {
            "id": self.id,
            "family": self.family,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "scenario": self.scenario,
            "params": self.params,
            "answer": self.answer,
            "display": self.display,
            "decimals": self.decimals,
            "tolerance": {"rel": self.tolerance.rel, "abs": self.tolerance.abs},
            "proportion": self.proportion,
            "prompt": self.prompt,
            "steps": list(self.steps),
            "misconceptions": [m.to_json() for m in self.misconceptions],
        }


def is_finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
