"""The guide's worked examples re-run through the engine: one verdict per stated number."""

from __future__ import annotations

import json
import math

import pytest

import engine.activations
import engine.neuron
from quizapp.cli import main
from quizapp.errata import Example, Verdict, load_examples, parse_examples, rerun
from quizapp.errors import ContentError

# Verified by hand with NumPy (see the brief): True when the guide's printed value is right.
VERDICTS: dict[str, bool] = {
    "restaurant-neuron-age-term": True,
    "restaurant-neuron-rating-term": True,
    "restaurant-neuron-time-term": True,
    "restaurant-neuron-sum": True,
    "restaurant-neuron-output": False,  # sigmoid(12.3) = 0.999995, not 0.92
    "cookie-term-1": True,
    "cookie-term-2": True,
    "cookie-term-3": True,
    "cookie-term-4": True,
    "cookie-score": True,
    "cookie-final-score": True,
    "spam-term-1": True,
    "spam-term-2": True,
    "spam-term-3": True,
    "spam-term-4": True,
    "spam-sum": False,  # 1.0, not 0.9
    "spam-output": False,  # sigmoid(1.0) = 0.731, not 0.71
    "network-h1-n1-term-1": True,
    "network-h1-n1-term-2": True,
    "network-h1-n1-term-3": True,
    "network-h1-n1-sum": True,
    "network-h1-n1-relu": True,
    "network-h1-n2-term-1": True,
    "network-h1-n2-term-2": True,
    "network-h1-n2-term-3": True,
    "network-h1-n2-sum": True,
    "network-h1-n2-relu": True,
    "network-h1-n3-term-1": True,
    "network-h1-n3-term-2": True,
    "network-h1-n3-sum": True,
    "network-h1-n3-relu": True,
    "network-h2-term-1": True,
    "network-h2-term-2": True,
    "network-h2-term-3": True,
    "network-h2-sum": True,
    "network-h2-relu": True,
    "network-italian-term": True,
    "network-italian-score": True,
    "network-mexican-term": True,
    "network-mexican-score": True,
    "network-chinese-term": True,
    "network-chinese-score": True,
    "network-softmax-italian": False,  # 96.1 %, not 89.2 %
    "network-softmax-chinese": False,  # 3.5 %, not 8.1 %
    "network-softmax-mexican": False,  # 0.4 %, not 2.7 %
}

# The results the guide states, each of which must be encoded (id -> guide value).
STATED = {
    "restaurant-neuron-sum": 12.3,
    "restaurant-neuron-output": 0.92,
    "cookie-score": 2.95,
    "cookie-final-score": 3.45,
    "spam-sum": 0.9,
    "spam-output": 0.71,
    "network-h1-n1-sum": 15.5,
    "network-h1-n2-sum": 4.46,
    "network-h1-n3-sum": 5.3,
    "network-h1-n1-relu": 15.5,
    "network-h1-n2-relu": 4.46,
    "network-h1-n3-relu": 5.3,
    "network-h2-sum": 10.88,
    "network-h2-relu": 10.88,
    "network-italian-score": 8.9,
    "network-mexican-score": 3.36,
    "network-chinese-score": 5.59,
    "network-softmax-italian": 89.2,
    "network-softmax-chinese": 8.1,
    "network-softmax-mexican": 2.7,
}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, object]:
    return {v.example.id: v for v in rerun()}


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_every_stated_result_is_encoded() -> None:
    examples = {e.id: e for e in load_examples()}
    for ident, value in STATED.items():
        assert examples[ident].guide_value == value, ident
    assert all(e.source.startswith("eli5-ch1-neural-networks.txt § ") for e in examples.values())


def test_verdict_per_example(verdicts: dict) -> None:
    assert {i: v.ok for i, v in verdicts.items()} == VERDICTS


