"""Computed-skill cards: one per engine family x difficulty, graded from practice outcomes."""

from __future__ import annotations

from engine.catalog import DIFFICULTIES, FAMILIES

SKILL_DOMAIN = "ML Model Development"  # in the default exam profile (MLA-C01)

# engine family -> taxonomy topic (content/taxonomy.toml) the skill counts towards
FAMILY_TOPICS: dict[str, str] = {
    "weighted_sum": "neurons",
    "neuron_output": "neurons",
    "activation_derivative": "activations",
    "softmax": "activations",
    "loss": "losses",
    "gradient_step": "learning",
    "forward_pass": "architecture",
    "backprop": "learning",
    "param_count": "architecture",
    "training_iterations": "training-config",
    "dropout": "training-config",
    "classification_metrics": "training-config",
    "regression_metrics": "training-config",
    "linear_regression": "algorithms",
    "logistic_regression": "algorithms",
    "knn": "algorithms",
    "k_means": "algorithms",
    "decision_tree": "algorithms",
    "random_forest": "algorithms",
    "svm": "algorithms",
    "naive_bayes": "algorithms",
}

# seconds a learner is expected to need per difficulty; a right answer in at most half of it
# is "fast" (Easy), in more than twice of it "slow" (Hard)
TARGET_SECONDS: dict[str, float] = {"easy": 30.0, "medium": 60.0, "hard": 120.0}
FAST_FRACTION, SLOW_FACTOR = 0.5, 2.0

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def skill_key(family: str, difficulty: str) -> str:
    """The card key of a skill (bank item ids are kebab-case, so this never collides)."""
    return f"skill:{family}:{difficulty}"


def skill_keys() -> list[tuple[str, str, str]]:
    """(key, family, difficulty) for every skill, easy ones first, families in catalog order."""
    return [(skill_key(f, d), f, d) for d in DIFFICULTIES for f in FAMILIES]


def family_topic(family: str) -> str:
    return FAMILY_TOPICS.get(family, "learning")


def practice_grade(
    correct: bool, *, hinted: bool, elapsed_s: float, difficulty: str, slips: int | None = None
) -> int:
    """Wrong = Again; right = Hard when slow or after a hint, Easy when fast, else Good.

    Answered step by step (`slips`: the stages answered wrong), the grade comes from the
    whole: no slip grades as a right answer, one slip (the rest right against the learner's
    own values) is Hard, more is Again.
    """
    if slips is not None and slips > 0:
        return HARD if slips == 1 else AGAIN
    if not correct:
        return AGAIN
    target = TARGET_SECONDS.get(difficulty, TARGET_SECONDS["medium"])
    if hinted or elapsed_s > SLOW_FACTOR * target:
        return HARD
    if elapsed_s <= FAST_FRACTION * target:
        return EASY
    return GOOD
