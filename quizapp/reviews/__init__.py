"""Reviews: the queue of due cards, the answer (saved when given), undo.

The types are here; the service is `quizapp.reviews.service.Reviews` (it needs the store).
"""

from quizapp.reviews.model import (
    GRADE_LABELS,
    CardState,
    DueCounts,
    Grade,
    GradePreview,
    ReviewCard,
    ReviewOutcome,
)

__all__ = [
    "GRADE_LABELS",
    "CardState",
    "DueCounts",
    "Grade",
    "GradePreview",
    "ReviewCard",
    "ReviewOutcome",
]
