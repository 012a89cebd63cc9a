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


def test_the_app_refuses_a_bad_keymap_before_taking_the_screen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, '[keys]\n"dashboard.nope" = "v"\n')
    code = main(["--db", f"sqlite:///{tmp_path / 'p.db'}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("quizapp: ") and "dashboard.nope" in err and err.count("\n") == 1
