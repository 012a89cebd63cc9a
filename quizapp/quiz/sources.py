"""Practice tests built from the learner's record: which questions a quiz may draw from.

A practice quiz draws from the whole bank ("all") or from one part of the record:

- "missed": questions answered wrong in the last N attempts (N = `last`; None = every
  attempt). The attempts counted are those with at least one answered question, newest
  (highest id) first, finished or not.
- "unseen": questions never answered in any quiz or exam.
- "flagged": questions flagged the last time they appeared in an attempt.
- "weak_topic" / "weak_domain": the questions of the topic (domain) with the lowest mastery,
  as the statistics compute it (`quizapp.stats`); only topics (domains) with a record and a
  question in the set-up's pool count; a tie goes to the first by name.

The topics, domains and kinds ticked on the set-up screen still apply. `pick` is pure: the
record (`QuizRecord`, read from the store) and the mastery come in as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from quizapp.bank.model import Item
from quizapp.errors import QuizappError

SOURCES: tuple[str, ...] = ("all", "missed", "unseen", "flagged", "weak_topic", "weak_domain")
SOURCE_LABELS: dict[str, str] = {
    "all": "Whole bank",
    "missed": "Missed lately",
    "unseen": "Never seen",
    "flagged": "Flagged",
    "weak_topic": "Weakest topic",
    "weak_domain": "Weakest domain",
}
LAST_CHOICES: tuple[int | None, ...] = (1, 3, 5, None)  # None: every attempt


@dataclass(frozen=True, slots=True)
class AnswerFact:
    """One `quiz_answers` row as the sources need it."""

    attempt_id: int
    item_id: str
    correct: bool | None  # None: not answered (only flagged, or cleared)
    flagged: bool


@dataclass(frozen=True, slots=True)
class QuizRecord:
    """Every quiz answer row (any order)."""

    facts: tuple[AnswerFact, ...] = ()

    def answered_attempts(self) -> list[int]:
        """Attempts with at least one answered question, newest first."""
        return sorted({f.attempt_id for f in self.facts if f.correct is not None}, reverse=True)

    def missed(self, last: int | None) -> frozenset[str]:
        attempts = self.answered_attempts()
        keep = set(attempts if last is None else attempts[:last])
        wrong = (f for f in self.facts if f.attempt_id in keep and f.correct is False)
        return frozenset(f.item_id for f in wrong)

    def seen(self) -> frozenset[str]:
        return frozenset(f.item_id for f in self.facts if f.correct is not None)

    def flagged(self) -> frozenset[str]:
        latest: dict[str, AnswerFact] = {}
        for f in sorted(self.facts, key=lambda f: f.attempt_id):
            latest[f.item_id] = f
        return frozenset(i for i, f in latest.items() if f.flagged)


@dataclass(frozen=True, slots=True)
class Pick:
    """The questions a source allows (None: all) and how to say what they are."""

    source: str
    ids: frozenset[str] | None
    what: str  # "missed in the last 3 attempts", "of the weakest topic, statistics (41%)"

    def restrict(self, pool: Iterable[Item]) -> list[Item]:
        return [i for i in pool if self.ids is None or i.id in self.ids]


def _attempts(n: int | None) -> str:
    if n is None:
        return "in any attempt"
    return "in the last attempt" if n == 1 else f"in the last {n} attempts"


def check_source(source: str, last: int | None) -> None:
    if source not in SOURCES:
        raise QuizappError(f"question source must be one of {', '.join(SOURCES)}, not {source!r}")
    if last is not None and last < 1:
        raise QuizappError(f"the last N attempts needs N of 1 or more, not {last}")


def _weakest(names: Iterable[str], mastery: Mapping[str, float]) -> str | None:
    known = sorted(n for n in set(names) if n in mastery)
    return min(known, key=lambda n: (mastery[n], n)) if known else None


def pick(
    source: str,
    pool: Sequence[Item],
    record: QuizRecord,
    *,
    last: int | None = None,
    topic_mastery: Mapping[str, float] | None = None,
    domain_mastery: Mapping[str, float] | None = None,
    domain_of: Callable[[Item], str | None] = lambda item: item.domain,
    label: Callable[[str], str] = str,
) -> Pick:
    """The questions of `pool` the source allows. `label` names a topic or domain id."""
    check_source(source, last)
    if source == "all":
        return Pick(source, None, "")
    if source == "missed":
        return Pick(source, record.missed(last), f"missed {_attempts(last)}")
    if source == "unseen":
        seen = record.seen()
        return Pick(source, frozenset(i.id for i in pool if i.id not in seen), "never seen")
    if source == "flagged":
        return Pick(source, record.flagged(), "flagged")
    if source == "weak_topic":
        mastery = topic_mastery or {}
        weakest = _weakest((i.topic for i in pool), mastery)
        if weakest is None:
            return Pick(source, frozenset(), "of a topic with a record")
        ids = frozenset(i.id for i in pool if i.topic == weakest)
        share = f"{mastery[weakest]:.0%}"
        return Pick(source, ids, f"of the weakest topic, {label(weakest)} ({share})")
    mastery = domain_mastery or {}
    weakest = _weakest((d for i in pool if (d := domain_of(i))), mastery)
    if weakest is None:
        return Pick(source, frozenset(), "of a domain with a record")
    ids = frozenset(i.id for i in pool if domain_of(i) == weakest)
    share = f"{mastery[weakest]:.0%}"
    return Pick(source, ids, f"of the weakest domain, {label(weakest)} ({share})")
