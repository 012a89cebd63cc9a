"""The contract between the core and the UI: plain dataclasses and the Study protocol.

The TUI and the CLI talk to progress only through an object satisfying `Study`
(implemented by `quizapp.study.Study`). Nothing here imports SQLAlchemy, NumPy or Textual,
and no ORM row ever crosses this boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from quizapp.bank.model import Item

if TYPE_CHECKING:
    from quizapp.quiz.record import QuizRecorder

Grade = Literal[1, 2, 3, 4]  # Again, Hard, Good, Easy
GRADE_LABELS: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
CardState = Literal["new", "learning", "review", "relearning", "suspended", "retired"]


@dataclass(frozen=True, slots=True)
class DueCounts:
    learning: int
    review: int
    new: int

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


@dataclass(frozen=True, slots=True)
class GradePreview:
    grade: int
    label: str  # "Again" ...
    interval: timedelta
    text: str  # Anki style: "<1m", "10m", "3d", "2.1mo"


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """The next card to study. Skill cards have item None and a family/difficulty."""

    card_id: int
    state: CardState
    item: Item | None
    family: str | None
    difficulty: str | None
    previews: tuple[GradePreview, ...]  # one per grade 1..4, computed before answering
    lapses: int
    leech: bool

    @property
    def is_skill(self) -> bool:
        return self.item is None


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    card_id: int
    grade: int
    due: datetime
    became_leech: bool


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


@dataclass(frozen=True, slots=True)
class Settings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    exam_date: date | None = None
    leech_threshold: int = 8
    leech_action: Literal["tag", "suspend"] = "tag"
    theme: str = "textual-dark"
    learning_steps_min: tuple[int, ...] = (1, 10)
    relearning_steps_min: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True


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
class CardInfo:
    """One card for browsing: what it is and where its memory stands."""

    card_id: int
    key: str  # item id, or "skill:<family>:<difficulty>"
    kind: str  # flashcard | cloze | skill
    item_id: str | None
    family: str | None
    difficulty: str
    topic: str
    state: CardState
    due: datetime | None  # None while new
    stability_days: float | None
    fsrs_difficulty: float | None
    reps: int
    lapses: int
    suspended: bool
    buried: bool
    leech: bool
    retired: bool
    recall_now: float | None  # FSRS retrievability now; None while new


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a content sync changed (all zero and skipped=True when nothing had changed)."""

    added: int
    retired: int
    restored: int  # retired cards whose item came back
    updated: int  # cards whose metadata (topic, domain, order, kind) changed
    skipped: bool


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


@dataclass(frozen=True, slots=True)
class PastAnswer:
    """One earlier answer about a card or a bank item: a review grade or a quiz answer."""

    at: datetime
    source: Literal["review", "quiz"]
    correct: bool  # review: not graded Again
    grade: int | None = None  # review grade 1..4
    state_before: CardState | None = None  # review: the card's state when answered
    interval_days: float | None = None  # review: days until the card was due again
    mode: str | None = None  # quiz: practice | exam


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One answer in a quiz attempt, saved as soon as it is given."""

    position: int
    item_id: str
    topic: str
    domain: str
    chosen: tuple[int, ...] = ()  # choice indexes (single/multiple response, true/false as 0/1)
    typed: str | None = None  # computed questions
    correct: bool | None = None  # None until answered
    flagged: bool = False


class Study(Protocol):
    """What the UI may ask of progress. Every write is committed before it returns."""

    def dashboard(self) -> Dashboard: ...
    def due_counts(self) -> DueCounts: ...
    def next_card(self) -> ReviewCard | None: ...
    def answer(self, card_id: int, grade: int, elapsed_s: float | None = None) -> ReviewOutcome: ...
    def undo(self) -> int | None:
        """Undo the last answer; returns the card id restored, or None if nothing to undo."""
        ...

    def can_undo(self) -> bool: ...
    def record_practice(self, attempt: PracticeAttempt) -> ReviewOutcome | None:
        """Save a practice attempt; if it names a skill card, grade that card from it."""
        ...

    def practice_records(self) -> tuple[PracticeRecord, ...]: ...
    def suspend(self, card_id: int, suspended: bool = True) -> None: ...
    def bury(self, card_id: int) -> None: ...
    def settings(self) -> Settings: ...
    def save_settings(self, settings: Settings) -> None: ...

    # --- added with the progress store (issue 4) ---
    def sync(self, items: Iterable[Item]) -> SyncReport:
        """Make cards match the banks: new items become cards, removed ones are retired."""
        ...

    def stats(self) -> StudyStats: ...
    def set_exam_date(self, exam_date: date | None) -> None: ...
    def card_infos(self, *, include_retired: bool = False) -> tuple[CardInfo, ...]: ...
    def card_info(self, card_id: int) -> CardInfo: ...
    def reset_card(self, card_id: int) -> None:
        """Forget a card's progress (it becomes new again); its review history is kept."""
        ...

    def start_quiz(
        self, mode: str, profile: str, question_count: int, time_limit_s: float | None = None
    ) -> int: ...
    def save_quiz_answer(self, attempt_id: int, answer: QuizAnswer) -> None: ...
    def finish_quiz(
        self, attempt_id: int, score: float, remaining_s: float | None = None
    ) -> None: ...

    # --- added with quiz resume (schema 0003) ---
    def quiz_recorder(self) -> QuizRecorder:
        """Where `quizapp.quiz.QuizSession` saves attempts (each call commits; any thread)."""
        ...

    # --- added with the stats, browse and settings screens (issue 6) ---
    def history(self, days: int = 30) -> History:
        """Per-day series for the last `days` study days, the year's calendar, scores."""
        ...

    def items(self) -> tuple[Item, ...]:
        """The bank items this Study was synced with, in bank order."""
        ...

    def recent_answers(
        self, *, card_id: int | None = None, item_id: str | None = None, limit: int = 5
    ) -> tuple[PastAnswer, ...]:
        """The card's review answers and the item's quiz answers, newest first."""
        ...

    def practice_attempts(self, limit: int | None = None) -> tuple[PracticeAttempt, ...]:
        """Saved computed-practice attempts, newest first."""
        ...

    def card(self, card_id: int) -> ReviewCard:
        """One card as `next_card` would show it now (e.g. the card an undo restored)."""
        ...
