"""Study statistics from the store's aggregates (NumPy; no SQL and no loop over reviews here).

Mastery of a topic (and, the same way, of a domain) is the share of expected right answers
over all the evidence about it:

    mastery = (sum of R over its cards + weighted right quiz answers + weighted right practice)
              / (number of its cards   + weighted quiz answers       + weighted practice)

- every active card counts once, with R its FSRS predicted recall now (0 for a new card:
  an unseen card is not mastered); computed skill cards count in their family's topic;
- every quiz answer and practice attempt counts with weight 1 / (1 + age / 30 days), so an
  answer from a month ago counts half and old slips fade; practice maps to a topic through
  `quizapp.scheduling.skills.FAMILY_TOPICS` and to the domain "ML Model Development".
A topic with no cards and no answers is left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from quizapp.scheduling.forgetting import mean_retrievability, retrievability_at
from quizapp.scheduling.review import DECAY
from quizapp.scheduling.skills import SKILL_DOMAIN, family_topic
from quizapp.stats.model import History, ScorePoint, StudyStats

if TYPE_CHECKING:  # keeps this module free of SQLAlchemy
    from quizapp.store.statistics import RawHistory, RawStats


def mastery(
    raw: RawStats, now_ts: float, decay: float = DECAY
) -> tuple[dict[str, float], dict[str, float]]:
    """Mastery 0..1 per topic and per domain (see the module docstring); `decay` is the
    forgetting curve's of the FSRS parameters in use."""
    n_groups = len(raw.groups)
    recall = retrievability_at(raw.studied_stability, raw.studied_last_review, now_ts, decay)
    # per (topic, domain) group: summed recall of its cards (new ones add 0) and card count
    card_right = np.bincount(raw.studied_group, weights=recall, minlength=n_groups)
    card_weight = raw.group_cards.astype(np.float64)
    right: dict[str, dict[str, float]] = {"topic": {}, "domain": {}}
    total: dict[str, dict[str, float]] = {"topic": {}, "domain": {}}

    def add(topic: str, domain: str, r: float, w: float) -> None:
        for kind, name in (("topic", topic), ("domain", domain)):
            right[kind][name] = right[kind].get(name, 0.0) + r
            total[kind][name] = total[kind].get(name, 0.0) + w

    for (topic, domain), r, w in zip(raw.groups, card_right, card_weight, strict=True):
        add(topic, domain, float(r), float(w))
    for (topic, domain), r, w in zip(raw.quiz.groups, raw.quiz.right, raw.quiz.weight, strict=True):
        add(topic, domain, float(r), float(w))
    for (family, _), r, w in zip(
        raw.practice.groups, raw.practice.right, raw.practice.weight, strict=True
    ):
        add(family_topic(family), SKILL_DOMAIN, float(r), float(w))

    def ratio(kind: str) -> dict[str, float]:
        return {
            name: round(min(1.0, right[kind][name] / w), 4)
            for name, w in sorted(total[kind].items())
            if w > 0
        }

    # domains of the default exam profile, in its order (older answers may carry another
    # profile's domain names: those are left out)
    from quizapp.bank.profiles import app_profiles

    by_domain = ratio("domain")
    order = [d for d, _ in app_profiles().default.domain_weights]
    return ratio("topic"), {d: by_domain[d] for d in order if d in by_domain}


def build_stats(
    raw: RawStats,
    *,
    now_ts: float,
    exam_date: date | None,
    exam_ts: float | None,
    decay: float = DECAY,
) -> StudyStats:
    """`exam_ts` is when the exam day begins (None without an exam date or once it passed)."""
    topics, domains = mastery(raw, now_ts, decay)
    s, last = raw.studied_stability, raw.studied_last_review
    predicted = mean_retrievability(s, last, now_ts, decay)
    exam_recall = mean_retrievability(s, last, exam_ts, decay) if exam_ts is not None else None
    retention = raw.retention_recalled / raw.retention_answers if raw.retention_answers else None
    return StudyStats(
        cards=raw.cards,
        reviews_total=raw.reviews_total,
        reviews_today=raw.reviews_today,
        due_today=raw.due_today,
        streak_days=raw.streak_days,
        retention_30d=None if retention is None else round(retention, 4),
        predicted_retention=None if predicted is None else round(predicted, 4),
        forecast=tuple(int(x) for x in raw.forecast),
        topics=topics,
        domains=domains,
        quiz_attempts=raw.quiz_attempts,
        practice_attempts=raw.practice_attempts,
        exam_date=exam_date,
        exam_day_recall=None if exam_recall is None else round(exam_recall, 4),
    )


