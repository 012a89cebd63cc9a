"""The learner's keymap file: read, checked, refused in one line when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.errors import QuizappError
from quizapp.keymap import keymap_path, load_keymap

KNOWN = frozenset({"dashboard.review", "review.reveal"})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_no_overrides(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "missing.toml", KNOWN) == {}


def test_overrides_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "keymap.toml",
        '[keys]\n"dashboard.review" = "v"\n"review.reveal" = "enter, space"\n',
    )
    assert load_keymap(path, KNOWN) == {"dashboard.review": "v", "review.reveal": "enter,space"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[keys]\n"dashboard.reveiw" = "v"\n', "key 'dashboard.reveiw': unknown binding id"),
        ('[keys]\n"dashboard.review" = 3\n', "key 'dashboard.review': expected keys like"),
        ('[keys]\n"dashboard.review" = "v!"\n', "key 'dashboard.review': expected keys like"),
        ('[keys\n"dashboard.review" = "v"\n', "not valid TOML"),
        ('review = "v"\n', "expected only a [keys] table"),
    ],
)
def test_malformed_keymaps_are_refused_in_one_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path / "keymap.toml", text)
    with pytest.raises(QuizappError) as info:
        load_keymap(path, KNOWN)
    message = str(info.value)
    assert expected in message and str(path) in message and "\n" not in message


def learner_file(text: str | bytes) -> Path:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        write(path, text)
    return path


NESTED = "[keys]\nx = " + "[" * 50_000 + "]" * 50_000 + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(NESTED, "nested too deeply", id="nested-arrays"),
        pytest.param(
            "x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n",
            "nested too deeply",
            id="nested-tables",
        ),
        pytest.param(b'[keys]\n"dashboard.review" = "\xe9"\n', "not UTF-8 text", id="latin-1"),
        pytest.param(
            '[keys]\ndashboard.review = "v"\n',
            'put the binding id in quotes: "dashboard.review"',
            id="unquoted-id",
        ),
        pytest.param('keys = "v"\n', "expected only a [keys] table", id="keys-not-a-table"),
        pytest.param(
            '[[keys]]\n"dashboard.review" = "v"\n',
            "expected only a [keys] table",
            id="array-of-tables",
        ),
    ],
)
def test_unusable_keymaps_are_reported_in_one_clear_line(
    tmp_path: Path, text: str | bytes, expected: str
) -> None:
    path = tmp_path / "keymap.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        write(path, text)
    with pytest.raises(QuizappError) as info:
        load_keymap(path, KNOWN)
    message = str(info.value)
    assert expected in message and str(path) in message and "\n" not in message


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path / "keymap.toml", '\ufeff[keys]\n"dashboard.review" = "v"\n')
    assert load_keymap(path, KNOWN) == {"dashboard.review": "v"}


def test_ids_with_digits_are_binding_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "keymap.toml", '[keys]\n"review.grade1" = "j"\n')
    assert load_keymap(path) == {"review.grade1": "j"}
    assert load_keymap(path, frozenset({"review.grade1"})) == {"review.grade1": "j"}


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list:
    """Stands in for `QuizApp.run`: the apps `quizapp` would have shown."""
    from quizapp.tui.app import QuizApp

    apps: list = []
    monkeypatch.setattr(QuizApp, "run", lambda app: apps.append(app))
    return apps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(NESTED, "nested too deeply", id="nested"),
        pytest.param('[keys\n"dashboard.review" = "v"\n', "not valid TOML", id="syntax"),
        pytest.param(b'[keys]\n"dashboard.review" = "\xe9"\n', "not UTF-8 text", id="latin-1"),
    ],
)
def test_an_unreadable_keymap_is_one_line_and_the_app_starts_with_the_default_keys(
    capsys: pytest.CaptureFixture[str],
    started: list,
    tmp_path: Path,
    text: str | bytes,
    expected: str,
) -> None:
    path = learner_file(text)
    code = main(["--db", f"sqlite:///{tmp_path / 'p.db'}"])
    assert code == 0 and capsys.readouterr().err == ""
    (app,) = started
    assert app._keymap == {}  # the default keys
    problem = app.keymap_problem
    assert expected in problem and str(path) in problem and "\n" not in problem


def test_a_keymap_directory_is_one_line_and_the_app_starts(started: list, tmp_path: Path) -> None:
    keymap_path().mkdir(parents=True)
    assert main(["--db", f"sqlite:///{tmp_path / 'p.db'}"]) == 0
    (app,) = started
    assert app._keymap == {} and "cannot read the keymap" in app.keymap_problem


# -- quizapp keys ------------------------------------------------------------------------------


def test_keys_lists_every_binding_id_by_screen_with_the_key_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from quizapp.tui.screens.help import binding_ids

    assert main(["keys"]) == 0
    out = capsys.readouterr().out
    for binding_id in binding_ids():
        assert f"  {binding_id} " in out, binding_id
    lines = out.splitlines()
    assert "Flashcard review" in lines and "Stats" in lines and "Everywhere" in lines
    grade1 = next(line for line in lines if line.lstrip().startswith("review.grade1 "))
    assert grade1.split()[1] == "1" and "Again" in grade1
    assert next(line for line in lines if "review.undo " in line).split()[1] == "u,ctrl+z"
    assert str(keymap_path()) in out
    for name in ("question_mark", "f24", "pageup", "escape", "ctrl+"):
        assert name in out


def test_keys_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from quizapp.tui.screens.help import SCREENS, binding_ids

    assert main(["keys", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["keymap"] == str(keymap_path())
    assert [s["screen"] for s in data["screens"]] == ["Everywhere", *SCREENS]
    by_id = {b["id"]: b for s in data["screens"] for b in s["bindings"]}
    assert set(by_id) == binding_ids()
    for g, label in ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")):
        assert by_id[f"review.grade{g}"]["keys"] == [str(g)]
        assert label in by_id[f"review.grade{g}"]["description"]
    assert by_id["review.undo"]["keys"] == ["u", "ctrl+z"]
    names = data["key_names"]
    assert {"a", "z", "0", "9", "f1", "f24", "enter", "escape", "tab", "space"} <= set(
        names["keys"]
    )
    assert {"question_mark", "slash", "comma"} <= set(names["keys"])
    assert set(names["modifiers"]) == {"ctrl", "shift", "alt"}


def test_keys_is_listed_in_the_usage() -> None:
    from quizapp.cli import build_parser

    assert "keys" in build_parser().format_help()


# -- one bad entry: one line naming it, and the app starts with that entry's default keys -----


def check(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    from quizapp.keymap import check_keys

    scopes = [
        (
            "Dashboard",
            {"app.help": "question_mark", "dashboard.review": "r", "dashboard.stats": "s"},
        ),
        ("Flashcard review", {"app.help": "question_mark", "review.reveal": "space,enter"}),
    ]
    names = frozenset({*"abcdefghijklmnopqrstuvwxyz", "space", "enter", "question_mark", "f12"})
    return check_keys(keymap, scopes, names, frozenset({"ctrl", "shift", "alt"}), Path("k.toml"))


def test_good_entries_and_swaps_are_kept() -> None:
    swap = {"dashboard.review": "s", "dashboard.stats": "r"}
    assert check(swap) == (swap, [])
    both = {"dashboard.review": "v,ctrl+f12", "review.reveal": "v"}  # other screens: no clash
    assert check(both) == (both, [])


@pytest.mark.parametrize(
    ("keymap", "kept", "entry", "says"),
    [
        pytest.param({"dashboard.review": "vv"}, {}, "dashboard.review", "'vv' is not a key name"),
        pytest.param(
            {"dashboard.review": "v,ctlr+s"}, {}, "dashboard.review", "'ctlr+s' is not a key"
        ),
        pytest.param({"dashboard.review": "ctrl+ctrl+v"}, {}, "dashboard.review", "not a key"),
        pytest.param(
            {"dashboard.review": "s"}, {}, "dashboard.review", "'s' is already 'dashboard.stats'"
        ),
        pytest.param(
            {"dashboard.review": "v", "dashboard.stats": "v"},
            {"dashboard.review": "v"},
            "dashboard.stats",
            "'v' is already 'dashboard.review'",
            id="two-entries-later-one-out",
        ),
        pytest.param(
            {"review.reveal": "question_mark"}, {}, "review.reveal", "is already 'app.help'"
        ),
    ],
)
def test_a_bad_entry_is_one_line_and_left_out(
    keymap: dict[str, str], kept: dict[str, str], entry: str, says: str
) -> None:
    left, problems = check(keymap)
    assert left == kept
    (line,) = problems
    assert line.startswith("k.toml: ") and f"'{entry}'" in line and says in line
    assert "default keys are in use" in line and "\n" not in line


def test_load_keymap_can_leave_out_a_bad_entry_and_keep_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path / "keymap.toml",
        '[keys]\n"dashboard.reveiw" = "v"\n"review.reveal" = "x!"\n"dashboard.review" = "v"\n',
    )
    problems: list[str] = []
    assert load_keymap(path, KNOWN, problems) == {"dashboard.review": "v"}
    assert len(problems) == 2 and all(str(path) in p for p in problems)
    assert "'dashboard.reveiw': unknown binding id" in problems[0]
    assert "'review.reveal': expected keys like" in problems[1]


@pytest.mark.parametrize(
    ("text", "kept", "says"),
    [
        pytest.param('"dashboard.review" = "vv"', {}, "'vv' is not a key name", id="bad-name"),
        pytest.param('"dashboard.nope" = "v"', {}, "'dashboard.nope': unknown binding id", id="id"),
        pytest.param(
            '"dashboard.review" = "s"', {}, "is already 'dashboard.stats'", id="steals-a-key"
        ),
        pytest.param(
            '"dashboard.review" = "v"\n"dashboard.stats" = "v"',
            {"dashboard.review": "v"},
            "'dashboard.stats': 'v' is already 'dashboard.review'",
            id="two-on-one-key",
        ),
    ],
)
def test_a_bad_entry_is_one_line_and_the_app_starts_with_its_default(
    capsys: pytest.CaptureFixture[str],
    started: list,
    tmp_path: Path,
    text: str,
    kept: dict[str, str],
    says: str,
) -> None:
    path = learner_file(f"[keys]\n{text}\n")
    code = main(["--db", f"sqlite:///{tmp_path / 'p.db'}"])
    assert code == 0 and capsys.readouterr().err == ""
    (app,) = started
    assert app._keymap == kept
    problem = app.keymap_problem
    assert says in problem and str(path) in problem and "\n" not in problem
