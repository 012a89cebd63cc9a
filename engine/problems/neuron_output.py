"""a = f(w·x + b) for one neuron with a named activation (guide 1.1 and the spam example)."""

from __future__ import annotations

import math

import numpy as np

from engine.activations import activate
from engine.neuron import neuron_output
from engine.problems.base import Case, approx_tolerance, choose, exact_decimals, sig_decimals
from engine.problems.inputs import Inputs, draw_inputs, inputs_table, weighted_sum_steps
from engine.problems.model import Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren

ACTIVATIONS = {
    "easy": ("sigmoid", "relu", "linear"),
    "medium": ("sigmoid", "tanh", "relu", "leaky_relu", "linear"),
    "hard": ("sigmoid", "tanh", "relu", "leaky_relu", "linear"),
}
Z_LIMIT = {"sigmoid": 4.5, "tanh": 2.5}  # keeps the output away from 0.000 and 1.000
ALPHAS = (0.01, 0.05, 0.1, 0.2, 0.3)
LABEL = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "linear": "linear (identity)",
}
DEFINITION = {
    "sigmoid": "σ(z) = 1 / (1 + e^(−z))",
    "tanh": "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))",
    "relu": "ReLU(z) = max(0, z)",
    "leaky_relu": "leaky ReLU(z) = z if z > 0, else α × z",
    "linear": "f(z) = z",
}


def f(name: str, z: float, alpha: float = 0.01) -> float:
    return float(activate(name, z, alpha))


def _inputs_for(
    rng: np.random.Generator, difficulty: str, setting: Setting, activation: str
) -> Inputs | None:
    limit = Z_LIMIT.get(activation, 30.0)
    for _ in range(30):
        inp = draw_inputs(rng, difficulty, setting)
        z = inp.dot + inp.b
        if 0.05 <= abs(z) <= limit:
            return inp
    return None


def misconceptions(inp: Inputs, activation: str, alpha: float) -> list[Misconception]:
    dot, b = inp.dot, inp.b
    z = dot + b
    out = [
        Misconception(
            "forgot_activation",
            z,
            f"z = w·x + b is only the weighted sum: the output is {activation}(z).",
        ),
        Misconception(
            "forgot_bias",
            f(activation, dot, alpha),
            "Add the bias before applying the activation: f(w·x + b).",
        ),
        Misconception(
            "bias_sign",
            f(activation, dot - b, alpha),
            "The bias is added with its own sign: z = w·x + b.",
        ),
    ]
    if activation == "sigmoid":
        out += [
            Misconception(
                "sigmoid_sign",
                1.0 / (1.0 + math.exp(z)),
                "Sigmoid is 1 / (1 + e^(−z)): the exponent is minus z.",
            ),
            Misconception(
                "wrong_activation",
                math.tanh(z),
                "This neuron uses sigmoid, 1 / (1 + e^(−z)), not tanh.",
            ),
            Misconception(
                "percent",
                100.0 * f("sigmoid", z),
                "A sigmoid output is a probability between 0 and 1: 0.71, or 71%.",
            ),
        ]
    elif activation == "tanh":
        out += [
            Misconception(
                "wrong_activation",
                f("sigmoid", z),
                "This neuron uses tanh, which ranges from −1 to 1, not sigmoid.",
            ),
            Misconception(
                "tanh_half_exponent",
                (1 - math.exp(-z)) / (1 + math.exp(-z)),
                "tanh(z) = (1 − e^(−2z)) / (1 + e^(−2z)): the exponent is −2z.",
            ),
        ]
    elif activation == "relu":
        out += [
            Misconception(
                "wrong_activation",
                f("sigmoid", z),
                "ReLU is max(0, z): it does not squash z like sigmoid.",
            ),
            Misconception(
                "relu_as_abs", abs(z), "ReLU turns a negative z into 0; it does not flip its sign."
            ),
        ]
    elif activation == "leaky_relu":
        out.append(
            Misconception(
                "plain_relu",
                max(z, 0.0),
                f"Leaky ReLU keeps a small slope α = {num(alpha)} for negative z.",
            )
        )
        if z > 0:
            out.append(
                Misconception(
                    "alpha_on_positive",
                    alpha * z,
                    "The slope α only applies when z is negative; positive z passes through.",
                )
            )
        else:
            out.append(
                Misconception(
                    "alpha_as_output", alpha, "For negative z the output is α × z, not α itself."
                )
            )
    else:  # linear
        out += [
            Misconception(
                "wrong_activation",
                f("sigmoid", z),
                "A linear (identity) activation passes z through unchanged.",
            ),
            Misconception(
                "applied_relu", max(z, 0.0), "Linear does not clip negatives: that is ReLU."
            ),
        ]
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    activation = choose(rng, ACTIVATIONS[difficulty])
    alpha = choose(rng, ALPHAS) if activation == "leaky_relu" else 0.01
    inp = _inputs_for(rng, difficulty, setting, activation)
    if inp is None:
        return None
    z = inp.dot + inp.b
    if activation in ("relu", "leaky_relu") and z < 0 and rng.random() < 0.7:
        return None  # mostly positive z for ReLU (keeps the key's rank uniform)
    answer = neuron_output(inp.x, inp.w, inp.b, activation, alpha)
    decimals = sig_decimals(answer)
    params = {"x": inp.x, "w": inp.w, "b": inp.b, "activation": activation, "alpha": alpha}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(inp, activation, alpha),
        proportion=activation == "sigmoid",
        work={"inputs": inp, "z": z},
    )


