"""Computed practice: which family comes next, grading an answer, saving attempts."""

from quizapp.practice.choice import (
    MIXED,
    MODE_LABELS,
    MODES,
    SEED_RANGE,
    WEAKEST,
    PracticeRound,
    choose_family,
    new_seed,
    smoothed_accuracy,
    weakest_families,
)
from quizapp.practice.model import PracticeAttempt, PracticeRecord, StepAnswer

__all__ = [
    "MIXED",
    "MODES",
    "MODE_LABELS",
    "SEED_RANGE",
    "WEAKEST",
    "PracticeAttempt",
    "PracticeRecord",
    "PracticeRound",
    "StepAnswer",
    "choose_family",
    "new_seed",
    "smoothed_accuracy",
    "weakest_families",
]
