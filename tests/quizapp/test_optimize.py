"""Fitting FSRS to the learner: a history simulated from KNOWN parameters is predicted better by
the fitted set than by the defaults; too little history and worse fits keep the set in use;
the adopted set changes the next interval; reset returns to the defaults."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import fsrs_rs_python as rs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import insert

from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.scheduling import optimize as opt
from quizapp.scheduling.optimize import MIN_REVIEWS, SUGGEST_EVERY, build_items
from quizapp.scheduling.synthetic import recall_probability, simulate_history
from quizapp.store.tables import CARDS, LOG

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
DAY0 = date(2025, 5, 1).toordinal()
# a learner who forgets more slowly than the defaults assume, with a flatter curve
KNOWN = list(rs.DEFAULT_PARAMETERS)
KNOWN[0:4] = [0.6, 2.5, 6.0, 20.0]
KNOWN[8], KNOWN[11], KNOWN[20] = 1.4, 1.0, 0.35


def items(n: int) -> list[Item]:
    src = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")
    return [
        Item(f"opt-{i}", "flashcard", "b", src, "weights-bias", "Modeling", "easy", "q", "a")
        for i in range(n)
    ]


def make(db_url: str, n: int = 2) -> tuple[Collection, FakeClock, str]:
    clock = FakeClock(NOW)
    url = db_url
    return open_collection(url, items(n), clock=clock), clock, url


def write_history(
    col: Collection, history: list[tuple[int, int, int, int]], tag: str = "synthetic"
) -> int:
    """Write a simulated history straight into the store: one card per simulated card, one
    log row per answer (study day DAY0 + day). Returns the number of rows."""
    n_cards = max(c for c, *_ in history) + 1
    with col.store.engine.begin() as conn:
        ids = [
            conn.execute(
                insert(CARDS).values(
                    learner=col.store.learner, key=f"{tag}:{c}", kind="flashcard", item_id=None,
                    family=None,
                    difficulty="easy", topic="t", domain="d", bank="synthetic", position=c,
                    created_at=0.0,
                )
            ).inserted_primary_key[0]
            for c in range(n_cards)
        ]  # fmt: skip
        rows = []
        for c, day, grade, state_before in history:
            ts = (datetime(2025, 5, 1, 12, tzinfo=UTC) + timedelta(days=day)).timestamp()
            rows.append(
                {"learner": col.store.learner, "card_id": ids[c], "grade": grade, "reviewed_at": ts,
                 "study_day": DAY0 + day,
                 "duration_ms": 5000, "state": 2, "due": ts, "state_before": state_before,
                 "due_before": ts, "lapses_before": 0, "queue_before": 2,
                 "suspended_before": False, "leech_before": False}
            )  # fmt: skip
        conn.execute(insert(LOG), rows)
    return len(rows)


def test_build_items_follow_anki() -> None:
    # card 1: new Again, same-day Good, then 2 days later Good, 5 days later Again;
    # card 2 starts in review state (imported): left out
    history = [
        (1, 10, 1, 0), (1, 10, 3, 1), (1, 12, 3, 2), (1, 17, 1, 2),
        (2, 10, 3, 2), (2, 15, 3, 2),
    ]  # fmt: skip
    got = [
        [tuple(map(int, re.findall(r"\d+", repr(r)))) for r in item.reviews]
        for item in build_items(history)
    ]  # FSRSReview exposes its fields only in its repr
    assert got == [
        [(1, 0), (3, 0), (3, 2)],
        [(1, 0), (3, 0), (3, 2), (1, 5)],
    ]  # the same-day Good is context, not an item of its own


def test_recall_probability_is_fsrs6_curve() -> None:
    # R(S) = 0.9 for any decay; closed form at t = 3S with decay 0.5: (1 + 3f)^-0.5
    assert recall_probability(7.0, 7.0, 0.35) == pytest.approx(0.9)
    f = 0.9 ** (-1 / 0.5) - 1
    assert recall_probability(2.0, 6.0, 0.5) == pytest.approx((1 + 3 * f) ** -0.5)


def test_fit_recovers_parameters_that_predict_the_history_better(db_url: str) -> None:
    col, _clock, _url = make(db_url)
    try:
        history = simulate_history(KNOWN, cards=400, days=365, seed=7)
        written = write_history(col, history)
        assert written > 3000
        result = col.optimizer.optimize()
        assert result.kept and result.reviews_used >= MIN_REVIEWS
        assert result.previous_parameters == tuple(DEFAULT_PARAMETERS)
        assert result.log_loss_after < result.log_loss_before
        assert result.parameters == col.settings.policy.parameters != tuple(DEFAULT_PARAMETERS)
        # independently: evaluate the three sets on items rebuilt from the simulated history
        rebuilt = build_items(history)
        assert len(rebuilt) == result.reviews_used

        def loss(p: list[float] | tuple[float, ...]) -> float:
            return rs.FSRS(list(p)).evaluate(rebuilt).log_loss

        assert loss(result.parameters) == pytest.approx(result.log_loss_after, rel=1e-4)
        assert loss(result.parameters) < loss(DEFAULT_PARAMETERS)
        # the fitted set comes close to the truth: within 0.01 of the known set's log loss
        assert loss(result.parameters) < loss(KNOWN) + 0.01
        # and its first-day stabilities move from the defaults towards the known ones
        for i in (2, 3):
            assert abs(result.parameters[i] - KNOWN[i]) < abs(DEFAULT_PARAMETERS[i] - KNOWN[i])
        fitted = col.settings.fitted
        assert fitted is not None and fitted.fitted_on == date(2026, 6, 1)
        assert fitted.reviews == result.reviews_used
    finally:
        col.close()
    # stored: a reopened collection schedules with the same set
    col2, _c, _u = make(db_url)
    try:
        assert col2.settings.policy.parameters == result.parameters
    finally:
        col2.close()


def test_too_little_history_keeps_the_defaults(db_url: str) -> None:
    col, _clock, _url = make(db_url)
    try:
        history = simulate_history(KNOWN, cards=30, days=120, seed=3)
        write_history(col, history)
        used = len(build_items(history))
        assert 0 < used < MIN_REVIEWS
        result = col.optimizer.optimize()
        assert not result.kept and result.reviews_used == used
        assert result.parameters == tuple(DEFAULT_PARAMETERS)
        assert result.log_loss_before is None and result.log_loss_after is None
        assert result.message == (
            f"not enough history: {used} reviews usable, at least {MIN_REVIEWS} needed; "
            "the default parameters stay"
        )
        assert col.settings.fitted is None
    finally:
        col.close()


def test_a_worse_fit_keeps_the_set_in_use(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    col, _clock, _url = make(db_url)
    try:
        write_history(col, simulate_history(KNOWN, cards=300, days=365, seed=11))
        first = col.optimizer.optimize()
        assert first.kept
        adopted = col.settings.fitted
        # a fit that lands far from the learner (the defaults with a halved first stability)
        bad = list(rs.DEFAULT_PARAMETERS)
        bad[2] = 0.5
        monkeypatch.setattr(opt, "compute_parameters", lambda _items: bad)
        second = col.optimizer.optimize()
        assert not second.kept
        assert second.log_loss_after > second.log_loss_before
        assert second.parameters == second.previous_parameters == first.parameters
        assert col.settings.fitted == adopted
        assert "no better" in second.message
    finally:
        col.close()


def test_adopted_set_changes_the_next_interval_and_reset_restores(db_url: str) -> None:
    col, _clock, _url = make(db_url, n=1)
    try:
        col.settings.save(replace(col.settings.current(), fuzz=False))
        card = col.reviews.next_card()
        assert card is not None
        easy_default = card.previews[3].interval
        # Easy on a new card: the first stability w3 (days) is the interval at 90 %
        assert easy_default == timedelta(days=round(DEFAULT_PARAMETERS[3]))
        params = list(DEFAULT_PARAMETERS)
        params[3] = 20.0
        col.settings.adopt_parameters(opt.Fitted(tuple(params), date(2026, 6, 1), 1234))
        card = col.reviews.next_card()
        assert card is not None
        easy_fitted = card.previews[3].interval
        assert easy_fitted == timedelta(days=20)
        outcome = col.reviews.answer(card, 4)
        assert outcome is not None
        col.optimizer.reset()
        assert col.settings.policy.parameters == tuple(DEFAULT_PARAMETERS)
        assert col.settings.fitted is None
    finally:
        col.close()
    col2, _c, _u = make(db_url, n=1)
    try:
        assert col2.settings.fitted is None
    finally:
        col2.close()


def test_a_damaged_stored_set_falls_back_to_defaults(db_url: str) -> None:
    from quizapp.store.settings import set_value

    col, _clock, _url = make(db_url)
    with col.store.write() as tx:
        set_value(tx, opt.PARAMETERS_KEY, {"parameters": [1.0, 2.0], "date": "x", "reviews": 3})
    col.close()
    col, _clock, _url = make(db_url)
    try:
        assert col.settings.policy.parameters == tuple(DEFAULT_PARAMETERS)
    finally:
        col.close()


def test_suggestion_after_every_thousand_new_reviews(db_url: str) -> None:
    col, _clock, _url = make(db_url)
    try:
        history = simulate_history(KNOWN, cards=200, days=365, seed=5)
        assert len(history) > SUGGEST_EVERY
        write_history(col, history[: SUGGEST_EVERY - 1])
        status = col.optimizer.status()
        assert status.reviews_since == SUGGEST_EVERY - 1 and not status.suggest
        write_history(col, history[SUGGEST_EVERY - 1 : SUGGEST_EVERY], tag="more")
        assert col.optimizer.status().suggest
        col.optimizer.optimize()
        status = col.optimizer.status()
        assert status.reviews_since == 0 and not status.suggest
    finally:
        col.close()


def test_optimize_command_json_and_reset(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    col, _clock, url = make(db_url)
    write_history(col, simulate_history(KNOWN, cards=300, days=365, seed=2))
    col.close()
    assert main(["--db", url, "optimize", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in (
        "reviews_used", "parameters", "previous_parameters", "log_loss_before",
        "log_loss_after", "rmse_bins_before", "rmse_bins_after", "kept",
    ):  # fmt: skip
        assert key in out
    assert out["kept"] is True and len(out["parameters"]) == 21
    assert out["log_loss_after"] < out["log_loss_before"]
    assert all(math.isfinite(x) for x in out["parameters"])
    assert main(["--db", url, "optimize"]) == 0
    text = capsys.readouterr().out
    assert "log loss" in text and "parameters:" in text
    assert main(["--db", url, "optimize", "--reset", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    col, _clock, _url = make(db_url)
    try:
        assert col.settings.fitted is None
    finally:
        col.close()


def test_optimize_command_on_an_empty_log(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _col, _clock, url = make(db_url)
    _col.close()
    assert main(["--db", url, "optimize"]) == 0
    assert "not enough history: 0 reviews" in capsys.readouterr().out


def test_fit_in_a_child_process_gives_the_same_fit() -> None:
    history = simulate_history(KNOWN, cards=150, days=365, seed=9)
    here = opt.fit(build_items(history), tuple(DEFAULT_PARAMETERS))
    there = opt.fit_in_process(history, DEFAULT_PARAMETERS)
    assert there.fitted is not None and here.fitted is not None
    assert there.reviews_used == here.reviews_used
    assert there.fitted == pytest.approx(here.fitted, rel=1e-5)
    assert there.log_loss_after == pytest.approx(here.log_loss_after, rel=1e-5)
    assert opt.fit_in_process([], DEFAULT_PARAMETERS).reviews_used == 0


def test_isolated_optimize_adopts_like_the_in_process_one(db_url: str) -> None:
    col, _clock, _url = make(db_url)
    try:
        write_history(col, simulate_history(KNOWN, cards=200, days=365, seed=6))
        stages: list[str] = []
        result = col.optimizer.optimize(lambda what, _done: stages.append(what), isolate=True)
        assert result.kept and col.settings.policy.parameters == result.parameters
        assert stages[0] == "reading the review history" and stages[-1] == "done"
    finally:
        col.close()


def test_predicted_recall_follows_the_adopted_forgetting_curve(db_url: str) -> None:
    """Stats and browse read retrievability on the curve of the parameters in use."""
    col, clock, _url = make(db_url, n=1)
    try:
        card = col.reviews.next_card()
        assert card is not None
        col.reviews.answer(card, 3)
        clock.advance(days=20)
        info = col.browse.card_info(card.card_id)
        s = info.stability_days
        assert s is not None and info.recall_now is not None

        def by_hand(decay: float) -> float:  # FSRS-6: R = (1 + f·t/S)^(−decay)
            factor = 0.9 ** (1 / -decay) - 1
            return (1 + factor * 20 / s) ** -decay

        assert info.recall_now == pytest.approx(by_hand(DEFAULT_PARAMETERS[20]), rel=1e-9)
        params = list(DEFAULT_PARAMETERS)
        params[20] = 0.6  # a steeper curve than the default decay
        col.settings.adopt_parameters(opt.Fitted(tuple(params), date(2026, 6, 1), 1234))
        fitted = col.browse.card_info(card.card_id).recall_now
        assert fitted == pytest.approx(by_hand(0.6), rel=1e-9)
        assert fitted != pytest.approx(info.recall_now, rel=1e-3)
        assert col.stats.summary().predicted_retention == pytest.approx(by_hand(0.6), abs=1e-4)
    finally:
        col.close()
