"""make_problem: seed -> numbers -> engine answer -> misconceptions -> wording."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from engine.catalog import DIFFICULTIES, FAMILIES, SCENARIOS
from engine.problems.base import rng_for, settle
from engine.problems.domains import domain_for
from engine.problems.model import Problem, fixed
from engine.problems.scenarios import SETTINGS

MAX_ATTEMPTS = 500

# family -> its module engine.problems.<family>, with draw(rng, difficulty, setting) ->
# Case | None and explain(case, setting) -> (prompt, steps); optionally domain(params) ->
# Domain (else domains.domain_for) and stages(problem) for step-by-step solving.
GENERATORS: dict[str, ModuleType] = {f: import_module(f"engine.problems.{f}") for f in FAMILIES}


def pick_scenario(family: str, seed: int, difficulty: str) -> str:
    """The scenario a seed tells its story in when none is asked for."""
    return SCENARIOS[rng_for(family, seed, difficulty, "scenario").integers(len(SCENARIOS))]


def make_problem(
    family: str, seed: int, difficulty: str = "medium", scenario: str | None = None
) -> Problem:
    """The problem for (family, seed, difficulty, scenario): identical on every machine.

    Numbers are drawn from a generator seeded by a stable hash of the tuple; draws that
    would be ill-posed (non-finite, saturated, misconceptions indistinguishable after
    rounding) are redrawn from the same generator, so the result stays deterministic.
    """
    if isinstance(seed, bool) or int(seed) != seed:
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    seed = int(seed)
    if family not in FAMILIES:
        raise ValueError(
            f"unknown problem family {family!r}; expected one of {', '.join(FAMILIES)}"
        )
    if difficulty not in DIFFICULTIES:
        raise ValueError(
            f"unknown difficulty {difficulty!r}; expected one of {', '.join(DIFFICULTIES)}"
        )
    if scenario is None:
        scenario = pick_scenario(family, seed, difficulty)
    elif scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)}")
    module = GENERATORS[family]
    setting = SETTINGS[scenario]
    rng = rng_for(family, seed, difficulty, scenario)
    for _ in range(MAX_ATTEMPTS):
        case = module.draw(rng, difficulty, setting)
        if case is None:
            continue
        misconceptions = settle(case)
        if misconceptions is None:
            continue
        prompt, steps = module.explain(case, setting)
        return Problem(
            id=f"{family}@{seed}",
            family=family,
            seed=seed,
            difficulty=difficulty,
            scenario=scenario,
            params=case.params,
            answer=float(case.answer),
            display=fixed(case.answer, case.decimals),
            decimals=case.decimals,
            tolerance=case.tolerance,
            prompt=prompt,
            steps=steps,
            misconceptions=misconceptions,
            proportion=case.proportion,
            domain=(
                module.domain(case.params)
                if hasattr(module, "domain")
                else domain_for(family, case.params, case.proportion)
            ),
        )
    raise RuntimeError(f"no well-posed {family} problem for seed {seed} ({difficulty})")