def longest_run(active: NDArray[np.bool_]) -> int:
    """The longest run of consecutive True values."""
    if not active.any():
        return 0
    edges = np.diff(np.concatenate(([0], active.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max())


def _score(row: tuple[Any, ...]) -> ScorePoint:
    attempt_id, finished, mode, profile, score, correct, total = row
    return ScorePoint(
        attempt_id=int(attempt_id),
        finished_at=datetime.fromtimestamp(finished, UTC),
        mode=mode,
        profile=profile,
        score=None if score is None else float(score),
        correct=int(correct or 0),
        total=int(total or 0),
    )


def build_history(raw: RawHistory, *, desired_retention: float) -> History:
    """`History` from the store's per-day arrays (see `quizapp.store.statistics`)."""
    from quizapp.scheduling.memory import NEW, REVIEW

    def ints(values: NDArray[np.int64]) -> tuple[int, ...]:
        return tuple(int(v) for v in values)

    return History(
        days=raw.today - raw.first + 1,
        first_day=date.fromordinal(raw.first),
        answers=ints(raw.answers.sum(axis=0)),
        new_cards=ints(raw.answers[NEW]),
        review_answers=ints(raw.answers[REVIEW]),
        review_recalled=ints(raw.review_recalled),
        review_predicted=tuple(round(float(v), 6) for v in raw.review_predicted),
        practice=ints(raw.practice),
        quiz_answers=ints(raw.quiz),
        calendar_first_day=date.fromordinal(raw.calendar_first),
        calendar=ints(raw.calendar),
        streak_days=raw.streak_days,
        longest_streak=longest_run(raw.calendar > 0),
        scores=tuple(_score(r) for r in raw.scores),
        desired_retention=desired_retention,
    )


def bin_days(values: Sequence[float], size: int) -> NDArray[np.float64]:
    """Sums over consecutive groups of `size` days, the last group ending today (the
    oldest group is the one left short when the days do not divide evenly)."""
    v = np.asarray(values, dtype=np.float64)
    if size <= 1:
        return v
    pad = (-len(v)) % size
    sums: NDArray[np.float64] = np.concatenate((np.zeros(pad), v)).reshape(-1, size).sum(axis=1)
    return sums  # (the stubs type sum(axis=...) as Any)


def rolling_sums(values: Sequence[float], window: int) -> NDArray[np.float64]:
    """For each day, the sum over it and the `window - 1` days before (fewer at the start)."""
    totals = np.cumsum(np.asarray(values, dtype=np.float64))
    shifted = np.concatenate((np.zeros(window), totals))[: len(totals)]
    return totals - shifted


def retention_series(
    history: History, window: int = 7
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per day, over the trailing `window` days: (true retention, predicted retention,
    review-state answers); NaN where the window holds no review-state answer."""
    answers = rolling_sums(history.review_answers, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        recalled = rolling_sums(history.review_recalled, window)
        predicted = rolling_sums(history.review_predicted, window)
        true = np.where(answers > 0, recalled / answers, np.nan)
        expected = np.where(answers > 0, predicted / answers, np.nan)
    return true, expected, answers


def stats_dict(stats: StudyStats) -> dict[str, Any]:
    """The JSON shape of `quizapp stats --json`."""
    data = asdict(stats)
    data["forecast"] = list(stats.forecast)
    data["exam_date"] = stats.exam_date.isoformat() if stats.exam_date else None
    return data


def stats_json(stats: StudyStats) -> str:
    return json.dumps(stats_dict(stats), indent=2)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "#" * filled + "." * (width - filled)


def format_stats(stats: StudyStats, topic_labels: dict[str, str] | None = None) -> str:
    """A readable summary for the terminal."""
    labels = topic_labels or {}
    c = stats.cards
    lines = [
        f"Cards: {c.new} new, {c.learning} learning, {c.review} review, {c.suspended} suspended",
        f"Reviews: {stats.reviews_today} today, {stats.reviews_total} in all; "
        f"streak {stats.streak_days} day{'s' if stats.streak_days != 1 else ''}",
        f"Due today: {stats.due_today}",
        f"Retention (30 days): {_pct(stats.retention_30d)}; "
        f"predicted recall now: {_pct(stats.predicted_retention)}",
        f"Quiz attempts: {stats.quiz_attempts}; practice attempts: {stats.practice_attempts}",
    ]
    if stats.exam_date is not None:
        lines.append(
            f"Exam: {stats.exam_date.isoformat()}; predicted recall on exam day: "
            f"{_pct(stats.exam_day_recall)}"
        )
    week = ", ".join(str(n) for n in stats.forecast[:7])
    lines.append(f"Due next 7 days: {week} ({sum(stats.forecast)} in 30 days)")
    if stats.topics:
        lines.append("")
        lines.append("Mastery by topic:")
        width = max(len(labels.get(t, t)) for t in stats.topics)
        for topic, value in stats.topics.items():
            name = labels.get(topic, topic)
            lines.append(f"  {name:<{width}}  {_bar(value)} {_pct(value):>4}")
    if stats.domains:
        lines.append("")
        lines.append("Mastery by domain:")
        width = max(len(d) for d in stats.domains)
        for domain, value in stats.domains.items():
            lines.append(f"  {domain:<{width}}  {_bar(value)} {_pct(value):>4}")
    return "\n".join(lines)
