"""A single artificial neuron: weighted sum plus bias, then an activation."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from engine.activations import activate


def weighted_sum(x: ArrayLike, w: ArrayLike, b: float) -> float:
    """z = w·x + b."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError(f"x and w must be vectors of one length, got {x.shape} and {w.shape}")
    return float(np.dot(w, x) + b)


def neuron_output(
    x: ArrayLike, w: ArrayLike, b: float, activation: str, alpha: float = 0.01
) -> float:
    """f(w·x + b) for an elementwise activation f."""
    return float(activate(activation, weighted_sum(x, w, b), alpha))
