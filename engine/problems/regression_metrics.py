"""MAE, MSE, RMSE or R² of a regression model's predictions (lecture: evaluating regressors).

Easy asks MAE or MSE of 3-4 predictions; medium adds RMSE and R²; hard asks RMSE or R² of
5-6 predictions, where R² may be negative (a model worse than always predicting the mean).
"""

from __future__ import annotations

import math

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, grid, sig_decimals
from engine.problems.domains import NON_NEGATIVE
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren, plus_terms, table

METRICS = {
    "easy": ("mae", "mse"),
    "medium": ("mae", "mse", "rmse", "r2"),
    "hard": ("rmse", "r2", "r2"),
}
COUNTS = {"easy": (3, 4), "medium": (4, 5), "hard": (5, 6)}
# scenario -> (unit, lo, hi, decimals) of the regression target (Setting.regression)
TARGETS = {
    "restaurant": ("stars, 1 to 5", 1.0, 5.0, 1),
    "cookie": ("points, 0 to 10", 0.0, 10.0, 1),
    "spam": ("points, 0 to 100", 0.0, 100.0, 0),
    "pixels": ("0 = black, 1 = white", 0.0, 1.0, 2),
    "stocks": ("%", -5.0, 5.0, 1),
    "audio": ("points, 0 to 10", 0.0, 10.0, 1),
}
LABEL = {
    "mae": "mean absolute error (MAE), the mean of |y − ŷ|",
    "mse": "mean squared error (MSE), the mean of (y − ŷ)² (no ½ factor)",
    "rmse": "root mean squared error (RMSE), the square root of the mean of (y − ŷ)²",
    "r2": (
        "coefficient of determination R² = 1 − SS_res / SS_tot, where SS_res = Σ(y − ŷ)² and "
        "SS_tot = Σ(y − ȳ)² around the mean ȳ of the true values"
    ),
}


def target(setting: Setting) -> tuple[str, float, float, int]:
    return TARGETS.get(setting.key, ("units", 0.0, 10.0, 1))


def sums(y: list[float], p: list[float]) -> dict[str, float]:
    n = len(y)
    errors = [a - b for a, b in zip(y, p, strict=True)]
    mean = sum(y) / n
    return {
        "n": n,
        "abs": sum(abs(e) for e in errors),
        "sq": sum(e * e for e in errors),
        "signed": sum(errors),
        "mean": mean,
        "tot": sum((a - mean) ** 2 for a in y),
    }


def value(name: str, y: list[float], p: list[float]) -> float:
    s = sums(y, p)
    if name == "mae":
        return s["abs"] / s["n"]
    if name == "mse":
        return s["sq"] / s["n"]
    if name == "rmse":
        return math.sqrt(s["sq"] / s["n"])
    return 1 - s["sq"] / s["tot"]


def misconceptions(name: str, y: list[float], p: list[float]) -> list[Misconception]:
    s = sums(y, p)
    n, sq, ab = s["n"], s["sq"], s["abs"]
    if name == "mae":
        return [
            Misconception(
                "signed_errors",
                abs(s["signed"]) / n,
                "Take each error's absolute value before averaging: misses do not cancel.",
            ),
            Misconception("sum_not_mean", ab, "MAE is a mean: divide the sum by n."),
            Misconception("squared_errors", sq / n, "MAE averages |y − ŷ|; squaring gives MSE."),
            Misconception(
                "divided_by_n_minus_1", ab / (n - 1), "Divide by n, the number of predictions."
            ),
        ]
    if name == "mse":
        return [
            Misconception("forgot_square", ab / n, "Square each error (that was the MAE)."),
            Misconception("sum_not_mean", sq, "MSE is a mean: divide the squares by n."),
            Misconception("took_root", math.sqrt(sq / n), "No square root: that is the RMSE."),
            Misconception(
                "squared_mean_error",
                (s["signed"] / n) ** 2,
                "Square each error first, then average, not the other way round.",
            ),
            Misconception("halved", sq / n / 2, "This MSE has no ½ factor."),
        ]
    if name == "rmse":
        return [
            Misconception("forgot_root", sq / n, "RMSE is the square root of the MSE."),
            Misconception("forgot_square", ab / n, "Square the errors before averaging (MAE)."),
            Misconception(
                "root_of_sum", math.sqrt(sq), "Average the squares (divide by n) before the root."
            ),
            Misconception(
                "mean_error_first",
                abs(s["signed"]) / n,
                "Square each error before averaging: signed errors cancel.",
            ),
            Misconception(
                "divided_after_root",
                math.sqrt(sq) / n,
                "Divide the sum of squares by n, then take the root.",
            ),
        ]
    tot, ratio = s["tot"], sq / s["tot"]
    pm = sum(p) / n
    spread_p = sum((b - pm) ** 2 for b in p)
    out = [
        Misconception(
            "forgot_one_minus", ratio, "R² = 1 − SS_res / SS_tot: subtract the ratio from 1."
        ),
        Misconception("sign_slip", ratio - 1, "R² = 1 − SS_res / SS_tot, not SS_res / SS_tot − 1."),
        Misconception(
            "flipped_ratio", 1 - tot / sq, "SS_res (the model's errors) goes on top, SS_tot below."
        ),
        Misconception(
            "mse_over_ss_tot",
            1 - (sq / n) / tot,
            "Use sums in both places: SS_res, not the mean squared error.",
        ),
    ]
    if spread_p > 0:
        out.append(
            Misconception(
                "ss_tot_of_predictions",
                1 - sq / spread_p,
                "SS_tot measures the spread of the true values around their mean ȳ.",
            )
        )
    return out


