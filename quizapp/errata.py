"""The guide's worked examples, re-run through the engine's primitives.

`content/guide_examples.toml` lists every number the guide's worked examples state, with the
inputs it gives. Each is recomputed with `engine.neuron.weighted_sum`,
`engine.activations.activate` or `engine.activations.softmax` (values feeding later steps are
the computed ones, never the guide's), then compared at the precision the guide printed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from engine.catalog import ACTIVATIONS
from quizapp.errors import ContentError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

OPS = ("weighted_sum", "activation", "softmax")


@dataclass(frozen=True, slots=True)
class Example:
    """One number the guide states, and how to recompute it."""

    id: str
    example: str  # the worked example it belongs to
    source: str  # "file § section"
    quantity: str
    op: str
    guide_value: float
    decimals: int
    percent: bool
    spec: Mapping[str, Any]  # op-specific inputs, as read from the file
    note: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    example: Example
    computed_value: float

    @property
    def ok(self) -> bool:
        """The guide's value equals the computed one rounded to the decimals it printed."""
        d = self.example.decimals
        return round(self.computed_value, d) == round(self.example.guide_value, d)

    def as_json(self) -> dict[str, Any]:
        return {
            "example": self.example.id,
            "source": self.example.source,
            "quantity": f"{self.example.example}: {self.example.quantity}",
            "guide_value": self.example.guide_value,
            "computed_value": self.computed_value,
            "ok": self.ok,
        }


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(map(_number, value))


def _ids(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class _Entry:
    """One [[examples]] table being checked; `need` raises ContentError naming the field."""

    def __init__(self, raw: Mapping[str, Any], where: str):
        self.raw = raw
        self.where = where

    def need(self, field: str, check: Callable[[Any], bool], what: str) -> Any:
        if field not in self.raw or not check(self.raw[field]):
            raise ContentError(f"{self.where} field {field!r}: expected {what}")
        return self.raw[field]

    def refs(self) -> list[str]:
        """Check the op's inputs; return the ids of earlier examples it reads."""
        op = self.raw["op"]
        if op == "weighted_sum":
            weights = self.need("weights", _numbers, "an array of numbers")
            self.need("bias", _number, "a number")
            if "inputs_from" in self.raw:
                refs: list[str] = self.need("inputs_from", _ids, "an array of example ids")
                count = len(refs)
            else:
                refs, count = [], len(self.need("inputs", _numbers, "an array of numbers"))
            if count != len(weights):
                raise ContentError(
                    f"{self.where} field 'weights': {len(weights)} weights for {count} inputs"
                )
            return refs
        if op == "activation":
            self.need("activation", ACTIVATIONS.__contains__, "one of " + ", ".join(ACTIVATIONS))
            if "input_from" in self.raw:
                return [self.need("input_from", _text, "an example id")]
            self.need("input", _number, "a number (or input_from)")
            return []
        refs = self.need("scores_from", _ids, "an array of example ids")
        self.need(
            "index",
            lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(refs),
            f"an index into scores_from (0..{len(refs) - 1})",
        )
        return refs


def parse_examples(
    doc: Mapping[str, Any], label: str = "guide_examples.toml"
) -> tuple[Example, ...]:
    """Read the examples file; raise ContentError naming the entry and field on any problem."""
    file = doc.get("file")
    entries = doc.get("examples")
    if not isinstance(file, str) or not isinstance(entries, list) or not entries:
        raise ContentError(f'{label}: needs file = "..." and [[examples]]')
    examples: list[Example] = []
    seen: set[str] = set()
    for n, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise ContentError(f"{label}: example #{n}: expected a table")
        ident: Any = raw.get("id")  # checked below: a non-empty string
        where = f"{label}: example {ident!r}" if _text(ident) else f"{label}: example #{n}"
        entry = _Entry(raw, where)
        for field in ("id", "example", "section", "quantity"):
            entry.need(field, _text, "a non-empty string")
        entry.need("op", OPS.__contains__, "one of " + ", ".join(OPS))
        entry.need("guide_value", _number, "a number")
        entry.need(
            "decimals",
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
            "a whole number >= 0",
        )
        if ident in seen:
            raise ContentError(f"{where} field 'id': duplicate id")
        for ref in entry.refs():
            if ref not in seen:
                raise ContentError(f"{where}: reads {ref!r}, which is not an earlier example")
        seen.add(ident)
        examples.append(
            Example(
                id=ident,
                example=raw["example"],
                source=f"{file} § {raw['section']}",
                quantity=raw["quantity"],
                op=raw["op"],
                guide_value=float(raw["guide_value"]),
                decimals=raw["decimals"],
                percent=raw.get("percent") is True,
                spec=raw,
                note=str(raw.get("note", "")),
            )
        )
    return tuple(examples)


@cache
def load_examples() -> tuple[Example, ...]:
    """The shipped worked examples (content/guide_examples.toml)."""
    resource = files("content").joinpath("guide_examples.toml")
    try:
        doc = tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ContentError(f"guide_examples.toml: TOML syntax error: {err}") from None
    return parse_examples(doc)


def rerun(examples: Sequence[Example] | None = None) -> list[Verdict]:
    """Recompute every example with the engine, propagating computed values along chains."""
    from engine.activations import activate, softmax
    from engine.neuron import weighted_sum

    examples = load_examples() if examples is None else examples
    computed: dict[str, float] = {}
    verdicts = []
    for ex in examples:
        spec = ex.spec
        value: float | NDArray[np.float64]
        if ex.op == "weighted_sum":
            if "inputs_from" in spec:
                inputs = [computed[ref] for ref in spec["inputs_from"]]
            else:
                inputs = list(spec["inputs"])
            value = weighted_sum(inputs, spec["weights"], spec["bias"])
        elif ex.op == "activation":
            z = computed[spec["input_from"]] if "input_from" in spec else spec["input"]
            value = activate(spec["activation"], z)
        else:
            scores = [computed[ref] for ref in spec["scores_from"]]
            value = softmax(scores)[spec["index"]]
        value = float(value)
        computed[ex.id] = value
        verdicts.append(Verdict(ex, value * 100 if ex.percent else value))
    return verdicts
