"""Browse driven with Pilot on a database file: search and filters, an item whole with its
progress, suspend / unsuspend and reset (after a confirmation) checked in the store; and
snapshots of the list, the details and the confirmation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quiz_records import record_quiz
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from tui_support import BANK, START, FakeClock, make_app, open_study, shown, still_cursor, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.scheduling.skills import skill_keys
from quizapp.tui.screens.browse import BrowseScreen, ConfirmReset
from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.widgets.browse_rows import build_rows, search

SKILLS = len(skill_keys())

SRC = Source("lecture-deep-learning-intro.txt", "activation-functions", "sigmoid")
QUESTIONS: tuple[Item, ...] = (
    Item(
        id="tt-sigmoid-range",
        kind="single_choice",
        bank="tui-test",
        source=SRC,
        topic="activations",
        domain="ML Model Development",
        domains=(("mla-c01", "ML Model Development"), ("mls-c01", "Modeling")),
        difficulty="easy",
        prompt="What range does the sigmoid squash its input into?",
        choices=(
            Choice("0 to 1", True, "1 / (1 + e^-z) is always between 0 and 1."),
            Choice("-1 to 1", False, "That is tanh's range."),
            Choice("0 to infinity", False, "That is ReLU's range for positive inputs."),
        ),
        choose=1,
    ),
    Item(
        id="tt-relu-negative",
        kind="true_false",
        bank="tui-test",
        source=SRC,
        topic="activations",
        domain="ML Model Development",
        domains=(("mla-c01", "ML Model Development"), ("mls-c01", "Modeling")),
        difficulty="easy",
        prompt="ReLU passes negative inputs through unchanged.",
        answer=False,
        explanation="ReLU outputs 0 for every negative input.",
    ),
    Item(
        id="tt-softmax-calc",
        kind="computed",
        bank="tui-test",
        source=SRC,
        topic="activations",
        domain="Deployment and Orchestration of ML Workflows",
        domains=(
            ("mla-c01", "Deployment and Orchestration of ML Workflows"),
            ("mls-c01", "Machine Learning Implementation and Operations"),
        ),
        difficulty="medium",
        prompt="Work out the softmax of a small layer.",
        family="softmax",
        scenario="restaurant",
    ),
)
ITEMS = BANK + QUESTIONS


def with_reviews(clock: FakeClock):
    """tt-bias answered three times over two days; the quiz got tt-sigmoid-range wrong."""
    from quizapp.quiz import QuizAnswer

    def prepare(study) -> None:
        clock.set(START - timedelta(days=2))
        bias = next(i for i in study.browse.card_infos() if i.key == "tt-bias").card_id
        for grade, wait in ((1, 0), (3, 5), (3, 60 * 24)):
            clock.advance(minutes=wait)
            study.reviews.answer(study.reviews.card(bias), grade, 6.0)
        wrong = QuizAnswer(
            0, "tt-sigmoid-range", "activations", "ML Model Development", (1,), None, False
        )
        record_quiz(study, "practice", "practice", 1, [wrong])
        clock.set(START)

    return prepare


async def open_browse(pilot: Pilot) -> BrowseScreen:
    from tui_support import dashboard_ready

    await dashboard_ready(pilot)
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, BrowseScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.rows is not None)
    await pilot.pause()
    return screen


def keys_shown(screen: BrowseScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(key.value) for key in table.rows]


async def highlight(pilot: Pilot, screen: BrowseScreen, key: str) -> None:
    table = screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


def card_of(tmp_path: Path, key: str, clock: FakeClock | None = None):
    study = open_study(tmp_path, ITEMS, clock)
    try:
        return next(i for i in study.browse.card_infos() if i.key == key)
    finally:
        study.close()


async def test_search_and_filters_narrow_the_list(tmp_path: Path) -> None:
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        everything = keys_shown(screen)
        # a row per card: the two-gap cloze tt-relu lists its c1 and c2 cards
        ids = [
            k
            for i in ITEMS
            for k in ([f"{i.id}#c1", f"{i.id}#c2"] if i.id == "tt-relu" else [i.id])
        ]
        assert everything[: len(ids)] == ids
        assert len(everything) == len(ids) + SKILLS  # and the computed skill cards
        await pilot.press("slash")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"squash")  # in a prompt
        assert keys_shown(screen) == ["tt-sigmoid-range"]
        box = screen.query_one("#search", Input)
        box.value = "tanh's range"  # in a choice's explanation
        await pilot.pause()
        assert keys_shown(screen) == ["tt-sigmoid-range"]
        box.value = "softmax"
        await pilot.pause()
        assert keys_shown(screen) == [
            "tt-softmax",
            "tt-softmax-calc",
            "skill:softmax:easy",
            "skill:softmax:medium",
            "skill:softmax:hard",
        ]
        status = shown(screen.query_one("#browse-status", Static))
        assert f"5 of {len(ids) + SKILLS} shown" in status
        await pilot.press("enter", "k")  # back to the list, then the kind filter
        kind = screen.query_one("#kind", Select)
        assert kind.expanded
        kind.value = "computed"
        await pilot.pause()
        assert keys_shown(screen) == ["tt-softmax-calc"]
        await pilot.press("escape")
        screen.query_one("#domain", Select).value = "ML Model Development"
        await pilot.pause()
        assert keys_shown(screen) == []
        assert "nothing matches" in shown(screen.query_one("#browse-status", Static))
        await pilot.press("c")
        assert keys_shown(screen) == everything
        screen.query_one("#topic", Select).value = "weights-bias"
        await pilot.pause()
        assert keys_shown(screen) == ["tt-bias"]


def test_search_matches_every_word_in_any_field() -> None:
    rows = build_rows(ITEMS, [], {"activations": "Activation functions"})
    assert [r.key for r in search(rows, "RELU Unchanged")] == ["tt-relu-negative"]
    assert [r.key for r in search(rows, "activation functions", kind="cloze")] == ["tt-relu"]
    assert [r.key for r in search(rows, "", domain="ML Model Development", kind="true_false")] == [
        "tt-relu-negative"
    ]
    assert search(rows, "relu tanh banana") == []


async def test_suspend_and_unsuspend_change_the_stored_card(tmp_path: Path) -> None:
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await highlight(pilot, screen, "tt-rate")
        await pilot.press("s")
        await until(pilot, lambda: card_of(tmp_path, "tt-rate").suspended)
        await until(pilot, lambda: screen.current_row().card.suspended)
        row = screen.query_one(DataTable).get_row("tt-rate")
        assert str(row[3]) == "suspended"
        await pilot.press("s")
        await until(pilot, lambda: not card_of(tmp_path, "tt-rate").suspended)
        # a question item has no card: nothing to suspend
        await highlight(pilot, screen, "tt-relu-negative")
        assert not screen.check_action("suspend", ())
        await pilot.press("s")
        await pilot.pause(0.1)
    assert card_of(tmp_path, "tt-rate").state == "new"


async def test_reset_asks_first_then_forgets_the_progress(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await highlight(pilot, screen, "tt-bias")
        await pilot.press("enter")
        await until(pilot, lambda: screen.answers)
        detail = shown(screen.query_one("#detail-text", Static))
        for text in ("Front", "Back", "ELI5", "Technical", "Progress", "Last answers", "Again"):
            assert text in detail, text
        before = card_of(tmp_path, "tt-bias", clock)
        assert before.state == "review" and before.reps == 3 and before.lapses == 0
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmReset))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen)
        assert card_of(tmp_path, "tt-bias", clock) == before
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmReset))
        await pilot.press("y")
        await until(pilot, lambda: card_of(tmp_path, "tt-bias", clock).state == "new")
        await until(pilot, lambda: screen.detail.card.state == "new")
        assert "when first studied" in shown(screen.query_one("#detail-text", Static))
    after = card_of(tmp_path, "tt-bias", clock)
    assert (after.reps, after.stability_days, after.due) == (0, None, None)
    study = open_study(tmp_path, ITEMS, clock)
    assert study.stats.summary().reviews_total == 3  # the history is kept
    study.close()


async def test_items_open_whole_whatever_their_kind(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        expected = {
            "tt-relu#c1": ["Cloze", "max(0, z)", "Note"],
            "tt-sigmoid-range": ["Question", "A  0 to 1", "That is tanh's range.", "wrong"],
            "tt-relu-negative": ["Statement", "Answer  False", "outputs 0 for every negative"],
            "tt-softmax-calc": ["Family    softmax", "Scenario  restaurant", "quizzes and exams"],
            "skill:loss:hard": ["Computed skill", "loss at hard", "State"],
        }
        for key, texts in expected.items():
            await highlight(pilot, screen, key)
            await pilot.press("enter")
            await until(pilot, lambda k=key: screen.detail is not None and screen.detail.key == k)
            await pilot.pause(0.1)
            detail = shown(screen.query_one("#detail-text", Static))
            for text in texts:
                assert text in detail, (key, text)
            await pilot.press("escape")
            await until(pilot, lambda: screen.detail is None)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))


class TestSnapshots:
    def test_list(self, snap_compare, tmp_path: Path) -> None:
        """The filters, the list with kinds, states and due dates, the status line."""
        clock = FakeClock(START)
        app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))
        assert snap_compare(app, run_before=open_browse)

    def test_flashcard_with_progress(self, snap_compare, tmp_path: Path) -> None:
        """A flashcard whole, scrolled to its end: the back, ELI5, technical, its memory and
        its last answers."""
        clock = FakeClock(START)
        app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))

        async def run_before(pilot: Pilot) -> None:
            screen = await open_browse(pilot)
            await pilot.press("enter")
            await until(pilot, lambda: screen.answers)
            await pilot.press("end")
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before)

    def test_choice_question(self, snap_compare, tmp_path: Path) -> None:
        """A single-choice item: every choice marked right or wrong with its explanation."""
        clock = FakeClock(START)
        app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))

        async def run_before(pilot: Pilot) -> None:
            screen = await open_browse(pilot)
            await highlight(pilot, screen, "tt-sigmoid-range")
            await pilot.press("enter")
            await until(pilot, lambda: screen.answers)
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before)

    def test_reset_confirmation(self, snap_compare, tmp_path: Path) -> None:
        """Reset asks first, saying what is forgotten and what is kept."""
        clock = FakeClock(START)
        app = make_app(tmp_path, ITEMS, clock=clock, prepare=with_reviews(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_browse(pilot)
            await pilot.press("x")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmReset))
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before)
