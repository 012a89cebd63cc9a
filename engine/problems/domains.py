"""The values a problem's quantity can possibly take (for choosing possible distractors)."""

from __future__ import annotations

from typing import Any

from engine.problems.model import Domain

ANY = Domain()
PROBABILITY = Domain(lo=0.0, hi=1.0, lo_open=True, hi_open=True)
NON_NEGATIVE = Domain(lo=0.0)
COUNT = Domain(lo=0.0, integer=True)
ACTIVATION_OUTPUT = {
    "sigmoid": PROBABILITY,
    "softmax": PROBABILITY,
    "tanh": Domain(lo=-1.0, hi=1.0, lo_open=True, hi_open=True),
    "relu": NON_NEGATIVE,
}


def domain_for(family: str, params: dict[str, Any], proportion: bool) -> Domain:
    """Where the answer of a `family` problem with these params can lie."""
    if proportion or family == "softmax":
        return PROBABILITY
    if family == "activation_derivative":
        activation = params["activation"]
        if activation == "sigmoid":
            return Domain(lo=0.0, hi=0.25, lo_open=True)
        if activation == "tanh":
            return Domain(lo=0.0, hi=1.0, lo_open=True)
        small = float(params["alpha"]) if activation == "leaky_relu" else 0.0
        return Domain(values=(small, 1.0))
    if family == "neuron_output":
        return ACTIVATION_OUTPUT.get(params["activation"], ANY)
    if family == "forward_pass":
        return ACTIVATION_OUTPUT.get(params["layers"][-1]["activation"], ANY)
    if family == "loss":
        return NON_NEGATIVE
    if family in ("param_count", "training_iterations"):
        return COUNT
    return ANY
