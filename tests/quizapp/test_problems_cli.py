"""`quizapp problems`: the export contract (JSON), the readable form and the errors."""

from __future__ import annotations

import json

import pytest

from engine.catalog import FAMILIES
from engine.problems import make_problem
from quizapp.cli import main

REQUIRED = {
    "id",
    "family",
    "seed",
    "difficulty",
    "params",
    "answer",
    "display",
    "tolerance",
    "prompt",
    "steps",
    "misconceptions",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["problems", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_is_the_family_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list", "--json")
    assert code == 0
    assert json.loads(out) == list(FAMILIES)


def test_list_text_names_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_json_export_contract(capsys: pytest.CaptureFixture[str], family: str) -> None:
    code, out, _ = run(capsys, "--family", family, "--seed", "7", "--count", "3", "--json")
    assert code == 0
    problems = json.loads(out)
    assert [p["id"] for p in problems] == [f"{family}@7", f"{family}@8", f"{family}@9"]
    for k, p in enumerate(problems):
        assert set(p) >= REQUIRED
        assert p["family"] == family and p["seed"] == 7 + k and p["difficulty"] == "medium"
        assert set(p["tolerance"]) == {"rel", "abs"}
        assert isinstance(p["steps"], list) and all(isinstance(s, str) for s in p["steps"])
        assert len(p["misconceptions"]) >= 3
        assert all(set(m) == {"name", "answer", "hint"} for m in p["misconceptions"])
        # the export is exactly the engine's problem
        assert p == json.loads(json.dumps(make_problem(family, 7 + k, "medium").to_json()))


def test_difficulty_is_passed_through(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "--family", "param_count", "--seed", "3", "--difficulty", "hard", "--json"
    )
    (problem,) = json.loads(out)
    assert problem["difficulty"] == "hard"
    assert problem["answer"] == make_problem("param_count", 3, "hard").answer


def test_readable_output_has_prompt_solution_and_answer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--family", "weighted_sum", "--seed", "0", "--count", "2")
    assert code == 0
    first = make_problem("weighted_sum", 0, "medium")
    assert out.startswith("weighted_sum@0 · medium · ")
    assert "Worked solution" in out and "Common mistakes" in out
    assert f"Answer: {first.display}" in out
    assert first.steps[-1] in out
    assert "weighted_sum@1" in out
    assert not out.lstrip().startswith("[")


def test_readable_output_keeps_tables_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--family", "forward_pass", "--seed", "2", "--difficulty", "hard")
    rows = [line for line in out.splitlines() if line.strip().startswith(("W = [", "[ "))]
    assert rows
    for line in rows:  # every matrix row closes its bracket: nothing was wrapped
        assert line.count("[") == line.count("]")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--family", "nope"], "unknown family 'nope'"),
        (["--family", "softmax", "--count", "0"], "--count"),
        (["--family", "softmax", "--count", "-3"], "--count"),
        (["--family", "softmax", "--count", "100001"], "--count"),
        ([], "--family"),
    ],
)
def test_user_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("quizapp: ") and needle in err
    assert err.count("\n") == 1 and "Traceback" not in err
