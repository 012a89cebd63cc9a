"""Quiz sessions: exam scoring, all-or-nothing, unanswered, the clock, practice feedback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.answers import check_answer
from engine.problems import make_problem
from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.errors import QuizappError
from quizapp.quiz import (
    MemoryRecorder,
    Question,
    QuizClosed,
    QuizSession,
    QuizSetup,
    TimeUp,
    UnreadableAnswer,
    custom_exam,
)
from quizapp.quiz.session import AUTOSAVE_S

SHIPPED = load_shipped().items
BY_ID = {i.id: i for i in SHIPPED}
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def right(q: Question) -> list[int]:
    """The right answer, read from the bank item itself (not from the session's options)."""
    item = BY_ID[q.item_id]
    if item.kind in ("ordering", "matching"):
        return list(range(len(q.options)))  # the steps in bank order, each item's own pair
    if item.kind == "true_false":
        return [0 if item.answer else 1]
    if item.kind == "computed":
        return [i for i, c in enumerate(q.problem.choices()) if c.correct]
    return [i for i, c in enumerate(item.choices) if c.correct]


def wrong(q: Question) -> list[int]:
    """A wrong answer with as many picks as the question asks for (a sequence: reversed); a
    "choose three" of five takes both wrong options and one right one."""
    if q.sequence:
        return right(q)[::-1]
    wrong_first = sorted(set(range(len(q.options))) - set(right(q))) + right(q)
    return sorted(wrong_first[: q.picks_needed])


def exam(seed: int = 1, profile=None, clock: FakeClock | None = None):
    recorder = MemoryRecorder()
    clock = clock or FakeClock(START)
    setup = QuizSetup.exam(profile, seed=seed) if profile else QuizSetup.exam(seed=seed)
    return QuizSession.start(setup, SHIPPED, recorder, clock=clock), recorder, clock


@pytest.mark.parametrize(("n_right", "score", "ok"), [(35, 730, True), (34, 712, False)])
def test_exam_with_known_answers(n_right: int, score: int, ok: bool) -> None:
    """MLA-C01: 65 questions, 50 scored. The unscored 15 are all answered right here and
    still do not lift the score: it counts the scored ones only."""
    session, recorder, clock = exam(seed=4)
    assert len(session) == 65
    unscored = set(session.plan.unscored)
    assert len(unscored) == 15
    scored = [i for i in range(65) if i not in unscored]
    good_positions = set(scored[:n_right]) | unscored
    expected: dict[str, list[int]] = {}
    topics: dict[str, list[int]] = {}
    for i in range(65):
        q = session.question(i)
        good = i in good_positions
        assert session.answer(i, right(q) if good else wrong(q)) is None  # no feedback in exams
        if i in unscored:
            continue
        for table, key in ((expected, q.domain), (topics, q.topic)):
            table.setdefault(key, [0, 0])
            table[key][0] += good
            table[key][1] += 1
        clock.advance(seconds=60)
    check = session.submit_check()
    assert check.unanswered == () and check.flagged == () and not check.needs_warning
    results = session.submit()
    assert results.score == round(100 + 900 * n_right / 50) == score
    assert results.passed is ok and results.pass_score == 720
    assert (results.correct, results.total, results.answered) == (n_right, 50, 65)
    assert (results.questions, results.unscored) == (65, 15)
    assert {d: (t.correct, t.total) for d, t in results.by_domain.items()} == {
        d: tuple(v) for d, v in expected.items()
    }
    for domain, verdict in results.domain_verdicts().items():
        right_share = results.by_domain[domain].fraction
        assert verdict == ("meets" if right_share >= (720 - 100) / 900 else "needs improvement")
    assert {t: (x.correct, x.total) for t, x in results.by_topic.items()} == {
        t: tuple(v) for t, v in topics.items()
    }
    assert results.time_used_s == 50 * 60 and not results.timed_out
    assert results.notes == session.notes
    header = recorder.finished_attempts()[0]
    assert header.score == score and header.passed is ok
    assert recorder.calls.count(("save_answer", session.attempt_id)) == 65


def test_multiple_response_is_all_or_nothing() -> None:
    setup = QuizSetup.practice(5, kinds={"choice"}, seed=2)
    items = [i for i in SHIPPED if i.kind == "multiple_response" and i.choose == 2][:5]
    session = QuizSession.start(setup, items, MemoryRecorder(), clock=FakeClock(START))
    q0, q1, q2 = (session.question(i) for i in range(3))
    first, _second = right(q0)
    with pytest.raises(QuizappError, match="takes 2 answers"):
        session.answer(0, [first])  # practice answers are final: one pick is not an answer
    assert not session.is_answered(0)
    both = session.answer(1, right(q1))
    assert both is not None and both.correct
    extra = session.answer(2, [*right(q2), *wrong(q2)])
    assert extra is not None and not extra.correct
    assert session.submit().correct == 1


def test_unanswered_counts_as_wrong_and_submit_warns_first() -> None:
    session, recorder, _ = exam(seed=5)
    for i in range(10):
        session.answer(i, right(session.question(i)))
    session.set_flag(3)
    session.set_flag(40)
    check = session.submit_check()
    assert check.unanswered == tuple(range(10, 65))
    assert check.flagged == (3, 40)
    assert (check.answered_count, check.unanswered_count, check.flagged_count) == (10, 55, 2)
    assert check.needs_warning and not session.finished  # checking does not submit
    results = session.submit()
    counted = sum(1 for i in range(10) if i not in session.plan.unscored)
    assert results.correct == counted and results.answered == 10
    assert results.score == round(100 + 900 * counted / 50)
    assert len(results.review("wrong")) == 55
    assert [e.position for e in results.review("flagged")] == [3, 40]
    assert all(e.status == "unanswered" for e in results.review("wrong"))
    assert session.submit() is results  # idempotent
    assert recorder.calls.count(("finish", session.attempt_id)) == 1


def test_navigator_flags_and_changes_in_exam_mode() -> None:
    session, recorder, _ = exam(seed=6, profile=custom_exam(10))
    q = session.question(2)
    session.answer(2, wrong(q))
    session.answer(2, right(q))  # exams allow a change of mind
    assert session.chosen(2) == tuple(right(q))
    session.toggle_flag(5)
    session.goto(2)
    statuses = [e.status for e in session.navigator()]
    assert statuses[2] == "answered" and statuses[5] == "flagged" and statuses[0] == "unanswered"
    assert session.nav(2).current
    session.set_flag(2)
    assert session.nav(2).status == "flagged" and session.nav(2).answered
    session.clear(2)
    assert not session.is_answered(2) and session.is_flagged(2)
    with pytest.raises(QuizappError):
        session.feedback(2)  # no feedback during an exam
    single = next(i for i in range(10) if not session.question(i).multiple)
    with pytest.raises(QuizappError, match="one answer"):
        session.answer(single, [0, 1])
    with pytest.raises(QuizappError, match="choose among"):
        session.answer(single, [99])
    with pytest.raises(QuizappError, match="choose among"):
        session.answer(single, [])
    with pytest.raises(QuizappError, match="no question"):
        session.goto(10)
    session.next()
    assert session.current == 3
    assert recorder.load_attempt(session.attempt_id).progress.current == 3


def test_time_running_out_submits() -> None:
    session, recorder, clock = exam(seed=7, profile=custom_exam(10))
    limit = custom_exam(10).time_limit_s
    assert session.remaining() == limit
    first = next(i for i in range(10) if i not in session.plan.unscored)
    session.answer(first, right(session.question(first)))
    clock.advance(seconds=limit - 1)
    assert not session.tick() and session.remaining() == pytest.approx(1)
    clock.advance(seconds=2)
    assert session.tick() is True
    assert session.finished and session.remaining() == 0
    results = session.results()
    assert results.timed_out and results.time_used_s == limit
    assert results.correct == 1 and results.score == 213  # 1 of 8 scored: 212.5, half up
    assert recorder.finished_attempts()[0].attempt_id == session.attempt_id
    with pytest.raises(QuizClosed):
        session.answer(1, right(session.question(1)))
    assert not session.tick()


def test_an_action_after_the_deadline_submits_instead_of_answering() -> None:
    session, recorder, clock = exam(seed=8, profile=custom_exam(5))
    clock.advance(seconds=custom_exam(5).time_limit_s + 30)
    with pytest.raises(TimeUp):
        session.answer(0, right(session.question(0)))
    assert session.finished and session.results().answered == 0
    assert recorder.load_attempt(session.attempt_id).answers == ()


def test_the_clock_is_saved_periodically() -> None:
    session, recorder, clock = exam(seed=9, profile=custom_exam(10))
    clock.advance(seconds=AUTOSAVE_S - 1)
    session.tick()
    assert ("save_progress", session.attempt_id) not in recorder.calls
    clock.advance(seconds=1)
    session.tick()
    progress = recorder.load_attempt(session.attempt_id).progress
    assert progress.elapsed_s == AUTOSAVE_S
    assert progress.remaining_s == custom_exam(10).time_limit_s - AUTOSAVE_S


def test_answers_are_saved_as_given_with_original_indexes() -> None:
    session, recorder, clock = exam(seed=10)
    i, q = next(
        (i, q)
        for i, q in enumerate(session.questions())
        if q.kind in ("single_choice", "multiple_response") and q.options[0].index != 0
    )
    shown = q.options[: q.picks_needed]  # the first choice shown (two for a "choose two")
    clock.advance(seconds=42)
    session.answer(i, [o.index for o in shown])
    saved = {a.position: a for a in recorder.load_attempt(session.attempt_id).answers}[i]
    item = BY_ID[q.item_id]
    assert saved.chosen == tuple(sorted(o.index for o in shown))
    assert {item.choices[c].text for c in saved.chosen} == {o.text for o in shown}
    assert saved.correct == all(item.choices[c].correct for c in saved.chosen)
    assert (saved.item_id, saved.topic, saved.domain) == (item.id, item.topic, item.domain)
    stored = recorder.load_attempt(session.attempt_id)
    assert stored.progress.remaining_s == 130 * 60 - 42


def practice(kinds: set[str], count: int = 20, seed: int = 3) -> QuizSession:
    setup = QuizSetup.practice(count, kinds=kinds, seed=seed)
    return QuizSession.start(setup, SHIPPED, MemoryRecorder(), clock=FakeClock(START))


def test_practice_feedback_explains_every_choice() -> None:
    session = practice({"choice"})
    assert session.time_limit_s is None and session.remaining() is None
    for i in range(len(session)):
        q = session.question(i)
        item = BY_ID[q.item_id]
        fb = session.answer(i, wrong(q) if i % 2 else right(q))
        assert fb is not None and fb.correct is (i % 2 == 0)
        assert len(fb.options) == len(item.choices)
        by_text = {c.text: c for c in item.choices}
        for shown in fb.options:
            original = item.choices[shown.index]
            assert by_text[shown.text] is original
            assert shown.explanation == original.explanation != ""
            assert shown.correct == original.correct
            assert shown.chosen == (shown.index in fb.chosen)
        assert session.feedback(i) == fb
        with pytest.raises(QuizappError, match="already answered"):
            session.answer(i, right(q))


def test_practice_true_false_feedback_carries_the_explanation() -> None:
    session = practice({"true_false"}, count=5)
    q = session.question(0)
    fb = session.answer(0, wrong(q))
    assert fb is not None and not fb.correct
    assert fb.explanation == BY_ID[q.item_id].explanation != ""
    assert [o.text for o in fb.options] == ["True", "False"]


def computed_session() -> tuple[QuizSession, list[int]]:
    session = practice({"computed"}, count=6, seed=12)
    return session, list(range(len(session)))


def test_computed_typed_answers_get_steps_and_the_misconception() -> None:
    session, positions = computed_session()
    p0, p1, p2 = positions[:3]
    q = session.question(p0)
    variant = session.plan.questions[p0].variant
    problem = make_problem(variant.family, variant.seed, variant.difficulty, variant.scenario)
    assert q.problem == problem and q.variant_id == f"{variant.family}@{variant.seed}"
    assert problem.prompt in q.prompt
    good = session.answer_typed(p0, problem.display)
    assert good.correct and good.steps == problem.steps and good.steps
    assert good.answer_text == problem.display and good.misconception is None

    q1 = session.question(p1)
    miss = next(
        m
        for m in q1.problem.misconceptions
        if check_answer(q1.problem, q1.problem.show(m.answer)).misconception == m
    )
    bad = session.answer_typed(p1, q1.problem.show(miss.answer))
    assert not bad.correct and bad.misconception is not None
    assert (bad.misconception.name, bad.misconception.hint) == (miss.name, miss.hint)
    assert bad.steps == q1.problem.steps

    with pytest.raises(UnreadableAnswer):
        session.answer_typed(p2, "about half")
    assert not session.is_answered(p2)


def test_computed_multiple_choice_names_the_misconception_of_the_option() -> None:
    session, positions = computed_session()
    questions = [session.question(position) for position in positions]
    assert all(len(q.options) == 4 and q.choose == 1 for q in questions)
    for q in questions:  # a generated distractor has no misconception and says so
        for o in q.options:
            if not o.correct and o.misconception is None:
                assert o.explanation == "Not the worked answer."
    q = next(q for q in questions if any(o.misconception for o in q.options))
    wrong_option = next(o for o in q.options if not o.correct and o.misconception)
    assert wrong_option.misconception is not None
    assert wrong_option.misconception.hint in wrong_option.explanation
    fb = session.answer(q.position, [wrong_option.index])
    assert fb is not None and not fb.correct
    assert fb.misconception == wrong_option.misconception
    assert fb.steps == q.problem.steps
    assert all(o.explanation for o in fb.options)


@pytest.mark.parametrize("kinds", [{"computed"}, {"true_false"}])
def test_exams_draw_no_kind_their_profile_does_not_list(kinds: set[str]) -> None:
    """True/false and computed questions stay in practice quizzes: an exam set up with only
    them finds nothing to draw."""
    setup = QuizSetup.exam(custom_exam(5), kinds=kinds, seed=1)
    with pytest.raises(QuizappError, match="no questions match"):
        QuizSession.start(setup, SHIPPED, MemoryRecorder(), clock=FakeClock(START))


OUTCOME = st.sampled_from(["right", "wrong", "skip"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=st.lists(OUTCOME, min_size=10, max_size=10), seed=st.integers(0, 10_000))
def test_any_answer_pattern_scores_by_the_formula(pattern: list[str], seed: int) -> None:
    session, _, _ = exam(seed=seed, profile=custom_exam(10))
    for i, outcome in enumerate(pattern):
        q = session.question(i)
        if outcome != "skip":
            session.answer(i, right(q) if outcome == "right" else wrong(q))
    results = session.submit()
    counted = [o for i, o in enumerate(pattern) if i not in session.plan.unscored]
    assert len(counted) == 8  # 10 questions at MLA-C01's share: 8 scored
    n = counted.count("right")
    assert results.correct == n and results.total == 8
    assert results.score == (2 * (100 * 8 + 900 * n) + 8) // 16
    assert 100 <= results.score <= 1000
    assert results.passed == (results.score >= 720)
    assert sum(t.total for t in results.by_domain.values()) == 8
    assert sum(t.correct for t in results.by_topic.values()) == n


def test_clock_going_backwards_never_gives_time_back() -> None:
    session, _, clock = exam(seed=2, profile=custom_exam(5))
    clock.set(START - timedelta(hours=1))
    assert session.elapsed() == 0
    assert session.remaining() == custom_exam(5).time_limit_s
