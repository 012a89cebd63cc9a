"""Bernoulli naive Bayes: the posterior probability of one class for a new example.

params: `class_counts` (training examples per class), `feature_counts` (per class, per
attribute: the examples of that class with the attribute present), `x` (the new example's
attributes, 0/1), `alpha` (additive smoothing) and `index` (the class asked about).

As scikit-learn's BernoulliNB: priors are the class shares, P(attribute | class) =
(count + α) / (class count + 2α), an absent attribute contributes 1 − P(attribute | class),
and the posterior is the class's prior × likelihood divided by the sum over the classes.

Each scenario's input features become yes/no attributes (a flag as it is; any other feature
"above a threshold" inside its range); the classes are the scenario's classes. Easy: two
classes and two attributes; medium: two classes and three attributes; hard: three classes,
three or four attributes, a smoothing α other than 1 at times, and an attribute the new
example has that one class never showed in training (the zero-frequency case smoothing is
for).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.domains import PROBABILITY
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import SETTINGS, Feature, Setting
from engine.problems.stages import Stage, Values
from engine.problems.text import KEEP, approx, eq, num, table

SIZES = {"easy": (2, (2,)), "medium": (2, (3,)), "hard": (3, (3, 4))}  # classes, attributes
ALPHAS = {"easy": (1.0,), "medium": (1.0,), "hard": (0.5, 1.0, 1.0, 2.0)}
SHARES = tuple(k / 20 for k in range(3, 18))  # class shares 0.15 .. 0.85 in steps of 0.05


def attribute(feature: Feature, threshold: float | None) -> str:
    """The yes/no attribute a feature becomes."""
    if threshold is None:
        return feature.name
    return f"{feature.name} above {num(threshold)} ({feature.unit})"


def threshold_for(rng: np.random.Generator, feature: Feature) -> float | None:
    """None for a 0/1 flag; else a round value inside the range, away from its ends."""
    if (feature.lo, feature.hi, feature.decimals) == (0, 1, 0):
        return None
    span = feature.hi - feature.lo
    step = 10.0 ** math.floor(math.log10(span / 10))
    step = max(step, 10.0**-feature.decimals)
    lo = math.ceil((feature.lo + 0.25 * span) / step)
    hi = math.floor((feature.lo + 0.75 * span) / step)
    return round(int(rng.integers(lo, hi + 1)) * step, 10)


def factors(
    counts: list[int], feats: list[list[int]], x: list[int], alpha: float, denom: float = 2.0
) -> list[list[float]]:
    """Per class, per attribute: P(attribute | class) or 1 − it, as x says."""
    out = []
    for n_c, row in zip(counts, feats, strict=True):
        ps = [(c + alpha) / (n_c + denom * alpha) for c in row]
        out.append([p if xi else 1 - p for p, xi in zip(ps, x, strict=True)])
    return out


def posterior(priors: list[float], likes: list[float], index: int) -> float:
    scores = [p * q for p, q in zip(priors, likes, strict=True)]
    total = sum(scores)
    return scores[index] / total if total > 0 else math.nan


def solve(params: dict[str, Any]) -> dict[str, Any]:
    counts, feats, x = params["class_counts"], params["feature_counts"], params["x"]
    alpha = params["alpha"]
    total = sum(counts)
    priors = [n / total for n in counts]
    fs = factors(counts, feats, x, alpha)
    likes = [math.prod(f) for f in fs]
    scores = [p * q for p, q in zip(priors, likes, strict=True)]
    return {"priors": priors, "factors": fs, "likes": likes, "scores": scores}


def misconceptions(params: dict[str, Any], s: dict[str, Any]) -> list[Misconception]:
    counts, feats, x = params["class_counts"], params["feature_counts"], params["x"]
    alpha, index = params["alpha"], params["index"]
    priors, likes = s["priors"], s["likes"]
    k = len(counts)
    raw = [math.prod(f) for f in factors(counts, feats, x, 0.0)]
    once = [math.prod(f) for f in factors(counts, feats, x, alpha, 1.0)]
    present = [
        math.prod((c + alpha) / (n_c + 2 * alpha) for c, xi in zip(row, x, strict=True) if xi)
        for n_c, row in zip(counts, feats, strict=True)
    ]
    as_present = [
        math.prod(f) for f in factors(counts, feats, [1] * len(x), alpha)
    ]  # absent attributes counted as if present
    return [
        Misconception(
            "no_smoothing",
            posterior(priors, raw, index),
            f"Smooth every estimate: (count + α) / (class count + 2α) with α = {num(alpha)}.",
        ),
        Misconception(
            "ignored_absent_features",
            posterior(priors, present, index),
            "Bernoulli naive Bayes uses absent attributes too: each adds a factor 1 − P(a | c).",
        ),
        Misconception(
            "absent_as_present",
            posterior(priors, as_present, index),
            "For an attribute the example lacks, use 1 − P(a | c), not P(a | c).",
        ),
        Misconception(
            "forgot_prior",
            posterior([1.0 / k] * k, likes, index),
            "Multiply each likelihood by its class's prior (its share of the training set).",
        ),
        Misconception(
            "alpha_once_in_denominator",
            posterior(priors, once, index),
            "A yes/no attribute has two outcomes: add 2α to the class count, not α.",
        ),
        Misconception(
            "unnormalised_score",
            priors[index] * likes[index],
            "Prior × likelihood is only a score: divide it by the sum over all classes.",
        ),
    ]


def _dataset_size(rng: np.random.Generator, setting: Setting) -> int:
    lo, hi = setting.dataset
    top = min(hi, 4 * lo)
    unit = int(10 ** max(0, int(math.log10(lo)) - 1))
    return int(rng.integers(lo // unit, top // unit + 1)) * unit


def _class_counts(rng: np.random.Generator, k: int, total: int) -> list[int] | None:
    if k == 2:
        share = choose(rng, SHARES)
        if share == 0.5:
            return None
        shares = [share, 1 - share]
    else:
        cuts = sorted(int(v) for v in rng.choice(range(2, 19), size=k - 1, replace=False))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
        if min(parts) < 2 or len(set(parts)) == 1:
            return None
        shares = [p / 20 for p in parts]
    counts = [round(total * s) for s in shares]
    counts[-1] = total - sum(counts[:-1])
    return counts


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    k, fcounts = SIZES[difficulty]
    f = choose(rng, fcounts)
    alpha = choose(rng, ALPHAS[difficulty])
    picks = sorted(int(v) for v in rng.choice(len(setting.inputs), size=f, replace=False))
    features = [setting.inputs[i] for i in picks]
    thresholds = [threshold_for(rng, feat) for feat in features]
    total = _dataset_size(rng, setting)
    counts = _class_counts(rng, k, total)
    if counts is None:
        return None
    feats = [[round(n_c * float(rng.uniform(0.05, 0.95))) for _ in range(f)] for n_c in counts]
    x = [int(v) for v in rng.integers(0, 2, size=f)]
    if difficulty != "easy" and all(x):
        return None  # a Bernoulli model's absent attributes matter from medium on
    index = int(rng.integers(k))
    if difficulty == "hard":
        on = [j for j in range(f) if x[j]]
        if not on:
            return None
        # one class never showed an attribute the example has: half the time the asked one
        unseen = index if rng.random() < 0.5 else int(rng.integers(k))
        feats[unseen][choose(rng, on)] = 0
    params = {
        "class_counts": counts,
        "feature_counts": feats,
        "x": x,
        "alpha": alpha,
        "index": index,
    }
    s = solve(params)
    answer = s["scores"][index] / sum(s["scores"])
    edge = 0.001 if difficulty == "hard" else 0.02  # hard: an unseen attribute shrinks it
    if not edge <= answer <= 1 - edge:
        return None
    decimals = sig_decimals(answer)
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(params, s),
        proportion=True,
        work={
            "attributes": [attribute(ft, th) for ft, th in zip(features, thresholds, strict=True)],
            "classes": list(setting.classes[:k]),
            "solved": s,
        },
    )


def domain(params: dict[str, Any]) -> Domain:
    return PROBABILITY


def _sig5(value: float) -> int:
    return sig_decimals(value, sig=5, lo=4, hi=12)


def _a(value: float) -> str:
    """An intermediate shown with 5 significant figures."""
    return approx(value, _sig5(value))


def _e(value: float) -> str:
    """ "= v" or "≈ v" for an intermediate shown with 5 significant figures."""
    return eq(value, _sig5(value))


def _value(text: str) -> float:
    """The value of a number as a step shows it (Unicode minus)."""
    return float(text.replace("−", "-"))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p, s = case.params, case.work["solved"]
    attrs, classes = case.work["attributes"], case.work["classes"]
    counts, feats, x, alpha, index = (
        p[key] for key in ("class_counts", "feature_counts", "x", "alpha", "index")
    )
    total, d = sum(counts), case.decimals
    names = [f"A{j + 1}" for j in range(len(attrs))]
    legend = "\n".join(f"  {n}: {a}" for n, a in zip(names, attrs, strict=True))
    rows = [
        [c, f"{n_c:,}", *(f"{v:,}" for v in row)]
        for c, n_c, row in zip(classes, counts, feats, strict=True)
    ]
    has = "; ".join(f"{n} {'yes' if xi else 'no'}" for n, xi in zip(names, x, strict=True))
    target = classes[index]
    prompt = (
        f"{setting.system.capitalize()} uses a Bernoulli naive Bayes classifier to sort "
        f"each {setting.noun} into one of {len(classes)} classes "
        f"({', '.join(classes)}) from {len(attrs)} yes/no attributes:\n\n{legend}\n\n"
        f"It was trained on {total:,} {setting.examples}. For each class, the number of "
        f"training examples and how many of them had each attribute:\n\n"
        f"{table(['class', 'examples', *names], rows)}\n\n"
        f"The priors are the class shares (class count / {total:,}). Each attribute is "
        f"estimated with additive (Laplace) smoothing α = {num(alpha)}: "
        "P(a | c) = (count + α) / (class count + 2α); an attribute the example has "
        "contributes P(a | c) and one it lacks contributes 1 − P(a | c), all independent "
        f"given the class. A new {setting.noun} has: {has}. What posterior probability "
        f"P({target} | attributes) does the classifier give? {KEEP} "
        f"Round to {d} decimals (a probability: 0.5 or 50% both work)."
    )
    # every intermediate is worked out from the ones shown before it (5 significant figures,
    # within the prompt's rule), so each line adds up as shown
    priors = [_a(pr) for pr in s["priors"]]
    steps = [
        "Priors: "
        + ", ".join(
            f"P({c}) = {n_c:,} / {total:,} {_e(pr)}"
            for c, n_c, pr in zip(classes, counts, s["priors"], strict=True)
        )
    ]
    den = f"2 × {num(alpha)}" if alpha != 1 else "2"
    scores: list[float] = []
    score_parts = []
    for c, n_c, row, prior in zip(classes, counts, feats, priors, strict=True):
        parts, shown = [], []
        for n, cnt, xi in zip(names, row, x, strict=True):
            q = (cnt + alpha) / (n_c + 2 * alpha)
            part = f"P({n} | {c}) = ({cnt:,} + {num(alpha)}) / ({n_c:,} + {den}) {_e(q)}"
            if xi:
                shown.append(_a(q))
            else:  # exact at the decimals P(a | c) is shown with
                absent = approx(1 - _value(_a(q)), _sig5(q))
                part += f" ({n} is no: 1 − {_a(q)} = {absent})"
                shown.append(absent)
            parts.append(part)
        steps.append(f"{c}: " + "; ".join(parts))
        like = math.prod(_value(v) for v in shown)
        steps.append(f"Likelihood of {c}: " + " × ".join(shown) + f" {_e(like)}")
        scores.append(_value(prior) * _value(_a(like)))
        score_parts.append(f"{c}: {prior} × {_a(like)} {_e(scores[-1])}")
    steps.append("Scores, prior × likelihood: " + ", ".join(score_parts))
    steps.append(
        f"Posterior: P({target} | attributes) = {_a(scores[index])} / "
        f"({' + '.join(_a(v) for v in scores)}) {eq(case.answer, d)}"
    )
    return prompt, tuple(steps)


def constant(value: float) -> Callable[[Values], float]:
    """A stage read off the problem's numbers alone."""
    return lambda given: value


