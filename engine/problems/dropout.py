"""One output of an inverted-dropout layer, in training or at inference (lecture: dropout).

Inverted dropout (Keras, PyTorch): in training a kept activation is divided by (1 − rate) and
a dropped one becomes 0; at inference the layer passes every activation through unchanged.
Easy and medium ask a kept unit in training. Hard adds the two classic traps: inference mode
(no mask, no scaling) and a unit the mask dropped (its output is 0, whatever its activation).
"""

from __future__ import annotations

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, grid
from engine.problems.domains import NON_NEGATIVE
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, num, paren, table

DECIMALS = 3
# difficulty -> (unit counts, activation decimals, rates)
SIZES = {
    "easy": ((4,), 1, (0.2, 0.25, 0.5)),
    "medium": ((5, 6), 2, (0.1, 0.2, 0.25, 0.3, 0.4, 0.5)),
    "hard": ((6, 7, 8), 2, (0.2, 0.25, 0.3, 0.4, 0.6)),
}
# hard: what is asked (kept unit in training, a dropped unit in training, inference)
HARD_ASKS = ("kept",) * 4 + ("dropped",) * 2 + ("inference",) * 4


def misconceptions(a: float, m: int, rate: float, mode: str) -> list[Misconception]:
    keep = 1 - rate
    out = []
    if mode == "inference":
        out += [
            Misconception(
                "scaled_at_inference",
                a / keep,
                "Inverted dropout already scaled by 1/(1 − rate) in training: at inference "
                "the activation passes through unchanged.",
            ),
            Misconception(
                "multiplied_by_keep",
                a * keep,
                "Scaling by (1 − rate) at test time is the old, non-inverted dropout; inverted "
                "dropout does nothing at inference.",
            ),
            Misconception(
                "applied_mask",
                a * m / keep,
                "The mask is drawn only in training: at inference no unit is dropped.",
            ),
        ]
    else:
        out += [
            Misconception(
                "no_rescale",
                a * m,
                "Inverted dropout divides a kept activation by (1 − rate) during training.",
            ),
            Misconception(
                "mask_inverted",
                a * (1 - m) / keep,
                "In the mask 1 means kept and 0 means dropped.",
            ),
            Misconception(
                "multiplied_by_keep",
                a * m * keep,
                "Kept activations are divided by the keep probability (1 − rate), not "
                "multiplied by it.",
            ),
        ]
        if m == 0:
            out.append(
                Misconception(
                    "ignored_mask",
                    a,
                    "This unit is dropped (mask 0): it outputs 0 in this training step.",
                )
            )
    out += [
        Misconception(
            "multiplied_by_rate",
            a * rate,
            "The rate is the share of units dropped; a kept unit is scaled by 1/(1 − rate)."
            if mode == "train"
            else "At inference inverted dropout leaves the activation as it is.",
        ),
        Misconception(
            "divided_by_rate",
            a / rate,
            "Divide by the keep probability (1 − rate), not by the rate."
            if mode == "train"
            else "At inference inverted dropout leaves the activation as it is.",
        ),
    ]
    return out


def _activations(rng: np.random.Generator, n: int, decimals: int, tanh: bool) -> list[float] | None:
    if tanh:
        values = grid(rng, -0.99, 0.99, decimals, size=n)
        return values if any(v < 0 for v in values) else None
    values = grid(rng, 0.1, 3.0, decimals, size=n)
    zeros = rng.random(n) < 0.2  # ReLU units that were off
    return [0.0 if z else v for v, z in zip(values, zeros, strict=True)]


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    counts, decimals, rates = SIZES[difficulty]
    n = choose(rng, counts)
    ask = choose(rng, HARD_ASKS) if difficulty == "hard" else "kept"
    mode = "inference" if ask == "inference" else "train"
    rate = choose(rng, rates)
    tanh = ask == "dropped" or (difficulty == "hard" and rng.random() < 0.4)
    acts = _activations(rng, n, decimals, tanh)
    if acts is None:
        return None
    mask = [int(v) for v in rng.random(n) >= rate]
    want = 0 if ask == "dropped" else 1
    pool = [i for i in range(n) if abs(acts[i]) >= 0.1 and (mode == "inference" or mask[i] == want)]
    if not pool or sum(mask) == 0:
        return None
    index = choose(rng, pool)
    a, m = acts[index], mask[index]
    answer = a if mode == "inference" else a * m / (1 - rate)
    params = {
        "activations": acts,
        "mask": mask,
        "rate": rate,
        "mode": mode,
        "index": index,
    }
    return Case(
        params,
        answer,
        DECIMALS,
        approx_tolerance(DECIMALS),
        misconceptions(a, m, rate, mode),
        work={"tanh": tanh},
    )


