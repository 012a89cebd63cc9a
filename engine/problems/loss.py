"""The loss of one prediction: MSE, binary or categorical cross-entropy (lecture: loss)."""

from __future__ import annotations

import math

import numpy as np

from engine.activations import softmax
from engine.losses import loss
from engine.problems.base import Case, approx_tolerance, choose, grid, sig_decimals
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting
from engine.problems.text import approx, eq, num, paren, plus_terms, table

SIZES = {  # difficulty -> (mse outputs, bce outputs, cce classes)
    "easy": ((2,), (1, 2), (3,)),
    "medium": ((3,), (2, 3), (3, 4)),
    "hard": ((4, 5), (3, 4), (4, 5)),
}
SMOOTHING = (0.1, 0.2)  # hard categorical targets: label smoothing ε
LABEL = {
    "mse": "mean squared error",
    "binary_cross_entropy": "binary cross-entropy",
    "categorical_cross_entropy": "categorical cross-entropy",
}


def _mse(rng: np.random.Generator, difficulty: str) -> tuple[list[float], list[float]]:
    n = choose(rng, SIZES[difficulty][0])
    if difficulty == "easy":
        return grid(rng, 0, 5, 0, size=n), grid(rng, 0, 5, 1, size=n)
    d = 1 if difficulty == "medium" else 2
    return grid(rng, -3, 5, 1, size=n), grid(rng, -3, 5, d, size=n)


def _bce(rng: np.random.Generator, difficulty: str) -> tuple[list[float], list[float]]:
    n = choose(rng, SIZES[difficulty][1])
    y = [float(v) for v in rng.integers(0, 2, size=n)]
    p = grid(rng, 0.1, 0.9, 1, size=n) if difficulty == "easy" else grid(rng, 0.02, 0.98, 2, size=n)
    return y, p


def _cce(rng: np.random.Generator, difficulty: str) -> tuple[list[float], list[float]]:
    k = choose(rng, SIZES[difficulty][2])
    true = int(rng.integers(k))
    percents = np.rint(100 * softmax(grid(rng, -1.5, 2.0, 1, size=k))).astype(int)
    percents[int(np.argmax(percents))] += 100 - int(percents.sum())
    if percents.min() < 1:
        return [], []
    p = [int(v) / 100 for v in percents]
    if difficulty == "hard":  # soft targets: label smoothing, y = (1 − ε)·one-hot + ε / k
        eps = choose(rng, SMOOTHING)
        y = [round((1 - eps if j == true else 0.0) + eps / k, 6) for j in range(k)]
    else:
        y = [1.0 if j == true else 0.0 for j in range(k)]
    return y, p


