"""The exam plan's plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.errors import QuizappError


class NoExamDate(QuizappError):
    """No exam date set and none given."""


@dataclass(frozen=True, slots=True)
class PlanDay:
    date: date
    reviews: int
    new: int
    minutes: float


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """The plan until the exam (see quizapp.plan.service.Plan.plan)."""

    exam_date: date
    minutes_per_day: int
    predicted_recall: float  # mean over every active card on exam day (unstudied: 0)
    by_topic: dict[str, float]
    by_domain: dict[str, float]  # the default exam profile's domains, in its order
    daily: tuple[PlanDay, ...]  # today .. the day before the exam
    fits_budget: bool  # every due review done and no new card held back by the budget
    reviews_behind: int  # the most due reviews left undone at the end of a day
    new_held_back: int  # new cards the daily limit allowed but the budget held back (total)
    recall_if_more: float  # with 10 more minutes a day
    recall_if_less: float  # with 10 fewer (at least 1)
    cards: int  # active cards in the plan
    studied_by_exam: int  # of them, studied by exam day
    new_left: int  # new cards still unseen on exam day
    stretch_days: int  # the final stretch: every studied card seen once in these last days
    after_exam: int  # studied cards now due after the exam and not in the stretch's reach
    review_seconds: float
    new_seconds: float

    @property
    def new_per_day(self) -> float:
        """Mean new cards a day that fit until the exam."""
        return sum(d.new for d in self.daily) / len(self.daily) if self.daily else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "exam_date": self.exam_date.isoformat(),
            "minutes_per_day": self.minutes_per_day,
            "predicted_recall": self.predicted_recall,
            "by_topic": self.by_topic,
            "by_domain": self.by_domain,
            "daily": [
                {
                    "date": d.date.isoformat(),
                    "reviews": d.reviews,
                    "new": d.new,
                    "minutes": d.minutes,
                }
                for d in self.daily
            ],
            "fits_budget": self.fits_budget,
            "reviews_behind": self.reviews_behind,
            "new_held_back": self.new_held_back,
            "recall_if_more": self.recall_if_more,
            "recall_if_less": self.recall_if_less,
            "cards": self.cards,
            "studied_by_exam": self.studied_by_exam,
            "new_left": self.new_left,
            "new_per_day": round(self.new_per_day, 2),
            "stretch_days": self.stretch_days,
            "after_exam": self.after_exam,
            "review_seconds": self.review_seconds,
            "new_seconds": self.new_seconds,
        }


@dataclass(frozen=True, slots=True)
class AfterExam:
    """Studied cards whose next review falls after the exam though they were last seen
    before the final stretch (they would not be seen again before it)."""

    exam_date: date
    count: int
    stretch_start: date
