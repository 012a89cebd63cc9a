"""Weight updates in training: mini-batches per epoch × epochs (lecture: iterations, epochs)."""

from __future__ import annotations

import numpy as np

from engine.network import training_iterations
from engine.problems.base import EXACT, Case, choose
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting

# difficulty -> (n_samples range and step, batch sizes, epoch range)
SIZES = {
    "easy": ((100, 2000, 10), (10, 16, 32, 50, 64, 100), (1, 5)),
    "medium": ((1000, 60000, 1), (32, 64, 128, 256), (2, 20)),
    "hard": ((5000, 1_300_000, 1), (24, 48, 96, 100, 250, 512, 1000), (10, 100)),
}


def misconceptions(n: int, size: int, epochs: int) -> list[Misconception]:
    return [
        Misconception(
            "partial_batch_not_counted",
            epochs * (n // size),
            "The last, smaller batch is an update too: round the batches up.",
        ),
        Misconception(
            "forgot_epochs", -(-n // size), "That is one epoch: multiply by the number of epochs."
        ),
        Misconception(
            "one_update_per_sample",
            n * epochs,
            "Weights update once per mini-batch, not once per example.",
        ),
        Misconception(
            "one_update_per_epoch", epochs, "An epoch holds many mini-batches, each one an update."
        ),
        Misconception(
            "batch_size_as_batches",
            size * epochs,
            "The batch size is examples per batch; the number of batches is n ÷ size.",
        ),
    ]


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    (lo, hi, step), sizes, (elo, ehi) = SIZES[difficulty]
    n = int(rng.integers(lo // step, hi // step + 1)) * step
    size = choose(rng, sizes)
    epochs = int(rng.integers(elo, ehi + 1))
    if n % size == 0 and rng.random() < 0.8:
        return None  # mostly a partial last batch: that is the lesson
    answer = training_iterations(n, size, epochs)
    params = {"n_samples": n, "batch_size": size, "epochs": epochs}
    return Case(params, float(answer), 0, EXACT, misconceptions(n, size, epochs))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    n, size, epochs = (case.params[k] for k in ("n_samples", "batch_size", "epochs"))
    batches = -(-n // size)
    plural = "epoch" if epochs == 1 else "epochs"
    prompt = (
        f"{setting.system.capitalize()} is trained on {n:,} {setting.examples} with "
        f"mini-batches of {size} for {epochs} {plural}. Each mini-batch gets one forward "
        "pass, one backward pass and one weight update. How many weight updates happen "
        "in the whole training run?"
    )
    full, rest = divmod(n, size)
    if rest:
        split = (
            f"{n:,} ÷ {size} = {full:,} full batches with {rest} left over, "
            f"so {batches:,} batches per epoch (the partial batch counts)"
        )
    else:
        split = f"{n:,} ÷ {size} = {batches:,} batches per epoch exactly"
    steps = [split, f"{batches:,} batches × {epochs} {plural} = {case.answer:,.0f} updates"]
    return prompt, tuple(steps)
