"""The loss of one prediction: MSE, binary or categorical cross-entropy (lecture: loss)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from engine.activations import softmax
from engine.losses import loss
from engine.problems.base import (
    Case,
    approx_tolerance,
    choose,
    exact_decimals,
    grid,
    sig_decimals,
)
from engine.problems.model import Misconception, Problem
from engine.problems.scenarios import SETTINGS, Setting
from engine.problems.stages import Stage, Values, enough_decimals
from engine.problems.text import approx, eq, num, paren, plus_terms, table

SIZES = {  # difficulty -> (mse outputs, bce outputs, cce classes)
    "easy": ((2,), (1, 2), (3,)),
    "medium": ((3,), (2, 3), (3, 4)),
    "hard": ((4, 5), (3, 4), (4, 5)),
}
SMOOTHING = (0.1, 0.2)  # hard categorical targets: label smoothing ε
# scenario -> what each binary cross-entropy output says (the first is the setting's positive)
BCE_OUTPUTS: dict[str, tuple[str, ...]] = {
    "restaurant": (
        "the customer will enjoy the Italian place",
        "the customer will order dessert",
        "the customer will come back within a month",
        "the customer will leave a tip",
    ),
    "cookie": (
        "the batch is a keeper",
        "the cookies are chewy",
        "the edges are burnt",
        "the batch sells out",
    ),
    "spam": (
        "the email is spam",
        "the email is phishing",
        "the email is a promotion",
        "the email needs a reply",
    ),
    "pixels": (
        "the image shows a cat",
        "the image shows a dog",
        "the image was taken outdoors",
        "the image is blurry",
    ),
    "stocks": (
        "the price will close higher",
        "the volume will rise",
        "the volatility will rise",
        "the sector will close higher",
    ),
    "audio": (
        "the clip contains speech",
        "the clip contains music",
        "the clip contains laughter",
        "the clip is noisy",
    ),
}
# scenario -> (what the MSE outputs estimate, one name per output, their range, the decimals
# of a true value (None: 0 on easy, else 1)); every output has a meaning of its own
MSE_OUTPUTS: dict[str, tuple[str, tuple[str, ...], float, float, int | None]] = {
    "restaurant": (
        "the stars (1 to 5) the customer would give each of {n} dishes",
        ("pasta", "pizza", "risotto", "lasagne", "tiramisu"),
        1,
        5,
        0,
    ),
    "cookie": (
        "the tasting panel's score (0 to 5) for each of {n} qualities of the batch",
        ("chewiness", "crispness", "sweetness", "richness", "looks"),
        0,
        5,
        None,
    ),
    "spam": (
        "a score (0 to 5) for each of {n} properties of the email",
        ("spamminess", "urgency", "importance", "phishing risk", "promotion"),
        0,
        5,
        None,
    ),
    "pixels": (
        "a score (0 to 5) for each of {n} qualities of the image",
        ("sharpness", "brightness", "contrast", "noise", "colourfulness"),
        0,
        5,
        None,
    ),
    "stocks": (
        "tomorrow's return (%) of each of {n} stocks",
        ("stock A", "stock B", "stock C", "stock D", "stock E"),
        -3,
        5,
        None,
    ),
    "audio": (
        "a score (0 to 5) for each of {n} qualities of the clip",
        ("clarity", "loudness", "noise", "energy", "speech"),
        0,
        5,
        None,
    ),
}
LABEL = {
    "mse": "mean squared error",
    "binary_cross_entropy": "binary cross-entropy",
    "categorical_cross_entropy": "categorical cross-entropy",
}


def _mse(
    rng: np.random.Generator, difficulty: str, setting: Setting
) -> tuple[list[float], list[float]]:
    n = choose(rng, SIZES[difficulty][0])
    _, _, lo, hi, y_decimals = MSE_OUTPUTS[setting.key]
    if y_decimals is None:
        y_decimals = 0 if difficulty == "easy" else 1
    d = 2 if difficulty == "hard" else 1
    return grid(rng, lo, hi, y_decimals, size=n), grid(rng, lo, hi, d, size=n)


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
    if name == "mse":
        y, p = _mse(rng, difficulty, setting)
    else:
        y, p = {"binary_cross_entropy": _bce, "categorical_cross_entropy": _cce}[name](
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
        what, names, *_ = MSE_OUTPUTS[setting.key]
        rows = [
            [f"output {j + 1}: {names[j]}", num(a), num(b)]
            for j, (a, b) in enumerate(zip(y, p, strict=True))
        ]
        prompt = (
            f"{setting.system.capitalize()} predicts {n} values for {setting.item}: "
            f"{what.format(n=n)}.\n\n"
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
        says = BCE_OUTPUTS[setting.key]
        rows = [
            [f"output {j + 1}: {says[j]}", num(a), num(b)]
            for j, (a, b) in enumerate(zip(y, p, strict=True))
        ]
        what = (
            "a yes/no output with a sigmoid probability"
            if n == 1
            else f"{n} yes/no outputs with sigmoid probabilities"
        )
        prompt = (
            f"{setting.system.capitalize()} has {what} (p: the probability that the "
            f"statement holds; label y = 1 if it does, 0 if not). "
            f"For one {setting.noun}:\n\n"
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


def stages(problem: Problem) -> tuple[Stage, ...]:
    """One term per output (per class with y > 0), then the loss from the terms."""
    y, p, name = problem.params["y_true"], problem.params["y_pred"], problem.params["loss"]
    n = len(y)

    def logs(value: float) -> int:  # the worked solution shows 4 decimals; ≥ 4 significant
        return sig_decimals(value, 4, lo=4, hi=6)

    def term(value: float) -> Callable[[Values], float]:
        return lambda given: value

    out: list[Stage] = []
    if name == "mse":
        for j, (a, b) in enumerate(zip(y, p, strict=True)):
            sq = (a - b) ** 2
            out.append(
                Stage(
                    f"sq{j + 1}",
                    f"(y − p)² for output {j + 1}: ({num(a)} − {paren(num(b))})²",
                    "Subtract the prediction from the true value, then square the difference.",
                    max(exact_decimals(sq, 6), 2),
                    term(sq),
                )
            )
        keys = [stage.key for stage in out]
        out.append(
            Stage(
                "loss",
                f"MSE = (sum of the {n} squared errors) / {n}",
                f"Add your {n} squared errors and divide by {n}.",
                problem.decimals,
                lambda given: sum(given[k] for k in keys) / n,
            )
        )
        return enough_decimals(tuple(out), problem.decimals)
    if name == "binary_cross_entropy":
        for j, (a, b) in enumerate(zip(y, p, strict=True)):
            t = a * math.log(b) + (1 - a) * math.log(1 - b)
            label, hint = (
                (f"ln p for output {j + 1} (y = 1): ln {num(b)}", "y = 1 keeps y ln p")
                if a == 1
                else (
                    f"ln(1 − p) for output {j + 1} (y = 0): ln {num(round(1 - b, 10))}",
                    "y = 0 keeps (1 − y) ln(1 − p)",
                )
            )
            out.append(
                Stage(
                    f"t{j + 1}",
                    label,
                    f"{hint}: take the natural log (ln, not log₁₀); it is negative.",
                    logs(t),
                    term(t),
                )
            )
        keys = [stage.key for stage in out]
        out.append(
            Stage(
                "loss",
                f"BCE = −(sum of the {n} log terms) / {n}"
                if n > 1
                else "BCE = −(the log term), a single output",
                f"Add your {n} log terms, flip the sign and divide by {n}."
                if n > 1
                else "Flip the sign of your log term: the loss is positive.",
                problem.decimals,
                lambda given: -sum(given[k] for k in keys) / n,
            )
        )
        return enough_decimals(tuple(out), problem.decimals)
    classes = SETTINGS[problem.scenario].classes[:n]
    for j, (c, a, b) in enumerate(zip(classes, y, p, strict=True)):
        if not a:
            continue
        t = a * math.log(b)
        label = (
            f'ln p for "{c}", the true class (y = 1): ln {num(b)}'
            if a == 1
            else f'y ln p for "{c}": {num(a)} × ln {num(b)}'
        )
        out.append(
            Stage(
                f"t{j + 1}",
                label,
                "Take the natural log (ln) of the predicted probability"
                + ("." if a == 1 else f" and multiply it by the target {num(a)}."),
                logs(t),
                term(t),
            )
        )
    keys = [stage.key for stage in out]
    out.append(
        Stage(
            "loss",
            f"CCE = −(sum of the {len(keys)} terms y ln p)"
            if len(keys) > 1
            else "CCE = −ln p of the true class",
            f"Add your {len(keys)} terms and flip the sign (the classes are summed, not averaged)."
            if len(keys) > 1
            else "Flip the sign of your ln p: the loss is positive.",
            problem.decimals,
            lambda given: -sum(given[k] for k in keys),
        )
    )
    return enough_decimals(tuple(out), problem.decimals)
