"""Drawing a quiz: which bank items, in which order, with which variants and choice orders.

Weak topics come up more: an item's weight is `1 + boost × (1 − mastery of its topic)`
(boost 3 by default, so a topic at mastery 0 comes up four times as often as one at 1).
Items are drawn without replacement by weighted random keys (Efraimidis–Spirakis), so no item
repeats inside a session. Everything is a function of the seed: the same seed, items and
mastery give the same plan.

Exam mode draws only the kinds its profile lists, and allocates slots to the profile's domains
by their weights (largest remainder), each item counted in its domain for that profile. A
domain whose pool is short keeps what it has, and its missing slots are shared among the
domains that still have questions, again by weight; the plan's quotas and notes say so. The
profile's share of unscored questions is picked at random among the drawn ones (the plan keeps
their positions; the learner is not told which).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence

from quizapp.bank.model import Item
from quizapp.errors import QuizappError
from quizapp.quiz.plan import AttemptPlan, DomainQuota, QuizSetup
from quizapp.quiz.profiles import ExamProfile, allocate
from quizapp.quiz.questions import SEQUENCE_KINDS, PlannedQuestion, Variant, option_count
from quizapp.quiz.sources import SOURCE_LABELS

WEAK_BOOST = 3.0
UNKNOWN_MASTERY = 0.5  # a topic without a record counts as half mastered
VARIANT_SEEDS = 100_000  # computed variant seeds, as in computed practice


def rng_for(*parts: object) -> random.Random:
    """A random generator seeded by a stable hash of the parts (same on every machine)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).digest()
    return random.Random(int.from_bytes(digest, "little"))


def topic_weight(topic: str, mastery: Mapping[str, float], boost: float = WEAK_BOOST) -> float:
    """1 + boost × (1 − mastery), mastery clamped to [0, 1]; unknown topics count as 0.5."""
    level = min(1.0, max(0.0, float(mastery.get(topic, UNKNOWN_MASTERY))))
    return 1.0 + boost * (1.0 - level)


def weighted_sample(
    items: Sequence[Item], n: int, weight: Callable[[Item], float], rng: random.Random
) -> list[Item]:
    """`n` distinct items, each drawn with probability proportional to its weight among those
    left (Efraimidis–Spirakis: the n largest log(u)/w keys). Deterministic for a given rng."""
    if n >= len(items):
        n = len(items)
    keyed: list[tuple[float, int]] = []
    for i, item in enumerate(items):
        w = weight(item)
        if w <= 0:
            raise ValueError("weights must be positive")
        keyed.append((math.log(1.0 - rng.random()) / w, i))
    keyed.sort(reverse=True)
    return [items[i] for _, i in keyed[:n]]


def domain_of(item: Item, setup: QuizSetup) -> str | None:
    """The item's domain in the set-up's exam profile, or in the default one for practice."""
    return item.domain_in(setup.profile.full_id) if setup.profile is not None else item.domain


def eligible(items: Iterable[Item], setup: QuizSetup) -> list[Item]:
    """Quiz questions matching the set-up's kinds, topics and domains, one per id, by id."""
    kinds = setup.bank_kinds
    by_id: dict[str, Item] = {}
    for item in items:
        if item.kind not in kinds or item.id in by_id:
            continue
        if setup.topics and item.topic not in setup.topics:
            continue
        if setup.domains and domain_of(item, setup) not in setup.domains:
            continue
        by_id[item.id] = item
    return [by_id[k] for k in sorted(by_id)]


def allocate_capped(
    weights: Mapping[str, int], available: Mapping[str, int], total: int
) -> dict[str, int]:
    """Slots per domain: by weight, each capped at what is available; the shortfall goes to
    domains with room, by their weights, until all `total` slots (or all questions) are used."""
    result = {d: min(n, available.get(d, 0)) for d, n in allocate(weights, total).items()}
    while True:
        short = total - sum(result.values())
        room = [d for d in weights if available.get(d, 0) > result[d]]
        if short <= 0 or not room:
            return result
        extra = allocate({d: weights[d] for d in room}, short)
        for d in room:
            result[d] += min(extra[d], available.get(d, 0) - result[d])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def quota_notes(quotas: Sequence[DomainQuota]) -> list[str]:
    """One note per short domain and one saying where its slots went."""
    notes = [
        f"the bank has only {_plural(q.available, q.domain + ' question')} "
        f"for {_plural(q.target, 'slot')}"
        for q in quotas
        if q.short
    ]
    filled = [q for q in quotas if q.extra]
    moved = sum(q.extra for q in filled)
    if filled:
        if len(filled) == 1:
            where = filled[0].domain
        else:
            parts = [f"{q.domain} ({q.extra})" for q in filled]
            where = ", ".join(parts[:-1]) + " and " + parts[-1]
        notes.append(f"{_plural(moved, 'slot')} filled from {where}")
    return notes


