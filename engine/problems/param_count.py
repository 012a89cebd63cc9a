"""Trainable parameters of a Keras-style Sequential stack (guide 1.3's Keras model).

Easy and medium stack Dense layers only. Hard mixes in layers without parameters: Flatten
(first, turning an h × w input into h·w numbers), Dropout and Activation, each 0 parameters.
params["stack"] lists every layer in order: {"layer": "Dense", "units"}, {"layer": "Dropout",
"rate"}, {"layer": "Activation", "activation"} or {"layer": "Flatten", "input_shape"};
params["units"] keeps the Dense widths and params["input_dim"] the numbers entering the first
Dense layer.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from engine.network import param_count
from engine.problems.base import EXACT, Case, choose
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting

# difficulty -> (input_dim choices, layer-count choices, width choices)
SIZES = {
    "easy": ((2, 3, 4, 5, 6, 8, 10), (1, 2), (1, 2, 3, 4, 5, 8)),
    "medium": ((10, 12, 16, 20, 32, 50, 64), (2, 3), (8, 10, 16, 32, 64, 100, 128)),
    "hard": ((20, 100, 128, 300, 784, 1024), (3, 4, 5), (10, 32, 64, 128, 256, 512, 1000)),
}
SHAPES = ((28, 28), (32, 32), (10, 10), (16, 16), (20, 15))  # hard: Flatten(input_shape=...)
RATES = (0.1, 0.2, 0.25, 0.3, 0.5)
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
FREE = ("Flatten", "Dropout", "Activation")  # layers without trainable parameters


def misconceptions(input_dim: int, units: list[int]) -> list[Misconception]:
    widths = [input_dim, *units]
    weights = sum(a * b for a, b in itertools.pairwise(widths))
    return [
        Misconception(
            "biases_not_counted", weights, "Every unit also has a trainable bias: add one per unit."
        ),
        Misconception(
            "first_layer_skipped",
            param_count(units[0], units[1:]) + units[0] if len(units) > 1 else units[0],
            "The first Dense layer connects every input to every unit: input_dim × units weights.",
        ),
        Misconception(
            "one_bias_per_layer", weights + len(units), "Biases are per unit, not per layer."
        ),
        Misconception(
            "counted_neurons", sum(units), "Parameters are weights and biases, not units."
        ),
        Misconception(
            "biases_per_input",
            sum(a * b + a for a, b in itertools.pairwise(widths)),
            "A layer has one bias per unit (its output width), not per input.",
        ),
    ]


def free_layer_misconceptions(input_dim: int, stack: list[dict[str, Any]]) -> list[Misconception]:
    """Wrong counts for a stack with parameter-free layers (run on the stack itself)."""
    units = [layer["units"] for layer in stack if layer["layer"] == "Dense"]
    answer = param_count(input_dim, units)
    out: list[Misconception] = []
    width = input_dim  # the width flowing into each layer
    as_dense = {"Dropout": 0, "Activation": 0}  # free layers counted as Dense(width)
    kept = []  # Dense widths if Dropout removed a share of the units before it
    for layer in stack:
        kind = layer["layer"]
        if kind == "Dense":
            width = layer["units"]
            kept.append(width)
        elif kind == "Dropout":
            as_dense["Dropout"] += width * width + width
            kept[-1] = round(kept[-1] * (1 - layer["rate"]))
        elif kind == "Activation":
            as_dense["Activation"] += width * width + width
    if as_dense["Dropout"]:
        out.append(
            Misconception(
                "counted_dropout_weights",
                answer + as_dense["Dropout"],
                "Dropout has no weights: it only zeroes random activations while training "
                "(0 parameters).",
            )
        )
        out.append(
            Misconception(
                "dropout_removes_weights",
                param_count(input_dim, kept),
                "Dropout switches units off only during training: every weight stays trainable.",
            )
        )
    if as_dense["Activation"]:
        out.append(
            Misconception(
                "counted_activation_weights",
                answer + as_dense["Activation"],
                "An Activation layer only applies its function to each number: 0 parameters.",
            )
        )
    if stack[0]["layer"] == "Flatten":
        rows = stack[0]["input_shape"][0]
        out.append(
            Misconception(
                "flatten_one_side",
                param_count(rows, units),
                "Flatten turns an h × w input into h·w numbers: the first Dense sees all of them.",
            )
        )
    return out


def _hard_stack(rng: np.random.Generator, units: list[int]) -> list[dict[str, Any]]:
    stack: list[dict[str, Any]] = []
    for k, u in enumerate(units):
        stack.append({"layer": "Dense", "units": u})
        if k == len(units) - 1:
            break
        if rng.random() < 0.3:
            stack.append({"layer": "Activation", "activation": choose(rng, HIDDEN_ACTIVATIONS)})
        if rng.random() < 0.5:
            stack.append({"layer": "Dropout", "rate": choose(rng, RATES)})
    return stack


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    dims, depths, widths = SIZES[difficulty]
    input_dim = choose(rng, dims)
    units = [choose(rng, widths) for _ in range(choose(rng, depths))]
    stack: list[dict[str, Any]] = [{"layer": "Dense", "units": u} for u in units]
    candidates = misconceptions(input_dim, units)
    if difficulty == "hard":
        stack = _hard_stack(rng, units)
        if rng.random() < 0.4:
            shape = choose(rng, SHAPES)
            input_dim = shape[0] * shape[1]
            stack.insert(0, {"layer": "Flatten", "input_shape": list(shape)})
            candidates = misconceptions(input_dim, units)
        if all(layer["layer"] == "Dense" for layer in stack):
            return None  # hard means parameter-free layers in the stack
        candidates += free_layer_misconceptions(input_dim, stack)
    answer = param_count(input_dim, units)
    params = {"input_dim": input_dim, "units": units, "stack": stack}
    return Case(params, float(answer), 0, EXACT, candidates)


def _code(input_dim: int, stack: list[dict[str, Any]]) -> list[str]:
    code = []
    first_dense = stack[0]["layer"] == "Dense"
    for k, layer in enumerate(stack):
        kind = layer["layer"]
        if kind == "Flatten":
            shape = ", ".join(str(v) for v in layer["input_shape"])
            code.append(f"    keras.layers.Flatten(input_shape=({shape})),")
        elif kind == "Dense":
            extra = f", input_dim={input_dim}" if k == 0 and first_dense else ""
            code.append(f"    keras.layers.Dense({layer['units']}{extra}),")
        elif kind == "Dropout":
            code.append(f"    keras.layers.Dropout({layer['rate']}),")
        else:
            code.append(f'    keras.layers.Activation("{layer["activation"]}"),')
    return code


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    input_dim, stack = case.params["input_dim"], case.params["stack"]
    code = _code(input_dim, stack)
    prompt = (
        f"The Keras model behind {setting.system} is:\n\n"
        "  model = keras.Sequential([\n" + "\n".join("  " + c for c in code) + "\n  ])\n\n"
        "How many trainable parameters (weights plus biases) does it have?"
    )
    free = any(layer["layer"] in FREE for layer in stack)
    steps = ["Each Dense layer has (inputs × units) weights plus one bias per unit."]
    if free:
        steps.append(
            "Flatten, Dropout and Activation layers have no weights or biases: 0 parameters each "
            "(they reshape, zero out or transform numbers, and the width passes through)."
        )
    fan_in = input_dim
    totals = []
    dense = 0
    for layer in stack:
        kind = layer["layer"]
        if kind == "Flatten":
            h, w = layer["input_shape"]
            steps.append(f"Flatten: {h} × {w} = {h * w:,} inputs, 0 parameters")
            continue
        if kind == "Dropout":
            steps.append(f"Dropout({layer['rate']}): 0 parameters (width stays {fan_in:,})")
            continue
        if kind == "Activation":
            steps.append(f'Activation("{layer["activation"]}"): 0 parameters')
            continue
        u = layer["units"]
        dense += 1
        total = fan_in * u + u
        totals.append(total)
        steps.append(
            f"Dense {dense}: {fan_in:,} × {u:,} + {u:,} = {fan_in * u:,} + {u:,} = {total:,}"
        )
        fan_in = u
    if len(totals) > 1:
        steps.append(" + ".join(f"{t:,}" for t in totals) + f" = {sum(totals):,}")
    return prompt, tuple(steps)
