"""Hard problems teach harder concepts (issue 13), checked against hand computations.

param_count: parameter-free layers (Flatten, Dropout, Activation) in the stack; loss:
categorical cross-entropy with soft (label-smoothed) targets; training_iterations: the
inverse questions (batch size or epochs from the number of updates, the partial batch
rounded up). The reference values below use plain arithmetic and `math`, no engine code.
"""

from __future__ import annotations

import math

import pytest

from engine.catalog import SCENARIOS
from engine.problems import make_problem
from engine.problems.model import Problem

SEEDS = range(200)
FREE = {"Flatten", "Dropout", "Activation"}


def problems(family: str, difficulty: str) -> list[Problem]:
    return [make_problem(family, seed, difficulty) for seed in SEEDS]


def misconception(p: Problem, name: str) -> float | None:
    return next((m.answer for m in p.misconceptions if m.name == name), None)


# --- param_count ---------------------------------------------------------------------------


def hand_count(stack: list[dict], input_dim: int) -> tuple[int, int]:
    """(parameters, inputs to the first Dense): Dense (fan_in + 1) × units, the rest 0."""
    width, total, first = input_dim, 0, None
    for layer in stack:
        if layer["layer"] == "Flatten":
            width = layer["input_shape"][0] * layer["input_shape"][1]
        elif layer["layer"] == "Dense":
            first = width if first is None else first
            total += (width + 1) * layer["units"]
            width = layer["units"]
        else:
            assert layer["layer"] in ("Dropout", "Activation"), layer
    assert first is not None
    return total, first


def test_hard_param_count_has_parameter_free_layers_counted_as_zero() -> None:
    ps = problems("param_count", "hard")
    with_free = [p for p in ps if any(layer["layer"] in FREE for layer in p.params["stack"])]
    assert len(with_free) >= len(ps) / 2
    kinds = {layer["layer"] for p in ps for layer in p.params["stack"]}
    assert kinds == {"Dense", *FREE}
    for p in ps:
        stack = p.params["stack"]
        total, first = hand_count(stack, p.params["input_dim"])
        assert p.answer == total, p.id
        assert first == p.params["input_dim"]
        assert [layer["units"] for layer in stack if layer["layer"] == "Dense"] == p.params["units"]
        for layer in stack:  # the prompt shows every layer of the stack
            if layer["layer"] == "Dropout":
                assert f"Dropout({layer['rate']})" in p.prompt
            if layer["layer"] == "Flatten":
                h, w = layer["input_shape"]
                assert f"Flatten(input_shape=({h}, {w}))" in p.prompt
        if any(layer["layer"] in FREE for layer in stack):
            assert any("0 parameters" in step for step in p.steps)


def test_hard_param_count_names_counting_dropout_as_weights() -> None:
    found = 0
    for p in problems("param_count", "hard"):
        stack = p.params["stack"]
        if not any(layer["layer"] == "Dropout" for layer in stack):
            continue
        extra, width = 0, p.params["input_dim"]
        for layer in stack:  # the wrong procedure: Dropout as a Dense layer of its width
            if layer["layer"] == "Dense":
                width = layer["units"]
            elif layer["layer"] == "Dropout":
                extra += width * width + width
        value = misconception(p, "counted_dropout_weights")
        if value is not None:
            found += 1
            assert value == p.answer + extra
    assert found >= 50


@pytest.mark.parametrize("difficulty", ["easy", "medium"])
def test_easy_and_medium_param_count_stay_dense_only(difficulty: str) -> None:
    for p in problems("param_count", difficulty):
        assert all(layer["layer"] == "Dense" for layer in p.params["stack"])
        assert hand_count(p.params["stack"], p.params["input_dim"])[0] == p.answer
        assert "Dropout" not in p.prompt and "Flatten" not in p.prompt
        assert not any("0 parameters" in step for step in p.steps)


# --- categorical cross-entropy -------------------------------------------------------------


