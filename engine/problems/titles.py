"""One line per family saying what it asks (no NumPy)."""

from __future__ import annotations

TITLES: dict[str, str] = {
    "weighted_sum": "a neuron's weighted sum z = w·x + b",
    "neuron_output": "a neuron's output f(w·x + b) through an activation",
    "activation_derivative": "the slope f'(z) of an activation at z",
    "softmax": "one class probability from a softmax over logits",
    "loss": "MSE, binary or categorical cross-entropy of one prediction",
    "gradient_step": "a weight or bias after one gradient-descent step",
    "forward_pass": "an output of a small dense network",
    "backprop": "d loss / d one weight or bias of a small network",
    "param_count": "trainable parameters of a Keras Dense stack",
    "training_iterations": "weight updates for a dataset, batch size and epochs",
}
