"""A linear SVM: the decision value f(x) = w·x + b, or the margin width 2/‖w‖ (lecture: SVM).

The features are standardised (z-scores, as an SVM expects). Easy uses 2 features, medium 3.
Hard uses 4 with two-decimal weights; its decision questions put the point inside the margin
(|f(x)| < 1, so the sign decides the class but the point would cost hinge loss), and its
margin questions come with a bias that must stay out of ‖w‖.
"""

from __future__ import annotations

import math

import numpy as np

from engine.problems.base import (
    EXACT,
    Case,
    approx_tolerance,
    choose,
    exact_decimals,
    grid,
    sig_decimals,
)
from engine.problems.inputs import pick_features
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren, plus_terms, product_terms, table

# difficulty -> (feature count, weight decimals, |w| max)
SIZES = {"easy": (2, 1, 2.0), "medium": (3, 1, 2.0), "hard": (4, 2, 2.0)}


def dot(x: list[float], w: list[float]) -> float:
    return sum(a * b for a, b in zip(x, w, strict=True))


def decision_misconceptions(x: list[float], w: list[float], b: float) -> list[Misconception]:
    f = dot(x, w) + b
    norm = math.sqrt(dot(w, w))
    out = [
        Misconception("forgot_bias", f - b, "The decision value includes the bias: w·x + b."),
        Misconception("bias_sign", f - 2 * b, "Add the bias with its own sign: w·x + b."),
        Misconception(
            "divided_by_norm",
            f / norm,
            "(w·x + b) / ‖w‖ is the geometric distance; the decision value is w·x + b itself.",
        ),
        Misconception(
            "added_pairs",
            sum(a + c for a, c in zip(x, w, strict=True)) + b,
            "Multiply each feature by its weight (x × w), do not add them.",
        ),
    ]
    if any(v < 0 for v in (*x, *w)):
        out.append(
            Misconception(
                "dropped_signs",
                sum(abs(a * c) for a, c in zip(x, w, strict=True)) + b,
                "Keep each product's sign: a negative product pulls f(x) down.",
            )
        )
    return out


def margin_misconceptions(w: list[float], b: float) -> list[Misconception]:
    sq = dot(w, w)
    norm = math.sqrt(sq)
    return [
        Misconception(
            "half_margin",
            1 / norm,
            "1/‖w‖ is the distance from the boundary to one margin line; the width is 2/‖w‖.",
        ),
        Misconception(
            "squared_norm",
            2 / sq,
            "Take the square root: ‖w‖ = √(Σ wᵢ²), then divide 2 by it.",
        ),
        Misconception(
            "l1_norm",
            2 / sum(abs(v) for v in w),
            "‖w‖ is the Euclidean length √(Σ wᵢ²), not the sum of |wᵢ|.",
        ),
        Misconception(
            "included_bias",
            2 / math.sqrt(sq + b * b),
            "The bias only shifts the boundary: leave b out of ‖w‖.",
        ),
        Misconception("norm_not_inverted", 2 * norm, "The margin is 2 divided by ‖w‖."),
    ]


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    n, wd, wmax = SIZES[difficulty]
    ask = choose(rng, ("decision", "margin"))
    x = grid(
        rng, -3.0 if difficulty != "easy" else -2.0, 3.0 if difficulty != "easy" else 2.0, 1, size=n
    )
    w = grid(rng, -wmax, wmax, wd, nonzero=True, size=n)
    b = grid(rng, -2.0, 2.0, 1, nonzero=True)
    features = pick_features(rng, setting, n)
    params = {"w": w, "b": b, "x": x, "ask": ask}
    work = {"features": [f.name for f in features]}
    if ask == "decision":
        f = dot(x, w) + b
        if abs(f) < 0.05 or (difficulty == "hard" and abs(f) >= 1):
            return None
        decimals = max(
            [exact_decimals(b)]
            + [exact_decimals(a) + exact_decimals(c) for a, c in zip(x, w, strict=True)]
        )
        return Case(params, f, decimals, EXACT, decision_misconceptions(x, w, b), work=work)
    norm = math.sqrt(dot(w, w))
    if norm < 0.3:
        return None
    answer = 2 / norm
    decimals = sig_decimals(answer)
    return Case(
        params, answer, decimals, approx_tolerance(decimals), margin_misconceptions(w, b), work=work
    )


