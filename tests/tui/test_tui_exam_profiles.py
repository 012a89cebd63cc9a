"""Exam profiles on screen (Pilot, on a database file): the set-up lists the exams current
first (MLA-C01, the default) and marks the retired one (MLS-C01, the guide's exam); lengths,
kinds and domains follow the exam chosen; an exam started from the set-up holds only its
profile's kinds; an exam's results read like AWS's score report (scaled score, pass or fail
at its profile's mark, scored and unscored counts, per domain "meets" / "needs improvement"
and what it borrowed), while practice results keep their look. Snapshots of the set-up with
the retired exam chosen and of a passed MLS-C01 exam's results, at 80x24 and 60x20.

Update the snapshots with `pytest tests/tui/test_tui_exam_profiles.py --snapshot-update`,
then look at every SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import tui_quiz_bank as qs
from textual.pilot import Pilot
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList, Static
from tui_support import START, FakeClock, make_app, open_study, shown, still_cursor, until

from quizapp.bank.model import Item, Pair, Step
from quizapp.quiz import AttemptPlan, QuizSession, QuizSetup, custom_exam
from quizapp.quiz.profiles import MLA_C01, MLS_C01
from quizapp.tui.screens.quiz_setup import ProfileButton
from quizapp.tui.screens.results import ResultsScreen

BOTH = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
BY_ID = {i.id: i for i in qs.QUIZ_BANK}

ORDERING = Item(
    id="xp-ord-iteration",
    kind="ordering",
    bank="tui-quiz",
    source=qs.SRC,
    topic="learning",
    **qs.placed(qs.DEV, qs.MOD),
    difficulty="easy",
    prompt="Put the steps of one training iteration in order.",
    steps=(
        Step("Run the batch forward", "Predictions come first."),
        Step("Measure the loss", "The loss needs the predictions."),
        Step("Backpropagate the gradients", "Gradients are derivatives of the loss."),
        Step("Update the weights", "The update needs the gradients."),
    ),
)
MATCHING = Item(
    id="xp-match-ranges",
    kind="matching",
    bank="tui-quiz",
    source=qs.SRC,
    topic="activations",
    **qs.placed(qs.DEV, qs.MOD),
    difficulty="easy",
    prompt="Match each activation with the range of its output.",
    pairs=(
        Pair("Sigmoid", "Between 0 and 1", "1 / (1 + e^-z)."),
        Pair("tanh", "Between -1 and 1", "A stretched sigmoid."),
        Pair("ReLU", "0 or more, unbounded", "max(0, z)."),
    ),
)
ALL_KINDS_BANK = (*qs.QUIZ_BANK, ORDERING, MATCHING)


def labels(setup, selector: str) -> list[str]:
    """The shown radio buttons' labels of a radio set, in order."""
    return [
        b.label.plain for b in setup.query_one(selector, RadioSet).query(RadioButton) if b.display
    ]


def kinds_offered(setup) -> list[str]:
    return [(b.id or "").removeprefix("kind-") for b in setup.query(Checkbox) if b.display]


def plan_of(tmp_path: Path, items, clock: FakeClock | None = None) -> tuple[str, AttemptPlan]:
    """The one attempt's profile and plan, read back from the database."""
    study = open_study(tmp_path, items, clock)
    recorder = study.quizzes.recorder()
    (header,) = recorder.unfinished_attempts() or recorder.finished_attempts()
    plan = AttemptPlan.from_json(recorder.load_attempt(header.attempt_id).plan_json)
    study.close()
    return header.profile, plan