def misconceptions(name: str, y: list[float], p: list[float]) -> list[Misconception]:
    n = len(y)
    if name == "mse":
        errors = [yi - pi for yi, pi in zip(y, p, strict=True)]
        sq = sum(e * e for e in errors)
        return [
            Misconception(
                "forgot_square",
                sum(abs(e) for e in errors) / n,
                "Square each error before averaging (that was the mean absolute error).",
            ),
            Misconception("forgot_mean", sq, "MSE is the mean: divide the squared errors by n."),
            Misconception("halved", sq / n / 2, "This MSE has no ½ factor: just the mean."),
            Misconception("took_root", math.sqrt(sq / n), "No square root: that would be RMSE."),
            Misconception(
                "squared_mean_error",
                (sum(errors) / n) ** 2,
                "Square each error first, then average, not the other way round.",
            ),
        ]
    if name == "binary_cross_entropy":
        terms = [
            yi * math.log(pi) + (1 - yi) * math.log(1 - pi) for yi, pi in zip(y, p, strict=True)
        ]
        terms10 = [
            yi * math.log10(pi) + (1 - yi) * math.log10(1 - pi) for yi, pi in zip(y, p, strict=True)
        ]
        return [
            Misconception("log10", -sum(terms10) / n, "Cross-entropy uses the natural log (ln)."),
            Misconception(
                "no_minus",
                sum(terms) / n,
                "Logs of probabilities are negative: the leading minus makes loss ≥ 0.",
            ),
            Misconception("forgot_mean", -sum(terms), "Average over the outputs: divide by n."),
            Misconception(
                "positive_term_only",
                -sum(yi * math.log(pi) for yi, pi in zip(y, p, strict=True)) / n,
                "For y = 0 the loss comes from (1 − y) ln(1 − p): keep both terms.",
            ),
            Misconception(
                "used_mse",
                sum((yi - pi) ** 2 for yi, pi in zip(y, p, strict=True)) / n,
                "Cross-entropy takes logs of the probabilities, not squared errors.",
            ),
        ]
    terms = [yi * math.log(pi) for yi, pi in zip(y, p, strict=True) if yi]
    out = [
        Misconception(
            "log10",
            -sum(yi * math.log10(pi) for yi, pi in zip(y, p, strict=True) if yi),
            "Cross-entropy uses the natural log (ln).",
        ),
        Misconception("no_minus", sum(terms), "ln p is negative: the minus sign makes loss ≥ 0."),
        Misconception(
            "binary_per_class",
            -sum(
                yi * math.log(pi) + (1 - yi) * math.log(1 - pi) for yi, pi in zip(y, p, strict=True)
            ),
            "Categorical cross-entropy is −Σ y ln p: no (1 − y) ln(1 − p) terms.",
        ),
        Misconception(
            "averaged",
            -sum(terms) / n,
            "Sum over the classes; categorical cross-entropy does not average them.",
        ),
    ]
    if any(0 < yi < 1 for yi in y):  # soft targets
        big = max(range(n), key=lambda j: y[j])
        out.append(
            Misconception(
                "largest_target_only",
                -y[big] * math.log(p[big]),
                "With soft targets every class has y > 0: add y ln p for all of them.",
            )
        )
        out.append(
            Misconception(
                "ignored_smoothing",
                -math.log(p[big]),
                "The targets are smoothed: weight each ln p by its y, not a one-hot 1.",
            )
        )
    top = max(range(n), key=lambda j: p[j])
    out.append(
        Misconception(
            "used_top_class",
            -math.log(p[top]),
            "Use the probability of the true class, not the highest one.",
        )
    )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    name = choose(rng, ("mse", "binary_cross_entropy", "categorical_cross_entropy"))
    y, p = {"mse": _mse, "binary_cross_entropy": _bce, "categorical_cross_entropy": _cce}[name](
        rng, difficulty
    )
    if not y:
        return None
    answer = loss(name, y, p)
    if answer < 0.01:
        return None
    decimals = sig_decimals(answer)
    params = {"y_true": y, "y_pred": p, "loss": name}
    return Case(params, answer, decimals, approx_tolerance(decimals), misconceptions(name, y, p))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    y, p, name = case.params["y_true"], case.params["y_pred"], case.params["loss"]
    d = case.decimals
    n = len(y)
    ask = f"Round to {d} decimals."
    if name == "mse":
        rows = [
            [f"output {j + 1}", num(a), num(b)] for j, (a, b) in enumerate(zip(y, p, strict=True))
        ]
        prompt = (
            f"{setting.system.capitalize()} predicts {n} values for {setting.item} "
            f"(each an estimate of {setting.regression}):\n\n"
            f"{table(['', 'true y', 'predicted p'], rows)}\n\n"
            f"What is the mean squared error (the mean of (y − p)², no ½ factor)? {ask}"
        )
        errors = [a - b for a, b in zip(y, p, strict=True)]
        sq = [e * e for e in errors]
        steps = [
            "MSE = (1/n) × Σ (y − p)²",
            "Errors y − p: "
            + ", ".join(
                f"{num(a)} − {paren(num(b))} = {approx(e, 6)}"
                for a, b, e in zip(y, p, errors, strict=True)
            ),
            f"Squares: {plus_terms(approx(s, 6) for s in sq)} = {approx(sum(sq), 6)}",
            f"Mean: {approx(sum(sq), 6)} / {n} {eq(case.answer, d)}",
        ]
        return prompt, tuple(steps)
    if name == "binary_cross_entropy":
        rows = [
            [f"output {j + 1}", num(a), num(b)] for j, (a, b) in enumerate(zip(y, p, strict=True))
        ]
        what = "output" if n == 1 else f"{n} yes/no outputs"
        prompt = (
            f"{setting.system.capitalize()} has {what} with sigmoid probabilities "
            f"(output 1: {setting.positive}). For one {setting.noun}:\n\n"
            f"{table(['', 'label y', 'probability p'], rows)}\n\n"
            f"What is the binary cross-entropy loss (natural log, averaged over the outputs)? "
            f"{ask}"
        )
        terms = [a * math.log(b) + (1 - a) * math.log(1 - b) for a, b in zip(y, p, strict=True)]
        steps = ["BCE = −(1/n) × Σ [y ln p + (1 − y) ln(1 − p)]"]
        for j, (a, b, t) in enumerate(zip(y, p, terms, strict=True)):
            which = (
                f"y = 1: ln p = ln {num(b)}"
                if a == 1
                else f"y = 0: ln(1 − p) = ln {num(round(1 - b, 10))}"
            )
            steps.append(f"Output {j + 1}, {which} {eq(t, 4)}")
        steps.append(f"Sum: {plus_terms(approx(t, 4) for t in terms)} {eq(sum(terms), 4)}")
        steps.append(f"BCE = −({approx(sum(terms), 4)}) / {n} {eq(case.answer, d)}")
        return prompt, tuple(steps)
    classes = setting.classes[:n]
    rows = [[c, num(a), num(b)] for c, a, b in zip(classes, y, p, strict=True)]
    smooth = any(0 < a < 1 for a in y)
    note = " (smoothed labels)" if smooth else ""
    prompt = (
        f"{setting.system.capitalize()} outputs softmax probabilities over {n} classes for "
        f"{setting.item}. The target{note} and the prediction are:\n\n"
        f"{table(['class', 'target y', 'predicted p'], rows)}\n\n"
        f"What is the categorical cross-entropy −Σ y ln p (natural log)? {ask}"
    )
    steps = [
        "CCE = −Σ y ln p (every class has y > 0 here, so every class adds a term)"
        if smooth
        else "CCE = −Σ y ln p (classes with y = 0 add nothing)"
    ]
    terms = []
    for c, a, b in zip(classes, y, p, strict=True):
        if a:
            t = a * math.log(b)
            terms.append(t)
            if a == 1:
                steps.append(f"{c}: ln {num(b)} {eq(t, 4)}")
            else:
                steps.append(
                    f"{c}: {num(a)} × ln {num(b)} = {num(a)} × "
                    f"{paren(approx(math.log(b), 4))} {eq(t, 4)}"
                )
    if len(terms) > 1:
        steps.append(f"Sum: {plus_terms(approx(t, 4) for t in terms)} {eq(sum(terms), 4)}")
    steps.append(f"CCE = −({approx(sum(terms), 4)}) {eq(case.answer, d)}")
    return prompt, tuple(steps)