def domain(params: dict[str, object]) -> Domain:
    if params["ask"] == "margin":
        return Domain(lo=0.0, lo_open=True)
    return Domain()


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p = case.params
    w, b, x, ask = p["w"], p["b"], p["x"], p["ask"]
    names = case.work["features"]
    d, a = case.decimals, case.answer
    intro = (
        f"{setting.system.capitalize()} uses a linear support vector machine to decide whether "
        f"{setting.positive} (class +1) or not (class −1). It works on {len(w)} standardised "
        "features (z-scores) with f(x) = w·x + b = Σ wᵢxᵢ + b: the boundary is f(x) = 0, the "
        "predicted class is the sign of f(x), and the margin lines are f(x) = +1 and f(x) = −1."
    )
    if ask == "decision":
        rows = [
            [f"{name} (z-score)", num(xi), num(wi)]
            for name, xi, wi in zip(names, x, w, strict=True)
        ]
        prompt = (
            f"{intro} For {setting.item}:\n\n{table(['feature', 'x', 'w'], rows)}\n\n"
            f"The bias is b = {num(b)}. What is the decision value f(x) = w·x + b? "
            "Give it exactly."
        )
        products = [xi * wi for xi, wi in zip(x, w, strict=True)]
        pd = max(exact_decimals(v) for v in products)
        dot_v = dot(x, w)
        side = "+1" if a > 0 else "−1"
        where = " (|f(x)| < 1: inside the margin)" if abs(a) < 1 else ""
        steps = [
            f"Products: {product_terms(x, w)} = {plus_terms(approx(v, pd) for v in products)}",
            f"Sum: {plus_terms(approx(v, pd) for v in products)} = {approx(dot_v, pd)}",
            f"f(x) = {approx(dot_v, pd)} + {paren(num(b))} = {approx(a, d)}: class {side}{where}",
        ]
        return prompt, tuple(steps)
    rows = [[f"{name} (z-score)", num(wi)] for name, wi in zip(names, w, strict=True)]
    prompt = (
        f"{intro} After training, the weights are:\n\n{table(['feature', 'w'], rows)}\n\n"
        f"and the bias is b = {num(b)}. How wide is the margin, the distance 2/‖w‖ between "
        f"the lines f(x) = −1 and f(x) = +1 (‖w‖ is the Euclidean length of w)? {KEEP} "
        f"Round to {d} decimals."
    )
    sq = dot(w, w)
    sd = max(exact_decimals(v * v) for v in w)
    norm = math.sqrt(sq)
    steps = [
        "The margin width is 2/‖w‖; the bias only shifts the boundary, so it does not enter",
        f"‖w‖² = {plus_terms(f'{paren(num(v))}²' for v in w)} = "
        f"{plus_terms(approx(v * v, sd) for v in w)} = {approx(sq, sd)}",
        f"‖w‖ = √{approx(sq, sd)} {eq(norm, 6)}",
        f"Margin = 2 / {approx(norm, 6)} {eq(a, d)}",
    ]
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Decision: w·x, then f = w·x + b. Margin: ‖w‖², ‖w‖, then 2/‖w‖."""
    p = problem.params
    w, b, x = p["w"], p["b"], p["x"]
    if p["ask"] == "decision":
        dv = dot(x, w)
        return (
            Stage(
                "dot",
                "w·x = Σ wᵢxᵢ, the weighted sum of the features",
                "Multiply each feature by its weight and add the products.",
                max(exact_decimals(dv, 6), 1),
                lambda given: dv,
            ),
            Stage(
                "f",
                "f(x) = w·x + b, the decision value",
                "Add the bias to your w·x.",
                problem.decimals,
                lambda given: given["dot"] + b,
            ),
        )
    sq = dot(w, w)
    return (
        Stage(
            "norm_sq",
            "‖w‖² = Σ wᵢ², the squared length of w",
            "Square each weight and add the squares (the bias is not part of w).",
            max(exact_decimals(sq, 6), 1),
            lambda given: sq,
        ),
        Stage(
            "norm",
            "‖w‖ = √(Σ wᵢ²), the length of w",
            "Take the square root of your ‖w‖².",
            6,
            lambda given: math.sqrt(max(given["norm_sq"], 0.0)),
        ),
        Stage(
            "margin",
            "the margin width 2/‖w‖",
            "Divide 2 by your ‖w‖.",
            problem.decimals,
            lambda given: 2 / given["norm"] if given["norm"] else math.inf,
        ),
    )
