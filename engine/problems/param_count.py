"""Trainable parameters of a Keras-style Dense stack (guide 1.3's Keras model)."""

from __future__ import annotations

import itertools

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


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    dims, depths, widths = SIZES[difficulty]
    input_dim = choose(rng, dims)
    units = [choose(rng, widths) for _ in range(choose(rng, depths))]
    answer = param_count(input_dim, units)
    params = {"input_dim": input_dim, "units": units}
    return Case(params, float(answer), 0, EXACT, misconceptions(input_dim, units))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    input_dim, units = case.params["input_dim"], case.params["units"]
    code = [f"    keras.layers.Dense({units[0]}, input_dim={input_dim}),"]
    code += [f"    keras.layers.Dense({u})," for u in units[1:]]
    prompt = (
        f"The Keras model behind {setting.system} is:\n\n"
        "  model = keras.Sequential([\n" + "\n".join("  " + c for c in code) + "\n  ])\n\n"
        "How many trainable parameters (weights plus biases) does it have?"
    )
    steps = ["Each Dense layer has (inputs × units) weights plus one bias per unit."]
    fan_in = input_dim
    totals = []
    for k, u in enumerate(units):
        total = fan_in * u + u
        totals.append(total)
        steps.append(
            f"Dense {k + 1}: {fan_in:,} × {u:,} + {u:,} = {fan_in * u:,} + {u:,} = {total:,}"
        )
        fan_in = u
    if len(totals) > 1:
        steps.append(" + ".join(f"{t:,}" for t in totals) + f" = {sum(totals):,}")
    return prompt, tuple(steps)
