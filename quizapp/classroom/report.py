"""The instructor's class report: how each quiz question works, the misconceptions the class
makes most, and where each learner stands. Pure: the store's rows in, plain values out.

Per question (finished quiz attempts, practice and exam mode, each attempt counted on its
own, as Moodle's "all attempts" option does; answered questions only):

- `facility`: the mean score, here the share of answers that were right (0..1).
- `discrimination`: Moodle's discrimination index, the correlation between the question's
  score x and the rest-of-test score X = (the attempt's total) - x over the attempts that
  answered it, 100 * Cov(x, X) / sqrt(V(x) V(X)) with (s - 1) denominators; reported here
  as a fraction (-1..1) rather than Moodle's percentage. None (as in Moodle) when fewer than
  two attempts answered it or either variance is zero. See "Quiz statistics calculations"
  (https://docs.moodle.org/dev/Quiz_statistics_calculations) and Moodle's
  question/classes/statistics/questions/calculator.php (`secondary_question_walker`).
- `efficiency`: Moodle's discriminative efficiency, Cov(x, X) over the largest covariance
  the same marks could give (both sorted); Moodle marks a question "dubious" below 15 %.
- `flagged`: a negative discrimination, i.e. the learners who do better on the rest of the
  attempt get this question wrong more often: strong learners miss it. Moodle's own docs
  call a negative index "probably invalid" (a wrong key, an ambiguous stem); the "dubious"
  rule (efficiency < 15 %) also catches questions that merely fail to separate (too easy or
  too hard), which is another question for the instructor, so it is reported (`dubious`)
  but not flagged.

Per named misconception and practice family: how often the class made it and how many
learners did (practice attempts carry their family; a quiz answer the family of its computed
item, none for a bank option's misconception).

Per learner: mastery by topic and by domain, the mean FSRS retrievability now of the
topic's (domain's) cards that are not retired, a card never studied counting 0, with the
learner's own forgetting-curve decay (their fitted parameters, else the defaults); answers
in the review log in the last 7 days; the last activity (review, cram, quiz answer or
practice attempt); the best finished exam's score as a fraction right ((scaled - 100) / 900).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from quizapp.scheduling.forgetting import retrievability_at
from quizapp.scheduling.memory import NEW
from quizapp.scheduling.review import DECAY

WEEK_S = 7 * 86400.0
DUBIOUS_EFFICIENCY = 0.15  # Moodle's statistics_table::is_dubious_question (15 %)
SCALE_MIN, SCALE_SPAN = 100.0, 900.0  # the scaled exam score: 100 + 900 x right / scored


# -- what the store reads -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One quiz answer row of any learner."""

    learner: str
    attempt_id: int
    item_id: str
    topic: str
    domain: str
    correct: bool | None  # None: not answered (flagged only)
    misconception: str | None
    mode: str  # practice | exam
    finished: bool


@dataclass(frozen=True, slots=True)
class CardRow:
    """One card's memory (retired cards are left out by the store)."""

    learner: str
    topic: str
    domain: str
    state: int
    stability: float | None
    last_review: float | None


@dataclass(frozen=True, slots=True)
class ClassRows:
    """Everything the report reads, for every learner the connection may see."""

    answers: tuple[AnswerRow, ...] = ()
    practice_mistakes: tuple[tuple[str, str, str], ...] = ()  # (learner, family, name)
    cards: tuple[CardRow, ...] = ()
    reviews_7d: Mapping[str, int] | None = None  # learner -> answers since `since`
    last_active: Mapping[str, float] | None = None  # learner -> epoch s
    best_exam: Mapping[str, float] | None = None  # learner -> best scaled score
    decay: Mapping[str, float] | None = None  # learner -> decay of their fitted parameters


# -- what the report says -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemStats:
    id: str
    topic: str
    domain: str
    answers: int
    right: int
    facility: float
    discrimination: float | None
    efficiency: float | None

    @property
    def flagged(self) -> bool:
        """Strong learners miss it: the rest of the attempt predicts a wrong answer."""
        return self.discrimination is not None and self.discrimination < 0

    @property
    def dubious(self) -> bool:
        """Moodle's mark: discriminative efficiency under 15 %."""
        return self.efficiency is not None and self.efficiency < DUBIOUS_EFFICIENCY

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "answers": self.answers,
            "facility": _round(self.facility),
            "discrimination": _round(self.discrimination),
            "right": self.right,
            "efficiency": _round(self.efficiency),
            "flagged": self.flagged,
            "dubious": self.dubious,
            "topic": self.topic,
            "domain": self.domain,
        }


@dataclass(frozen=True, slots=True)
class MisconceptionStats:
    family: str | None  # None: a bank option's misconception (no computed family)
    name: str
    count: int
    learners: int

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "name": self.name,
            "count": self.count,
            "learners": self.learners,
        }


@dataclass(frozen=True, slots=True)
class LearnerStats:
    name: str
    topics: tuple[tuple[str, float], ...]  # (topic, mastery 0..1), by topic
    domains: tuple[tuple[str, float], ...]
    reviews_7d: int
    last_active: datetime | None  # UTC
    best_exam: float | None  # fraction right of the best finished exam

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mastery": {
                "topics": {t: _round(m) for t, m in self.topics},
                "domains": {d: _round(m) for d, m in self.domains},
            },
            "reviews_7d": self.reviews_7d,
            "last_active": None if self.last_active is None else self.last_active.isoformat(),
            "best_exam": _round(self.best_exam),
        }


