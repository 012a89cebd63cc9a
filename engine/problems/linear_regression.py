"""Ordinary least squares on one input feature: the slope, the intercept or a prediction.

params: `x`, `y` (the data, x sorted ascending), `ask` (slope | intercept | predict) and
`x_new` (the input whose prediction is asked; 0 and unused when ask is not predict).

Easy asks the slope from four evenly spaced inputs with a rising trend. Medium asks the
intercept (the line's value at x = 0) or a prediction between the observed inputs. Hard asks
a prediction outside the observed inputs (extrapolation, still inside the feature's range) or
the slope of a falling trend from more, less regular points.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.domains import ANY
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Feature, Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren, table

POINTS = {"easy": (4,), "medium": (5, 6), "hard": (6, 7, 8)}
MIN_CANDIDATES = 12  # features with fewer distinct nice values (flags, ratings) are skipped
# the scale of the regression quantity per scenario: lo, hi, decimals, how it is described
TARGET = {
    "restaurant": (1.0, 5.0, 1, "stars, 1 to 5"),
    "cookie": (0.0, 10.0, 1, "0 to 10"),
    "spam": (0.0, 10.0, 1, "0 to 10"),
    "pixels": (0.0, 1.0, 2, "0 to 1"),
    "stocks": (-5.0, 5.0, 1, "%"),
    "audio": (0.0, 10.0, 1, "0 to 10"),
}
DEFAULT_TARGET = (0.0, 10.0, 1, "0 to 10")
FORMULA = (
    "b = Sxy / Sxx with Sxy = Σ(xᵢ − x̄)(yᵢ − ȳ) and Sxx = Σ(xᵢ − x̄)², and the intercept a = ȳ − b·x̄"
)


def candidates(feature: Feature) -> list[float]:
    """Nice input values inside the feature's range: a 1-2-5 step giving at most 40 values."""
    span = feature.hi - feature.lo
    unit = 10.0**-feature.decimals
    step = unit
    for k in range(-feature.decimals, 6):
        for m in (1, 2, 5):
            s = m * 10.0**k
            if s >= unit - 1e-12 and span / s <= 40 + 1e-9:
                step = s
                break
        else:
            continue
        break
    start = math.ceil(feature.lo / step - 1e-9)
    out = []
    k = start
    while k * step <= feature.hi + 1e-9:
        out.append(round(k * step, 10))
        k += 1
    return out


def usable(setting: Setting) -> list[tuple[Feature, list[float]]]:
    pairs = [(f, candidates(f)) for f in setting.inputs]
    return [(f, c) for f, c in pairs if len(c) >= MIN_CANDIDATES]


def fit(x: list[float], y: list[float]) -> dict[str, float]:
    n = len(x)
    xbar, ybar = sum(x) / n, sum(y) / n
    sxy = sum((a - xbar) * (b - ybar) for a, b in zip(x, y, strict=True))
    sxx = sum((a - xbar) ** 2 for a in x)
    syy = sum((b - ybar) ** 2 for b in y)
    slope = sxy / sxx
    return {
        "xbar": xbar,
        "ybar": ybar,
        "sxy": sxy,
        "sxx": sxx,
        "syy": syy,
        "slope": slope,
        "intercept": ybar - slope * xbar,
    }


