"""Computed practice without the UI: which family comes next, and what an attempt records.

The practice screen and skill cards use this; it never imports Textual or the database.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine.catalog import FAMILIES
from quizapp.practice.model import PracticeAttempt, PracticeRecord, StepAnswer

MIXED = "mixed"
WEAKEST = "weakest"
MODES: tuple[str, ...] = (MIXED, WEAKEST)
MODE_LABELS: dict[str, str] = {MIXED: "Mixed", WEAKEST: "Weakest first"}
SEED_RANGE = 100_000


def smoothed_accuracy(record: PracticeRecord | None) -> float:
    """Accuracy with one imaginary right and one wrong answer, so a single try is not the truth.

    A family never tried scores 0.5: weaker than one mostly answered right, stronger than one
    mostly answered wrong.
    """
    if record is None:
        return 0.5
    return (record.correct + 1) / (record.attempts + 2)


def weakest_families(
    records: Iterable[PracticeRecord], families: Sequence[str] = FAMILIES
) -> list[str]:
    """Families ordered weakest first (lowest smoothed accuracy, then fewest attempts)."""
    by_family = {r.family: r for r in records}
    rank = {family: i for i, family in enumerate(families)}

    def key(family: str) -> tuple[float, int, int]:
        record = by_family.get(family)
        return (smoothed_accuracy(record), record.attempts if record else 0, rank[family])

    return sorted(families, key=key)


def choose_family(
    choice: str,
    records: Iterable[PracticeRecord],
    rng: random.Random,
    previous: str | None = None,
    families: Sequence[str] = FAMILIES,
) -> str:
    """The family for the next problem: `choice` is a family name, MIXED or WEAKEST.

    MIXED picks uniformly among the families other than the previous one. WEAKEST picks the
    family with the lowest smoothed accuracy; among equally weak families it avoids repeating
    the previous one and picks at random.
    """
    if choice in families:
        return choice
    if choice == MIXED:
        pool = [f for f in families if f != previous] or list(families)
        return rng.choice(pool)
    if choice == WEAKEST:
        by_family = {r.family: r for r in records}
        scores = {f: smoothed_accuracy(by_family.get(f)) for f in families}
        low = min(scores.values())
        tied = [f for f in families if abs(scores[f] - low) < 1e-12]
        pool = [f for f in tied if f != previous] or tied
        return rng.choice(pool)
    raise ValueError(f"unknown practice choice {choice!r}")


def new_seed(rng: random.Random) -> int:
    """A seed for the next variant (variant ids read `family@seed`)."""
    return rng.randrange(SEED_RANGE)


@dataclass
class PracticeRound:
    """One problem on screen: when it appeared, whether help was used, what was tried.

    `hinted` becomes true when the learner opens the worked solution or multiple choice before
    answering, and for every try after the first (feedback has been seen by then); the store
    grades a skill card from `correct`, `hinted` and `elapsed_s` of the first attempt only.
    """

    variant_id: str
    family: str
    difficulty: str
    started: float  # clock reading when the problem appeared
    card_id: int | None = None  # the skill card this round grades, if any
    hinted: bool = False
    attempts: list[PracticeAttempt] = field(default_factory=list)

    def use_help(self) -> None:
        self.hinted = True

    @property
    def solved(self) -> bool:
        return any(a.correct for a in self.attempts)

    def attempt(
        self,
        typed: str,
        value: float | None,
        correct: bool,
        misconception: str | None,
        now: float,
        steps: tuple[StepAnswer, ...] = (),
    ) -> PracticeAttempt:
        """Record a readable answer (never call this for one the checker could not read);
        `steps` are its stages when it was answered step by step."""
        first = not self.attempts
        attempt = PracticeAttempt(
            variant_id=self.variant_id,
            family=self.family,
            difficulty=self.difficulty,
            typed=typed,
            value=value,
            correct=correct,
            misconception=misconception,
            hinted=self.hinted or not first,
            elapsed_s=max(0.0, now - self.started),
            card_id=self.card_id if first else None,
            steps=steps,
        )
        self.attempts.append(attempt)
        return attempt
