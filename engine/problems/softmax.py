"""softmax(logits)[index]: turning output scores into class probabilities (guide 1.4)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from engine.activations import softmax
from engine.problems.base import Case, approx_tolerance, choose, grid, sig_decimals
from engine.problems.model import Misconception, Problem
from engine.problems.scenarios import SETTINGS, Setting
from engine.problems.stages import Stage, Values, enough_decimals
from engine.problems.text import KEEP, approx, eq, num, paren, plus_terms, table

# difficulty -> (class counts, |logit| range lo..hi, decimals)
SIZES = {
    "easy": ((3,), (0.0, 4.0), 0),
    "medium": ((3, 4), (-2.0, 4.0), 1),
    "hard": ((4, 5, 6), (-3.0, 5.0), 2),
}


def misconceptions(logits: list[float], index: int, p: float) -> list[Misconception]:
    exps = [math.exp(v) for v in logits]
    total = sum(logits)
    out = [
        Misconception(
            "percent", 100.0 * p, "Softmax gives probabilities between 0 and 1: 0.89, or 89%."
        ),
        Misconception(
            "unnormalised",
            exps[index],
            "Divide e^z by the sum of all the exponentials so they add to 1.",
        ),
        Misconception(
            "sigmoid_of_logit",
            1.0 / (1.0 + math.exp(-logits[index])),
            "Softmax compares all the logits; sigmoid of one logit ignores the rest.",
        ),
        Misconception(
            "left_out_own_term",
            exps[index] / (sum(exps) - exps[index]),
            "The denominator sums e^z over every class, this one included.",
        ),
    ]
    if abs(total) >= 0.05:
        out.insert(
            1,
            Misconception(
                "no_exponentials",
                logits[index] / total,
                "Exponentiate first: softmax is e^zᵢ / Σ e^z, not zᵢ / Σ z.",
            ),
        )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    counts, (lo, hi), d = SIZES[difficulty]
    k = choose(rng, counts)
    logits = grid(rng, lo, hi, d, size=k)
    if len(set(logits)) < 2:
        return None
    index = int(rng.integers(k))
    p = float(softmax(logits)[index])
    if not 0.01 <= p <= 0.99:
        return None
    decimals = sig_decimals(p)
    params = {"logits": logits, "index": index}
    return Case(
        params,
        p,
        decimals,
        approx_tolerance(decimals),
        misconceptions(logits, index, p),
        proportion=True,
    )


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    logits, index = case.params["logits"], case.params["index"]
    classes = setting.classes[: len(logits)]
    d = case.decimals
    rows = [[name, num(v)] for name, v in zip(classes, logits, strict=True)]
    prompt = (
        f"The output layer of {setting.system} gives these scores (logits) for "
        f"{setting.item}:\n\n{table(['class', 'logit z'], rows)}\n\n"
        f"A softmax turns them into probabilities: P(class i) = e^zᵢ / Σⱼ e^zⱼ "
        f"(e ≈ 2.71828, the sum over all {len(logits)} classes). What probability does it give "
        f'"{classes[index]}"? {KEEP} Round to {d} decimals (0.5 or 50% both work).'
    )
    exps = [math.exp(v) for v in logits]
    total = sum(exps)
    steps = ["softmax(z)ᵢ = e^zᵢ / (e^z₁ + e^z₂ + ...)"]
    steps += [
        f"e^{num(v)} {eq(e, 4)}  ({c})" for c, v, e in zip(classes, logits, exps, strict=True)
    ]
    steps.append(f"Sum: {plus_terms(approx(e, 4) for e in exps)} {eq(total, 4)}")
    steps.append(
        f"P({classes[index]}) = {approx(exps[index], 4)} / {approx(total, 4)} {eq(case.answer, d)}"
    )
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Each e^zᵢ, their sum, then the asked class's share of the sum."""
    logits, index = problem.params["logits"], problem.params["index"]
    k = len(logits)
    classes = SETTINGS[problem.scenario].classes[:k]
    exps = [math.exp(v) for v in logits]

    def shown(value: float) -> int:  # the worked solution shows 4 decimals; ≥ 4 significant
        return sig_decimals(value, 4, lo=4, hi=6)

    def exp_of(v: float) -> Callable[[Values], float]:
        return lambda given: math.exp(v)

    out = [
        Stage(
            f"exp{j + 1}",
            f'e^z for "{name}": e^{paren(num(v))}',
            f"Raise e ≈ 2.71828 to the logit {num(v)} (the eˣ key of a calculator).",
            shown(e),
            exp_of(v),
        )
        for j, (name, v, e) in enumerate(zip(classes, logits, exps, strict=True))
    ]
    keys = [stage.key for stage in out]
    out.append(
        Stage(
            "sum",
            f"Σ e^z, the sum of the {k} exponentials",
            f"Add your {k} values of e^z, one per class.",
            shown(sum(exps)),
            lambda given: sum(given[key] for key in keys),
        )
    )
    mine = keys[index]
    out.append(
        Stage(
            "p",
            f'P("{classes[index]}") = e^z / Σ e^z, the softmax probability',
            f'Divide your e^z for "{classes[index]}" by your sum.',
            problem.decimals,
            lambda given: given[mine] / given["sum"],
        )
    )
    return enough_decimals(tuple(out), problem.decimals)