def categorical(difficulty: str) -> list[Problem]:
    out = [make_problem("loss", seed, difficulty) for seed in range(400)]
    return [p for p in out if p.params["loss"] == "categorical_cross_entropy"]


def test_hard_categorical_cross_entropy_has_soft_targets() -> None:
    ps = categorical("hard")
    assert len(ps) >= 50
    named = 0
    for p in ps:
        y, q = p.params["y_true"], p.params["y_pred"]
        assert all(0 < v < 1 for v in y), p.id  # smoothed: no hard 0 or 1
        assert math.isclose(sum(y), 1.0, abs_tol=1e-9)
        assert len(set(y)) == 2  # 1 − ε + ε/k for the true class, ε/k for the others
        want = -sum(a * math.log(b) for a, b in zip(y, q, strict=True))
        assert abs(p.answer - want) <= 1e-12 * max(1.0, want), p.id
        big = y.index(max(y))
        value = misconception(p, "largest_target_only")
        if value is not None:
            named += 1
            assert math.isclose(value, -max(y) * math.log(q[big]), rel_tol=1e-12)
        assert "smoothed" in p.prompt
    assert named >= 0.9 * len(ps)


@pytest.mark.parametrize("difficulty", ["easy", "medium"])
def test_easy_and_medium_categorical_targets_stay_one_hot(difficulty: str) -> None:
    ps = categorical(difficulty)
    assert ps
    for p in ps:
        assert sorted(p.params["y_true"])[-2:] == [0.0, 1.0]
        assert misconception(p, "largest_target_only") is None


# --- training_iterations -------------------------------------------------------------------


def updates(n: int, size: int, epochs: int) -> int:
    return math.ceil(n / size) * epochs


def test_hard_training_iterations_asks_batch_size_or_epochs() -> None:
    ps = problems("training_iterations", "hard")
    asks = [p.params["ask"] for p in ps]
    assert set(asks) == {"batch_size", "epochs"}
    assert min(asks.count("batch_size"), asks.count("epochs")) >= len(ps) / 4
    for p in ps:
        n, size, epochs = (p.params[k] for k in ("n_samples", "batch_size", "epochs"))
        u = updates(n, size, epochs)
        assert n % size != 0  # a partial last batch every time
        assert f"{u:,}" in p.prompt and f"{n:,}" in p.prompt
        assert "last, smaller mini-batch" in p.prompt and "counts as one update" in p.prompt
        if p.params["ask"] == "batch_size":
            assert f"{epochs} epochs" in p.prompt
            # every batch size giving that many updates: exactly one, the answer
            fits = [b for b in range(1, n + 1) if math.ceil(n / b) * epochs == u]
            assert fits == [p.answer], p.id
            assert misconception(p, "rounded_down") == n // (u // epochs)
            assert misconception(p, "epochs_as_iterations") == math.ceil(n / epochs)
        else:
            assert f"{size:,}" in p.prompt
            assert p.answer == u / math.ceil(n / size) == epochs
            assert misconception(p, "partial_batch_not_counted") == round(u / (n // size))
            assert misconception(p, "iterations_as_epochs") == u


@pytest.mark.parametrize("difficulty", ["easy", "medium"])
def test_easy_and_medium_training_iterations_still_ask_updates(difficulty: str) -> None:
    for p in problems("training_iterations", difficulty):
        assert p.params["ask"] == "updates"
        n, size, epochs = (p.params[k] for k in ("n_samples", "batch_size", "epochs"))
        assert p.answer == updates(n, size, epochs)
        assert "How many weight updates" in p.prompt


# --- every scenario, seeded determinism ----------------------------------------------------


@pytest.mark.parametrize("family", ["param_count", "loss", "training_iterations"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hard_problems_are_seeded_in_every_scenario(family: str, scenario: str) -> None:
    for seed in range(20):
        p = make_problem(family, seed, "hard", scenario)
        assert p == make_problem(family, seed, "hard", scenario)
        assert p.scenario == scenario
        assert len(p.misconceptions) >= 3 and p.steps