@dataclass(frozen=True, slots=True)
class ClassReport:
    """Questions (flagged first, then by id), misconceptions (most common first), learners
    (by name)."""

    items: tuple[ItemStats, ...]
    misconceptions: tuple[MisconceptionStats, ...]
    learners: tuple[LearnerStats, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [i.to_json() for i in self.items],
            "misconceptions": [m.to_json() for m in self.misconceptions],
            "learners": [learner.to_json() for learner in self.learners],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


# -- the statistics -------------------------------------------------------------------------


def discrimination(
    scores: Iterable[float], rest: Iterable[float]
) -> tuple[float | None, float | None]:
    """(Moodle's discrimination index as a fraction, its discriminative efficiency) of item
    scores against rest-of-test scores; None where Moodle leaves it blank (see module doc)."""
    x = np.asarray(list(scores), dtype=np.float64)
    y = np.asarray(list(rest), dtype=np.float64)
    s = x.size
    if s < 2:
        return None, None
    dx, dy = x - x.mean(), y - y.mean()
    var_x, var_y = float(dx @ dx) / (s - 1), float(dy @ dy) / (s - 1)
    cov = float(dx @ dy) / (s - 1)
    index = cov / float(np.sqrt(var_x * var_y)) if var_x * var_y > 0 else None
    cov_max = float((np.sort(x) - x.mean()) @ (np.sort(y) - y.mean())) / (s - 1)
    efficiency = cov / cov_max if cov_max > 0 else None
    return index, efficiency


def item_stats(answers: Iterable[AnswerRow]) -> tuple[ItemStats, ...]:
    """Facility and discrimination of every question answered in a finished attempt."""
    finished = [a for a in answers if a.finished]
    totals: dict[int, int] = defaultdict(int)
    for a in finished:
        totals[a.attempt_id] += bool(a.correct)
    per_item: dict[str, list[AnswerRow]] = defaultdict(list)
    for a in finished:
        if a.correct is not None:
            per_item[a.item_id].append(a)
    stats = []
    for item_id, rows in per_item.items():
        x = [1.0 if r.correct else 0.0 for r in rows]
        rest = [totals[r.attempt_id] - xi for r, xi in zip(rows, x, strict=True)]
        index, efficiency = discrimination(x, rest)
        right = int(sum(x))
        stats.append(
            ItemStats(
                item_id,
                rows[-1].topic,
                rows[-1].domain,
                len(rows),
                right,
                right / len(rows),
                index,
                efficiency,
            )
        )
    stats.sort(key=lambda i: (not i.flagged, i.id))
    return tuple(stats)


def misconception_stats(
    rows: ClassRows, families: Mapping[str, str]
) -> tuple[MisconceptionStats, ...]:
    """(family, name) -> count and distinct learners; `families`: computed item id -> family."""
    made: list[tuple[str, str | None, str]] = list(rows.practice_mistakes)
    made += [
        (a.learner, families.get(a.item_id), a.misconception)
        for a in rows.answers
        if a.misconception and a.correct is False
    ]
    counts: dict[tuple[str | None, str], int] = defaultdict(int)
    learners: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for learner, family, name in made:
        counts[family, name] += 1
        learners[family, name].add(learner)
    out = [MisconceptionStats(f, n, c, len(learners[f, n])) for (f, n), c in counts.items()]
    out.sort(key=lambda m: (-m.count, -m.learners, m.family or "", m.name))
    return tuple(out)


def mastery(
    cards: Iterable[CardRow], now_ts: float, decay: float
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]:
    """(by topic, by domain): mean retrievability now, cards never studied counting 0."""
    rows = list(cards)
    if not rows:
        return (), ()
    studied = np.array([r.state != NEW and r.stability is not None for r in rows])
    recall = retrievability_at(
        [r.stability if ok and r.stability else 1.0 for r, ok in zip(rows, studied, strict=True)],
        [r.last_review if r.last_review is not None else now_ts for r in rows],
        now_ts,
        decay,
    )
    recall = np.where(studied, recall, 0.0)

    def by(key: str) -> tuple[tuple[str, float], ...]:
        groups: dict[str, list[float]] = defaultdict(list)
        for r, value in zip(rows, recall, strict=True):
            groups[getattr(r, key)].append(float(value))
        return tuple((k, float(np.mean(v))) for k, v in sorted(groups.items()))

    return by("topic"), by("domain")


def learner_stats(rows: ClassRows, now_ts: float) -> tuple[LearnerStats, ...]:
    """Every learner named in any row (not '', which belongs to nobody), by name."""
    reviews, last = rows.reviews_7d or {}, rows.last_active or {}
    best, decays = rows.best_exam or {}, rows.decay or {}
    names = {c.learner for c in rows.cards} | {a.learner for a in rows.answers}
    names |= {p[0] for p in rows.practice_mistakes} | set(reviews) | set(last) | set(best)
    cards: dict[str, list[CardRow]] = defaultdict(list)
    for c in rows.cards:
        cards[c.learner].append(c)
    out = []
    for name in sorted(names - {""}):
        topics, domains = mastery(cards[name], now_ts, decays.get(name, DECAY))
        at = last.get(name)
        score = best.get(name)
        out.append(
            LearnerStats(
                name,
                topics,
                domains,
                int(reviews.get(name, 0)),
                None if at is None else datetime.fromtimestamp(at, UTC),
                None if score is None else max(0.0, (score - SCALE_MIN) / SCALE_SPAN),
            )
        )
    return tuple(out)


def build_class_report(
    rows: ClassRows, now_ts: float, families: Mapping[str, str] | None = None
) -> ClassReport:
    """The report from the store's rows at `now_ts`; `families`: computed item id -> family."""
    return ClassReport(
        item_stats(rows.answers),
        misconception_stats(rows, families or {}),
        learner_stats(rows, now_ts),
    )
