"""Logistic regression on one example: the log-odds z = w·x + b, or the probability σ(z).

params: `x` (feature values), `w` (weights), `b` (bias), `ask` (probability | log_odds).

Easy asks the probability from two or three features. Medium asks the probability from three
or four, or the log-odds. Hard uses four to six features and asks the log-odds named by its
definition ln(p / (1 − p)) (the learner must see it is z itself), or the probability of a
clearly negative z (the model leans to the negative class).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.problems.base import EXACT, Case, approx_tolerance, exact_decimals, sig_decimals
from engine.problems.domains import ANY, PROBABILITY
from engine.problems.inputs import Inputs, draw_inputs, inputs_table, weighted_sum_steps
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren

COUNTS = {"easy": (2, 3), "medium": (3, 4), "hard": (4, 5, 6)}
LOG_ODDS_SHARE = {"easy": 0.0, "medium": 0.3, "hard": 0.5}
Z_LIMIT = 4.5  # keeps σ(z) away from 0.000 and 1.000


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def misconceptions(inp: Inputs, ask: str) -> list[Misconception]:
    dot, b = inp.dot, inp.b
    z = dot + b
    if ask == "log_odds":
        return [
            Misconception(
                "gave_probability",
                sigmoid(z),
                "The log-odds is z itself; σ(z) would be the probability.",
            ),
            Misconception("forgot_bias", dot, "The log-odds includes the bias: z = w·x + b."),
            Misconception("bias_sign", dot - b, "Add the bias with its own sign: z = w·x + b."),
            Misconception(
                "gave_odds",
                math.exp(z),
                "e^z is the odds p / (1 − p); the log-odds is its natural log, z.",
            ),
            Misconception(
                "log10_odds",
                z / math.log(10),
                "Log-odds use the natural log: ln(p / (1 − p)) = z.",
            ),
        ]
    out = [
        Misconception("forgot_bias", sigmoid(dot), "Add the bias before the sigmoid: σ(w·x + b)."),
        Misconception(
            "bias_sign", sigmoid(dot - b), "Add the bias with its own sign: z = w·x + b."
        ),
        Misconception(
            "sigmoid_sign",
            sigmoid(-z),
            "σ(z) = 1 / (1 + e^(−z)): the exponent is minus z (σ(−z) is the other class).",
        ),
        Misconception(
            "log_odds_as_probability",
            z,
            "z is the log-odds; the probability is σ(z) = 1 / (1 + e^(−z)).",
        ),
        Misconception(
            "exp_not_sigmoid",
            math.exp(z),
            "e^z is the odds p / (1 − p), not the probability: p = 1 / (1 + e^(−z)).",
        ),
    ]
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    ask = "log_odds" if rng.random() < LOG_ODDS_SHARE[difficulty] else "probability"
    n = int(rng.choice(COUNTS[difficulty]))
    inp = draw_inputs(rng, difficulty, setting, n)
    z = inp.dot + inp.b
    if not 0.05 <= abs(z) <= Z_LIMIT:
        return None
    if difficulty == "hard" and ask == "probability" and z > -0.5:
        return None  # hard probabilities: the model leans to the negative class
    if ask == "log_odds":
        answer, decimals, tol = z, inp.decimals, EXACT
    else:
        answer = sigmoid(z)
        decimals = sig_decimals(answer)
        tol = approx_tolerance(decimals)
    params = {"x": inp.x, "w": inp.w, "b": inp.b, "ask": ask}
    return Case(
        params,
        answer,
        decimals,
        tol,
        misconceptions(inp, ask),
        proportion=ask == "probability",
        work={"inputs": inp, "z": z},
    )


def domain(params: dict[str, Any]) -> Domain:
    return PROBABILITY if params["ask"] == "probability" else ANY


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    inp: Inputs = case.work["inputs"]
    z = case.work["z"]
    d = case.decimals
    intro = (
        f"In {setting.system}, a logistic regression model estimates the probability that "
        f"{setting.positive} (the positive class, label 1) for {setting.item} from "
        f"{len(inp.x)} features:\n\n{inputs_table(inp)}\n\n"
        f"Its bias is b = {num(inp.b)}. The model computes z = w·x + b = Σ wᵢxᵢ + b and "
        "p = σ(z) = 1 / (1 + e^(−z)), the probability of the positive class."
    )
    if case.params["ask"] == "log_odds":
        prompt = (
            f"{intro} What are the log-odds ln(p / (1 − p)) (natural log) the model gives "
            f"that {setting.positive}? Give the value exactly."
        )
        steps = [
            *weighted_sum_steps(inp),
            f"The log-odds: ln(p / (1 − p)) = z for p = σ(z), so the log-odds {eq(z, d)}",
        ]
        return prompt, tuple(steps)
    prompt = (
        f"{intro} What probability p does the model give that {setting.positive}? {KEEP} "
        f"Round to {d} decimals (a probability: 0.5 or 50% both work)."
    )
    ez = math.exp(-z)
    steps = [
        *weighted_sum_steps(inp),
        f"Sigmoid: p = 1 / (1 + e^(−z)) = 1 / (1 + e^({num(round(-z, 10))})) "
        f"= 1 / (1 + {approx(ez, d + 1)}) {eq(case.answer, d)}",
    ]
    if z < 0:
        steps.insert(
            -1, f"z = {paren(num(round(z, 10)))} < 0, so p is below 0.5 (the negative side)"
        )
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """w·x, z = w·x + b, then p = σ(z) when the probability is asked."""
    p = problem.params
    x, w, b, ask = p["x"], p["w"], p["b"], p["ask"]
    dot = sum(a * c for a, c in zip(x, w, strict=True))
    z = dot + b
    out = [
        Stage(
            "dot",
            "w·x = Σ wᵢxᵢ, the weighted sum of the features (before the bias)",
            "Multiply each feature value by its weight and add the products.",
            max(exact_decimals(dot, 6), 1),
            lambda g: dot,
        ),
        Stage(
            "z",
            "z = w·x + b, the log-odds",
            "Add the bias to your weighted sum.",
            problem.decimals if ask == "log_odds" else max(exact_decimals(z, 6), 1),
            lambda g: g["dot"] + b,
        ),
    ]
    if ask == "probability":
        out.append(
            Stage(
                "p",
                "p = σ(z) = 1 / (1 + e^(−z)), the probability of the positive class",
                "Raise e to minus your z, add 1, and take the reciprocal.",
                problem.decimals,
                lambda g: sigmoid(g["z"]),
            )
        )
    return tuple(out)