def _predictions(
    rng: np.random.Generator, y: list[float], lo: float, hi: float, d: int, noise: float
) -> list[float]:
    span = hi - lo
    out = []
    for v in y:
        guess = v + rng.normal(0.0, noise * span)
        out.append(round(min(hi, max(lo, guess)), d))
    return [float(v) for v in out]


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    unit, lo, hi, d = target(setting)
    name = choose(rng, METRICS[difficulty])
    n = choose(rng, COUNTS[difficulty])
    y = grid(rng, lo, hi, d, size=n)
    if name == "r2" and difficulty == "hard" and rng.random() < 0.4:
        noise = 0.45  # a poor model: often worse than the mean
    else:
        noise = choose(rng, (0.08, 0.12, 0.18))
    p = _predictions(rng, y, lo, hi, d, noise)
    s = sums(y, p)
    if s["sq"] == 0 or s["tot"] == 0:
        return None
    answer = value(name, y, p)
    if name == "r2":
        limit = -3.0 if difficulty == "hard" else 0.05
        if not limit <= answer <= 0.98:
            return None
    decimals = sig_decimals(answer)
    params = {"y_true": y, "y_pred": p, "metric": name}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(name, y, p),
        work={"unit": unit},
    )


def domain(params: dict[str, object]) -> Domain:
    if params["metric"] == "r2":
        return Domain(hi=1.0, hi_open=True)
    return NON_NEGATIVE


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    y, p, name = case.params["y_true"], case.params["y_pred"], case.params["metric"]
    n, d, a = len(y), case.decimals, case.answer
    rows = [
        [f"{setting.noun} {i + 1}", num(t), num(q)]
        for i, (t, q) in enumerate(zip(y, p, strict=True))
    ]
    unit = case.work["unit"]
    what = (
        setting.regression
        if setting.regression.endswith(")")
        else (f"{setting.regression} ({unit})")
    )
    prompt = (
        f"{setting.system.capitalize()} has a regression model that estimates {what} for "
        f"{setting.item}. On {n} {setting.examples} held out for testing it gives:\n\n"
        f"{table(['', 'true y', 'predicted ŷ'], rows)}\n\n"
        f"What is its {LABEL[name]}? {KEEP} Round to {d} decimals."
    )
    s = sums(y, p)
    errors = [t - q for t, q in zip(y, p, strict=True)]
    ed = max(
        1, max((len(num(v).partition(".")[2]) for v in (*y, *p)), default=0)
    )  # the decimals of the inputs: errors are exact at them
    err_line = "Errors y − ŷ: " + ", ".join(
        f"{num(t)} − {paren(num(q))} = {approx(e, ed)}"
        for t, q, e in zip(y, p, errors, strict=True)
    )
    sq_d = 2 * ed
    steps = [err_line]
    if name == "mae":
        steps += [
            f"Sum: {plus_terms(approx(abs(e), ed) for e in errors)} = {approx(s['abs'], ed)}",
            f"MAE = {approx(s['abs'], ed)} / {n} {eq(a, d)}",
        ]
        return prompt, tuple(steps)
    squares = [e * e for e in errors]
    steps.append(f"Sum: {plus_terms(approx(v, sq_d) for v in squares)} = {approx(s['sq'], sq_d)}")
    if name == "mse":
        steps.append(f"MSE = {approx(s['sq'], sq_d)} / {n} {eq(a, d)}")
        return prompt, tuple(steps)
    if name == "rmse":
        mse = s["sq"] / n
        steps += [
            f"MSE = {approx(s['sq'], sq_d)} / {n} {eq(mse, 6)}",
            f"RMSE = √{approx(mse, 6)} {eq(a, d)}",
        ]
        return prompt, tuple(steps)
    mean = s["mean"]
    devs = [approx((t - mean) ** 2, 6) for t in y]  # the squares as shown, 6 decimals
    tot = approx(sum(float(v) for v in devs), 6)  # their sum, exact at 6 decimals
    steps = [
        f"Mean of the true values: ȳ = ({plus_terms(num(t) for t in y)}) / {n} {eq(mean, 6)}",
        err_line,
        f"SS_res = Σ(y − ŷ)²: {plus_terms(approx(v, sq_d) for v in squares)} "
        f"= {approx(s['sq'], sq_d)}",
        f"SS_tot = Σ(y − ȳ)²: {plus_terms(devs)} = {tot}",
        f"R² = 1 − {approx(s['sq'], sq_d)} / {tot} {eq(a, d)}",
    ]
    if a < 0:
        steps.append("R² is negative: the model does worse than always predicting ȳ")
        steps[-2], steps[-1] = steps[-1], steps[-2]
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """MAE, MSE: the sum, then the mean. RMSE: Σe², MSE, root. R²: ȳ, SS_res, SS_tot, R²."""
    y, p, name = problem.params["y_true"], problem.params["y_pred"], problem.params["metric"]
    n, d = len(y), problem.decimals
    s = sums(y, p)
    if name == "mae":
        return (
            Stage(
                "sum_abs",
                "Σ|y − ŷ|, the sum of the absolute errors",
                "Subtract each prediction from its true value, drop the signs and add them up.",
                6,
                lambda given: s["abs"],
            ),
            Stage(
                "mae",
                "MAE = Σ|y − ŷ| / n",
                f"Divide your sum by the number of predictions, {n}.",
                d,
                lambda given: given["sum_abs"] / n,
            ),
        )
    sum_sq = Stage(
        "sum_sq",
        "Σ(y − ŷ)², the sum of the squared errors",
        "Subtract each prediction from its true value, square the differences and add them.",
        6,
        lambda given: s["sq"],
    )
    if name == "mse":
        return (
            sum_sq,
            Stage(
                "mse",
                "MSE = Σ(y − ŷ)² / n",
                f"Divide your sum by the number of predictions, {n}.",
                d,
                lambda given: given["sum_sq"] / n,
            ),
        )
    if name == "rmse":
        return (
            sum_sq,
            Stage(
                "mse",
                "MSE = Σ(y − ŷ)² / n, the mean squared error",
                f"Divide your sum by the number of predictions, {n}.",
                6,
                lambda given: given["sum_sq"] / n,
            ),
            Stage(
                "rmse",
                "RMSE = √MSE",
                "Take the square root of your MSE.",
                d,
                lambda given: math.sqrt(max(given["mse"], 0.0)),
            ),
        )
    return (
        Stage(
            "mean",
            "ȳ, the mean of the true values",
            f"Add the true values and divide by {n}.",
            6,
            lambda given: s["mean"],
        ),
        Stage(
            "ss_res",
            "SS_res = Σ(y − ŷ)², the model's squared errors",
            "Square each true value minus its prediction and add them.",
            6,
            lambda given: s["sq"],
        ),
        Stage(
            "ss_tot",
            "SS_tot = Σ(y − ȳ)², the spread of the true values around their mean",
            "Subtract your ȳ from each true value, square and add.",
            6,
            lambda given: sum((t - given["mean"]) ** 2 for t in y),
        ),
        Stage(
            "r2",
            "R² = 1 − SS_res / SS_tot",
            "Divide your SS_res by your SS_tot and subtract the result from 1.",
            d,
            lambda given: 1 - given["ss_res"] / given["ss_tot"],
        ),
    )
