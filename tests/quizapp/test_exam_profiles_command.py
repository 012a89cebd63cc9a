"""`quizapp exam profiles [--json]`: the profiles with the fields the issue names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.bank import profiles as profile_module
from quizapp.cli import main

KEYS = {
    "id", "name", "code", "status", "retired_on", "questions", "scored", "minutes",
    "pass_mark", "domains", "kinds",
}  # fmt: skip


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(profile_module, "user_profiles_dir", lambda: tmp_path / "profiles")
    return tmp_path


def test_json_lists_the_current_exam_first_and_the_guides_retired_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["exam", "profiles", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in data] == ["mla-c01", "mls-c01"]
    mla, mls = data
    assert set(mla) >= KEYS
    assert (mla["status"], mla["retired_on"]) == ("current", None)
    assert (mla["questions"], mla["scored"], mla["minutes"], mla["pass_mark"]) == (65, 50, 130, 720)
    assert mla["domains"] == [
        {"name": "Data Preparation for ML", "weight": 28},
        {"name": "ML Model Development", "weight": 26},
        {"name": "Deployment and Orchestration of ML Workflows", "weight": 22},
        {"name": "ML Solution Monitoring, Maintenance, and Security", "weight": 24},
    ]
    assert mla["kinds"] == ["single_choice", "multiple_response", "ordering", "matching"]
    assert (mls["status"], mls["retired_on"], mls["pass_mark"]) == ("retired", "2026-03-31", 750)
    assert sum(d["weight"] for d in mls["domains"]) == 100


def test_a_learner_profile_is_listed_and_a_broken_one_is_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = data_dir / "profiles"
    folder.mkdir()
    text = (Path(profile_module.__file__).parents[2] / "content/profiles/mla-c01.toml").read_text()
    (folder / "mine.toml").write_text(text.replace('id = "mla-c01"', 'id = "my-mock"'))
    (folder / "broken.toml").write_text(text.replace("minutes = 130", "minutes = -5"))
    assert main(["exam", "profiles", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [p["id"] for p in json.loads(out)] == ["mla-c01", "mls-c01", "my-mock"]
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "broken.toml" in lines[0] and "'minutes'" in lines[0]


def test_text_output_marks_the_default_and_the_retired_profile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["exam", "profiles"]) == 0
    out = capsys.readouterr().out
    assert "mla-c01  MLA-C01" in out and "(default)" in out.splitlines()[0]
    assert "retired on 31 March 2026" in out
