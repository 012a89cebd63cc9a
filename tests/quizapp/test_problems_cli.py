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
        # three or more; one or more for a class label or an index (all its values are shown)
        few = make_problem(family, 7 + k, "medium").domain.values is not None
        assert len(p["misconceptions"]) >= (1 if few else 3)
        assert all(set(m) == {"name", "answer", "hint"} for m in p["misconceptions"])
        # the export is exactly the engine's problem, plus its stages
        stages = p.pop("stages")
        assert p == json.loads(json.dumps(make_problem(family, 7 + k, "medium").to_json()))
        assert all(set(s) == {"key", "label", "hint", "decimals", "answer"} for s in stages)
        if stages:  # answered step by step, the last stage is the answer
            assert len(stages) >= 2 and stages[-1]["answer"] == pytest.approx(p["answer"])


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


# `quizapp problems check`: grading a typed answer as the app does ------------------------------

CHECK_KEYS = {"id", "readable", "value", "correct", "misconception", "hint", "message"}


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, "check", *argv, "--json")
    assert code == 0 and not err
    result = json.loads(out)
    assert set(result) == CHECK_KEYS
    return result


def test_check_a_correct_answer(capsys: pytest.CaptureFixture[str]) -> None:
    problem = make_problem("softmax", 3, "hard")
    result = check_json(
        capsys,
        "--family",
        "softmax",
        "--seed",
        "3",
        "--difficulty",
        "hard",
        "--answer",
        problem.display,
    )
    assert result["id"] == "softmax@3" and result["readable"] is True and result["correct"] is True
    assert result["value"] == float(problem.display)
    assert result["misconception"] is None and result["hint"] is None


def test_check_names_the_misconception_like_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    from engine.answers import check_answer

    problem = make_problem("softmax", 3, "medium")
    typed = f"{100 * problem.answer:.1f}"  # percent, typed to one decimal
    verdict = check_answer(problem, typed)
    assert verdict.misconception is not None and verdict.misconception.name == "percent"
    result = check_json(capsys, "--family", "softmax", "--seed", "3", "--answer", typed)
    assert result["correct"] is False and result["readable"] is True
    assert result["misconception"] == "percent" and result["hint"] == verdict.misconception.hint
    assert problem.display in str(result["message"])

    code, out, _ = run(capsys, "check", "--family", "softmax", "--seed", "3", "--answer", typed)
    lines = out.splitlines()
    assert code == 0 and 1 <= len(lines) <= 2
    assert lines[0].startswith("softmax@3 · medium: Not quite.")
    assert "percent" in lines[1] and verdict.misconception.hint in lines[1]


def test_check_reads_thousands_separators(capsys: pytest.CaptureFixture[str]) -> None:
    problem = make_problem("param_count", 5, "hard")
    typed = f"{round(problem.answer):,}"
    assert "," in typed
    result = check_json(
        capsys, "--family", "param_count", "--seed", "5", "--difficulty", "hard", "--answer", typed
    )
    assert result["correct"] is True and result["value"] == problem.answer


def test_check_an_unreadable_answer(capsys: pytest.CaptureFixture[str]) -> None:
    result = check_json(capsys, "--family", "softmax", "--seed", "3", "--answer", "0,92")
    assert result["readable"] is False and result["value"] is None and result["correct"] is False
    assert result["misconception"] is None and "point" in str(result["message"])
    code, out, _ = run(capsys, "check", "--family", "softmax", "--seed", "3", "--answer", "abc")
    assert code == 0 and len(out.splitlines()) == 1 and "Type a number" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "--family", "nope", "--seed", "1", "--answer", "1"], "unknown family"),
        (["check", "--seed", "1", "--answer", "1"], "--family"),
        (["check", "--family", "softmax", "--seed", "1"], "--answer"),
        (["--family", "softmax", "--answer", "1"], "check"),
    ],
)
def test_check_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_a_bad_seed_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["problems", "check", "--family", "softmax", "--seed", "x", "--answer", "1"])
    assert exit_info.value.code == 2
    assert "--seed" in capsys.readouterr().err
