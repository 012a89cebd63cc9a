"""The exam plan: a small collection against a hand-run simulation (the forgetting curve and
fsrs's own review by hand), the budget, the final stretch, the after-exam warning, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.plan.model import NoExamDate
from quizapp.plan.text import NO_EXAM_DATE
from quizapp.scheduling.memory import Q_REVIEW, REVIEW
from quizapp.scheduling.review import exam_target_day
from quizapp.scheduling.skills import skill_keys
from quizapp.store.models import Card as CardRow
from quizapp.store.models import CardMemory, ReviewLog

NOW = datetime(2026, 2, 2, 10, tzinfo=UTC)  # study day 2026-02-02 (UTC, rollover 4:00)
TODAY = date(2026, 2, 2).toordinal()
DAY_START = datetime(2026, 2, 2, 4, tzinfo=UTC).timestamp()
DAY = 86400.0
DOMAIN = "ML Model Development"
DECAY = DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / -DECAY) - 1


def items(n: int) -> list[Item]:
    src = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")
    return [
        Item(f"plan-{i}", "flashcard", "b", src, "weights-bias", DOMAIN, "easy", "q", "a")
        for i in range(n)
    ]


def make(db_url: str, n: int = 4, **settings: object) -> tuple[Collection, FakeClock]:
    clock = FakeClock(NOW)
    study = open_collection(db_url, items(n), clock=clock)
    study.settings.save(replace(study.settings.current(), **settings))  # type: ignore[arg-type]
    return study, clock


def item_cards(study: Collection) -> list[int]:
    with Session(study.store.engine) as s:
        return list(
            s.execute(select(CardRow.id).where(CardRow.kind == "flashcard").order_by(CardRow.id))
            .scalars()
            .all()
        )


def set_memory(study: Collection, card_id: int, s: float, d: float, last: float, due: float):
    with Session(study.store.engine) as ses, ses.begin():
        ses.execute(
            update(CardMemory)
            .where(CardMemory.card_id == card_id)
            .values(
                state=REVIEW,
                step=None,
                stability=s,
                difficulty=d,
                due=due,
                last_review=last,
                reps=1,
                queue=Q_REVIEW,
            )
        )


def add_review_log(study: Collection, card_id: int, n: int, grade: int, ms: int) -> None:
    """n review answers graded `grade` taking `ms` each: the learner's pace and rating mix."""
    with Session(study.store.engine) as ses, ses.begin():
        for i in range(n):
            ses.add(
                ReviewLog(
                    learner=study.store.learner,
                    card_id=card_id,
                    grade=grade,
                    reviewed_at=NOW.timestamp() - 86400 * 30 + i,
                    study_day=TODAY - 30,
                    duration_ms=ms,
                    state=REVIEW,
                    stability=5.0,
                    difficulty=5.0,
                    due=0.0,
                    state_before=REVIEW,
                    step_before=None,
                    stability_before=5.0,
                    difficulty_before=5.0,
                    due_before=0.0,
                    last_review_before=None,
                    lapses_before=0,
                    queue_before=Q_REVIEW,
                    suspended_before=False,
                    leech_before=False,
                )
            )


def curve(elapsed_days: int, s: float) -> float:
    return (1 + FACTOR * elapsed_days / s) ** -DECAY