def activation_step(
    activation: str, z: float, alpha: float, decimals: int, a: float | None = None
) -> str:
    """The activation line; `a` is the engine's output when it is the final answer."""
    zs = paren(num(round(z, 10)))
    a = f(activation, z, alpha) if a is None else a
    if activation == "sigmoid":
        ez = math.exp(-z)
        return (
            f"Sigmoid: a = 1 / (1 + e^(−z)) = 1 / (1 + e^({num(round(-z, 10))})) "
            f"= 1 / (1 + {approx(ez, decimals + 1)}) {eq(a, decimals)}"
        )
    if activation == "tanh":
        e2 = math.exp(-2 * z)
        return (
            f"tanh: a = (1 − e^(−2z)) / (1 + e^(−2z)) = (1 − {approx(e2, decimals + 1)})"
            f" / (1 + {approx(e2, decimals + 1)}) {eq(a, decimals)}"
        )
    if activation == "relu":
        return f"ReLU: a = max(0, z) = max(0, {num(round(z, 10))}) {eq(a, decimals)}"
    if activation == "leaky_relu":
        if z > 0:
            return f"Leaky ReLU: z > 0, so a = z {eq(a, decimals)}"
        return f"Leaky ReLU: z < 0, so a = α × z = {num(alpha)} × {zs} {eq(a, decimals)}"
    return f"Linear: a = z {eq(a, decimals)}"


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    inp: Inputs = case.work["inputs"]
    activation = case.params["activation"]
    alpha = case.params["alpha"]
    d = case.decimals
    act_text = LABEL[activation]
    if activation == "leaky_relu":
        act_text += f" (slope α = {num(alpha)} for negative z)"
    meaning = (
        f" The output is the probability that {setting.positive}."
        if activation == "sigmoid"
        else ""
    )
    ask = (
        f"Round to {d} decimals (a probability: 0.5 or 50% both work)."
        if case.proportion
        else f"Round to {d} decimals."
    )
    prompt = (
        f"In {setting.system}, one neuron looks at {setting.item} through "
        f"{len(inp.x)} inputs:\n\n{inputs_table(inp)}\n\n"
        f"Its bias is b = {num(inp.b)} and its activation is {act_text}, "
        f"{DEFINITION[activation]}.{meaning} The neuron computes z = w·x + b = Σ wᵢxᵢ + b, "
        f"then a = f(z). What does the neuron output? {KEEP} {ask}"
    )
    steps = [
        *weighted_sum_steps(inp),
        activation_step(activation, case.work["z"], alpha, d, case.answer),
    ]
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """z, then a = f(z)."""
    p = problem.params
    activation, alpha = p["activation"], p["alpha"]
    z = sum(x * w for x, w in zip(p["x"], p["w"], strict=True)) + p["b"]
    return (
        Stage(
            "z",
            "z = w·x + b, the weighted sum",
            "Multiply each input by its weight, add the products, then add the bias.",
            max(exact_decimals(z, 6), 1),
            lambda given: z,
        ),
        Stage(
            "a",
            f"a = f(z), the {LABEL[activation]} output",
            f"Apply the activation to your z: {DEFINITION[activation]}.",
            problem.decimals,
            lambda given: f(activation, given["z"], alpha),
        ),
    )
