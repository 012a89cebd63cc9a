"""Dense networks: forward pass, backpropagation, gradient descent and counting.

A layer's weight matrix W has shape (units, inputs): W[j][i] is the weight from input i to
unit j, so z = W @ a_prev + b. Layers may be `Layer` objects or JSON-style dicts
{"W", "b", "activation", optional "alpha"}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.activations import activate, derivative, softmax_jacobian
from engine.losses import canonical, loss_gradient

# Named wrong procedures `backprop` and `gradient_step` can run (for misconceptions).
MISTAKES: dict[str, str] = {
    "flip_error": "uses (target − output) instead of (output − target)",
    "drop_output_derivative": "skips the output activation's derivative",
    "drop_hidden_derivative": "skips the hidden activations' derivatives",
    "forgot_input": "leaves out the incoming activation in dL/dW",
    "preactivation_input": "multiplies by the previous layer's z instead of its output a",
    "extra_output_derivative": (
        "multiplies the (p − y) shortcut of softmax/sigmoid + cross-entropy by p(1 − p) again"
    ),
    "no_two": "drops the 2 from the derivative of the squared error",
    "no_mean": "sums the loss over outputs instead of averaging",
    "ascent": "adds the gradient instead of subtracting it (gradient_step only)",
}


@dataclass(frozen=True, eq=False)
class Layer:
    """One dense layer: a = activation(W @ a_prev + b)."""

    W: NDArray[np.float64]
    b: NDArray[np.float64]
    activation: str = "linear"
    alpha: float = 0.01

    @property
    def units(self) -> int:
        return int(self.W.shape[0])

    @classmethod
    def of(cls, layer: Layer | Mapping[str, Any]) -> Layer:
        if isinstance(layer, Layer):
            return layer
        W = np.atleast_2d(np.asarray(layer["W"], dtype=float))
        b = np.atleast_1d(np.asarray(layer["b"], dtype=float))
        if b.shape != (W.shape[0],):
            raise ValueError(f"bias shape {b.shape} does not match W with {W.shape[0]} units")
        return cls(W, b, str(layer.get("activation", "linear")), float(layer.get("alpha", 0.01)))

    def to_params(self) -> dict[str, Any]:
        """JSON-ready form: {"W", "b", "activation"} plus "alpha" for leaky ReLU."""
        out: dict[str, Any] = {
            "W": self.W.tolist(),
            "b": self.b.tolist(),
            "activation": self.activation,
        }
        if self.activation == "leaky_relu":
            out["alpha"] = self.alpha
        return out


def as_layers(layers: Iterable[Layer | Mapping[str, Any]]) -> tuple[Layer, ...]:
    return tuple(Layer.of(layer) for layer in layers)


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything a forward pass computed: per layer its input a_prev, z and output a."""

    inputs: tuple[NDArray[np.float64], ...]
    zs: tuple[NDArray[np.float64], ...]
    outputs: tuple[NDArray[np.float64], ...]

    @property
    def output(self) -> NDArray[np.float64]:
        return self.outputs[-1]


def forward_trace(x: ArrayLike, layers: Iterable[Layer | Mapping[str, Any]]) -> Trace:
    """Run x through every layer, keeping each layer's input, z and output."""
    a = np.asarray(x, dtype=float)
    inputs, zs, outputs = [], [], []
    for layer in as_layers(layers):
        if layer.W.shape[1] != a.shape[0]:
            raise ValueError(f"layer expects {layer.W.shape[1]} inputs, got {a.shape[0]}")
        z = layer.W @ a + layer.b
        inputs.append(a)
        zs.append(z)
        a = activate(layer.activation, z, layer.alpha)
        outputs.append(a)
    return Trace(tuple(inputs), tuple(zs), tuple(outputs))


def forward(x: ArrayLike, layers: Iterable[Layer | Mapping[str, Any]]) -> NDArray[np.float64]:
    """The network's output for input x."""
    return forward_trace(x, layers).output


@dataclass(frozen=True, eq=False)
class Gradient:
    """d loss / d W and d loss / d b of one layer (same shapes as W and b)."""

    W: NDArray[np.float64]
    b: NDArray[np.float64]


