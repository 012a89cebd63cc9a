"""Activation functions and their derivatives, vectorised with NumPy."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

ELEMENTWISE: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
NAMES: tuple[str, ...] = (*ELEMENTWISE, "softmax")


def _check(name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(NAMES)}")


def sigmoid(z: ArrayLike) -> NDArray[np.float64]:
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    arr = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(arr))
    return np.where(arr >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: ArrayLike) -> NDArray[np.float64]:
    """e^z / sum(e^z) along the last axis, shifted by the max so it never overflows."""
    arr = np.asarray(z, dtype=np.float64)
    e = np.exp(arr - np.max(arr, axis=-1, keepdims=True))
    p: NDArray[np.float64] = e / np.sum(e, axis=-1, keepdims=True)  # the stubs say Any
    return p


def softmax_jacobian(z: ArrayLike) -> NDArray[np.float64]:
    """d softmax(z)_j / d z_k = p_j (δ_jk − p_k) for a 1-D z."""
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def activate(name: str, z: ArrayLike, alpha: float = 0.01) -> NDArray[np.float64]:
    """Apply the named activation to z (alpha is leaky ReLU's slope for z < 0)."""
    _check(name)
    arr = np.asarray(z, dtype=np.float64)
    if name == "sigmoid":
        return sigmoid(arr)
    if name == "tanh":
        return np.tanh(arr)
    if name == "relu":
        return np.maximum(arr, 0.0)
    if name == "leaky_relu":
        return np.where(arr > 0, arr, alpha * arr)
    if name == "linear":
        return arr.copy()
    return softmax(arr)


def derivative(name: str, z: ArrayLike, alpha: float = 0.01) -> NDArray[np.float64]:
    """Elementwise f'(z). ReLU-type kinks take the left slope at exactly z = 0.

    Softmax has no elementwise derivative (each output depends on every input):
    use `softmax_jacobian`; the network's backprop does.
    """
    _check(name)
    arr = np.asarray(z, dtype=np.float64)
    if name == "sigmoid":
        s = sigmoid(arr)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(arr) ** 2
    if name == "relu":
        return (arr > 0).astype(float)
    if name == "leaky_relu":
        return np.where(arr > 0, 1.0, alpha)
    if name == "linear":
        return np.ones_like(arr)
    raise ValueError(
        "softmax has a full Jacobian, not an elementwise derivative: use softmax_jacobian(z)"
    )
