"""What computed practice records: one attempt, and the record per engine family."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """Per engine family: how the learner has done in computed practice."""

    family: str
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True)
class StepAnswer:
    """One stage of a problem solved step by step: what the learner typed, and the value
    their own earlier stages lead to (error carried forward)."""

    key: str  # the stage ("z", "a", "delta")
    typed: str
    value: float
    expected: float
    correct: bool


@dataclass(frozen=True, slots=True)
class PracticeAttempt:
    variant_id: str  # "softmax@81723"
    family: str
    difficulty: str
    typed: str
    value: float | None
    correct: bool
    misconception: str | None
    hinted: bool
    elapsed_s: float
    card_id: int | None = None  # set when the attempt grades a skill card
    steps: tuple[StepAnswer, ...] = ()  # answered step by step: every stage, in order

    @property
    def slips(self) -> int:
        """Stages answered wrong (0 when answered in one go)."""
        return sum(not s.correct for s in self.steps)