async def test_the_set_up_lists_mla_c01_first_and_marks_mls_c01_retired(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        setup = await qs.open_setup(pilot, "e")
        buttons = list(setup.query(ProfileButton))
        assert [b.label.plain for b in buttons] == [
            "MLA-C01 · current · default",
            "MLS-C01 · the guide's exam\nretired 31 Mar 2026",
        ]
        assert buttons[0].value and not buttons[1].value  # the default is chosen
        assert labels(setup, "#length") == [
            "Full · 65 q · 130 min",
            "30 q · 60 min",
            "15 q · 30 min",
            "Custom length",
        ]
        assert kinds_offered(setup) == ["choice", "ordering", "matching"]
        scope = setup.query_one("#scope", SelectionList)
        assert "MLA-C01 domains" in scope.border_title
        domains = [scope.get_option_at_index(i).value for i in range(4)]
        assert domains == [f"domain:{d}" for d, _ in MLA_C01.domain_weights]
        matching = shown(setup.query_one("#matching", Static))
        assert "15 match" in matching and "the exam will have 15" in matching

        await qs.choose_exam(pilot, setup, "MLS-C01")  # the retired one: its own shape
        assert setup.profile is MLS_C01
        assert labels(setup, "#length")[:3] == ["Full · 65 q · 180 min", "30 q · 83 min",
                                                "15 q · 42 min"]  # fmt: skip
        assert kinds_offered(setup) == ["choice"]  # MLS-C01 lists no ordering or matching
        assert "MLS-C01 domains" in scope.border_title
        domains = [scope.get_option_at_index(i).value for i in range(4)]
        assert domains == [f"domain:{d}" for d, _ in MLS_C01.domain_weights]
        await qs.choose_length(pilot, setup, 12)  # a custom length: relative to MLS-C01
        assert shown(setup.query_one("#custom-hint", Static)) == "1 to 65"
        chosen = setup.read_form()
        assert chosen.profile == custom_exam(12, MLS_C01) and chosen.profile.id == "mls-c01-12"
        assert "12 q in 33:14" in shown(setup.query_one("#matching", Static))
        assert "pass at 750" in shown(setup.query_one("#matching", Static))

        await pilot.press("m")  # practice: every kind, the default profile's domains
        assert kinds_offered(setup) == ["choice", "ordering", "matching", "true_false",
                                        "computed"]  # fmt: skip
        assert "MLA-C01 domains" in scope.border_title


async def test_a_domain_ticked_for_one_exam_is_dropped_for_another(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        setup = await qs.open_setup(pilot, "e")
        scope = setup.query_one("#scope", SelectionList)
        scope.select(f"domain:{qs.MONITOR}")
        scope.select("topic:aws")
        await pilot.pause()
        only = setup.read_form()
        assert only.domains == {qs.MONITOR} and only.topics == {"aws"}
        assert len(setup.pool(only)) == 2  # the bank's two Monitoring questions
        await qs.choose_exam(pilot, setup, "MLS-C01")
        assert set(scope.selected) == {"topic:aws"}  # not a domain of MLS-C01
        assert setup.read_form().domains == frozenset()


async def test_an_mla_c01_exam_from_the_set_up_holds_only_its_kinds(tmp_path: Path) -> None:
    app = make_app(tmp_path, ALL_KINDS_BANK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot)
        assert screen.view.total == len(qs.EXAM_BANK) + 2
        await pilot.press("ctrl+q")
    profile, plan = plan_of(tmp_path, ALL_KINDS_BANK)
    by_id = {i.id: i for i in ALL_KINDS_BANK}
    kinds = {by_id[q.item_id].kind for q in plan.questions}
    assert profile == "mla-c01" and plan.pass_score == 720 and plan.time_limit_s == 130 * 60
    assert kinds == set(MLA_C01.kinds)  # single, "choose two", ordering and matching
    assert {"true_false", "computed"}.isdisjoint(kinds)
    assert len(plan.unscored) == round(len(plan.questions) * 15 / 65)


async def test_an_mls_c01_exam_from_the_set_up_is_the_retired_profiles(tmp_path: Path) -> None:
    app = make_app(tmp_path, ALL_KINDS_BANK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 12, code="MLS-C01")
        assert screen.view.total == 12
        await pilot.press("ctrl+q")
    profile, plan = plan_of(tmp_path, ALL_KINDS_BANK)
    by_id = {i.id: i for i in ALL_KINDS_BANK}
    assert profile == "mls-c01-12" and plan.pass_score == 750
    assert plan.time_limit_s == custom_exam(12, MLS_C01).time_limit_s
    assert {by_id[q.item_id].kind for q in plan.questions} <= set(MLS_C01.kinds)


# -- results -------------------------------------------------------------------------------


def answer(session: QuizSession, position: int, right: bool) -> None:
    """The right choices, or a wrong one (a "choose two": one wrong and one right)."""
    question = session.question(position)
    if right:
        session.answer(position, question.correct_indexes)
        return
    wrong = next(o.index for o in question.options if not o.correct)
    extra = sorted(question.correct_indexes)[: question.picks_needed - 1]
    session.answer(position, [wrong, *extra])


def finished_exam(clock: FakeClock, profile, right: Callable[[int], bool], seed: int) -> Callable:
    """An exam of `profile` over the quiz bank, answered right where `right(position)`,
    submitted after 25 minutes."""

    def prepare(study) -> None:
        clock.set(START - timedelta(hours=3))
        session = QuizSession.start(
            QuizSetup.exam(profile, seed=seed), qs.QUIZ_BANK, study.quizzes.recorder(), clock=clock
        )
        for position in range(len(session)):
            answer(session, position, right(position))
        clock.advance(minutes=25)
        session.submit()
        clock.set(START)

    return prepare


async def test_exam_results_read_like_the_score_report(tmp_path: Path) -> None:
    clock = FakeClock(START)
    prepare = finished_exam(clock, custom_exam(15), lambda p: p % 3 != 1, seed=12)
    app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=prepare)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.open_results(pilot)
        r = screen.results
        assert (r.questions, r.total, r.unscored) == (15, 12, 3)  # MLA-C01's share unscored
        headline = shown(screen.query_one("#score", Static))
        verdict = "PASS" if r.score >= 720 else "FAIL"
        assert f"Score {r.score} of 1000: {verdict} (pass at 720)" in headline
        assert "MLA-C01" in screen.query_one("#summary").border_title
        detail = shown(screen.query_one("#score-detail", Static))
        assert "Scored on 12 of 15 questions (3 unscored, not shown which)" in detail
        assert f"{r.correct} of 12 scored right" in detail
        report = shown(screen.query_one("#by-domain", Static))
        assert "Compensatory scoring: only the total score decides" in " ".join(report.split())
        lines = [x.strip() for x in report.splitlines()]
        names = [d for d, _ in MLA_C01.domain_weights]
        assert [x for x in lines if x in names] == names  # every domain, in the profile's order
        verdicts = r.domain_verdicts()
        assert set(verdicts.values()) <= {"meets", "needs improvement"}
        for domain, said in verdicts.items():
            row = lines[lines.index(domain) + 1]
            assert row.endswith(said) and r.by_domain[domain].text in row
        (short,) = [q for q in r.quotas if q.short]
        assert short.domain == qs.MONITOR
        row = lines[lines.index(qs.MONITOR) + 2]
        assert row == (
            f"{short.short} of its {short.target} slots filled from other domains "
            "(too few questions here)"
        )


async def test_a_retired_exams_results_use_its_own_pass_mark(tmp_path: Path) -> None:
    clock = FakeClock(START)
    prepare = finished_exam(clock, MLS_C01, lambda p: p != 4, seed=13)
    app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=prepare)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.open_results(pilot)
        r = screen.results
        assert r.pass_score == 750 and r.passed
        headline = shown(screen.query_one("#score", Static))
        assert f"Score {r.score} of 1000: PASS (pass at 750)" in headline
        assert "MLS-C01" in screen.query_one("#summary").border_title
        report = shown(screen.query_one("#by-domain", Static))
        assert "at least 72% of its scored questions" in " ".join(report.split())  # 750's share