def test_computed_values_match_an_independent_calculation(verdicts: dict) -> None:
    """Plain-Python arithmetic (no NumPy) agrees with what the engine computed."""
    value = {i: v.computed_value for i, v in verdicts.items()}
    assert value["restaurant-neuron-sum"] == pytest.approx(25 * 0.1 + 4.5 * 0.8 + 19 * 0.3 + 0.5)
    assert value["restaurant-neuron-output"] == pytest.approx(sigmoid(12.3))
    assert value["cookie-final-score"] == pytest.approx(3.45)
    assert value["spam-sum"] == pytest.approx(1.0)
    assert value["spam-output"] == pytest.approx(sigmoid(1.0))

    h1 = [max(0.0, 28 * 0.3 + 65000 * 0.0001 + 0.4 + 0.2)]
    h1.append(max(0.0, 4.2 * 0.9 + 3.8 * 0.1 + 0.2 + 0.1))
    h1.append(max(0.0, 0.8 + 7 * 0.6 + 0.3))
    h2 = max(0.0, h1[0] * 0.4 + h1[1] * 0.7 + h1[2] * 0.2 + 0.5)
    scores = [h2 * 0.8 + 0.2, h2 * 0.3 + 0.1, h2 * 0.5 + 0.15]  # Italian, Mexican, Chinese
    total = sum(math.exp(s) for s in scores)
    percent = [100 * math.exp(s) / total for s in scores]
    assert value["network-h2-sum"] == pytest.approx(10.882)
    assert value["network-italian-score"] == pytest.approx(scores[0])
    assert value["network-softmax-italian"] == pytest.approx(percent[0])
    assert value["network-softmax-mexican"] == pytest.approx(percent[1])
    assert value["network-softmax-chinese"] == pytest.approx(percent[2])
    assert round(percent[0], 1) == 96.1 and round(percent[2], 1) == 3.5


def test_errata_runs_through_the_engine_primitives(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def spy(module: object, name: str) -> None:
        real = getattr(module, name)

        def wrapped(*args: object, **kwargs: object) -> object:
            calls.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)

    spy(engine.neuron, "weighted_sum")
    spy(engine.activations, "activate")
    spy(engine.activations, "softmax")
    rerun()
    ops = [e.op for e in load_examples()]
    assert calls.count("weighted_sum") == ops.count("weighted_sum")
    assert calls.count("activate") == ops.count("activation")
    assert calls.count("softmax") == ops.count("softmax")


def test_chain_uses_computed_not_guide_values() -> None:
    """A downstream step reads the computed upstream value even if the guide's differs."""
    doc = {
        "file": "guide.txt",
        "examples": [
            {
                "id": "a",
                "example": "x",
                "section": "1",
                "quantity": "sum",
                "op": "weighted_sum",
                "inputs": [1, 2],
                "weights": [1, 1],
                "bias": 0.0,
                "guide_value": 4.0,
                "decimals": 0,
            },
            {
                "id": "b",
                "example": "x",
                "section": "1",
                "quantity": "relu",
                "op": "activation",
                "activation": "relu",
                "input_from": "a",
                "guide_value": 3.0,
                "decimals": 0,
            },
        ],
    }
    a, b = rerun(parse_examples(doc))
    assert (a.computed_value, a.ok) == (3.0, False)
    assert (b.computed_value, b.ok) == (3.0, True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"input_from": "later"}, "reads 'later', which is not an earlier example"),
        ({"activation": "swish"}, "field 'activation': expected one of"),
        ({"op": "conv"}, "field 'op': expected one of"),
        ({"decimals": -1}, "field 'decimals': expected a whole number >= 0"),
    ],
)
def test_broken_examples_file_names_the_entry(change: dict, message: str) -> None:
    entry = {
        "id": "e",
        "example": "x",
        "section": "1",
        "quantity": "q",
        "op": "activation",
        "activation": "relu",
        "input": 1.0,
        "guide_value": 1.0,
        "decimals": 0,
        **change,
    }
    with pytest.raises(ContentError, match="example 'e'") as caught:
        parse_examples({"file": "f", "examples": [entry]})
    assert message in str(caught.value)


def test_ok_compares_at_the_printed_precision() -> None:
    ex = Example("x", "x", "f § 1", "q", "activation", 10.88, 2, False, {}, "")
    assert Verdict(ex, 10.882).ok
    assert not Verdict(ex, 10.886).ok


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["errata", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["example"] for r in rows] == list(VERDICTS)
    for row in rows:
        assert set(row) == {"example", "source", "quantity", "guide_value", "computed_value", "ok"}
        assert isinstance(row["guide_value"], float) and isinstance(row["computed_value"], float)
        assert row["ok"] is VERDICTS[row["example"]]
        assert row["source"].startswith("eli5-ch1-neural-networks.txt § ")


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["errata"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("network-softmax-italian"))
    assert "89.2%" in line and "96.1288%" in line and "WRONG (≈ 96.1%)" in line
    line = next(x for x in out.splitlines() if x.strip().startswith("restaurant-neuron-sum"))
    assert line.split()[-3:] == ["12.3", "12.3", "ok"]
    assert "sigmoid is assumed" in out
    assert out.rstrip().splitlines()[-1].startswith("45 stated numbers re-run through the engine")