def misconceptions(
    x: list[float], y: list[float], ask: str, x_new: float, s: dict[str, float]
) -> list[Misconception]:
    n = len(x)
    xbar, ybar, sxy, sxx, syy, b = (s[k] for k in ("xbar", "ybar", "sxy", "sxx", "syy", "slope"))
    slopes = {
        "swapped_ratio": (
            sxx / sxy if sxy else math.nan,
            "The slope is Sxy / Sxx: the spread of x goes in the denominator.",
        ),
        "used_syy": (
            sxy / syy if syy else math.nan,
            "Divide Sxy by Sxx = Σ(xᵢ − x̄)², the spread of x, not by the spread of y.",
        ),
        "n_minus_1_once": (
            b / (n - 1),
            "Divide both sums by the same n − 1 (or neither): they cancel in Sxy / Sxx.",
        ),
        "endpoints_slope": (
            (y[-1] - y[0]) / (x[-1] - x[0]),
            "Least squares uses every point, not just the first and the last.",
        ),
        "uncentred_sums": (
            sum(a * c for a, c in zip(x, y, strict=True)) / sum(a * a for a in x),
            "Subtract the means first: Sxy and Sxx use deviations xᵢ − x̄ and yᵢ − ȳ.",
        ),
    }
    if ask == "slope":
        return [Misconception(name, v, hint) for name, (v, hint) in slopes.items()]

    def line(slope: float, intercept: float) -> float:
        return intercept + slope * (x_new if ask == "predict" else 0.0)

    out = [
        Misconception(
            "plus_slope_term",
            line(b, ybar + b * xbar),
            "The line passes through (x̄, ȳ): a = ȳ − b·x̄, with a minus.",
        )
    ]
    for name in ("swapped_ratio", "n_minus_1_once", "endpoints_slope"):
        v, hint = slopes[name]
        out.append(Misconception(name, line(v, ybar - v * xbar), hint))
    if ask == "intercept":
        out.append(
            Misconception(
                "mean_as_intercept",
                ybar,
                "ȳ is the line's value at x̄, not at x = 0: subtract b·x̄.",
            )
        )
    else:
        out += [
            Misconception(
                "forgot_intercept", b * x_new, "The prediction is a + b·x_new: add the intercept."
            ),
            Misconception(
                "forgot_mean_y",
                b * (x_new - xbar),
                "Measured from the centre, ŷ = ȳ + b·(x_new − x̄): add ȳ back.",
            ),
        ]
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    feature, cands = choose(rng, usable(setting))
    ylo, yhi, yd, _ = TARGET.get(setting.key, DEFAULT_TARGET)
    n = choose(rng, POINTS[difficulty])
    m = len(cands)
    ask = "slope"
    x_new = 0.0
    if difficulty == "easy":
        stride = int(rng.integers(1, (m - 1) // (n - 1) + 1))
        first = int(rng.integers(0, m - (n - 1) * stride))
        idx = [first + k * stride for k in range(n)]
        sign = 1.0
    elif difficulty == "medium":
        idx = sorted(int(k) for k in rng.choice(m, size=n, replace=False))
        sign = choose(rng, (1.0, -1.0))
        ask = "intercept" if rng.random() < 0.6 else "predict"
        if ask == "predict":
            inside = [k for k in range(idx[0] + 1, idx[-1]) if k not in idx]
            if not inside:
                return None
            x_new = cands[choose(rng, inside)]
    else:
        ask = "predict" if rng.random() < 0.6 else "slope"
        if ask == "predict":
            block = round(0.7 * m)
            low_side = rng.random() < 0.5  # the data sit high, x_new below them
            pool = list(range(m - block, m)) if low_side else list(range(block))
            idx = sorted(int(pool[k]) for k in rng.choice(len(pool), size=n, replace=False))
            outside = (
                list(range(0, idx[0] - 1)) if low_side else list(range(idx[-1] + 2, m))
            )  # at least one grid step beyond the data
            if not outside:
                return None
            x_new = cands[choose(rng, outside)]
            sign = choose(rng, (1.0, -1.0))
        else:
            idx = sorted(int(k) for k in rng.choice(m, size=n, replace=False))
            sign = -1.0
    x = [cands[k] for k in idx]
    span = x[-1] - x[0]
    yspan = yhi - ylo
    slope_true = sign * float(rng.uniform(0.3, 0.8)) * yspan / span
    centre = ylo + float(rng.uniform(0.35, 0.65)) * yspan
    noise = 0.04 if difficulty == "easy" else 0.08
    xmid = (x[0] + x[-1]) / 2
    y = []
    for xi in x:
        v = centre + slope_true * (xi - xmid) + float(rng.normal(0.0, noise * yspan))
        y.append(round(min(yhi, max(ylo, v)), yd))
    if len(set(y)) < 3:
        return None
    s = fit(x, y)
    b = s["slope"]
    if b * sign <= 0:
        return None  # the drawn trend must show in the fitted slope
    r2 = s["sxy"] ** 2 / (s["sxx"] * s["syy"])
    if r2 < 0.5:
        return None
    answer = {"slope": b, "intercept": s["intercept"], "predict": s["intercept"] + b * x_new}[ask]
    if abs(answer) < 10.0**-yd:
        return None
    decimals = sig_decimals(answer)
    params = {"x": x, "y": y, "ask": ask, "x_new": x_new}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(x, y, ask, x_new, s),
        work={"feature": feature, "fit": s},
    )


def domain(params: dict[str, Any]) -> Domain:
    """A slope, intercept or prediction can be any real number."""
    return ANY


def _d(value: float) -> int:
    """Decimals for an intermediate: exact when short, else 6 significant figures (as the
    prompt tells the learner to keep)."""
    for d in range(7):
        if abs(round(value, d) - value) <= 1e-9:
            return d
    return sig_decimals(value, sig=6, lo=2, hi=10)


def _sum_d(value: float) -> int:
    """Decimals for a sum of rounded products: at most 6 significant figures (18.49997 from
    rounded deviations is shown ≈ 18.5000)."""
    return min(_d(value), sig_decimals(value, sig=6, lo=0, hi=10))


def _shown(text: str) -> float:
    """The value of a number as a worked step shows it (Unicode minus)."""
    return float(text.replace("−", "-"))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p, s, feature = case.params, case.work["fit"], case.work["feature"]
    x, y, ask, x_new = p["x"], p["y"], p["ask"], p["x_new"]
    n, d = len(x), case.decimals
    _, _, _, yunit = TARGET.get(setting.key, DEFAULT_TARGET)
    rows = [
        [f"{setting.noun} {i + 1}", num(a), num(c)]
        for i, (a, c) in enumerate(zip(x, y, strict=True))
    ]
    question = {
        "slope": "What is the slope b of the fitted line?",
        "intercept": "What is the intercept a of the fitted line (its value at x = 0)?",
        "predict": (
            f"What does the fitted line predict for {setting.item} with "
            f"x = {num(x_new)} {feature.unit}?"
        ),
    }[ask]
    # "tomorrow's return (%)" already names its unit; "yesterday's return" takes no "the"
    unit = "" if f"({yunit})" in setting.regression else f" ({yunit})"
    article = "" if "'s " in feature.name else "the "
    prompt = (
        f"In {setting.system}, an analyst fits a straight line ŷ = a + b·x to predict "
        f"y, {setting.regression}{unit}, from x, {article}{feature.label}, using "
        f"a sample of {n} of its {setting.examples}:\n\n"
        f"{table([setting.noun, 'x', 'y'], rows)}\n\n"
        "The line is fitted by ordinary least squares: a and b minimise the sum of squared "
        f"vertical errors Σ(yᵢ − ŷᵢ)², which gives {FORMULA}. {question} {KEEP} "
        f"Round to {d} decimals."
    )
    xbar, ybar, b = (s[k] for k in ("xbar", "ybar", "slope"))
    # the deviations as shown (6 significant figures, as the prompt tells the learner to
    # keep); Sxy, Sxx and what follows are worked out from the numbers shown, so every line
    # adds up as shown
    dx = [approx(a - xbar, _d(a - xbar)) for a in x]
    dy = [approx(c - ybar, _d(c - ybar)) for c in y]
    sxy = sum(_shown(u) * _shown(v) for u, v in zip(dx, dy, strict=True))
    sxx = sum(_shown(u) ** 2 for u in dx)
    steps = [
        f"x̄ = Σx / n = {num(round(sum(x), 10))} / {n} {eq(xbar, _d(xbar))}",
        f"ȳ = Σy / n = {num(round(sum(y), 10))} / {n} {eq(ybar, _d(ybar))}",
        "Sxy = Σ(xᵢ − x̄)(yᵢ − ȳ) = "
        + " + ".join(f"({u} × {paren(v)})" for u, v in zip(dx, dy, strict=True))
        + f" {eq(sxy, _sum_d(sxy))}",
        "Sxx = Σ(xᵢ − x̄)² = " + " + ".join(f"{paren(u)}²" for u in dx) + f" {eq(sxx, _sum_d(sxx))}",
    ]
    sxy_t, sxx_t = approx(sxy, _sum_d(sxy)), approx(sxx, _sum_d(sxx))
    slope_line = f"Slope: b = Sxy / Sxx = {sxy_t} / {sxx_t}"
    if ask == "slope":
        steps.append(f"{slope_line} {eq(b, d)}")
        return prompt, tuple(steps)
    b = _shown(sxy_t) / _shown(sxx_t)
    bd = max(_d(b), 4)
    b_t, ybar_t, xbar_t = approx(b, bd), approx(ybar, _d(ybar)), approx(xbar, _d(xbar))
    steps.append(f"{slope_line} {eq(b, bd)}")
    intercept_line = f"Intercept: a = ȳ − b·x̄ = {ybar_t} − ({b_t} × {paren(xbar_t)})"
    if ask == "intercept":
        steps.append(f"{intercept_line} {eq(case.answer, d)}")
        return prompt, tuple(steps)
    a = _shown(ybar_t) - _shown(b_t) * _shown(xbar_t)
    ad = max(_d(a), 4)
    steps.append(f"{intercept_line} {eq(a, ad)}")
    where = "outside" if x_new < x[0] or x_new > x[-1] else "inside"
    steps.append(
        f"Prediction (x_new = {num(x_new)} lies {where} the observed x, "
        f"{num(x[0])} to {num(x[-1])}): ŷ = a + b·x_new = {approx(a, ad)} + "
        f"({b_t} × {paren(num(x_new))}) {eq(case.answer, d)}"
    )
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """x̄, ȳ, Sxy, Sxx, the slope, then the intercept and the prediction when asked."""
    p = problem.params
    x, y, ask, x_new = p["x"], p["y"], p["ask"], p["x_new"]
    n = len(x)
    s = fit(x, y)
    last = {"slope": "b", "intercept": "a", "predict": "y_hat"}[ask]

    def dec(key: str, value: float) -> int:
        return problem.decimals if key == last else max(_d(value), 2)

    out = [
        Stage(
            "x_bar",
            "x̄ = Σxᵢ / n, the mean of x",
            f"Add the {n} x values and divide by {n}.",
            dec("x_bar", s["xbar"]),
            lambda g: sum(x) / n,
        ),
        Stage(
            "y_bar",
            "ȳ = Σyᵢ / n, the mean of y",
            f"Add the {n} y values and divide by {n}.",
            dec("y_bar", s["ybar"]),
            lambda g: sum(y) / n,
        ),
        Stage(
            "sxy",
            "Sxy = Σ(xᵢ − x̄)(yᵢ − ȳ), how x and y vary together",
            "For each point multiply its x deviation from your x̄ by its y deviation from "
            "your ȳ, then add the products.",
            dec("sxy", s["sxy"]),
            lambda g: sum((a - g["x_bar"]) * (c - g["y_bar"]) for a, c in zip(x, y, strict=True)),
        ),
        Stage(
            "sxx",
            "Sxx = Σ(xᵢ − x̄)², the spread of x",
            "Square each x value's deviation from your x̄ and add the squares.",
            dec("sxx", s["sxx"]),
            lambda g: sum((a - g["x_bar"]) ** 2 for a in x),
        ),
        Stage(
            "b",
            "b = Sxy / Sxx, the slope",
            "Divide your Sxy by your Sxx.",
            dec("b", s["slope"]),
            lambda g: g["sxy"] / g["sxx"],
        ),
    ]
    if ask == "slope":
        return tuple(out)
    out.append(
        Stage(
            "a",
            "a = ȳ − b·x̄, the intercept (the line's value at x = 0)",
            "Multiply your slope by your x̄ and subtract the product from your ȳ.",
            dec("a", s["intercept"]),
            lambda g: g["y_bar"] - g["b"] * g["x_bar"],
        )
    )
    if ask == "predict":
        out.append(
            Stage(
                "y_hat",
                f"ŷ = a + b·x_new, the prediction at x_new = {num(x_new)}",
                f"Multiply your slope by {num(x_new)} and add your intercept.",
                problem.decimals,
                lambda g: g["a"] + g["b"] * x_new,
            )
        )
    return tuple(out)
