"""The output of a small dense network, layer by layer (guide 1.4; lecture: forward pass)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.activations import activate
from engine.network import Layer, as_layers, forward, forward_trace
from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.layers import (
    NAMES,
    UNIT_LETTERS,
    Spec,
    describe_network,
    draw_layers,
    forward_steps,
    relu_alive,
    to_params,
    unit_name,
    well_posed,
)
from engine.problems.model import Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values, enough_decimals
from engine.problems.text import KEEP, eq, num

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


def _z(layer: Layer, j: int, inputs: Sequence[float]) -> float:
    """Unit j's weighted sum: Σᵢ W[j][i] × inputs[i] + b[j]."""
    row: list[float] = layer.W[j].tolist()
    return sum(wv * v for wv, v in zip(row, inputs, strict=True)) + float(layer.b[j])


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Every hidden unit's output, layer by layer; then the asked output (its z first for a
    sigmoid output, the sum of the exponentials first for a softmax one)."""
    x: list[float] = problem.params["x"]
    layers = as_layers(problem.params["layers"])
    index, d, count = problem.params["index"], problem.decimals, len(layers)
    trace = forward_trace(x, layers)

    def inner(value: float) -> int:  # the worked solution shows d + 1 decimals; ≥ 4 significant
        return sig_decimals(value, 4, lo=d + 1, hi=max(6, d + 1))

    def inputs_of(k: int, given: Values) -> list[float]:
        """Layer k's inputs: x, or the learner's outputs of the layer below."""
        if k == 0:
            return list(x)
        return [given[unit_key(k - 1, i)] for i in range(layers[k - 1].units)]

    def unit_key(k: int, j: int) -> str:
        return f"{UNIT_LETTERS[k]}{j + 1}"

    def hidden(k: int, j: int) -> Callable[[Values], float]:
        layer = layers[k]
        return lambda given: float(
            activate(layer.activation, _z(layer, j, inputs_of(k, given)), layer.alpha)
        )

    out = []
    for k, layer in enumerate(layers[:-1]):
        src = "the inputs x" if k == 0 else f"your {unit_name(k - 1, 0, count)[0]} values"
        act = NAMES[layer.activation]
        if layer.activation == "leaky_relu":
            act += f", α = {num(layer.alpha)}"
        for j in range(layer.units):
            name = unit_name(k, j, count)
            out.append(
                Stage(
                    unit_key(k, j),
                    f"{name}, the output of unit {j + 1} of hidden layer {k + 1}: "
                    f"{NAMES[layer.activation]}(z)",
                    f"Multiply {src} by row {j + 1} of layer {k + 1}'s W, add the products "
                    f"and b[{j + 1}] to get z, then apply {act}.",
                    inner(float(trace.outputs[k][j])),
                    hidden(k, j),
                )
            )
    last, top = layers[-1], count - 1
    name = unit_name(top, index, count)
    letter = unit_name(top - 1, 0, count)[0]
    below = f"your {letter} values"
    zs = trace.zs[top].tolist()
    if last.activation == "softmax":
        out.append(
            Stage(
                "sum",
                f"Σ e^z over the {last.units} output units (each z = W[j]·{letter} + b[j])",
                f"For each output unit, multiply {below} by its row of the output layer's W "
                "and add its b to get z; then add up e^z of every unit.",
                inner(sum(math.exp(v) for v in zs)),
                lambda given: sum(
                    math.exp(_z(last, m, inputs_of(top, given))) for m in range(last.units)
                ),
            )
        )
        out.append(
            Stage(
                "o",
                f"{name} = e^z / Σ e^z, the softmax probability of output {index + 1}",
                f"Take e^z of output {index + 1} (its z from {below}) and divide it by your sum.",
                d,
                lambda given: math.exp(_z(last, index, inputs_of(top, given))) / given["sum"],
            )
        )
        return enough_decimals(tuple(out), d)
    if last.activation == "sigmoid":
        out.append(
            Stage(
                "z_out",
                f"z of {name}, output unit {index + 1}: W[{index + 1}]·{letter} + b[{index + 1}]",
                f"Multiply {below} by row {index + 1} of the output layer's W, add the "
                f"products and b[{index + 1}].",
                inner(zs[index]),
                lambda given: _z(last, index, inputs_of(top, given)),
            )
        )
        out.append(
            Stage(
                "o",
                f"{name} = σ(z) = 1 / (1 + e^(−z)), the sigmoid of output {index + 1}",
                "Apply the sigmoid to your z.",
                d,
                lambda given: float(activate("sigmoid", given["z_out"])),
            )
        )
        return enough_decimals(tuple(out), d)
    out.append(
        Stage(
            "o",
            f"{name} = W[{index + 1}]·{letter} + b[{index + 1}], output {index + 1} "
            f"({NAMES[last.activation]})",
            f"Multiply {below} by row {index + 1} of the output layer's W, add the products "
            f"and b[{index + 1}]; a {NAMES[last.activation]} output is z itself.",
            d,
            lambda given: float(
                activate(last.activation, _z(last, index, inputs_of(top, given)), last.alpha)
            ),
        )
    )
    return enough_decimals(tuple(out), d)
