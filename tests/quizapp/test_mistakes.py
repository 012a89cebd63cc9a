"""The mistakes view: counts, last seen and trend on a hand-built record; the practice
families that invite a misconception; recording a quiz answer's misconception; the CLI."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import engine
from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.mistakes.service import catalog
from quizapp.practice import PracticeAttempt
from quizapp.quiz.plan import QuizSetup
from quizapp.quiz.record import Progress, QuizAnswer
from quizapp.store import practice_attempts
from quizapp.store.tables import CARDS, QUIZ_ANSWERS, mine

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)  # study day T (rollover 4:00, UTC)
SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")


def computed_item() -> Item:
    return Item(
        "c-ws", "computed", "test", SOURCE, "neurons", "ML Model Development", "medium",
        family="weighted_sum",
    )  # fmt: skip


def make(db_url: str) -> tuple[Collection, FakeClock, str]:
    clock = FakeClock(NOW)
    url = db_url
    return open_collection(url, [computed_item()], clock=clock), clock, url


def practise(
    study: Collection,
    clock: FakeClock,
    days_ago: int,
    mistake: str | None,
    *,
    family: str = "weighted_sum",
    card: bool = False,
    correct: bool = False,
) -> None:
    """One practice attempt `days_ago` study days back (a skill card's when `card`)."""
    at = NOW - timedelta(days=days_ago)
    card_id = None
    with study.store.write() as tx:
        if card:
            card_id = tx.scalar(select(CARDS.c.id).where(mine(CARDS)).order_by(CARDS.c.id).limit(1))
        practice_attempts.insert_practice(
            tx,
            {
                "attempted_at": at.timestamp(), "study_day": study.time.day_of(at),
                "variant_id": f"{family}@1", "family": family, "difficulty": "medium",
                "typed": "1", "value": 1.0, "correct": correct, "misconception": mistake,
                "hinted": False, "elapsed_s": 5.0, "card_id": card_id, "review_log_id": None,
                "steps": None,
            },
        )  # fmt: skip


def quiz(study: Collection, clock: FakeClock, days_ago: int, mistake: str | None) -> None:
    at = NOW - timedelta(days=days_ago)
    rec = study.quizzes.recorder()
    aid = rec.start_attempt(
        mode="practice", profile="practice", question_count=1, time_limit_s=None,
        plan_json='{"version":1}', at=at,
    )  # fmt: skip
    answer = QuizAnswer(0, "c-ws", "neurons", "ML Model Development", (1,), None, False, False,
                        mistake)  # fmt: skip
    rec.save_answer(aid, answer, Progress(0, 0.0, None), at=at)


def build_record(study: Collection, clock: FakeClock) -> None:
    # forgot_bias: recent window (T-13..T) 3, the window before (T-27..T-14) 2, T-28 neither
    practise(study, clock, 0, "forgot_bias")
    practise(study, clock, 0, "forgot_bias")
    practise(study, clock, 13, "forgot_bias")
    practise(study, clock, 14, "forgot_bias", card=True)
    practise(study, clock, 27, "forgot_bias", card=True)
    quiz(study, clock, 28, "forgot_bias")
    # percent: 0 recent, 2 before -> down; last seen 15 days ago
    quiz(study, clock, 20, "percent")
    practise(study, clock, 15, "percent", family="softmax")
    # a name the engine sample never makes: families from where practice met it
    practise(study, clock, 1, "made_up_slip", family="knn")
    # not counted: a right answer, a wrong one without a name
    practise(study, clock, 0, "forgot_bias", correct=True)
    practise(study, clock, 0, None)
    quiz(study, clock, 0, None)


def test_counts_last_seen_and_trend(db_url: str) -> None:
    study, clock, _ = make(db_url)
    build_record(study, clock)
    report = study.mistakes.report()
    assert [m.name for m in report.mistakes] == ["forgot_bias", "percent", "made_up_slip"]
    bias, percent, made_up = report.mistakes
    assert (bias.count, bias.recent, bias.before, bias.trend) == (6, 3, 2, "up")
    assert bias.last_seen == NOW
    assert dict(bias.by_source) == {"practice": 3, "card": 2, "quiz": 1}
    assert bias.hint == "The bias is part of z: add b after the products."
    assert (percent.count, percent.recent, percent.before, percent.trend) == (2, 0, 2, "down")
    assert percent.last_seen == NOW - timedelta(days=15)
    assert dict(percent.by_source) == {"practice": 1, "quiz": 1}
    assert (made_up.count, made_up.trend, made_up.hint) == (1, "up", "")
    assert made_up.families == ("knn",)
    study.close()


def engine_files_naming(name: str) -> set[str]:
    """The engine families whose source names the misconception (independent of sampling)."""
    root = Path(engine.__file__).parent / "problems"
    return {p.stem for p in root.glob("*.py") if f'"{name}"' in p.read_text()}


@pytest.mark.parametrize("name", ["forgot_bias", "added_pairs"])
def test_the_families_that_invite_a_misconception(name: str) -> None:
    invites = catalog()[name]
    assert set(invites.families) == engine_files_naming(name)
    assert invites.difficulty(invites.families[0]) in ("easy", "medium", "hard")
    from engine.problems import make_problem

    family = invites.families[0]
    level = invites.difficulty(family)
    assert any(
        name in {m.name for m in make_problem(family, s, level, None).misconceptions}
        for s in range(12)
    )


def test_a_wrong_quiz_answer_records_its_misconception(db_url: str) -> None:
    study, _clock, _ = make(db_url)
    session = study.quizzes.start(QuizSetup.practice(1, kinds=["computed"], seed=3))
    q = session.question(0)
    named = [o for o in q.options if o.misconception is not None]
    assert named, "the variant has a named wrong option"
    session.answer(0, [named[0].index])
    with study.store.read() as tx:
        stored = tx.all(
            select(QUIZ_ANSWERS.c.misconception, QUIZ_ANSWERS.c.correct).where(mine(QUIZ_ANSWERS))
        )
    assert [tuple(r) for r in stored] == [(named[0].misconception.name, False)]
    loaded = study.quizzes.recorder().load_attempt(session.attempt_id).answers
    assert loaded[0].misconception == named[0].misconception.name
    report = study.mistakes.report()
    assert [(m.name, dict(m.by_source)) for m in report.mistakes] == [
        (named[0].misconception.name, {"quiz": 1})
    ]
    # a right answer records none
    session2 = study.quizzes.start(QuizSetup.practice(1, kinds=["computed"], seed=4))
    right = next(o for o in session2.question(0).options if o.correct)
    session2.answer(0, [right.index])
    with study.store.read() as tx:
        rows = tx.all(
            select(QUIZ_ANSWERS.c.misconception).where(mine(QUIZ_ANSWERS), QUIZ_ANSWERS.c.correct)
        )
    assert [tuple(r) for r in rows] == [(None,)]
    study.close()


def test_a_typed_practice_attempt_with_a_misconception_counts(db_url: str) -> None:
    study, _clock, _ = make(db_url)
    attempt = PracticeAttempt("weighted_sum@1", "weighted_sum", "medium", "1", 1.0, False,
                              "forgot_bias", False, 3.0)  # fmt: skip
    study.practice.record(attempt)
    (m,) = study.mistakes.report().mistakes
    assert (m.name, m.count, dict(m.by_source)) == ("forgot_bias", 1, {"practice": 1})
    study.close()


def test_cli_json(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    study, clock, url = make(db_url)
    build_record(study, clock)
    study.close()
    code = main(["--db", url, "mistakes", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert data["window_days"] == 14 and data["total"] == 9
    first = data["mistakes"][0]
    assert first["name"] == "forgot_bias" and first["count"] == 6
    now = open_collection(url)  # the command's clock is the system's: the same report
    assert data == now.mistakes.report().to_json()
    now.close()
    assert set(first["families"]) == engine_files_naming("forgot_bias")
    assert re.match(r"\d{4}-\d\d-\d\dT", first["last_seen"])
    code = main(["--db", url, "mistakes"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith("Named mistakes (trend: last 14 days")
    assert "Forgot bias" in out


def test_a_hint_fits_every_problem_not_just_the_sampled_one() -> None:
    from engine.answers import GENERIC_HINTS
    from quizapp.mistakes.service import catalog, general_hint

    assert catalog()["power_of_ten"].hint == GENERIC_HINTS["power_of_ten"]
    worded = ["Keep α = 0.3 for negative z.", "Keep the slope α for negative z."]
    assert general_hint(worded) == "Keep the slope α for negative z."  # no sample's numbers
    assert general_hint(["Use 0.1.", "Use 0.2.", "Use 0.2."]) == "Use 0.2."  # most common


def test_a_bank_option_can_name_its_misconception(db_url: str) -> None:
    """A wrong pick of an option that names a misconception is recorded and counted; an
    engine name brings its practice families, a bank-only name its option's explanation."""
    from quizapp.bank.model import Choice

    item = Item(
        "sc-bias", "single_choice", "test", SOURCE, "neurons", "ML Model Development", "easy",
        prompt="Weights 1 and 2 on inputs 3 and 4, bias 1: what is z?",
        choices=(
            Choice("12", True, "3 + 8 + 1."),
            Choice("11", False, "Leaves out the bias.", "forgot_bias"),
            Choice("13", False, "Adds the bias twice.", "bias_added_twice"),
            Choice("10", False, "A slip."),
        ),
    )  # fmt: skip
    clock = FakeClock(NOW)
    study = open_collection(db_url, [item], clock=clock)
    try:
        for name, seed in (("forgot_bias", 1), ("bias_added_twice", 2), (None, 3)):
            session = study.quizzes.start(QuizSetup.practice(1, seed=seed))
            q = session.question(0)
            pick = next(
                o for o in q.options
                if not o.correct and (o.misconception.name if o.misconception else None) == name
            )  # fmt: skip
            session.answer(0, [pick.index])
        report = {m.name: m for m in study.mistakes.report().mistakes}
        assert set(report) == {"forgot_bias", "bias_added_twice"}  # the unnamed slip: none
        assert "weighted_sum" in report["forgot_bias"].families  # the engine knows it
        assert report["bias_added_twice"].hint == "Adds the bias twice."
        assert report["bias_added_twice"].families == ()
    finally:
        study.close()
