"""Grading with fsrs: previews that never lie, fsrs's own fuzz, the exam cap, leeches,
interval text and practice grades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import fsrs.scheduler
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.scheduling.intervals import interval_text
from quizapp.scheduling.memory import (
    LEARNING,
    NEW,
    Q_LEARN,
    Q_REVIEW,
    Q_SUSPENDED,
    RELEARNING,
    REVIEW,
    Memory,
)
from quizapp.scheduling.review import (
    Policy,
    fsrs_card,
    fuzz_fraction,
    fuzzed_days,
    grade_card,
    interval_cap,
    is_leech_moment,
    previews,
)
from quizapp.scheduling.skills import (
    AGAIN,
    EASY,
    FAMILY_TOPICS,
    GOOD,
    HARD,
    practice_grade,
    skill_keys,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def review_memory(card_id: int, stability: float, days_ago: float, **kw) -> Memory:
    last = (NOW - timedelta(days=days_ago)).timestamp()
    return Memory(
        card_id=card_id,
        state=kw.pop("state", REVIEW),
        step=kw.pop("step", None),
        stability=stability,
        difficulty=kw.pop("difficulty", 5.0),
        due=last + stability * 86400,
        last_review=last,
        reps=kw.pop("reps", 3),
        lapses=kw.pop("lapses", 0),
        queue=Q_REVIEW,
        **kw,
    )


memories = st.builds(
    review_memory,
    card_id=st.integers(1, 10**6),
    stability=st.floats(0.1, 3000),
    days_ago=st.floats(0, 400),
    reps=st.integers(1, 50),
)


@settings(max_examples=150, deadline=None)
@given(memories, st.integers(1, 36500))
def test_preview_is_what_the_grade_then_gives(m: Memory, cap: int) -> None:
    policy = Policy()
    shown = previews(m, NOW, policy, cap)
    assert [p.grade for p in shown] == [1, 2, 3, 4]
    for p in shown:
        assert grade_card(m, p.grade, NOW, policy, cap).memory.due == (NOW + p.interval).timestamp()
        assert p.text == interval_text(p.interval.total_seconds())


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40000), st.integers(2, 36500), st.floats(0, 0.999999))
def test_fuzz_is_fsrs_own_fuzz(days: int, maximum: int, fraction: float) -> None:
    """With fsrs's random draw pinned to `fraction`, fsrs fuzzes exactly as we do."""
    days = min(days, maximum)
    scheduler = fsrs.Scheduler(maximum_interval=maximum)
    original = fsrs.scheduler.random
    fsrs.scheduler.random = lambda: fraction
    try:
        theirs = scheduler._get_fuzzed_interval(interval=timedelta(days=days)).days
    finally:
        fsrs.scheduler.random = original
    assert fuzzed_days(days, maximum, fraction) == theirs


def test_fuzz_spreads_intervals_but_is_fixed_per_card_and_review() -> None:
    policy = Policy()
    outs = {
        grade_card(review_memory(cid, 40.0, 40.0), 3, NOW, policy, 36500).interval.days
        for cid in range(1, 200)
    }
    assert len(outs) > 3  # fuzz on: intervals differ between cards
    m = review_memory(7, 40.0, 40.0)
    assert len({grade_card(m, 3, NOW, policy, 36500).interval for _ in range(20)}) == 1
    no_fuzz = Policy(fuzz=False)
    plain = {
        grade_card(review_memory(cid, 40.0, 40.0), 3, NOW, no_fuzz, 36500).interval
        for cid in range(1, 50)
    }
    assert len(plain) == 1
    assert 0 <= fuzz_fraction(1, 0) < 1
    assert fuzz_fraction(1, 0) != fuzz_fraction(1, 1)


@settings(max_examples=100, deadline=None)
@given(memories, st.integers(1, 4))
def test_without_fuzz_we_match_fsrs_exactly(m: Memory, grade: int) -> None:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card, _ = scheduler.review_card(fsrs_card(m, NOW), fsrs.Rating(grade), NOW)
    ours = grade_card(m, grade, NOW, Policy(fuzz=False), 36500).memory
    assert ours.due == card.due.timestamp()
    assert ours.stability == card.stability
    assert ours.difficulty == card.difficulty
    assert ours.state == int(card.state)
    assert ours.reps == m.reps + 1


