"""f'(z): the slope backpropagation multiplies by (lecture: activations must be differentiable)."""

from __future__ import annotations

import math

import numpy as np

from engine.activations import activate, derivative
from engine.problems.base import Case, approx_tolerance, choose, grid, sig_decimals
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting
from engine.problems.text import KEEP, approx, eq, num, paren

ACTIVATIONS = {
    "easy": ("sigmoid", "relu"),
    "medium": ("sigmoid", "tanh", "relu", "leaky_relu"),
    "hard": ("sigmoid", "tanh", "relu", "leaky_relu"),
}
Z_RANGE = {"easy": (3.0, 1), "medium": (4.0, 1), "hard": (5.0, 2)}
ALPHAS = (0.01, 0.05, 0.1, 0.2, 0.3)
DEFINITION = {
    "sigmoid": "Sigmoid is σ(z) = 1 / (1 + e^(−z)), natural e",
    "tanh": "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), natural e",
    "relu": "ReLU(z) = max(0, z)",
    "leaky_relu": "Leaky ReLU(z) = z if z > 0, else α × z",
}
FORMULA = {
    "sigmoid": "σ'(z) = σ(z) × (1 − σ(z))",
    "tanh": "tanh'(z) = 1 − tanh(z)²",
    "relu": "ReLU'(z) = 1 if z > 0, else 0",
    "leaky_relu": "leaky ReLU'(z) = 1 if z > 0, else α",
}


def misconceptions(activation: str, z: float, alpha: float) -> list[Misconception]:
    value = float(activate(activation, z, alpha))
    returned_value = Misconception(
        "value_not_slope", value, f"f'(z) is the slope of {activation} at z, not its value f(z)."
    )
    if activation == "sigmoid":
        s = value
        return [
            returned_value,
            Misconception("plugged_z", z * (1 - z), "Use σ(z) in σ(z)(1 − σ(z)), not z itself."),
            Misconception(
                "missing_factor", 1 - s, "Both factors matter: σ'(z) = σ(z) × (1 − σ(z))."
            ),
            Misconception(
                "wrong_formula", 1 - s * s, "1 − f² is tanh's derivative; sigmoid's is σ(1 − σ)."
            ),
        ]
    if activation == "tanh":
        t = value
        return [
            returned_value,
            Misconception("plugged_z", 1 - z * z, "Square tanh(z), not z: 1 − tanh(z)²."),
            Misconception("forgot_square", 1 - t, "tanh'(z) = 1 − tanh(z)²: square it."),
            Misconception(
                "wrong_formula",
                t * (1 - t),
                "f(1 − f) is sigmoid's derivative; tanh's is 1 − tanh².",
            ),
        ]
    slope_neg = alpha if activation == "leaky_relu" else 0.0
    out = [
        Misconception("returned_z", z, "The derivative is a slope (1 or the small one), not z."),
        Misconception(
            "sides_swapped",
            slope_neg if z > 0 else 1.0,
            "The slope is 1 where z > 0 and small (0 or α) where z < 0.",
        ),
        Misconception(
            "wrong_formula",
            float(derivative("sigmoid", z)),
            "σ(1 − σ) is sigmoid's derivative; ReLU's slope is 1 or 0 (α if leaky).",
        ),
    ]
    if activation == "leaky_relu":
        out += [
            Misconception(
                "plain_relu",
                1.0 if z > 0 else 0.0,
                f"Leaky ReLU keeps the slope α = {num(alpha)} for negative z.",
            ),
            Misconception("value_not_slope", value, "f'(z) is the slope, not the output α × z."),
        ]
    else:
        out.append(
            Misconception(
                "leaky_slope",
                1.0 if z > 0 else 0.01,
                "Plain ReLU has slope exactly 0 for negative z.",
            )
        )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    activation = choose(rng, ACTIVATIONS[difficulty])
    alpha = choose(rng, ALPHAS) if activation == "leaky_relu" else 0.01
    limit, zd = Z_RANGE[difficulty]
    z = grid(rng, -limit, limit, zd)
    if abs(z) < 0.1:  # away from ReLU's kink and from trivial values
        return None
    answer = float(derivative(activation, z, alpha))
    decimals = sig_decimals(answer)
    params = {"z": z, "activation": activation, "alpha": alpha}
    return Case(
        params, answer, decimals, approx_tolerance(decimals), misconceptions(activation, z, alpha)
    )


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    z, activation, alpha = case.params["z"], case.params["activation"], case.params["alpha"]
    d = case.decimals
    zs = num(z)
    name = {
        "sigmoid": "sigmoid",
        "tanh": "tanh",
        "relu": "ReLU",
        "leaky_relu": f"leaky ReLU (α = {num(alpha)})",
    }[activation]
    prompt = (
        f"During training, {setting.system} backpropagates through a hidden neuron with "
        f"a {name} activation. The neuron's weighted input for this {setting.noun} "
        f"is z = {zs}. What is the activation's derivative f'(z) = da/dz at that point? "
        f"{DEFINITION[activation]}. {KEEP} Round to {d} decimals."
    )
    steps = [FORMULA[activation]]
    if activation == "sigmoid":
        s = float(activate("sigmoid", z))
        steps += [
            f"σ({zs}) = 1 / (1 + e^({num(-z)})) = 1 / (1 + {approx(math.exp(-z), d + 1)}) "
            f"{eq(s, d + 1)}",
            f"σ'({zs}) = {approx(s, d + 1)} × (1 − {approx(s, d + 1)}) "
            f"= {approx(s, d + 1)} × {approx(1 - s, d + 1)} {eq(case.answer, d)}",
        ]
    elif activation == "tanh":
        t = math.tanh(z)
        steps += [
            f"tanh({zs}) {eq(t, d + 1)}",
            f"tanh'({zs}) = 1 − {paren(approx(t, d + 1))}² = 1 − {approx(t * t, d + 1)} "
            f"{eq(case.answer, d)}",
        ]
    else:
        side = "> 0" if z > 0 else "< 0"
        if z > 0:
            slope = "1"
        elif activation == "leaky_relu":
            slope = f"α = {num(alpha)}"
        else:
            slope = "0"
        steps.append(f"z = {zs} {side}, so f'(z) = {slope}")
    return prompt, tuple(steps)
