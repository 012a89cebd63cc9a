"""Loading: shipped banks are all-or-nothing, learner banks are skipped one file at a time."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from quizapp.bank import loader
from quizapp.bank.loader import load_all, load_for_app, load_shipped
from quizapp.bank.model import KINDS
from quizapp.errors import ContentError, QuizappError
from quizapp.paths import data_dir, user_banks_dir

BANKS = Path(__file__).parent / "fixtures" / "banks"
SHIPPED_OK = BANKS / "shipped_ok"
SHIPPED_BROKEN = BANKS / "shipped_broken"
GOOD_IDS = len(KINDS)  # good.toml has one item of each kind


def learner_dir() -> Path:
    folder = user_banks_dir()
    folder.mkdir(parents=True)
    return folder


def test_paths_follow_quizapp_home(_isolated_home: Path) -> None:
    assert data_dir() == _isolated_home
    assert user_banks_dir() == _isolated_home / "banks"


def test_shipped_banks_load_in_file_order() -> None:
    result = load_shipped(SHIPPED_OK)
    assert [b.name for b in result.banks] == ["alpha", "beta"]
    assert [b.title for b in result.banks] == ["Fixture: shipped alpha", "Fixture: shipped beta"]
    assert [i.id for i in result.items] == ["sh-alpha", "sh-beta"]
    assert [i.bank for i in result.items] == ["alpha", "beta"]
    assert result.errors == [] and result.skipped == []


def test_broken_shipped_banks_refuse_to_start_with_every_line() -> None:
    with pytest.raises(ContentError) as caught:
        load_for_app(shipped_root=SHIPPED_BROKEN)
    message = str(caught.value)
    assert message.splitlines() == [
        "2 problem(s) in the shipped question banks:",
        "beta.toml: item 'sh-bad' field 'kind': unknown kind 'flashcrd' (expected one of: "
        "flashcard, cloze, single_choice, multiple_response, true_false, computed, ordering, "
        "matching)",
        "beta.toml: item 'sh-alpha' field 'id': duplicate id (also in alpha.toml)",
    ]


def test_cli_prints_the_refusal_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.main turns the ContentError from loading into 'quizapp: <lines>' and exit 2."""
    from quizapp import cli
    from quizapp.commands import stats

    def start_app(args: object) -> int:
        load_for_app(args.bank)  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(stats, "run", start_app)  # cli imports run when the command is chosen
    monkeypatch.setattr(loader, "shipped_banks_dir", lambda: SHIPPED_BROKEN)
    loader._shipped_cached.cache_clear()
    try:
        assert cli.main(["stats"]) == 2
    finally:
        loader._shipped_cached.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("quizapp: 2 problem(s) in the shipped question banks:")
    assert "beta.toml: item 'sh-bad' field 'kind'" in err
    assert "Traceback" not in err


def test_learner_bank_broken_file_is_skipped_and_good_one_loads() -> None:
    folder = learner_dir()
    shutil.copy(BANKS / "good.toml", folder / "mine.toml")
    shutil.copy(BANKS / "bad" / "unknown_kind.toml", folder / "broken.toml")
    (folder / "notes.txt").write_text("not a bank")

    result = load_all(shipped_root=SHIPPED_OK)

    broken = str(folder / "broken.toml")
    assert result.skipped == [broken]
    assert result.errors == [
        f"{broken}: item 'fx-unknown-kind' field 'kind': unknown kind 'flashcrd' (expected one "
        "of: flashcard, cloze, single_choice, multiple_response, true_false, computed, "
        "ordering, matching)"
    ]
    ids = [i.id for i in result.items]
    assert ids[:2] == ["sh-alpha", "sh-beta"]  # shipped first
    assert "fx-flashcard" in ids and "fx-computed" in ids
    assert "fx-ordering" in ids and "fx-matching" in ids
    assert {i.bank for i in result.items if i.id.startswith("fx-")} == {"mine"}
    assert len(ids) == 2 + GOOD_IDS


def test_learner_syntax_error_is_reported_with_its_line() -> None:
    folder = learner_dir()
    shutil.copy(BANKS / "bad" / "syntax_error.toml", folder / "typo.toml")
    result = load_all(shipped_root=SHIPPED_OK)
    assert result.skipped == [str(folder / "typo.toml")]
    assert "(at line 6, column 6)" in result.errors[0]
    assert [i.id for i in result.items] == ["sh-alpha", "sh-beta"]


def test_learner_bank_clashing_with_a_shipped_id_is_skipped(tmp_path: Path) -> None:
    clash = tmp_path / "clash.toml"
    clash.write_text((SHIPPED_OK / "alpha.toml").read_text())
    result = load_all([clash], include_user_dir=False, shipped_root=SHIPPED_OK)
    assert result.errors == [
        f"{clash}: item 'sh-alpha' field 'id': duplicate id (also in alpha.toml)"
    ]
    assert result.skipped == [str(clash)]


def test_bank_paths_take_files_and_folders_once_each() -> None:
    cross = BANKS / "cross"
    result = load_all(
        [cross, cross / "a.toml", BANKS / "good.toml"],
        include_user_dir=False,
        shipped_root=SHIPPED_OK,
    )
    # a.toml loads, b.toml reuses its id and is skipped, a.toml is not read twice
    assert result.skipped == [str(cross / "b.toml")]
    assert result.errors == [
        f"{cross / 'b.toml'}: item 'fx-shared' field 'id': "
        f"duplicate id (also in {cross / 'a.toml'})"
    ]
    assert [b.name for b in result.banks] == ["alpha", "beta", "a", "good"]


def test_user_dir_can_be_left_out() -> None:
    shutil.copy(BANKS / "good.toml", learner_dir() / "mine.toml")
    assert len(load_all(shipped_root=SHIPPED_OK).items) == 2 + GOOD_IDS
    assert len(load_all(include_user_dir=False, shipped_root=SHIPPED_OK).items) == 2


def test_missing_bank_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(QuizappError, match=r"no such bank file or folder: .*nowhere\.toml"):
        load_all([tmp_path / "nowhere.toml"], shipped_root=SHIPPED_OK)


def test_shipped_load_is_cached_and_fast() -> None:
    loader._shipped_cached.cache_clear()
    start = time.perf_counter()
    first = loader.check_shipped()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = loader.check_shipped()
    warm = time.perf_counter() - start
    assert first.banks is second.banks  # parsed once per process
    assert cold < 0.3, f"parsing the shipped banks took {cold * 1000:.0f} ms"
    assert warm < 0.01
    # callers get their own lists: mutating one result does not touch the cache
    first.errors.append("x")
    assert "x" not in loader.check_shipped().errors
