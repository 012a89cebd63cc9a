"""What the statistics show: counts, mastery, history per day, scores over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quizapp.reviews.model import DueCounts, StudyChoice


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards by state (retired cards are left out; suspended ones only count as suspended)."""

    new: int
    learning: int  # learning and relearning
    review: int
    suspended: int


@dataclass(frozen=True, slots=True)
class StudyStats:
    """What `quizapp stats` prints (field names are the JSON keys)."""

    cards: CardCounts
    reviews_total: int
    reviews_today: int
    due_today: int  # learning + review cards due before the next rollover (no daily limits)
    streak_days: int
    retention_30d: float | None  # share of review-state answers not graded Again, 30 days
    predicted_retention: float | None  # mean FSRS recall now, over studied cards
    forecast: tuple[int, ...]  # due counts for today and the next 29 days
    topics: dict[str, float]  # topic id -> mastery 0..1
    domains: dict[str, float]  # domain -> mastery 0..1
    quiz_attempts: int
    practice_attempts: int
    exam_date: date | None
    exam_day_recall: float | None


@dataclass(frozen=True, slots=True)
class TopicMastery:
    topic: str
    label: str
    mastery: float  # 0..1


@dataclass(frozen=True, slots=True)
class Dashboard:
    due: DueCounts
    reviews_today: int
    streak_days: int
    exam_date: date | None
    days_to_exam: int | None
    exam_day_recall: float | None  # mean predicted recall on exam day, None without a date
    topics: tuple[TopicMastery, ...]
    next_due: datetime | None  # for "all done for today"
    studying: StudyChoice  # what review studies now
    forecast: tuple[int, ...]  # cards due today and on each of the next 6 days


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One finished quiz or exam attempt, for the scores-over-time chart."""

    attempt_id: int
    finished_at: datetime
    mode: str  # practice | exam
    profile: str
    score: float | None  # as recorded: scaled 100..1000
    correct: int
    total: int  # questions in the attempt (unanswered count as wrong)

    @property
    def fraction(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def chart_mode(self) -> str:
        """How the scores chart counts it: "exam" only for an exam of its profile's full
        length; a shorter one (its pool ran short of questions) is "practice", never a pass."""
        from quizapp.quiz.profiles import profile_by_name

        if self.mode != "exam":
            return "practice"
        profile = profile_by_name(self.profile)
        return "exam" if profile is None or self.total >= profile.questions else "practice"

    @property
    def scaled(self) -> float:
        """The score on the 100..1000 scale: as recorded, else from the share right."""
        if self.score is not None and 100 <= self.score <= 1000:
            return self.score
        return 100 + 900 * self.fraction


@dataclass(frozen=True, slots=True)
class History:
    """What the stats screen charts, per study day, oldest day first and today last.

    The series cover the last `days` study days; the calendar covers the last
    `len(calendar)` days (a year at least) whatever `days` is.
    """

    days: int
    first_day: date  # the study day of index 0; today is first_day + days - 1
    answers: tuple[int, ...]  # card answers per day (flashcards and skill cards)
    new_cards: tuple[int, ...]  # ... of which first answers to new cards
    review_answers: tuple[int, ...]  # answers to cards in the review state
    review_recalled: tuple[int, ...]  # ... of which not graded Again
    review_predicted: tuple[float, ...]  # ... summed FSRS predicted recall when answered
    practice: tuple[int, ...]  # computed practice attempts per day
    quiz_answers: tuple[int, ...]  # quiz and exam answers per day
    calendar_first_day: date
    calendar: tuple[int, ...]  # answers, practice and quiz answers per day
    streak_days: int
    longest_streak: int  # longest run of active days within the calendar
    scores: tuple[ScorePoint, ...]  # attempts finished within the series, oldest first
    desired_retention: float

    @property
    def today(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    @property
    def true_retention(self) -> float | None:
        """Share of review-state answers not graded Again, over the series."""
        n = sum(self.review_answers)
        return sum(self.review_recalled) / n if n else None

    @property
    def predicted_retention(self) -> float | None:
        """What FSRS predicted for those same answers (mean recall when answered)."""
        n = sum(self.review_answers)
        return sum(self.review_predicted) / n if n else None

    @property
    def active_days(self) -> int:
        """Days with any answer, within the series."""
        offset = (self.first_day - self.calendar_first_day).days
        days = self.calendar[max(0, offset) :]
        return sum(1 for n in days if n)
