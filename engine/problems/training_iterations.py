"""Weight updates in training: mini-batches per epoch × epochs (lecture: iterations, epochs).

Easy and medium ask for the number of updates. Hard asks the inverse questions: the batch
size, or the number of epochs, from the number of updates (params["ask"] names the unknown).
The convention is the same throughout: the last, partial batch of an epoch is one update too,
so an epoch has ⌈n ÷ batch size⌉ updates.

The data-set size always lies in the scenario's plausible range (`Setting.dataset`): easy
problems draw it from the low end of that range (on a log scale), medium from the middle and
hard from the top (or, for "how many epochs?", wherever a partial batch still shows).
"""

from __future__ import annotations

import math

import numpy as np

from engine.network import training_iterations
from engine.problems.base import EXACT, Case, choose
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting

# difficulty -> (where n lies: a share of the scenario's data-set range on a log scale, the
# significant digits n is drawn with (None: any whole number), batch sizes, epoch range)
SIZES: dict[str, tuple[tuple[float, float], int | None, tuple[int, ...], tuple[int, int]]] = {
    "easy": ((0.0, 0.4), 3, (10, 16, 32, 50, 64, 100), (1, 5)),
    "medium": ((0.3, 0.7), None, (32, 64, 128, 256), (2, 20)),
    "hard": ((0.5, 1.0), None, (24, 48, 96, 100, 250, 512, 1000), (10, 100)),
}
# hard "how many epochs?": larger batches, so an epoch has few of them and rounding matters
EPOCH_SIZES = (128, 250, 256, 500, 512, 1000, 1024, 2048)
EPOCH_RANGE = (10, 100)
ASKS = ("batch_size", "epochs")  # hard; easy and medium ask "updates"
CONVENTION = "The last, smaller mini-batch of an epoch counts as one update (round the batches up)."


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


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


def batch_size_misconceptions(n: int, size: int, epochs: int) -> list[Misconception]:
    """Wrong ways to find the batch size from n, the epochs and the updates."""
    updates = ceil_div(n, size) * epochs
    batches = updates // epochs
    return [
        Misconception(
            "rounded_down",
            n // batches,
            "Round n ÷ batches up: with the smaller size one more (partial) batch is needed.",
        ),
        Misconception(
            "forgot_epochs",
            ceil_div(n, updates),
            "The updates span every epoch: divide them by the epochs first.",
        ),
        Misconception(
            "epochs_as_iterations",
            ceil_div(n, epochs),
            "An epoch is a full pass over the data (many updates), not one update.",
        ),
        Misconception(
            "batches_as_batch_size",
            batches,
            "updates ÷ epochs is the number of batches per epoch; the size is n ÷ that.",
        ),
    ]