def test_new_card_walks_the_learning_steps() -> None:
    policy = Policy()
    m = Memory(card_id=1)
    first = grade_card(m, 3, NOW, policy, 36500)
    assert first.memory.state == LEARNING and first.memory.step == 1
    assert first.interval == timedelta(minutes=10)
    assert first.memory.queue == Q_LEARN
    assert grade_card(m, 1, NOW, policy, 36500).interval == timedelta(minutes=1)
    second = grade_card(first.memory, 3, NOW + first.interval, policy, 36500)
    assert second.memory.state == REVIEW and second.interval >= timedelta(days=1)
    assert second.memory.queue == Q_REVIEW


def test_lapse_relearns_and_counts() -> None:
    policy = Policy()
    m = review_memory(3, 20.0, 20.0)
    lapsed = grade_card(m, 1, NOW, policy, 36500)
    assert lapsed.memory.state == RELEARNING
    assert lapsed.memory.lapses == 1
    assert lapsed.interval == timedelta(minutes=10)
    # Again while relearning is not a new lapse
    again = grade_card(lapsed.memory, 1, NOW + lapsed.interval, policy, 36500)
    assert again.memory.lapses == 1


def test_leech_at_threshold_tags_or_suspends() -> None:
    assert [n for n in range(1, 20) if is_leech_moment(n, 8)] == [8, 12, 16]
    m = review_memory(5, 2.0, 2.0, lapses=7)
    tagged = grade_card(m, 1, NOW, Policy(), 36500)
    assert tagged.became_leech and tagged.memory.leech and not tagged.memory.suspended
    suspended = grade_card(m, 1, NOW, Policy(leech_suspend=True), 36500)
    assert suspended.memory.suspended and suspended.memory.queue == Q_SUSPENDED
    not_yet = grade_card(review_memory(5, 2.0, 2.0, lapses=6), 1, NOW, Policy(), 36500)
    assert not not_yet.became_leech and not not_yet.memory.leech


def test_exam_cap_limits_every_grade() -> None:
    policy = Policy()
    today = 1000
    assert interval_cap(policy, today, None) == 36500
    assert interval_cap(policy, today, today + 10) == 9
    assert interval_cap(policy, today, today + 1) == 1
    assert interval_cap(policy, today, today) == 36500  # exam day reached: no cap
    m = review_memory(9, 300.0, 300.0)
    for p in previews(m, NOW, policy, 9):
        assert p.interval <= timedelta(days=9)
    assert max(p.interval for p in previews(m, NOW, policy, 36500)) > timedelta(days=100)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (30, "<1m"),
        (60, "1m"),
        (330, "6m"),
        (600, "10m"),
        (3600, "1h"),
        (5400, "1.5h"),
        (86400, "1d"),
        (3 * 86400, "3d"),
        (36 * 86400, "1.2mo"),
        (90 * 86400, "3mo"),
        (800 * 86400, "2.2y"),
    ],
)
def test_interval_text(seconds: float, text: str) -> None:
    assert interval_text(seconds) == text


def test_practice_grades() -> None:
    assert practice_grade(False, hinted=False, elapsed_s=5, difficulty="easy") == AGAIN
    assert practice_grade(True, hinted=True, elapsed_s=5, difficulty="easy") == HARD
    assert practice_grade(True, hinted=False, elapsed_s=200, difficulty="medium") == HARD
    assert practice_grade(True, hinted=False, elapsed_s=10, difficulty="medium") == EASY
    assert practice_grade(True, hinted=False, elapsed_s=60, difficulty="medium") == GOOD


def test_every_skill_has_a_taxonomy_topic() -> None:
    from engine.catalog import DIFFICULTIES, FAMILIES
    from quizapp.bank.taxonomy import load_taxonomy

    topics = load_taxonomy().topics
    assert set(FAMILY_TOPICS) == set(FAMILIES)
    assert set(FAMILY_TOPICS.values()) <= set(topics)
    assert len(skill_keys()) == len(FAMILIES) * len(DIFFICULTIES)


def test_new_card_fsrs_card_has_its_id() -> None:
    card = fsrs_card(Memory(card_id=42, state=NEW), NOW)
    assert card.card_id == 42 and card.state == fsrs.State.Learning and card.step == 0
