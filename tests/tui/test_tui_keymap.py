"""Every binding a keymap may name, from the app and every screen in the help registry."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Static, TabbedContent
from tui_support import card_ready, dashboard_ready, make_app, open_review, open_study, shown, until

from quizapp.keymap import keymap_path, load_keymap
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.help import SCREENS, binding_ids, key_names
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen


def test_binding_ids_cover_every_registered_screen() -> None:
    ids = binding_ids()
    assert {"app.quit", "app.help", "dashboard.review", "dashboard.exam"} <= ids
    for screen in SCREENS.values():
        own = {b.id for b in Binding.make_bindings(screen.BINDINGS) if b.id}
        assert own, f"{screen.__name__} has no binding ids"
        assert own <= ids


# -- every binding the help lists can be rebound by its id -----------------------------------

ID_FORM = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")  # "<screen>.<action>"


def listed_bindings() -> list[tuple[str, type[DOMNode], Binding]]:
    """(help section, owner class, binding) for every binding the help screen lists."""
    owners: list[tuple[str, type[DOMNode]]] = [("Everywhere", QuizApp)]
    owners += SCREENS.items()
    return [
        (title, owner, binding)
        for title, owner in owners
        for binding in Binding.make_bindings(owner.BINDINGS)
        if binding.description  # help.py lists exactly these
    ]


LISTED_IDS = sorted({b.id for _, _, b in listed_bindings() if b.id})


def rebound(binding_id: str, keys: str = "f12") -> dict[str, str]:
    """The keymap as the app gets it: written to keymap.toml, read back and checked."""
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[keys]\n"{binding_id}" = "{keys}"\n', encoding="utf-8")
    return load_keymap(path, known_ids=binding_ids())


def test_every_listed_binding_has_an_id_of_the_form_screen_dot_action() -> None:
    missing = [f"{title}: {b.key} ({b.action})" for title, _, b in listed_bindings() if not b.id]
    assert not missing, f"listed in the help without an id: {missing}"
    assert [i for i in LISTED_IDS if not ID_FORM.match(i)] == []
    assert {f"review.grade{g}" for g in (1, 2, 3, 4)} <= set(LISTED_IDS)
    assert set(LISTED_IDS) <= binding_ids()


@pytest.mark.parametrize("binding_id", LISTED_IDS)
def test_every_listed_binding_can_be_rebound(binding_id: str) -> None:
    """keymap.toml -> the app's keymap -> the bindings of each screen that has the id, as
    `Screen._binding_chain` applies them: f12 now does the action, the old keys no longer do."""
    app = QuizApp(lambda: None, keymap=rebound(binding_id))
    listed = listed_bindings()
    owners = {owner for _, owner, b in listed if b.id == binding_id}
    for owner in owners:
        bindings = owner._merged_bindings.copy()
        actions = {b.action for _, b in bindings if b.id == binding_id}
        # every key of the help row (same label) the id stands for
        labels = {b.tooltip or b.description for _, o, b in listed if b.id == binding_id}
        old_keys = {
            b.key
            for _, o, b in listed
            if o is owner and b.action in actions and (b.tooltip or b.description) in labels
        }
        bindings.apply_keymap(app._keymap)
        assert {b.action for b in bindings.key_to_bindings.get("f12", [])} == actions
        for key in old_keys:
            still = [b for b in bindings.key_to_bindings.get(key, []) if b.action in actions]
            assert not still, f"{owner.__name__}: {key} still does {actions}"


async def test_the_dashboard_s_active_bindings_follow_the_keymap(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.set_keymap(rebound("dashboard.stats"))
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        active = app.screen.active_bindings
        assert active["f12"].binding.action == "app.stats"
        assert "s" not in active


async def test_a_rebound_grade_key_grades_and_the_old_key_does_not(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.set_keymap(rebound("review.grade3", "j"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.card.card_id
        await pilot.press("space")
        assert "j Good" in shown(screen.query_one("#grade-3", Static))
        await pilot.press("3")
        await pilot.pause(0.2)
        assert screen.done == 0 and screen.card.card_id == first
        await pilot.press("j")
        await card_ready(pilot)
        assert screen.done == 1 and screen.card.card_id != first
    study = open_study(tmp_path)
    assert study.stats.summary().reviews_total == 1
    assert study.browse.card_info(first).state != "new"


async def test_a_rebound_stats_tab_key_switches_the_tab(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.set_keymap(rebound("stats.calendar", "c"))
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        await until(pilot, lambda: screen.history is not None)
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "reviews"
        await pilot.press("2")
        await pilot.pause()
        assert tabs.active == "reviews"
        await pilot.press("c")
        await pilot.pause()
        assert tabs.active == "calendar"
        await pilot.press("3")  # the other tabs keep their keys
        await pilot.pause()
        assert tabs.active == "retention"
        label = tabs.get_tab("calendar").label.plain
        assert label == "c Calendar"


# -- a keymap.toml that cannot be read: one line, and the app starts with the default keys ----


def nested_keymap() -> Path:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[keys]\nx = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    return path


async def test_a_nested_keymap_is_reported_and_the_default_keys_work(tmp_path: Path) -> None:
    from quizapp.commands.app import learner_keymap

    path = nested_keymap()
    keymap, problem = learner_keymap()
    assert keymap == {}
    assert problem is not None and str(path) in problem and "\n" not in problem
    app = make_app(tmp_path)
    app.keymap_problem = problem
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        notes = [n for n in app._notifications if str(path) in n.message]
        assert len(notes) == 1 and "\n" not in notes[0].message
        await pilot.press("r")
        await card_ready(pilot)


def test_no_key_of_a_listed_screen_is_out_of_the_keymap_s_reach() -> None:
    """Every key a screen binds has an id (the quiz's 2-6, a-e and arrows had none)."""
    owners: list[type[DOMNode]] = [QuizApp]
    owners += SCREENS.values()
    hidden = [
        f"{owner.__name__}: {b.key} ({b.action})"
        for owner in owners
        for b in Binding.make_bindings(owner.BINDINGS)
        if not b.id
    ]
    assert hidden == []


def test_the_key_names_are_textual_s() -> None:
    from textual.keys import Keys, _character_to_key

    names = key_names()
    assert set(names["named"]) <= {k.value for k in Keys}
    assert {f"f{n}" for n in range(1, 25)} == set(names["function"])
    assert names["punctuation"] == [_character_to_key(c) for c in string.punctuation]


# -- the dashboard names the keys as rebound; a bad entry is one line, the rest works ---------


async def test_the_dashboard_s_hint_bar_shows_a_rebound_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.set_keymap(rebound("dashboard.review", "v"))
    async with app.run_test(size=(100, 24)) as pilot:
        await dashboard_ready(pilot)
        hints = shown(app.screen.query_one("#ways-in", Static))
        assert "v Review" in hints and "r Review" not in hints
        assert "p Practice" in hints and "? Help" in hints
        await pilot.press("v")
        await card_ready(pilot)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param('"dashboard.stats" = "ctlr+t"', "'ctlr+t' is not a key name", id="bad-name"),
        pytest.param('"dashboard.stats" = "r"', "'r' is already 'dashboard.review'", id="clash"),
    ],
)
async def test_a_bad_keymap_entry_is_one_line_and_its_default_keys_work(
    tmp_path: Path, text: str, says: str
) -> None:
    from quizapp.commands.app import learner_keymap

    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[keys]\n{text}\n"review.reveal" = "x"\n', encoding="utf-8")
    keymap, problem = learner_keymap()
    assert keymap == {"review.reveal": "x"}  # the good entry is kept
    app = make_app(tmp_path)
    app.set_keymap(keymap)
    app.keymap_problem = problem
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        notes = [n for n in app._notifications if str(path) in n.message]
        assert len(notes) == 1 and "\n" not in notes[0].message
        assert "'dashboard.stats'" in notes[0].message and says in notes[0].message
        await pilot.press("s")  # dashboard.stats keeps its default key
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        await pilot.press("escape")
        await dashboard_ready(pilot)
        await pilot.press("r")  # and review keeps its own
        await card_ready(pilot)
