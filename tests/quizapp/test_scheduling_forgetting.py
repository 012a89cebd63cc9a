"""The vectorized FSRS forgetting curve against fsrs's own get_card_retrievability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.scheduling.forgetting import mean_retrievability, retrievability, retrievability_at

NOW = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 5000), st.floats(0, 2000)), min_size=1, max_size=40))
def test_matches_fsrs_card_by_card(cards: list[tuple[float, float]]) -> None:
    scheduler = fsrs.Scheduler()
    stability = np.array([s for s, _ in cards])
    last = np.array([(NOW - timedelta(days=d)).timestamp() for _, d in cards])
    ours = retrievability_at(stability, last, NOW.timestamp())
    theirs = [
        scheduler.get_card_retrievability(
            fsrs.Card(
                card_id=i + 1,
                state=fsrs.State.Review,
                stability=s,
                difficulty=5.0,
                due=NOW,
                last_review=NOW - timedelta(days=d),
            ),
            NOW,
        )
        for i, (s, d) in enumerate(cards)
    ]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)


def test_curve_landmarks() -> None:
    # R = 0.9 after exactly S days; 1 right after a review; falls with time
    np.testing.assert_allclose(retrievability([10.0, 3.0], [10.0, 3.0]), [0.9, 0.9])
    assert retrievability([5.0], [0.0])[0] == 1.0
    r = retrievability(np.full(5, 7.0), np.array([0, 1, 7, 30, 365]))
    assert np.all(np.diff(r) < 0)
    # partial days count as whole days elapsed, floored (as fsrs's timedelta.days)
    assert retrievability([4.0], [2.99])[0] == retrievability([4.0], [2.0])[0]


def test_mean_of_nothing_is_none() -> None:
    assert mean_retrievability([], [], NOW.timestamp()) is None
    got = mean_retrievability([10.0, 10.0], [NOW.timestamp() - 10 * 86400] * 2, NOW.timestamp())
    assert got is not None and abs(got - 0.9) < 1e-12
