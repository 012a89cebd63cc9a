"""Losses against hand-computed values and finite differences; the single neuron."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.losses import loss, loss_gradient
from engine.neuron import neuron_output, weighted_sum


def test_mse_hand_value_has_no_half_factor() -> None:
    # errors 1 and −2: (1 + 4) / 2
    assert loss("mse", [3.0, 1.0], [2.0, 3.0]) == 2.5


def test_binary_cross_entropy_hand_value_uses_natural_log_and_mean() -> None:
    want = -(math.log(0.8) + math.log(1 - 0.3)) / 2
    assert loss("binary_cross_entropy", [1, 0], [0.8, 0.3]) == pytest.approx(want, rel=1e-15)


def test_categorical_cross_entropy_hand_values() -> None:
    assert loss("categorical_cross_entropy", [0, 1, 0], [0.2, 0.7, 0.1]) == pytest.approx(
        -math.log(0.7), rel=1e-15
    )
    # soft labels: every class with y > 0 counts; p = 0 where y = 0 is fine
    assert loss("categorical_cross_entropy", [0.5, 0.5, 0], [0.5, 0.5, 0.0]) == pytest.approx(
        math.log(2), rel=1e-15
    )


def test_keras_spellings_are_accepted() -> None:
    assert loss("categorical_crossentropy", [1, 0], [0.5, 0.5]) == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("name", "y", "p"),
    [
        ("mse", [1.0, -2.0, 0.5], [0.3, 0.1, 2.0]),
        ("binary_cross_entropy", [1.0, 0.0, 1.0], [0.7, 0.2, 0.4]),
        ("categorical_cross_entropy", [0.1, 0.8, 0.1], [0.3, 0.5, 0.2]),
    ],
)
def test_loss_gradient_matches_central_differences(name: str, y: list, p: list) -> None:
    h = 1e-6
    fd = []
    for k in range(len(p)):
        up, down = list(p), list(p)
        up[k] += h
        down[k] -= h
        fd.append((loss(name, y, up) - loss(name, y, down)) / (2 * h))
    np.testing.assert_allclose(loss_gradient(name, y, p), fd, rtol=1e-6)


def test_cross_entropy_rejects_impossible_probabilities() -> None:
    with pytest.raises(ValueError):
        loss("binary_cross_entropy", [1.0], [1.0])
    with pytest.raises(ValueError):
        loss("categorical_cross_entropy", [1.0, 0.0], [0.0, 1.0])


def test_unknown_loss_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown loss"):
        loss("hinge", [1], [1])


def test_weighted_sum_of_the_guide_restaurant_neuron() -> None:
    # guide 1.1: (25 × 0.1) + (4.5 × 0.8) + (19 × 0.3) + 0.5 = 12.3
    assert weighted_sum([25, 4.5, 19], [0.1, 0.8, 0.3], 0.5) == pytest.approx(12.3, abs=1e-12)


def test_neuron_output_of_the_guide_spam_neuron() -> None:
    # guide 1.2 prints z = 0.9, but 0.6 + 0.8 − 0.5 + 0 + 0.1 = 1.0, so sigmoid(1.0) ≈ 0.731
    assert weighted_sum([3, 1, 50, 0], [0.2, 0.8, -0.01, -0.9], 0.1) == pytest.approx(1.0)
    out = neuron_output([3, 1, 50, 0], [0.2, 0.8, -0.01, -0.9], 0.1, "sigmoid")
    assert out == pytest.approx(1 / (1 + math.exp(-1.0)), rel=1e-12)


def test_weighted_sum_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        weighted_sum([1, 2, 3], [1, 2], 0.0)
