"""Plain-Python reference math for the engine tests: loops and the math module, no NumPy,
no engine code. Written from the textbook formulas so a shared bug cannot hide."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.problems import Problem


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def tanh(z: float) -> float:
    e2 = math.exp(-2.0 * abs(z))
    t = (1.0 - e2) / (1.0 + e2)
    return t if z >= 0 else -t


def activation(name: str, z: float, alpha: float = 0.01) -> float:
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return tanh(z)
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "leaky_relu":
        return z if z > 0 else alpha * z
    if name == "linear":
        return z
    raise ValueError(name)


def slope(name: str, z: float, alpha: float = 0.01) -> float:
    """Closed-form derivatives."""
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        t = tanh(z)
        return 1.0 - t * t
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "leaky_relu":
        return 1.0 if z > 0 else alpha
    if name == "linear":
        return 1.0
    raise ValueError(name)


def softmax(zs: list[float]) -> list[float]:
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    total = sum(exps)
    return [e / total for e in exps]


def loss(name: str, y: list[float], p: list[float]) -> float:
    n = len(y)
    if name == "mse":
        return sum((a - b) ** 2 for a, b in zip(y, p, strict=True)) / n
    if name == "binary_cross_entropy":
        return (
            -sum(a * math.log(b) + (1 - a) * math.log(1 - b) for a, b in zip(y, p, strict=True)) / n
        )
    if name == "categorical_cross_entropy":
        return -sum(a * math.log(b) for a, b in zip(y, p, strict=True) if a)
    raise ValueError(name)


def forward(x: list[float], layers: list[dict]) -> list[float]:
    """Loop implementation of a dense stack; layers as the problems' JSON params."""
    a = list(x)
    for layer in layers:
        zs = []
        for row, bias in zip(layer["W"], layer["b"], strict=True):
            total = bias
            for weight, value in zip(row, a, strict=True):
                total += weight * value
            zs.append(total)
        if layer["activation"] == "softmax":
            a = softmax(zs)
        else:
            a = [activation(layer["activation"], z, layer.get("alpha", 0.01)) for z in zs]
    return a


def central_difference(f, theta: float, h: float = 1e-6) -> float:
    return (f(theta + h) - f(theta - h)) / (2 * h)


# The possible values of a quantity with only a few (the multiple-choice rule shows them all).
def few_values(p: Problem) -> tuple[float, ...] | None:
    """Every value the asked quantity can take, when there are at most four (else None)."""
    params = p.params
    if p.family == "activation_derivative" and params["activation"] in ("relu", "leaky_relu"):
        return (params["alpha"] if params["activation"] == "leaky_relu" else 0.0, 1.0)
    if p.family == "knn" and params["ask"] == "label":  # one of the classes in the table
        return tuple(float(c) for c in sorted(set(params["labels"])))
    if p.family == "random_forest" and params["ask"] == "class":  # one of the classes voted for
        return tuple(float(c) for c in sorted(set(params["votes"])))
    if p.family == "k_means" and "assign" in params["ask"]:  # one of the centroids
        return tuple(float(j) for j in range(len(params["centroids"])))
    return None
