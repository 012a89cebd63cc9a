"""Reviews: the queue of due cards, the answer (saved when given), undo.

The types are here; the service is `quizapp.reviews.service.Reviews` (it needs the store).
"""

from quizapp.reviews.model import (
    FLAG_NAMES,
    GRADE_LABELS,
    CardState,
    DueCounts,
    Grade,
    GradePreview,
    ReviewCard,
    ReviewOutcome,
)

__all__ = [
    "FLAG_NAMES",
    "GRADE_LABELS",
    "CardState",
    "DueCounts",
    "Grade",
    "GradePreview",
    "ReviewCard",
    "ReviewOutcome",
]