async def test_practice_results_keep_their_look(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_practice(pilot, 2, kinds=["choice"])
        for position in range(2):
            await qs.answer(pilot, qs.right_keys(screen.view.question))
            await pilot.press("enter")
            if position == 0:
                await qs.settled(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        text = " ".join(shown(s) for s in app.screen.query(Static))
        assert "2 of 2 right (100%)" in text and "scaled 1000 of 1000" in text
        for exam_only in ("Scored on", "meets", "needs improvement", "Compensatory", "PASS"):
            assert exam_only not in text


# -- snapshots -----------------------------------------------------------------------------


class TestSnapshots:
    @BOTH
    def test_setup_retired_exam_custom(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """The exam set-up with MLS-C01 (retired) chosen and a custom length: its lengths,
        its one kind, its domains, a past MLA-C01 exam in the list."""
        clock = FakeClock(START)
        prepare = finished_exam(clock, custom_exam(10), lambda p: p < 8, seed=11)
        app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=prepare)

        async def run_before(pilot: Pilot) -> None:
            setup = await qs.open_setup(pilot, "e")
            await qs.choose_exam(pilot, setup, "MLS-C01")
            await qs.choose_length(pilot, setup, 12)
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=size)

    @BOTH
    def test_retired_exam_results(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """A passed MLS-C01 exam: 750 to pass, 12 of 15 scored, each domain's verdict."""
        clock = FakeClock(START)
        prepare = finished_exam(clock, MLS_C01, lambda p: p != 4, seed=13)
        app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=prepare)

        async def run_before(pilot: Pilot) -> None:
            await qs.open_results(pilot)
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=size)
