"""z = w·x + b for one neuron (guide 1.1 and 1.2)."""

from __future__ import annotations

import numpy as np

from engine.neuron import weighted_sum
from engine.problems.base import EXACT, Case
from engine.problems.inputs import draw_inputs, inputs_table, weighted_sum_steps
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting
from engine.problems.text import num


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    inp = draw_inputs(rng, difficulty, setting)
    x, w, b = inp.x, inp.w, inp.b
    answer = weighted_sum(x, w, b)
    dot = inp.dot
    n = len(x)
    candidates = [
        Misconception("forgot_bias", dot, "The bias is part of z: add b after the products."),
        Misconception(
            "bias_sign", dot - b, "Add the bias with its own sign: z = w·x + b, not w·x − b."
        ),
        Misconception(
            "unweighted_sum",
            sum(x) + b,
            "Each input counts only as much as its weight: multiply x by w before adding.",
        ),
        Misconception(
            "added_pairs",
            sum(xi + wi for xi, wi in zip(x, w, strict=True)) + b,
            "Inputs and weights are multiplied pairwise (x × w), not added.",
        ),
        Misconception(
            "averaged_products",
            dot / n + b,
            "The weighted sum adds the products; it does not average them.",
        ),
    ]
    if any(wi < 0 for wi in w) or any(xi < 0 for xi in x):
        candidates.append(
            Misconception(
                "dropped_signs",
                sum(abs(xi * wi) for xi, wi in zip(x, w, strict=True)) + b,
                "Keep each product's sign: a negative weight pulls z down.",
            )
        )
    params = {"x": x, "w": w, "b": b}
    return Case(params, answer, inp.decimals, EXACT, candidates, work={"inputs": inp})


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    inp = case.work["inputs"]
    prompt = (
        f"In {setting.system}, one neuron looks at {setting.item} through "
        f"{len(inp.x)} inputs, each with a learned weight:\n\n"
        f"{inputs_table(inp)}\n\n"
        f"Its bias is b = {num(inp.b)}. What weighted sum z = w·x + b = Σ wᵢxᵢ + b "
        "(each input times its own weight, plus the bias) does the neuron compute? "
        "Give it exactly."
    )
    return prompt, tuple(weighted_sum_steps(inp))
