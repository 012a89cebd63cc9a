"""Shared machinery of the generators: seeding, number grids, decimals and validation."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from engine.problems.model import Misconception, Tolerance, fixed

MIN_MISCONCEPTIONS = 3


def stable_int(*parts: object) -> int:
    """A 128-bit integer from the parts, the same on every machine and process."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).digest()
    return int.from_bytes(digest, "little")


def rng_for(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_int(*parts))


@overload
def grid(
    rng: np.random.Generator,
    lo: float,
    hi: float,
    decimals: int,
    *,
    nonzero: bool = False,
    size: None = None,
) -> float: ...


@overload
def grid(
    rng: np.random.Generator,
    lo: float,
    hi: float,
    decimals: int,
    *,
    nonzero: bool = False,
    size: int,
) -> list[float]: ...


def grid(
    rng: np.random.Generator,
    lo: float,
    hi: float,
    decimals: int,
    *,
    nonzero: bool = False,
    size: int | None = None,
) -> float | list[float]:
    """Uniform draws from the decimal grid lo, lo + 10^-d, ..., hi (exact decimals as floats)."""
    scale: float = 10**decimals  # int ** int is typed Any (a negative power gives a float)
    a, b = round(lo * scale), round(hi * scale)
    if size is None:
        while True:
            k = int(rng.integers(a, b + 1))
            if k or not nonzero:
                return k / scale
    ks = rng.integers(a, b + 1, size=size)
    if nonzero:
        while not ks.all():
            zeros = ks == 0
            ks[zeros] = rng.integers(a, b + 1, size=int(zeros.sum()))
    return [int(k) / scale for k in ks]


def choose(rng: np.random.Generator, options: tuple[Any, ...] | list[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def exact_decimals(value: float, cap: int = 8) -> int:
    """The fewest decimals that show value exactly (up to float noise), at most cap."""
    for d in range(cap + 1):
        if abs(round(value, d) - value) <= 1e-9 * max(1.0, abs(value)):
            return d
    return cap


def sig_decimals(value: float, sig: int = 3, lo: int = 3, hi: int = 6) -> int:
    """Decimals that show at least `sig` significant digits, clamped to [lo, hi]."""
    if value == 0 or not math.isfinite(value):
        return lo
    return max(lo, min(hi, sig - 1 - math.floor(math.log10(abs(value)))))


def approx_tolerance(decimals: int) -> Tolerance:
    """Within one unit of the last decimal asked for."""
    return Tolerance(rel=0.0, abs=10.0**-decimals)


EXACT = Tolerance(rel=1e-9, abs=1e-9)


@dataclass
class Case:
    """A drawn problem before wording: numbers, answer and candidate misconceptions."""

    params: dict[str, Any]
    answer: float
    decimals: int
    tolerance: Tolerance
    candidates: list[Misconception]
    proportion: bool = False
    work: dict[str, Any] = field(default_factory=dict)  # family-specific values for wording
    # how many distinguishable misconceptions the case needs: fewer for a class label or an
    # index, whose few possible values are all shown as options anyway (forcing three wrong
    # procedures onto three other classes would shape the data into an answer cue)
    min_misconceptions: int = MIN_MISCONCEPTIONS


def settle(case: Case) -> tuple[Misconception, ...] | None:
    """The misconceptions that stay distinguishable, or None if the case is ill-posed.

    A candidate is dropped when its answer is not finite, rounds to the answer's display,
    is within tolerance of the answer (or its display is), or duplicates an earlier one.
    The case is ill-posed when the answer is not finite or fewer than
    `case.min_misconceptions` remain (three unless the case asks for a label or an index).
    """
    answer, tol, d = case.answer, case.tolerance, case.decimals
    if not math.isfinite(answer):
        return None
    shown = fixed(answer, d)
    if case.proportion and float(shown) in (0.0, 1.0):
        return None
    seen = {float(shown)}  # rounded values: "2" and "2.0" are the same number
    kept: list[Misconception] = []
    for m in case.candidates:
        value = m.answer
        if not math.isfinite(value):
            continue
        rounded = float(fixed(value, d))
        if rounded in seen or tol.accepts(value, answer) or tol.accepts(rounded, answer):
            continue
        if any(tol.accepts(value, k.answer) or tol.accepts(k.answer, value) for k in kept):
            continue
        seen.add(rounded)
        kept.append(Misconception(m.name, float(value), m.hint))
    return tuple(kept) if len(kept) >= case.min_misconceptions else None