def test_plan_matches_a_hand_run_simulation(db_url: str) -> None:
    exam = date.fromordinal(TODAY + 10)
    study, _clock = make(db_url, new_per_day=0, exam_date=exam, study_minutes_per_day=30)
    a, b, c, _d = item_cards(study)
    add_review_log(study, a, 25, 3, 6000)  # 6 s a review, always Good when recalled
    # a and b: due after the exam, last seen 3 days ago: untouched until exam day
    set_memory(study, a, 5.0, 5.0, DAY_START - 3 * DAY + 3600, DAY_START + 15 * DAY)
    set_memory(study, b, 50.0, 6.0, DAY_START - 3 * DAY + 3600, DAY_START + 15 * DAY)
    # c: due in two days with a huge stability (recalled for sure): reviewed then, pulled
    # into the final stretch (1 day: 3 cards at 6 s fit 30 min), reviewed again there
    set_memory(study, c, 1000.0, 5.0, DAY_START - 2 * DAY + 3600, DAY_START + 2 * DAY + 3600)
    plan = study.plan.plan()

    # by hand: the forgetting curve for a, b; fsrs's own scheduler for c's two reviews
    r_a, r_b = curve(13, 5.0), curve(13, 50.0)
    sched = Scheduler(enable_fuzzing=False)
    t0 = datetime(2026, 1, 31, 5, tzinfo=UTC)
    card = Card(
        card_id=c, state=State.Review, stability=1000.0, difficulty=5.0, due=t0, last_review=t0
    )
    first = datetime(2026, 2, 4, 5, tzinfo=UTC)
    card, _ = sched.review_card(card, Rating.Good, first)
    second = datetime(2026, 2, 11, 5, tzinfo=UTC)  # exam - 1
    assert exam_target_day(c, exam.toordinal(), 1) == second.date().toordinal()
    card, _ = sched.review_card(card, Rating.Good, second)
    r_c = curve(1, card.stability)

    total = 4 + len(skill_keys())  # d and every skill card are unseen: recall 0
    assert plan.cards == total and plan.studied_by_exam == 3
    assert plan.predicted_recall == pytest.approx((r_a + r_b + r_c) / total, abs=1e-4)
    assert plan.by_topic["weights-bias"] == pytest.approx((r_a + r_b + r_c) / 4, abs=1e-4)
    assert list(plan.by_domain) == [DOMAIN]
    assert [(d.reviews, d.new) for d in plan.daily] == [
        (1 if i in (2, 9) else 0, 0) for i in range(10)
    ]
    assert plan.daily[2].minutes == pytest.approx(0.1)  # one 6 s review
    assert plan.stretch_days == 1 and plan.review_seconds == 6.0
    assert plan.fits_budget
    # the warning: a and b are next due after the exam and would not be seen before it
    assert plan.after_exam == 2
    warn = study.plan.after_exam()
    assert warn is not None and warn.count == 2 and warn.stretch_start == exam - timedelta(1)
    # the fix: pulled into the stretch, they are reviewed on its day and counted no more
    assert study.plan.pull_in() == 2
    assert study.plan.after_exam().count == 0  # type: ignore[union-attr]
    again = study.plan.plan()
    assert again.daily[9].reviews == 3 and again.after_exam == 0
    assert again.predicted_recall > plan.predicted_recall
    study.close()


def test_budget_fits_or_not(db_url: str) -> None:
    exam = date.fromordinal(TODAY + 20)
    study, _ = make(db_url, n=60, new_per_day=10, exam_date=exam, study_minutes_per_day=1)
    tight = study.plan.plan()
    assert not tight.fits_budget  # 1 min: 2 new cards a day at 30 s (default), not 10
    assert tight.daily[0].new == 2 and tight.new_left > 0 and tight.new_held_back >= 8 * 20
    assert tight.recall_if_more > tight.predicted_recall
    assert tight.recall_if_less == pytest.approx(tight.predicted_recall)  # still 1 minute
    roomy = study.plan.plan(minutes=600)
    assert roomy.fits_budget and roomy.minutes_per_day == 600
    assert roomy.reviews_behind == 0 and roomy.new_held_back == 0
    assert roomy.daily[0].new == 10 and all(d.minutes <= 600 for d in roomy.daily)
    assert roomy.predicted_recall > tight.predicted_recall
    # same inputs, same plan (seeded)
    assert study.plan.plan(minutes=600) == roomy
    study.close()


