"""The layer rules and the cheap start-up, checked on the real import graph.

import-linter reads the static graph; the subprocess checks look at `sys.modules` after a real
run, the only way to prove that a deferred import really is deferred.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


HEAVY = ("numpy", "sqlalchemy", "textual", "fsrs", "alembic")


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["content", "--help"]])
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    proc = run_python(
        "import sys\n"
        f"sys.argv = ['quizapp', *{argv!r}]\n"
        "from quizapp.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    leaked = [m for m in proc.stderr.strip().split(",") if m]
    assert not leaked, f"quizapp {' '.join(argv)} imported {leaked}"


@pytest.mark.parametrize(
    "module",
    [
        "engine",
        "engine.catalog",
        "quizapp",
        "quizapp.cli",
        "quizapp.reviews",
        "quizapp.practice",
        "quizapp.settings",
        "quizapp.browse",
        "quizapp.quiz.record",
    ],
)
def test_light_modules_stay_light(module: str) -> None:
    proc = run_python(
        f"import sys, {module}\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert proc.stdout.strip() == "", f"import {module} loaded {proc.stdout.strip()}"


def test_core_never_loads_textual() -> None:
    """The headless core, used end to end, never pulls in the UI toolkit."""
    proc = run_python(
        "import sys, importlib, pkgutil, quizapp\n"
        "skip = ('quizapp.tui', 'quizapp.commands.app', 'quizapp.__main__')\n"
        "for m in pkgutil.walk_packages(quizapp.__path__, 'quizapp.'):\n"
        "    if not m.name.startswith(skip):\n"
        "        importlib.import_module(m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    assert proc.stdout.strip() == "False"


def test_help_is_fast() -> None:
    exe = Path(sys.executable).with_name("quizapp")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True, timeout=30)
        times.append(time.perf_counter() - start)
    assert min(times) < 0.8, f"quizapp --help took {min(times):.2f} s"


def test_no_import_cycles() -> None:
    """No module of the project imports (directly or not) a module that imports it back;
    imports made only for type checking do not count."""
    import grimp

    graph = grimp.build_graph("quizapp", "engine", exclude_type_checking_imports=True)
    cycles = []
    for module in graph.modules:
        if not module.startswith(("quizapp", "engine")):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(("quizapp", "engine")) and imported != module:
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back:
                    cycles.append(" -> ".join((module, *back)))
    assert not cycles, "\n".join(cycles)