def scaled(factor: float, key: str) -> Callable[[Values], float]:
    """A stage that multiplies an earlier stage's value by a number of the problem."""
    return lambda given: factor * given[key]


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Each class's likelihood, its prior × likelihood (the score), then the posterior.

    The priors are read off the counts inside the score stages (a separate stage per prior
    would make three-class problems ten stages long)."""
    p = problem.params
    counts, feats, x, alpha, index = (
        p[key] for key in ("class_counts", "feature_counts", "x", "alpha", "index")
    )
    total = sum(counts)
    s = solve(p)
    k = len(counts)
    names = list(SETTINGS[problem.scenario].classes[:k])

    def dec(value: float) -> int:
        return sig_decimals(value, sig=6, lo=3, hi=12)

    out: list[Stage] = []
    for c in range(k):
        out.append(
            Stage(
                f"likelihood_{c}",
                f"P(x | {names[c]}) = Π P(aⱼ | {names[c]}) or 1 − P(aⱼ | {names[c]}), "
                f"the likelihood of the example under {names[c]}",
                "Smooth each attribute's share, (count + α) / (class count + 2α); use it for "
                "an attribute the example has and 1 minus it for one it lacks; multiply them.",
                dec(s["likes"][c]),
                constant(math.prod(factors([counts[c]], [feats[c]], x, alpha)[0])),
            )
        )
    for c in range(k):
        prior = counts[c] / total
        out.append(
            Stage(
                f"score_{c}",
                f"P({names[c]}) × P(x | {names[c]}), the unnormalised score of {names[c]} "
                f"(its prior P({names[c]}) = {counts[c]:,} / {total:,} times its likelihood)",
                f"Multiply the prior, {counts[c]:,} / {total:,}, by your likelihood of {names[c]}.",
                dec(s["scores"][c]),
                scaled(prior, f"likelihood_{c}"),
            )
        )
    out.append(
        Stage(
            "posterior",
            f"P({names[index]} | x), the posterior probability",
            f"Divide your score of {names[index]} by the sum of your scores of all classes.",
            problem.decimals,
            lambda g: g[f"score_{index}"] / sum(g[f"score_{c}"] for c in range(k)),
        )
    )
    return tuple(out)
