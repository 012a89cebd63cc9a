"""`quizapp import csv`: front, back and optional tags (comma or tab, header optional, UTF-8
with or without a BOM) become a learner bank; a bad file writes nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from quizapp.bank.loader import load_all
from quizapp.cli import main
from quizapp.paths import user_banks_dir


def bank(stem: str) -> list[dict[str, object]]:
    doc = tomllib.loads((user_banks_dir() / f"{stem}.toml").read_text("utf-8"))
    items: list[dict[str, object]] = doc["items"]
    return items


def test_tabs_with_bom_and_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "exam deck.tsv"
    f.write_bytes(
        "\ufeffFront\tBack\tTags\n"
        'What is a "bias"?\tAn offset, with a comma, here\tweights basics\n'
        "x &lt; y?\t<b>yes</b><br>really\n"
        "\n".encode()
    )
    assert main(["import", "csv", str(f)]) == 0
    assert "Imported 2 card(s)" in capsys.readouterr().out
    items = bank("exam-deck")
    assert [(i["front"], i["back"]) for i in items] == [
        ('What is a "bias"?', "An offset, with a comma, here"),
        ("x < y?", "yes\nreally"),
    ]
    assert items[0]["tags"] == ["weights", "basics"] and "tags" not in items[1]
    assert items[0]["topic"] == "exam-deck"
    loaded = {i.id for b in load_all().banks if not b.shipped for i in b.items}
    assert loaded == {i["id"] for i in items}


def test_commas_without_header_and_deck_name(tmp_path: Path) -> None:
    f = tmp_path / "cards.csv"
    f.write_text('one,uno\n"two, the number",dos,"a,b"\n', "utf-8")
    assert main(["import", "csv", str(f), "--deck", "Spanish Numbers"]) == 0
    items = bank("spanish-numbers")
    assert [(i["front"], i["back"]) for i in items] == [("one", "uno"), ("two, the number", "dos")]
    assert items[1]["tags"] == ["a", "b"]


def test_reimport_updates_in_place(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text("q1,a1\nq2,a2\n", "utf-8")
    assert main(["import", "csv", str(f)]) == 0
    ids = [i["id"] for i in bank("d")]
    f.write_text("q1,a1 (fixed)\nq2,a2\n", "utf-8")
    assert main(["import", "csv", str(f)]) == 0
    again = bank("d")
    assert [i["id"] for i in again] == ids and again[0]["back"] == "a1 (fixed)"


def test_one_column_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "single.csv"
    f.write_text("just a front\nanother\n", "utf-8")
    assert main(["import", "csv", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(f) in err and "one column" in err
    assert not user_banks_dir().exists() or not list(user_banks_dir().iterdir())


def test_not_utf8_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes("caf\xe9,coffee\n".encode("latin-1"))
    assert main(["import", "csv", str(f)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert not user_banks_dir().exists() or not list(user_banks_dir().iterdir())


def test_a_big_deck_is_split_and_shrinks_back(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    f.write_text("".join(f"question {n},answer {n}\n" for n in range(2500)), "utf-8")
    assert main(["import", "csv", str(f)]) == 0
    names = sorted(p.name for p in user_banks_dir().glob("*.toml"))
    assert names == ["big--part-2.toml", "big--part-3.toml", "big.toml"]
    loaded = load_all()
    assert not loaded.errors
    assert sum(len(b.items) for b in loaded.banks if not b.shipped) == 2500
    f.write_text("".join(f"question {n},answer {n}\n" for n in range(900)), "utf-8")
    assert main(["import", "csv", str(f)]) == 0
    assert sorted(p.name for p in user_banks_dir().glob("*.toml")) == ["big.toml"]