def epochs_misconceptions(n: int, size: int, epochs: int) -> list[Misconception]:
    """Wrong ways to find the epochs from n, the batch size and the updates."""
    updates = ceil_div(n, size) * epochs
    return [
        Misconception(
            "partial_batch_not_counted",
            round(updates / (n // size)),
            "The last, smaller batch is an update too: an epoch has ⌈n ÷ size⌉ batches.",
        ),
        Misconception(
            "iterations_as_epochs",
            updates,
            "An update (iteration) is one mini-batch; an epoch is a full pass of many of them.",
        ),
        Misconception(
            "divided_by_batch_size",
            round(updates / size),
            "Divide the updates by the batches per epoch, not by the batch size.",
        ),
        Misconception(
            "multiplied_by_batches",
            updates * ceil_div(n, size),
            "epochs = updates ÷ batches per epoch: divide, do not multiply.",
        ),
    ]


def draw_n(
    rng: np.random.Generator,
    lo: int,
    hi: int,
    band: tuple[float, float] = (0.0, 1.0),
    digits: int | None = None,
) -> int | None:
    """A data-set size in lo..hi, log-uniform over the `band` share of that range, with at
    most `digits` significant digits (None when the range is empty)."""
    if lo > hi:
        return None
    a, b = math.log(lo), math.log(hi)
    n = round(math.exp(rng.uniform(a + band[0] * (b - a), a + band[1] * (b - a))))
    if digits is not None:
        step = 10 ** max(0, len(str(n)) - digits)
        n = min(max(round(n / step) * step, -(-lo // step) * step), hi // step * step)
    return n if lo <= n <= hi else None


def _draw_inverse(rng: np.random.Generator, setting: Setting) -> Case | None:
    ask = choose(rng, ASKS)
    lo, hi = setting.dataset
    if ask == "batch_size":
        band, _, sizes, (elo, ehi) = SIZES["hard"]
        n = draw_n(rng, lo, hi, band)
        epochs = int(rng.integers(elo, ehi + 1))
        # only sizes one could tell apart from their neighbours (see below) for this n
        sizes = tuple(b for b in sizes if b * (b + 1) <= (n or 0))
        if n is None or not sizes:
            return None
        size = choose(rng, sizes)
    else:
        (elo, ehi), size = EPOCH_RANGE, choose(rng, EPOCH_SIZES)
        epochs = int(rng.integers(elo, ehi + 1))
        # 4 to 2 × epochs batches per epoch: few enough that rounding them down shows
        n = draw_n(rng, max(lo, 4 * size + 1), min(hi, 2 * epochs * size))
        if n is None:
            return None
    if n % size == 0 or n < 2 * size:
        return None  # a partial last batch is the lesson
    batches = ceil_div(n, size)
    params = {"n_samples": n, "batch_size": size, "epochs": epochs, "ask": ask}
    if ask == "batch_size":
        # the batch size must be the only one giving that many batches per epoch
        if ceil_div(n, size - 1) == batches or ceil_div(n, size + 1) == batches:
            return None
        return Case(params, float(size), 0, EXACT, batch_size_misconceptions(n, size, epochs))
    if round(batches * epochs / (n // size)) == epochs:
        return None  # rounding down would not show: keep the floor mistake visible
    return Case(params, float(epochs), 0, EXACT, epochs_misconceptions(n, size, epochs))


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    if difficulty == "hard":
        return _draw_inverse(rng, setting)
    band, digits, sizes, (elo, ehi) = SIZES[difficulty]
    n = draw_n(rng, *setting.dataset, band, digits)
    sizes = tuple(b for b in sizes if 2 * b <= (n or 0))  # at least two batches an epoch
    if n is None or not sizes:
        return None
    size = choose(rng, sizes)
    epochs = int(rng.integers(elo, ehi + 1))
    if n % size == 0 and rng.random() < 0.8:
        return None  # mostly a partial last batch: that is the lesson
    answer = training_iterations(n, size, epochs)
    params = {"n_samples": n, "batch_size": size, "epochs": epochs, "ask": "updates"}
    return Case(params, float(answer), 0, EXACT, misconceptions(n, size, epochs))


def _explain_inverse(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    n, size, epochs, ask = (case.params[k] for k in ("n_samples", "batch_size", "epochs", "ask"))
    batches = ceil_div(n, size)
    updates = batches * epochs
    start = f"{setting.system.capitalize()} is trained on {n:,} {setting.examples}"
    rule = (
        "Each mini-batch gets one weight update, and the last, smaller mini-batch of an epoch "
        "counts as one update too."
    )
    if ask == "batch_size":
        prompt = (
            f"{start} for {epochs} epochs, with {updates:,} weight updates in the whole run. "
            f"{rule} What batch size was used?"
        )
        exact = n / batches
        steps = [
            CONVENTION,
            f"Batches per epoch: {updates:,} updates ÷ {epochs} epochs = {batches:,}",
            f"{n:,} ÷ {batches:,} ≈ {exact:,.3f}: no whole size fits exactly, so round up "
            f"to {size:,} (⌈{n:,} ÷ {size:,}⌉ = {batches:,} batches; {size - 1:,} would "
            f"need {ceil_div(n, size - 1):,})",
            f"Batch size = {size:,}",
        ]
        return prompt, tuple(steps)
    full, rest = divmod(n, size)
    prompt = (
        f"{start} with mini-batches of {size:,}, and the whole run makes {updates:,} weight "
        f"updates. {rule} How many epochs did it train for?"
    )
    steps = [
        CONVENTION,
        f"{n:,} ÷ {size:,} = {full:,} full batches with {rest:,} left over, so {batches:,} "
        "batches (updates) per epoch",
        f"Epochs = {updates:,} ÷ {batches:,} = {epochs}",
    ]
    return prompt, tuple(steps)


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    if case.params["ask"] != "updates":
        return _explain_inverse(case, setting)
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
