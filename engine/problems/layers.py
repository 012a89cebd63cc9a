"""Drawing small dense networks and writing them out (shared by forward_pass and backprop)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.activations import softmax
from engine.network import Layer, Trace
from engine.problems.base import choose, grid
from engine.problems.text import approx, eq, matrix_rows, num, paren, side_by_side, sub, vector

NAMES = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "linear": "linear",
    "softmax": "softmax",
}
KINK_MARGIN = 0.1  # ReLU-type pre-activations stay this far from 0 (finite differences valid)
SATURATION = {"sigmoid": 4.0, "tanh": 2.5, "softmax": 6.0}
UNIT_LETTERS = ("h", "g", "k")  # hidden layers' outputs; the output layer's are o


@dataclass(frozen=True, slots=True)
class Spec:
    """How to draw a network: widths per layer, activation choices, number grids."""

    inputs: tuple[int, ...]
    hidden: tuple[tuple[int, ...], ...]  # width choices per hidden layer
    outputs: tuple[int, ...]
    hidden_activations: tuple[str, ...]
    x: tuple[float, float, int]  # lo, hi, decimals
    w: tuple[float, int]  # |max|, decimals
    b: tuple[float, int]


def draw_layers(
    rng: np.random.Generator, spec: Spec, output_activation: str, n_out: int
) -> tuple[list[float], tuple[Layer, ...]]:
    """Inputs and layers; the caller checks the result with `well_posed`."""
    n_in = choose(rng, spec.inputs)
    x = grid(rng, *spec.x, size=n_in, nonzero=True)
    widths = [n_in, *(choose(rng, h) for h in spec.hidden), n_out]
    hidden_act = choose(rng, spec.hidden_activations)
    layers = []
    for k in range(1, len(widths)):
        activation = output_activation if k == len(widths) - 1 else hidden_act
        alpha = 0.1 if activation == "leaky_relu" else 0.01
        W = np.array(
            grid(
                rng, -spec.w[0], spec.w[0], spec.w[1], size=widths[k] * widths[k - 1], nonzero=True
            )
        ).reshape(widths[k], widths[k - 1])
        b = np.array(grid(rng, -spec.b[0], spec.b[0], spec.b[1], size=widths[k]))
        layers.append(Layer(W, b, activation, alpha))
    return x, tuple(layers)


def well_posed(layers: tuple[Layer, ...], trace: Trace) -> bool:
    """No ReLU kink within KINK_MARGIN, no saturated sigmoid/tanh/softmax, all finite."""
    for layer, z in zip(layers, trace.zs, strict=True):
        if not np.all(np.isfinite(z)):
            return False
        if layer.activation in ("relu", "leaky_relu") and np.any(np.abs(z) < KINK_MARGIN):
            return False
        limit = SATURATION.get(layer.activation)
        if limit is not None:
            spread = np.ptp(z) if layer.activation == "softmax" else np.max(np.abs(z))
            if spread > limit:
                return False
    return True


def relu_alive(layers: tuple[Layer, ...], trace: Trace) -> bool:
    """At least one ReLU unit passes a signal in every ReLU layer."""
    return all(
        np.any(z > 0)
        for layer, z in zip(layers, trace.zs, strict=True)
        if layer.activation == "relu"
    )


def to_params(layers: tuple[Layer, ...]) -> list[dict[str, Any]]:
    return [layer.to_params() for layer in layers]


def layer_label(k: int, count: int) -> str:
    return "output layer" if k == count - 1 else f"hidden layer {k + 1}"


def plural(units: int) -> str:
    return f"{units} unit" if units == 1 else f"{units} units"


def describe_network(x: list[float], layers: tuple[Layer, ...]) -> str:
    """The prompt's picture: x, then each layer's W and b side by side, aligned."""
    lines = [f"  input x = {vector(x)}  (standardised features: z-scores)", ""]
    for k, layer in enumerate(layers):
        act = NAMES[layer.activation]
        if layer.activation == "leaky_relu":
            act += f", α = {num(layer.alpha)}"
        lines.append(
            f"  Layer {k + 1} ({layer_label(k, len(layers))}, {plural(layer.units)}, {act}):"
        )
        w_rows = matrix_rows(layer.W.tolist())
        b_rows = matrix_rows([[v] for v in layer.b.tolist()])
        w_block = [("W = " if r == 0 else "    ") + row for r, row in enumerate(w_rows)]
        b_block = [("b = " if r == 0 else "    ") + row for r, row in enumerate(b_rows)]
        lines += ["    " + line for line in side_by_side([w_block, b_block])]
        lines.append("")
    lines.append("  (W[j][i] is the weight from input i to unit j: row j belongs to unit j.")
    lines.append("   Unit j computes z[j] = Σᵢ W[j][i] × input[i] + b[j], then a[j] = f(z[j]);")
    lines.append("   sigmoid σ(z) = 1 / (1 + e^(−z)), ReLU max(0, z), leaky ReLU α × z for z < 0,")
    lines.append("   softmax a[j] = e^z[j] / Σₖ e^z[k], natural e.)")
    return "\n".join(lines)


def unit_name(k: int, j: int, count: int) -> str:
    letter = "o" if k == count - 1 else UNIT_LETTERS[k]
    return f"{letter}{sub(j + 1)}"


def forward_steps(
    x: list[float], layers: tuple[Layer, ...], trace: Trace, decimals: int
) -> list[str]:
    """One line per unit: the products with numbers substituted, z, then the activation."""
    steps = []
    shown_inputs = [num(v) for v in x]
    for k, layer in enumerate(layers):
        names = []
        for j in range(layer.units):
            terms = " + ".join(
                f"({shown} × {num(wv)})"
                for shown, wv in zip(shown_inputs, layer.W[j].tolist(), strict=True)
            )
            z = float(trace.zs[k][j])
            name = unit_name(k, j, len(layers))
            names.append(name)
            line = f"{name}: z = {terms} + {paren(num(layer.b[j]))} {eq(z, decimals)}"
            if layer.activation != "softmax":
                a = float(trace.outputs[k][j])
                line += f"; {NAMES[layer.activation]}(z) {eq(a, decimals)}"
            steps.append(line)
        if layer.activation == "softmax":
            zs = trace.zs[k].tolist()
            exps = [math.exp(v) for v in zs]
            total = sum(exps)
            shown = [approx(e, decimals) for e in exps]
            steps.append(
                f"softmax: e^z ≈ [{', '.join(shown)}]; "
                f"sum = {' + '.join(shown)} {eq(total, decimals)}"
            )
            probs = softmax(zs)
            steps += [
                f"{name} = {approx(e, decimals)} / {approx(total, decimals)} {eq(pv, decimals)}"
                for name, e, pv in zip(names, exps, probs.tolist(), strict=True)
            ]
        shown_inputs = [approx(v, decimals) for v in trace.outputs[k].tolist()]
    return steps