def _through_activation(
    layer: Layer, z: NDArray[np.float64], upstream: NDArray[np.float64]
) -> NDArray[np.float64]:
    """d loss / d z from d loss / d a (chain rule through the activation)."""
    if layer.activation == "softmax":
        return softmax_jacobian(z).T @ upstream
    return upstream * derivative(layer.activation, z, layer.alpha)


def backprop(
    x: ArrayLike,
    layers: Sequence[Layer | Mapping[str, Any]],
    target: ArrayLike,
    loss: str,
    *,
    mistakes: Iterable[str] = (),
    trace: Trace | None = None,
) -> tuple[Gradient, ...]:
    """d loss / d W and d loss / d b for every layer, for one example.

    Softmax output with categorical cross-entropy uses the simplification δ = p·Σy − y
    (p − y for a one-hot target); sigmoid with binary cross-entropy uses δ = (p − y)/n.
    Other combinations go through the activation's derivative or softmax's Jacobian.
    `mistakes` (names in MISTAKES) runs a named wrong procedure instead; empty = correct.
    `trace` may pass in forward_trace(x, layers) when it is already computed.
    """
    wrong = frozenset(mistakes)
    unknown = wrong - MISTAKES.keys()
    if unknown:
        raise ValueError(f"unknown mistakes: {sorted(unknown)}")
    loss = canonical(loss)
    stack = as_layers(layers)
    if trace is None:
        trace = forward_trace(x, stack)
    y = np.atleast_1d(np.asarray(target, dtype=float))
    p = trace.output
    last = stack[-1]
    n = p.size

    scale = -1.0 if "flip_error" in wrong else 1.0
    if "no_two" in wrong and loss == "mse":
        scale /= 2.0
    if "no_mean" in wrong and loss != "categorical_cross_entropy":
        scale *= n
    if "drop_output_derivative" in wrong:
        delta = scale * loss_gradient(loss, y, p)
    elif last.activation == "softmax" and loss == "categorical_cross_entropy":
        delta = scale * (p * np.sum(y) - y)
    elif last.activation == "sigmoid" and loss == "binary_cross_entropy":
        delta = scale * (p - y) / n
    else:
        delta = _through_activation(last, trace.zs[-1], scale * loss_gradient(loss, y, p))
    if "extra_output_derivative" in wrong and last.activation in ("softmax", "sigmoid"):
        delta = delta * p * (1.0 - p)

    grads: list[Gradient] = []
    for k in range(len(stack) - 1, -1, -1):
        a_prev = trace.inputs[k]
        if "preactivation_input" in wrong and k > 0:
            a_prev = trace.zs[k - 1]
        if "forgot_input" in wrong:
            a_prev = np.ones_like(a_prev)
        grads.append(Gradient(np.outer(delta, a_prev), delta.copy()))
        if k:
            upstream = stack[k].W.T @ delta
            if "drop_hidden_derivative" in wrong:
                delta = upstream
            else:
                delta = _through_activation(stack[k - 1], trace.zs[k - 1], upstream)
    return tuple(reversed(grads))


def gradient_step(
    x: ArrayLike,
    layers: Sequence[Layer | Mapping[str, Any]],
    target: ArrayLike,
    loss: str,
    lr: float,
    *,
    mistakes: Iterable[str] = (),
) -> tuple[Layer, ...]:
    """The layers after one gradient-descent step on one example: θ ← θ − lr · dL/dθ."""
    wrong = frozenset(mistakes)
    stack = as_layers(layers)
    grads = backprop(x, stack, target, loss, mistakes=wrong - {"ascent"})
    sign = 1.0 if "ascent" in wrong else -1.0
    return tuple(
        Layer(layer.W + sign * lr * g.W, layer.b + sign * lr * g.b, layer.activation, layer.alpha)
        for layer, g in zip(stack, grads, strict=True)
    )


def _positive(name: str, value: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def param_count(input_dim: int, units: Sequence[int]) -> int:
    """Trainable parameters (weights + biases) of a stack of Dense layers."""
    fan_in = _positive("input_dim", input_dim)
    total = 0
    for width in units:
        width = _positive("units", width)
        total += fan_in * width + width
        fan_in = width
    return total


def training_iterations(n_samples: int, batch_size: int, epochs: int) -> int:
    """Weight updates in training: one per mini-batch, a partial last batch included."""
    n = _positive("n_samples", n_samples)
    size = _positive("batch_size", batch_size)
    return _positive("epochs", epochs) * -(-n // size)
