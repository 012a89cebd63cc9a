"""`quizapp content check`: counts, problems and exit codes, human and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.bank.loader import check_shipped
from quizapp.bank.model import KINDS
from quizapp.bank.taxonomy import load_taxonomy
from quizapp.cli import main

BANKS = Path(__file__).parent / "fixtures" / "banks"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_schema_on_the_shipped_banks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check", "--json")
    data = json.loads(out)
    tax = load_taxonomy()
    assert {"items", "by_kind", "by_section", "by_domain", "by_topic", "errors"} <= set(data)
    assert isinstance(data["items"], int)
    assert list(data["by_kind"]) == list(KINDS)
    assert list(data["by_topic"]) == list(tax.topics)
    assert list(data["by_domain"]) == list(tax.domains)
    assert list(data["by_section"]) == [
        f"{f} § {s}" for f, sections in tax.sources.items() for s in sections
    ]
    for key in ("by_kind", "by_section", "by_domain", "by_topic"):
        assert all(isinstance(n, int) and n >= 0 for n in data[key].values())
        assert sum(data[key].values()) == data["items"], key
    assert data["items"] == len(check_shipped().items)
    assert all(isinstance(e, str) and "\n" not in e for e in data["errors"])
    assert code == (1 if data["errors"] else 0)


def test_json_counts_of_given_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check", "--json", str(BANKS / "good.toml"))
    data = json.loads(out)
    assert code == 0
    assert data["errors"] == []
    assert data["items"] == 6
    assert data["by_kind"] == dict.fromkeys(KINDS, 1)
    assert data["by_section"]["eli5-ch1-neural-networks.txt § 1.2"] == 6
    assert data["by_topic"]["weights-bias"] == 6
    assert data["by_domain"]["Modeling"] == 6


def test_given_files_report_problems_and_cross_file_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = BANKS / "bad" / "cloze_no_gap.toml"
    code, out, _ = run(capsys, "content", "check", str(BANKS / "cross"), str(bad))
    assert code == 1
    assert f"{BANKS / 'cross' / 'b.toml'}: item 'fx-shared' field 'id': duplicate id" in out
    assert f"{bad}: item 'fx-cloze-no-gap' field 'text': no gap" in out
    assert "Problems (2):" in out


def test_human_output_shows_counts_and_the_learner_folder(
    capsys: pytest.CaptureFixture[str], _isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "content", "check", str(BANKS / "good.toml"))
    assert code == 0
    assert "By kind:" in out and "By section:" in out
    assert "By topic:" in out and "By domain:" in out
    assert "eli5-ch1-neural-networks.txt § 1.2" in out
    assert "No problems found." in out
    assert str(_isolated_home / "banks") in out


def test_own_bank_clashing_with_shipped_id_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shipped = check_shipped().items
    if not shipped:
        pytest.fail("no shipped items to clash with")
    taken = shipped[0]
    mine = tmp_path / "mine.toml"
    text = (BANKS / "good.toml").read_text().replace('"fx-flashcard"', f'"{taken.id}"')
    mine.write_text(text)
    code, out, _ = run(capsys, "content", "check", str(mine))
    assert code == 1
    assert f"{mine}: item '{taken.id}' field 'id': duplicate id (also in {taken.bank}.toml)" in out


def test_missing_path_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "content", "check", "/no/such/bank.toml")
    assert code == 2
    assert err == "quizapp: no such bank file or folder: /no/such/bank.toml\n"