def _plan_question(item: Item, seed: int) -> PlannedQuestion:
    variant = None
    if item.kind == "computed":
        variant_seed = rng_for(seed, "variant", item.id).randrange(VARIANT_SEEDS)
        variant = Variant(item.family, variant_seed, item.difficulty, item.scenario or None)
    n = option_count(item, variant)  # a computed variant may offer fewer than four
    order = list(range(n))
    if item.kind != "true_false":  # True stays before False
        rng = rng_for(seed, "order", item.id)
        rng.shuffle(order)
        while item.kind in SEQUENCE_KINDS and order == sorted(order):
            rng.shuffle(order)  # steps or matches never shown already in their right order
    return PlannedQuestion(item.id, tuple(order), variant)


def draw_plan(
    setup: QuizSetup,
    items: Iterable[Item],
    *,
    seed: int,
    mastery: Mapping[str, float] | None = None,
    boost: float = WEAK_BOOST,
) -> AttemptPlan:
    """Draw an attempt. Raises QuizappError when no question matches the set-up."""
    mastery = mastery or {}
    pool = eligible(items, setup)
    notes: list[str] = []
    quotas: list[DomainQuota] = []

    def weight(item: Item) -> float:
        return topic_weight(item.topic, mastery, boost)

    if setup.profile is not None:
        weights = {
            d: w for d, w in setup.profile.domain_weights if not setup.domains or d in setup.domains
        }
        pool = [item for item in pool if domain_of(item, setup) in weights]
    if not pool:
        raise QuizappError("no questions match this set-up: choose more topics, domains or kinds")
    count = min(setup.count, len(pool))

    if setup.profile is None:
        chosen = weighted_sample(pool, count, weight, rng_for(seed, "draw"))
    else:
        by_domain = {d: [item for item in pool if domain_of(item, setup) == d] for d in weights}
        available = {d: len(v) for d, v in by_domain.items()}
        targets = allocate(weights, count)
        drawn = allocate_capped(weights, available, count)
        chosen = []
        for d in weights:
            chosen += weighted_sample(by_domain[d], drawn[d], weight, rng_for(seed, "draw", d))
            quotas.append(DomainQuota(d, weights[d], targets[d], available[d], drawn[d]))
        notes += quota_notes(quotas)
    if count < setup.count:
        source = "" if setup.source == "all" else f" ({SOURCE_LABELS[setup.source].lower()})"
        notes.append(
            f"only {_plural(count, 'question')} match this set-up{source}, "
            f"so the session has {count} instead of {setup.count}"
        )
    rng_for(seed, "sequence").shuffle(chosen)
    unscored: tuple[int, ...] = ()
    if setup.profile is not None:
        unscored = unscored_positions(setup.profile, len(chosen), seed)
    return AttemptPlan(
        mode=setup.mode,
        profile=setup.profile_name,
        seed=seed,
        time_limit_s=setup.time_limit_s,
        pass_score=setup.pass_score,
        questions=tuple(_plan_question(item, seed) for item in chosen),
        quotas=tuple(quotas),
        notes=tuple(notes),
        topics=tuple(sorted(setup.topics)),
        domains=tuple(sorted(setup.domains)),
        kinds=tuple(sorted(setup.kinds)),
        unscored=unscored,
    )


def unscored_positions(profile: ExamProfile, drawn: int, seed: int) -> tuple[int, ...]:
    """Positions not counted: the profile's share of unscored questions among `drawn` (at
    least one question is scored), picked by the seed."""
    scored = min(drawn, max(1, round(drawn * profile.scored / profile.questions)))
    return tuple(sorted(rng_for(seed, "unscored").sample(range(drawn), drawn - scored)))
