"""`--learner NAME` and $QUIZAPP_LEARNER: whose progress a command opens, and the one line a
bad name gets. The store's own isolation tests are in test_store_learners*.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.bank.loader import load_all
from quizapp.cli import main
from quizapp.collection import open_collection
from quizapp.store.learner import LEARNER_ENV, MAX_LEARNER, login_name, resolve_learner


def test_the_learner_is_the_option_then_the_variable_then_the_url_user_then_the_login(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(LEARNER_ENV, raising=False)
    assert resolve_learner(None) == login_name()
    assert resolve_learner(None, "dbuser") == "dbuser"
    monkeypatch.setenv(LEARNER_ENV, "from-env")
    assert resolve_learner(None, "dbuser") == "from-env"
    assert resolve_learner("  ada  ", "dbuser") == "ada"  # trimmed


@pytest.mark.parametrize(
    ("name", "says"),
    [("", "cannot be empty"), ("x" * (MAX_LEARNER + 1), "at most 63"), ("a\nb", "control")],
)
def test_a_bad_learner_name_is_one_line(
    name: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["--db", url, "--learner", name, "stats", "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--learner" in err and says in err
    assert not (tmp_path / "p.db").exists()  # refused before the database was made


def test_a_bad_learner_variable_names_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LEARNER_ENV, "a\tb")
    assert main(["--db", f"sqlite:///{tmp_path / 'p.db'}", "stats", "--json"]) == 2
    assert f"${LEARNER_ENV}" in capsys.readouterr().err


def test_commands_open_the_named_learners_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'class.db'}"
    study = open_collection(url, load_all(include_user_dir=False).items, learner="ada")
    try:
        for grade in (3, 3, 1):
            card = study.reviews.next_card()
            assert card is not None
            study.reviews.answer(card, grade, 4.0)
    finally:
        study.close()

    def reviews(*options: str) -> int:
        assert main(["--db", url, *options, "stats", "--json"]) == 0
        return int(json.loads(capsys.readouterr().out)["reviews_total"])

    assert reviews("--learner", "ada") == 3
    assert reviews("--learner", "bo") == 0  # a new learner starts afresh in the same file
    monkeypatch.setenv(LEARNER_ENV, "ada")
    assert reviews() == 3
    assert reviews("--learner", "bo") == 0  # the option wins over the variable
