"""Activation functions and their derivatives, vectorised with NumPy."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

ELEMENTWISE: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
NAMES: tuple[str, ...] = (*ELEMENTWISE, "softmax")


def _check(name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(NAMES)}")


def sigmoid(z: ArrayLike) -> np.ndarray:
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: ArrayLike) -> np.ndarray:
    """e^z / sum(e^z) along the last axis, shifted by the max so it never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """d softmax(z)_j / d z_k = p_j (δ_jk − p_k) for a 1-D z."""
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def activate(name: str, z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Apply the named activation to z (alpha is leaky ReLU's slope for z < 0)."""
    _check(name)
    z = np.asarray(z, dtype=float)
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, alpha * z)
    if name == "linear":
        return z.copy()
    return softmax(z)


def derivative(name: str, z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Elementwise f'(z). ReLU-type kinks take the left slope at exactly z = 0.

    Softmax has no elementwise derivative (each output depends on every input):
    use `softmax_jacobian`; the network's backprop does.
    """
    _check(name)
    z = np.asarray(z, dtype=float)
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, alpha)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(
        "softmax has a full Jacobian, not an elementwise derivative: use softmax_jacobian(z)"
    )
