"""The app shell: first run, a migrated database, skill cards, errors, help, quitting, and
`quizapp` refusing broken banks or databases before the UI starts."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from textual.widgets import Static
from tui_support import (
    BANK,
    START,
    FakeClock,
    card_ready,
    dashboard_ready,
    db_url,
    grade,
    make_app,
    open_review,
    open_study,
    shown,
    until,
)

from quizapp import cli
from quizapp.collection import Collection, open_collection
from quizapp.errors import StoreError
from quizapp.store.database import alembic_config, head_revision, make_engine
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.dialogs import ErrorDialog
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.review import ReviewScreen


async def test_first_run_opens_on_an_empty_database(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    assert not (tmp_path / "progress.db").exists()
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        data = app.screen.data
        # 4 bank cards and 63 skill cards are new; a day introduces 20 of them
        assert (data.due.new, data.due.learning, data.due.review) == (20, 0, 0)
        today = shown(app.screen.query_one("#today", Static))
        assert "Welcome" in today and "20 due today" in today
        assert "No exam date set" in shown(app.screen.query_one("#exam", Static))
    assert (tmp_path / "progress.db").exists()


def make_first_release_db(path: Path) -> None:
    """A database at the first schema revision with one answer in it."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()


async def test_a_database_from_the_previous_version_is_migrated(tmp_path: Path) -> None:
    make_first_release_db(tmp_path / "progress.db")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await grade(pilot, "3")
    with sqlite3.connect(tmp_path / "progress.db") as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == head_revision()
    assert open_study(tmp_path).stats.summary().reviews_total == 1


async def test_a_skill_card_is_graded_from_a_practice_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path, items=())  # no bank: the first new card is a skill
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        card = screen.card
        assert card.is_skill and screen.solver is not None
        problem = screen.solver.problem
        assert problem.family == card.family and problem.difficulty == card.difficulty
        await pilot.press(*problem.display, "enter")
        await until(pilot, lambda: screen.can_undo)  # saved (it can be undone)
        await pilot.press("enter")  # next card
        await card_ready(pilot)
        assert screen.card.card_id != card.card_id and screen.done == 1
    study = open_study(tmp_path, ())
    assert study.stats.summary().reviews_total == 1
    info = study.browse.card_info(card.card_id)
    assert info.reps == 1 and info.state != "new"
    assert study.practice.records()[0].correct == 1


async def test_a_skill_card_answered_step_by_step_is_graded_from_the_whole(
    tmp_path: Path,
) -> None:
    from engine.problems.model import fixed
    from engine.problems.stages import solve

    app = make_app(tmp_path, items=())  # skills in catalog order: weighted_sum, neuron_output
    async with app.run_test(size=(100, 40)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert not screen.solver.can_toggle_stepwise  # a one-step family
        await pilot.press(*screen.solver.problem.display, "enter")
        await until(pilot, lambda: screen.can_undo)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: screen.solver is not None and screen.solver.problem.family == "neuron_output",
        )
        card, solver = screen.card, screen.solver
        await pilot.press("escape", "t")
        assert solver.stepwise
        z = solve(solver.run.stages)["z"] + 1
        await pilot.press(*fixed(z, 3), "enter")
        await pilot.press(*fixed(solver.run.stages[1].value({"z": z}), 6), "enter")
        await until(pilot, lambda: screen.outcome is not None)
        assert screen.outcome.grade == 2  # one slip: Hard
        assert "Hard" in shown(screen.query_one("#skill-grade", Static))
    study = open_study(tmp_path, ())
    (latest, _first) = study.practice.attempts()
    assert latest.card_id == card.card_id and latest.slips == 1 and len(latest.steps) == 2


class FlakyReviews:
    """The real review loop, whose next `answer` fails once, as a locked database would."""

    def __init__(self, reviews) -> None:
        self._reviews = reviews
        self.fail_next_answer = True

    def answer(self, *args, **kwargs):
        if self.fail_next_answer:
            self.fail_next_answer = False
            raise StoreError("cannot write the progress database: database is locked")
        return self._reviews.answer(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._reviews, name)


def FlakyStudy(col: Collection) -> Collection:
    return replace(col, reviews=FlakyReviews(col.reviews))


