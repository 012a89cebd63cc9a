"""Names that form the engine's export contract. Importing this module costs nothing (no NumPy)."""

from __future__ import annotations

FAMILIES: tuple[str, ...] = (
    "weighted_sum",
    "neuron_output",
    "activation_derivative",
    "softmax",
    "loss",
    "gradient_step",
    "forward_pass",
    "backprop",
    "param_count",
    "training_iterations",
    "dropout",
    "classification_metrics",
    "regression_metrics",
    "linear_regression",
    "logistic_regression",
    "knn",
    "k_means",
    "decision_tree",
    "random_forest",
    "svm",
    "naive_bayes",
)

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")

# Every family can set its story in every scenario; without one, the seed picks it.
SCENARIOS: tuple[str, ...] = ("restaurant", "cookie", "spam", "pixels", "stocks", "audio")

ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax")
LOSSES: tuple[str, ...] = ("mse", "binary_cross_entropy", "categorical_cross_entropy")