def test_final_stretch_pulls_cards_in_when_answering(db_url: str) -> None:
    exam = date.fromordinal(TODAY + 30)
    study, _clock = make(
        db_url, n=30, exam_date=exam, study_minutes_per_day=1, fuzz=False, new_per_day=0
    )
    ids = item_cards(study)
    add_review_log(study, ids[0], 25, 3, 6000)  # 6 s: 10 reviews a minute
    for cid in ids[:25]:  # 25 studied cards: the stretch is 3 days
        set_memory(study, cid, 500.0, 3.0, DAY_START - DAY, DAY_START + 3600)
    assert study.plan.stretch_days(TODAY) == 3
    seen = set()
    for _ in range(25):
        card = study.reviews.next_card()
        assert card is not None and card.card_id in ids[:25]
        outcome = study.reviews.answer(card, 4)
        # natural interval is years; it comes back on its day in the stretch instead
        target = exam_target_day(card.card_id, exam.toordinal(), 3)
        assert exam.toordinal() - 3 <= target < exam.toordinal()
        assert outcome.due.date().toordinal() == target
        seen.add(target)
    assert seen == {exam.toordinal() - 3, exam.toordinal() - 2, exam.toordinal() - 1}
    warn = study.plan.after_exam()
    assert warn is not None and warn.count == 0
    study.close()


def test_warning_counts_only_cards_not_seen_in_the_stretch(db_url: str) -> None:
    exam = date.fromordinal(TODAY + 3)
    study, _ = make(db_url, n=5, exam_date=exam)
    a, b, c, d, _e = item_cards(study)
    after = DAY_START + 10 * DAY
    set_memory(study, a, 50.0, 5.0, DAY_START - 5 * DAY, after)  # seen before: counts
    set_memory(study, b, 50.0, 5.0, DAY_START - 1 * DAY, after)  # counts
    set_memory(study, c, 50.0, 5.0, DAY_START - 1 * DAY, DAY_START + DAY)  # before the exam
    set_memory(study, d, 50.0, 5.0, DAY_START + 3600, after)  # seen today, in the stretch
    warn = study.plan.after_exam()
    assert study.plan.stretch_days(TODAY) == 1
    # the stretch is only exam - 1 here: d was seen today (before it) so it counts too
    assert warn is not None and warn.count == 3
    with Session(study.store.engine) as ses, ses.begin():
        ses.execute(
            update(CardMemory)
            .where(CardMemory.card_id == d)
            .values(last_review=DAY_START + 2 * DAY + 3600)
        )  # seen on exam - 1
    assert study.plan.after_exam().count == 2  # type: ignore[union-attr]
    # no exam date: no warning
    study.settings.set_exam_date(None)
    assert study.plan.after_exam() is None
    study.close()


def test_no_exam_date_and_bad_dates(db_url: str) -> None:
    study, _ = make(db_url)
    with pytest.raises(NoExamDate):
        study.plan.plan()
    with pytest.raises(Exception, match="is not after today"):
        study.plan.plan(date.fromordinal(TODAY))
    study.close()


def test_cli_json_contract_and_no_exam_date(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url
    assert main(["--db", url, "plan"]) == 0
    assert capsys.readouterr().out.strip() == NO_EXAM_DATE
    assert main(["--db", url, "plan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exam_date"] is None
    exam = (date.today() + timedelta(days=21)).isoformat()
    assert main(["--db", url, "plan", "--json", "--exam-date", exam, "--minutes", "25"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "exam_date",
        "minutes_per_day",
        "predicted_recall",
        "by_topic",
        "by_domain",
        "daily",
        "fits_budget",
        "recall_if_more",
        "recall_if_less",
    ):
        assert key in data
    assert data["exam_date"] == exam and data["minutes_per_day"] == 25
    assert isinstance(data["fits_budget"], bool)
    assert 0.0 <= data["recall_if_less"] <= data["predicted_recall"] <= data["recall_if_more"]
    assert 20 <= len(data["daily"]) <= 22
    assert set(data["daily"][0]) == {"date", "reviews", "new", "minutes"}
    assert main(["--db", url, "plan", "--exam-date", exam]) == 0
    out = capsys.readouterr().out
    assert "Predicted recall on exam day" in out and "Day" in out
    # bad input: one line, exit 2
    assert main(["--db", url, "plan", "--exam-date", "2026-13-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "quizapp: --exam-date: '2026-13-01' is not a date (YYYY-MM-DD)"
    assert main(["--db", url, "plan", "--minutes", "0", "--exam-date", exam]) == 2
    assert "--minutes" in capsys.readouterr().err