def domain(params: dict[str, object]) -> Domain:
    """ReLU outputs stay >= 0; a tanh layer's may have either sign."""
    acts = params["activations"]
    assert isinstance(acts, list)
    return Domain() if any(v < 0 for v in acts) else NON_NEGATIVE


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p = case.params
    acts, mask, rate, mode, index = (p[k] for k in ("activations", "mask", "rate", "mode", "index"))
    n, k = len(acts), index + 1
    a, m = acts[index], mask[index]
    kind = "tanh" if case.work["tanh"] else "ReLU"
    rows = [
        [f"unit {i + 1}", num(v), str(mv)] for i, (v, mv) in enumerate(zip(acts, mask, strict=True))
    ]
    convention = (
        "The layer uses inverted dropout (as Keras and PyTorch do), which rescales during "
        "training: each kept activation is divided by (1 − rate) and each dropped one becomes 0."
    )
    if mode == "train":
        when = (
            "The network is training (training=True), and this step's dropout mask "
            "(1 = kept, 0 = dropped) is:"
        )
    else:
        when = (
            "Training is over and the network is now making a prediction (inference, "
            "training=False). The mask drawn at the last training step (1 = kept, 0 = dropped) was:"
        )
    prompt = (
        f"In {setting.system}, a hidden layer of {n} {kind} units feeds a Dropout layer with "
        f"rate {num(rate)} (the share of units dropped). {convention} For {setting.item}, "
        f"the hidden layer's activations are shown below. {when}\n\n"
        f"{table(['', 'activation a', 'mask m'], rows)}\n\n"
        f"What value does the Dropout layer pass on for unit {k}? {KEEP} "
        f"Round to {DECIMALS} decimals."
    )
    d = case.decimals
    if mode == "inference":
        steps = [
            "At inference inverted dropout is switched off: no unit is dropped and nothing is "
            "scaled (the 1/(1 − rate) scaling happened during training)",
            f"Unit {k}: output = a {eq(case.answer, d)}",
        ]
        return prompt, tuple(steps)
    keep = 1 - rate
    scale = 1 / keep
    steps = [
        "Inverted dropout in training: output = a × m / (1 − rate)",
        f"Unit {k}: a = {num(a)}, m = {m} ({'kept' if m else 'dropped'})",
        f"Keep probability: 1 − {num(rate)} = {num(round(keep, 10))}",
        f"Scale for a kept unit: 1 / {num(round(keep, 10))} {eq(scale, 6)}",
    ]
    if m:
        steps.append(f"Output: {paren(num(a))} / {num(round(keep, 10))} {eq(case.answer, d)}")
    else:
        steps.append(f"Output: {paren(num(a))} × 0 / {num(round(keep, 10))} = {approx(0.0, d)}")
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Training: the scale 1/(1 − rate), then a × m × scale. Inference is one step."""
    p = problem.params
    if p["mode"] != "train":
        return ()
    rate = p["rate"]
    a, m = p["activations"][p["index"]], p["mask"][p["index"]]
    return (
        Stage(
            "scale",
            "scale = 1 / (1 − rate), the factor a kept unit is multiplied by",
            "Subtract the rate from 1 to get the keep probability, then take its reciprocal.",
            4,
            lambda given: 1 / (1 - rate),
        ),
        Stage(
            "output",
            f"the output of unit {p['index'] + 1}, a × m × scale",
            "Multiply the unit's activation by its mask value (0 or 1) and by your scale.",
            problem.decimals,
            lambda given: a * m * given["scale"],
        ),
    )
