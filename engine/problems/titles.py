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
    "dropout": "one output of an inverted-dropout layer, training or inference",
    "classification_metrics": "accuracy, precision, recall, F1 or specificity of a classifier",
    "regression_metrics": "MAE, MSE, RMSE or R² of a set of predictions",
    "linear_regression": "least-squares slope, intercept or prediction",
    "logistic_regression": "the log-odds or probability of a logistic model",
    "knn": "a k-nearest-neighbours vote or the distance to the k-th neighbour",
    "k_means": "a k-means assignment or one centroid update",
    "decision_tree": "Gini or entropy impurity and the information gain of a split",
    "random_forest": "a random forest's majority vote or one class's share of votes",
    "svm": "a linear SVM's decision value or margin width 2/‖w‖",
    "naive_bayes": "a Bernoulli naive Bayes posterior with Laplace smoothing",
}

# How a family is named to a learner where its id with spaces would read badly.
NAMES: dict[str, str] = {
    "knn": "k-nearest neighbours",
    "k_means": "k-means",
    "svm": "SVM",
    "naive_bayes": "naive Bayes",
}


def family_name(family: str) -> str:
    """A family as a learner reads it: "gradient step", "k-nearest neighbours"."""
    return NAMES.get(family, family.replace("_", " "))
