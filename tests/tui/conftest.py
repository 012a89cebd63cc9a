"""Makes `tui_support` (building the app on a throw-away database) and `tui_quiz_bank` (the
quiz screens' bank and helpers) importable.

The suite runs with --import-mode=importlib, so sibling modules are not on sys.path;
this conftest registers the helper by path, and runs `async def` tests on a fresh event
loop (no asyncio plugin is installed: Pilot tests are plain coroutines).
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

# helper modules of this folder, importable by these names (order: the second uses the first)
HELPERS = {"tui_support": "tui_support.py", "tui_quiz_bank": "test_tui_quiz_bank.py"}
for _name, _file in HELPERS.items():
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).with_name(_file))
        assert _spec is not None and _spec.loader is not None
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_name] = _module
        _spec.loader.exec_module(_module)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def test_...` functions to completion with asyncio.run."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
