"""Drawing and showing a single neuron's inputs, weights and bias (shared by three families)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.problems.base import choose, exact_decimals, grid
from engine.problems.scenarios import Setting
from engine.problems.text import approx, num, paren, plus_terms, product_terms, sub, table

# difficulty -> (input counts, x range and decimals, scale choices, |w| max and decimals, |b| max
# and decimals). A "scale" s multiplies x by 10^s and divides w by 10^s (like the guide's
# "50 × −0.01"), so hard problems mix large inputs with small weights.
RANGES = {
    "easy": ((2, 3), (0, 9, 0), (0,), (1.0, 1), (1.0, 1)),
    "medium": ((3, 4), (0, 9.9, 1), (0, 0, 0, 1), (1.0, 2), (2.0, 1)),
    "hard": ((4, 5, 6), (-5, 10, 1), (0, 0, 1, 2), (1.5, 2), (3.0, 2)),
}


@dataclass(frozen=True, slots=True)
class Inputs:
    x: list[float]
    w: list[float]
    b: float
    names: list[str]
    decimals: int  # exact decimals of w·x + b

    @property
    def dot(self) -> float:
        return sum(xi * wi for xi, wi in zip(self.x, self.w, strict=True))


def draw_inputs(
    rng: np.random.Generator, difficulty: str, setting: Setting, n: int | None = None
) -> Inputs:
    counts, (xlo, xhi, xd), scales, (wmax, wd), (bmax, bd) = RANGES[difficulty]
    n = n or choose(rng, counts)
    x, w = [], []
    for _ in range(n):
        s = choose(rng, scales)
        kx = round(grid(rng, xlo, xhi, xd) * 10**xd)
        kw = round(grid(rng, -wmax, wmax, wd, nonzero=True) * 10**wd)
        x.append(kx * 10**s / 10**xd)
        w.append(kw / 10 ** (wd + s))
    b = grid(rng, -bmax, bmax, bd, nonzero=True)
    picks = rng.permutation(len(setting.features))[:n]
    names = [setting.features[int(k)] for k in sorted(picks)]
    decimals = max(
        [exact_decimals(b)]
        + [exact_decimals(xi) + exact_decimals(wi) for xi, wi in zip(x, w, strict=True)]
    )
    return Inputs(x, w, b, names, decimals)


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