async def test_a_failed_save_shows_a_dialog_and_keeps_the_answer(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = QuizApp(
        lambda: FlakyStudy(open_collection(db_url(tmp_path), BANK, clock=clock)), clock=clock
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        review = app.screen
        first = review.card.card_id
        await pilot.press("space", "3")
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert "database is locked" in shown(dialog.query_one("#error-detail", Static))
        assert "not saved" in shown(dialog.query_one("#error-kept", Static))
        assert review.done == 0 and review.card.card_id == first  # it does not count yet
        await pilot.press("3")  # the dialog is on top: nothing is graded twice
        await pilot.press("r")  # retry
        await until(pilot, lambda: app.screen is review and not review.busy)
        assert review.card.card_id != first and review.done == 1
        assert app.runner.unsaved == ()
    assert open_study(tmp_path, clock=clock).stats.summary().reviews_total == 1


async def test_closing_the_error_dialog_keeps_the_card_until_a_retry_saves(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = QuizApp(
        lambda: FlakyStudy(open_collection(db_url(tmp_path), BANK, clock=clock)), clock=clock
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        review = app.screen
        await pilot.press("space", "3")
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        await pilot.press("escape")
        assert app.screen is review and review.stalled
        await pilot.press("space", "3", "4")  # stalled: no second grade for the same card
        await pilot.press("r")
        await card_ready(pilot)
        assert review.done == 1
    assert open_study(tmp_path, clock=clock).stats.summary().reviews_total == 1


async def test_a_database_that_cannot_open_ends_the_app_with_one_line(tmp_path: Path) -> None:
    def refuse() -> Collection:
        raise StoreError("the progress database was made by a newer quizapp; upgrade quizapp")

    app = QuizApp(refuse)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.fatal is not None)
    assert app.fatal == "the progress database was made by a newer quizapp; upgrade quizapp"


async def test_help_lists_every_screen_and_ctrl_q_quits_from_an_answer_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(shown(s) for s in app.screen.query(".help-section"))
        for heading in ("Everywhere", "Dashboard", "Flashcard review", "Computed practice"):
            assert heading in text
        assert "Undo the last answer" in text and "u / ^z" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Review flashcards", "Practice problems", "Help", "Light / dark"} <= commands

        await pilot.press("p", "enter")  # practice, mixed: the answer box has focus
        await until(pilot, lambda: app.screen.solver is not None)
        await pilot.press("question_mark")  # typed: in an answer box every key is text
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.solver.query_one("#answer").value == "?"
        await pilot.press("f1")  # help from the box
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+q")
        await until(pilot, lambda: not app.is_running)


async def test_the_theme_switches_and_is_remembered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        assert app.current_theme.dark
        app.action_toggle_theme()
        assert not app.current_theme.dark
        await until(pilot, lambda: open_study(tmp_path).settings.current().theme == "textual-light")
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        assert again.theme == "textual-light"


# -- `quizapp` refuses before the UI takes the terminal ---------------------------------


@pytest.fixture
def no_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    def started(self, *args, **kwargs):
        raise AssertionError("the UI started")

    monkeypatch.setattr(QuizApp, "run", started)


def test_a_corrupt_database_is_one_line_before_the_ui(
    tmp_path: Path, no_ui: None, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "progress.db"
    bad.write_bytes(b"this is not a database" * 50)
    assert cli.main(["--db", f"sqlite:///{bad}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("quizapp: ") and "corrupt" in err
    assert bad.read_bytes() == b"this is not a database" * 50


def test_a_damaged_sqlite_file_is_refused(
    tmp_path: Path, no_ui: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "progress.db"
    open_collection(f"sqlite:///{path}", BANK).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the first page's b-tree
    path.write_bytes(bytes(data))
    assert cli.main(["--db", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corrupt" in err


def test_a_broken_shipped_bank_is_one_line_before_the_ui(
    tmp_path: Path, no_ui: None, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from quizapp.bank import loader

    broken = tmp_path / "banks"
    broken.mkdir()
    (broken / "bad.toml").write_text('[bank]\ntitle = "x"\n[[items]]\nid = "oops"\n')
    monkeypatch.setattr(loader, "shipped_banks_dir", lambda: broken)
    loader._shipped_cached.cache_clear()
    try:
        assert cli.main(["--db", db_url(tmp_path)]) == 2
    finally:
        loader._shipped_cached.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("quizapp: ") and "shipped question banks" in err
    assert "Traceback" not in err


def test_a_missing_bank_path_is_one_line_before_the_ui(
    tmp_path: Path, no_ui: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", db_url(tmp_path), "--bank", str(tmp_path / "nope.toml")]) == 2
    assert (
        capsys.readouterr().err == f"quizapp: no such bank file or folder: {tmp_path}/nope.toml\n"
    )


def test_a_good_start_reaches_the_ui_with_the_database_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {}

    def run(self, *args, **kwargs):
        seen["study"] = self.runner._opener()

    monkeypatch.setattr(QuizApp, "run", run)
    monkeypatch.setenv("QUIZAPP_DB", db_url(tmp_path))
    assert cli.main([]) == 0
    study = seen["study"]
    assert study.store.path == tmp_path / "progress.db"
    assert study.reviews.due_counts().new > 0  # the shipped banks were loaded and synced
    study.close()


@pytest.fixture
def engine_fails_for(monkeypatch: pytest.MonkeyPatch):
    """Make the engine fail for some families, as a generator bug would."""
    from engine.problems import generate as generator

    real = generator.make_problem

    def fail_for(*families: str) -> None:
        def make_problem(family, seed, difficulty="medium", scenario=None):
            if family in families:
                raise RuntimeError(f"no well-posed {family} problem for seed {seed}")
            return real(family, seed, difficulty, scenario)

        monkeypatch.setattr(generator, "make_problem", make_problem)

    return fail_for


async def test_a_skill_card_the_engine_cannot_make_is_buried_not_a_crash(
    tmp_path: Path, engine_fails_for
) -> None:
    engine_fails_for("weighted_sum")
    app = make_app(tmp_path, items=())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await until(pilot, lambda: app.screen.card is not None and app.screen.solver is not None)
        assert app.screen.card.family == "neuron_output"
        assert any("Skipped a skill card" in n.message for n in app._notifications)
    study = open_study(tmp_path, ())
    skipped = [i for i in study.browse.card_infos() if i.key == "skill:weighted_sum:easy"]
    assert skipped[0].buried and skipped[0].reps == 0


async def test_practice_carries_on_when_the_engine_fails_a_family(
    tmp_path: Path, engine_fails_for
) -> None:
    from engine.catalog import FAMILIES

    engine_fails_for(*(f for f in FAMILIES if f != "softmax"))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("p", "enter")  # mixed
        await until(pilot, lambda: getattr(app.screen, "solver", None) is not None)
        assert app.screen.solver.problem.family == "softmax"
        # out of the answer box (letters are keys), then weighted sum, which fails
        from quizapp.practice import MODES

        steps = len(MODES) + FAMILIES.index("weighted_sum")  # from "mixed", the first option
        await pilot.press("escape", "f", *["down"] * steps, "enter")
        await until(pilot, lambda: app.screen.query_one("#chooser").display)
        assert "no weighted sum problem" in list(app._notifications)[-1].message


async def test_broken_learner_banks_are_skipped_and_reported(tmp_path: Path) -> None:
    from quizapp.commands.app import StudyOpener

    mine = tmp_path / "mine.toml"
    mine.write_text('[bank]\ntitle = "mine"\n[[items]]\nid = "broken"\nkind = "flashcard"\n')
    opener = StudyOpener(db_url(tmp_path), [str(mine)])
    app = QuizApp(opener, bank_errors=lambda: opener.bank_errors)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        notes = [n for n in app._notifications if n.title == "Some of your bank files were skipped"]
        assert notes and "mine.toml" in notes[0].message
        assert app.screen.data.due.new > 0  # the shipped banks still loaded


async def test_a_keymap_rebinds_by_binding_id(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = QuizApp(
        lambda: open_collection(db_url(tmp_path), BANK, clock=clock),
        clock=clock,
        keymap={"dashboard.review": "v", "review.reveal": "enter"},
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("r")  # no longer bound
        assert not isinstance(app.screen, ReviewScreen)
        await pilot.press("v")
        await card_ready(pilot)
        await pilot.press("enter")
        assert app.screen.revealed


@pytest.mark.parametrize("how", ["action", "palette"])
async def test_a_screenshot_is_saved_in_the_data_directory_without_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """~/Downloads need not exist: the screenshot goes to the data directory, and the
    notification says where."""
    from quizapp.paths import data_dir

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        if how == "action":
            await app.run_action("screenshot")
        else:
            app.deliver_screenshot()  # what the palette's "Screenshot" calls
        await until(pilot, lambda: any("creenshot" in n.title for n in app._notifications))
        (note,) = [n for n in app._notifications if "creenshot" in n.title]
        shots = list(data_dir().glob("*.svg"))
        assert len(shots) == 1 and "<svg" in shots[0].read_text(encoding="utf-8")
        assert note.severity == "information" and str(shots[0]) in note.message
    assert not (home / "Downloads").exists()


async def test_the_footer_shows_whole_keys_and_keeps_the_help_key_in_view(
    tmp_path: Path,
) -> None:
    """A row of keys too long for the terminal is never cut mid-key nor drawn under the
    palette hint (before, a stray letter of "? Help" showed after it): the keys that fit are
    shown whole, the help key pinned at the right edge (the help lists every key), and the
    palette hint only where every key fits beside it."""
    from itertools import pairwise

    from textual.widgets._footer import FooterKey

    from quizapp.tui.widgets.app_footer import AppFooter

    for size, palette in (((60, 20), False), ((80, 24), True)):
        app = make_app(tmp_path / f"w{size[0]}")
        async with app.run_test(size=size) as pilot:
            await open_review(pilot)
            await pilot.pause()
            footer = app.screen.query_one(AppFooter)
            shown = sorted(
                (k for k in footer.query(FooterKey) if k.display), key=lambda k: k.region.x
            )
            assert all(k.region.right <= size[0] for k in shown), "a key runs off the edge"
            for left, right in pairwise(shown):
                assert left.region.right <= right.region.x, f"{left.key} under {right.key}"
            assert any(k.action == "help" for k in shown), "the help key is out of view"
            assert any(k.has_class("-command-palette") for k in shown) is palette
            assert ("palette" in app.export_screenshot()) is palette
