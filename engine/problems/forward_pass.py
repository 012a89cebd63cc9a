"""The output of a small dense network, layer by layer (guide 1.4; lecture: forward pass)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from engine.network import Layer, forward, forward_trace
from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.layers import (
    NAMES,
    Spec,
    describe_network,
    draw_layers,
    forward_steps,
    relu_alive,
    to_params,
    unit_name,
    well_posed,
)
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting
from engine.problems.text import KEEP, eq

SPECS = {
    "easy": Spec((2,), ((2,),), (1,), ("relu",), (0, 3, 0), (1.0, 1), (1.0, 1)),
    "medium": Spec(
        (2, 3), ((2, 3),), (1, 2, 3), ("relu", "sigmoid", "tanh"), (-2, 2, 1), (1.0, 1), (1.0, 1)
    ),
    "hard": Spec(
        (3, 4),
        ((3,), (2, 3)),
        (2, 3),
        ("relu", "leaky_relu", "tanh", "sigmoid"),
        (-2, 2, 1),
        (1.0, 2),
        (1.0, 2),
    ),
}
OUTPUTS = {
    "easy": ("linear", "sigmoid"),
    "medium": ("linear", "sigmoid", "softmax"),
    "hard": ("linear", "sigmoid", "softmax"),
}
SWAP = {"relu": "sigmoid", "leaky_relu": "relu", "sigmoid": "relu", "tanh": "sigmoid"}


def _with(layers: tuple[Layer, ...], **changes: Any) -> tuple[Layer, ...]:
    """The same layers with some fields changed (a wrong procedure's network)."""
    return tuple(dataclasses.replace(layer, **changes) for layer in layers)


def misconceptions(
    x: list[float], layers: tuple[Layer, ...], index: int, answer: float
) -> list[Misconception]:
    hidden, last = layers[:-1], layers[-1]

    def run(stack: tuple[Layer, ...]) -> float:
        return float(forward(x, stack)[index])

    out = [
        Misconception(
            "no_hidden_activation",
            run((*_with(hidden, activation="linear"), last)),
            f"Apply each hidden layer's {NAMES[hidden[0].activation]} before "
            "passing its outputs on.",
        ),
        Misconception(
            "forgot_biases",
            run(tuple(dataclasses.replace(lay, b=np.zeros_like(lay.b)) for lay in layers)),
            "Every unit adds its bias: z = W·a + b.",
        ),
        Misconception(
            "wrong_hidden_activation",
            run((*_with(hidden, activation=SWAP[hidden[0].activation]), last)),
            f"The hidden layers use {NAMES[hidden[0].activation]}, not "
            f"{NAMES[SWAP[hidden[0].activation]]}.",
        ),
    ]
    if last.activation != "linear":
        out.insert(
            0,
            Misconception(
                "no_output_activation",
                run((*hidden, dataclasses.replace(last, activation="linear"))),
                f"The output layer applies {NAMES[last.activation]}: report its output, not z.",
            ),
        )
        out.append(
            Misconception(
                "percent", 100.0 * answer, "A probability lies between 0 and 1: 0.62, or 62%."
            )
        )
    if last.activation == "softmax":
        z = forward_trace(x, layers).zs[-1]
        total = float(np.sum(z))
        if abs(total) >= 0.05:
            out.append(
                Misconception(
                    "softmax_no_exponentials",
                    float(z[index]) / total,
                    "Softmax exponentiates each score before dividing.",
                )
            )
    out.append(
        Misconception(
            "stopped_at_hidden",
            float(forward(x, hidden)[index]) if index < hidden[-1].units else float("nan"),
            "That is a hidden unit's output: carry on through the output layer.",
        )
    )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    spec = SPECS[difficulty]
    output = choose(rng, OUTPUTS[difficulty])
    n_out = choose(rng, spec.outputs)
    if output == "softmax" and n_out < 2:
        n_out = 2
    x, layers = draw_layers(rng, spec, output, n_out)
    trace = forward_trace(x, layers)
    if not well_posed(layers, trace) or not relu_alive(layers, trace):
        return None
    index = int(rng.integers(n_out))
    answer = float(forward(x, layers)[index])
    proportion = output in ("sigmoid", "softmax")
    if proportion and not 0.01 <= answer <= 0.99:
        return None
    if abs(answer) < 0.01:
        return None
    decimals = sig_decimals(answer)
    params = {"x": x, "layers": to_params(layers), "index": index}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(x, layers, index, answer),
        proportion=proportion,
        work={"x": x, "layers": layers, "trace": trace},
    )


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    x, layers, trace = case.work["x"], case.work["layers"], case.work["trace"]
    index, d = case.params["index"], case.decimals
    last = layers[-1]
    name = unit_name(len(layers) - 1, index, len(layers))
    if last.activation == "softmax":
        meaning = f'the probability of "{setting.classes[index]}"'
    elif last.activation == "sigmoid":
        meaning = f"the probability that {setting.positive}" if last.units == 1 else "a probability"
    else:
        meaning = f"an estimate of {setting.regression}"
    ask = (
        f"Round to {d} decimals (0.5 or 50% both work)."
        if case.proportion
        else f"Round to {d} decimals."
    )
    prompt = (
        f"{setting.system.capitalize()} is a small dense network. For {setting.item} it "
        f"receives:\n\n{describe_network(x, layers)}\n\n"
        f"Run the forward pass. What is output {name} ({meaning})? {KEEP} {ask}"
    )
    steps = forward_steps(x, layers, trace, d + 1)
    steps.append(f"Output {name} {eq(case.answer, d)}")
    return prompt, tuple(steps)
