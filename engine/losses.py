"""Loss functions for one example and their gradients with respect to the prediction.

- mse: mean over outputs of (y − p)², no ½ factor.
- binary_cross_entropy: mean over outputs of −[y ln p + (1 − y) ln(1 − p)], natural log.
- categorical_cross_entropy: −Σ y ln p (terms with y = 0 contribute nothing).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

NAMES: tuple[str, ...] = ("mse", "binary_cross_entropy", "categorical_cross_entropy")
ALIASES = {
    "mean_squared_error": "mse",
    "binary_crossentropy": "binary_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
}


def canonical(name: str) -> str:
    """The loss's name in NAMES (Keras spellings accepted)."""
    name = ALIASES.get(name, name)
    if name not in NAMES:
        raise ValueError(f"unknown loss {name!r}; expected one of {', '.join(NAMES)}")
    return name


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y = np.atleast_1d(np.asarray(y_true, dtype=float))
    p = np.atleast_1d(np.asarray(y_pred, dtype=float))
    if y.shape != p.shape:
        raise ValueError(f"y_true and y_pred differ in shape: {y.shape} vs {p.shape}")
    return y, p


def _check_probabilities(name: str, y: NDArray[np.float64], p: NDArray[np.float64]) -> None:
    if name == "binary_cross_entropy" and not np.all((p > 0) & (p < 1)):
        raise ValueError("binary cross-entropy needs every prediction strictly between 0 and 1")
    if name == "categorical_cross_entropy" and not np.all(p[y != 0] > 0):
        raise ValueError("categorical cross-entropy needs p > 0 wherever y > 0")


def loss(name: str, y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The named loss of prediction y_pred against y_true."""
    name = canonical(name)
    y, p = _pair(y_true, y_pred)
    _check_probabilities(name, y, p)
    if name == "mse":
        return float(np.mean((y - p) ** 2))
    if name == "binary_cross_entropy":
        return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))
    logs = np.log(p, out=np.zeros_like(p), where=y != 0)
    return float(-np.sum(y * logs))


def loss_gradient(name: str, y_true: ArrayLike, y_pred: ArrayLike) -> NDArray[np.float64]:
    """d loss / d y_pred, one entry per output."""
    name = canonical(name)
    y, p = _pair(y_true, y_pred)
    _check_probabilities(name, y, p)
    n = y.size
    if name == "mse":
        return 2.0 * (p - y) / n
    if name == "binary_cross_entropy":
        return (p - y) / (p * (1.0 - p)) / n
    safe = np.where(y != 0, p, 1.0)
    return -y / safe


gradient = loss_gradient  # short alias
