"""Drawing and showing a single neuron's inputs, weights and bias (shared by three families)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.problems.base import choose, exact_decimals, grid
from engine.problems.scenarios import Feature, Setting
from engine.problems.text import approx, num, paren, plus_terms, product_terms, sub, table

# difficulty -> (input counts, most x decimals, |w| max and decimals, |b| max and decimals).
# Each x is drawn within its feature's declared range (scenarios.Feature); a feature whose
# values reach 10^s has its weight divided by 10^s (like the guide's "50 × −0.01"), so large
# inputs meet small weights.
RANGES = {
    "easy": ((2, 3), 1, (1.0, 1), (1.0, 1)),
    "medium": ((3, 4), 1, (1.0, 2), (2.0, 1)),
    "hard": ((4, 5, 6), 2, (1.5, 2), (3.0, 2)),
}


@dataclass(frozen=True, slots=True)
class Inputs:
    x: list[float]
    w: list[float]
    b: float
    names: list[str]
    decimals: int  # exact decimals of w·x + b
    features: tuple[Feature, ...] = ()

    @property
    def dot(self) -> float:
        return sum(xi * wi for xi, wi in zip(self.x, self.w, strict=True))


def pick_features(
    rng: np.random.Generator, setting: Setting, n: int, allowed: tuple[Feature, ...] | None = None
) -> tuple[Feature, ...]:
    """n of the setting's features (in their declared order), chosen at random."""
    pool = setting.inputs if allowed is None else allowed
    picks = rng.permutation(len(pool))[:n]
    return tuple(pool[int(k)] for k in sorted(picks))


def draw_values(
    rng: np.random.Generator,
    features: tuple[Feature, ...],
    x_decimals: int,
    wmax: float,
    wd: int,
    *,
    nonzero: bool = False,
) -> tuple[list[float], list[float]]:
    """One value per feature within its declared range, and a weight scaled to its size."""
    x, w = [], []
    for feat in features:
        xd = min(x_decimals, feat.decimals)
        x.append(grid(rng, feat.lo, feat.hi, xd, nonzero=nonzero))
        kw = round(grid(rng, -wmax, wmax, wd, nonzero=True) * 10**wd)
        w.append(kw / 10 ** (wd + feat.scale))
    return x, w


def draw_inputs(
    rng: np.random.Generator, difficulty: str, setting: Setting, n: int | None = None
) -> Inputs:
    counts, xd, (wmax, wd), (bmax, bd) = RANGES[difficulty]
    n = n or choose(rng, counts)
    features = pick_features(rng, setting, n)
    x, w = draw_values(rng, features, xd, wmax, wd)
    b = grid(rng, -bmax, bmax, bd, nonzero=True)
    decimals = max(
        [exact_decimals(b)]
        + [exact_decimals(xi) + exact_decimals(wi) for xi, wi in zip(x, w, strict=True)]
    )
    return Inputs(x, w, b, [f.label for f in features], decimals, features)


def product_decimals(x: float, w: float) -> int:
    return exact_decimals(x) + exact_decimals(w)


def inputs_table(inp: Inputs) -> str:
    rows = [[name, num(xi), num(wi)] for name, xi, wi in zip(inp.names, inp.x, inp.w, strict=True)]
    return table(["input", "x", "w"], rows)


def weighted_sum_steps(inp: Inputs) -> list[str]:
    """The guide's layout: products, their sum, then the bias."""
    products = [
        approx(xi * wi, product_decimals(xi, wi)) for xi, wi in zip(inp.x, inp.w, strict=True)
    ]
    dot_d = max(product_decimals(xi, wi) for xi, wi in zip(inp.x, inp.w, strict=True))
    z = inp.dot + inp.b
    names = " + ".join(f"(x{sub(i + 1)} × w{sub(i + 1)})" for i in range(len(inp.x)))
    return [
        f"z = {names} + b",
        f"Multiply each input by its weight: {product_terms(inp.x, inp.w)}"
        f" = {plus_terms(products)}",
        f"Add the products: {plus_terms(products)} = {approx(inp.dot, dot_d)}",
        f"Add the bias: z = {approx(inp.dot, dot_d)} + {paren(num(inp.b))}"
        f" = {approx(z, inp.decimals)}",
    ]
